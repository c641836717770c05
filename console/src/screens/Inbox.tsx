import { useCallback, useEffect, useState } from 'react';
import { api, type InboxItem as Notification } from '../api';
import { useApp } from '../app-context';
import { formatDateTime } from '../i18n';

/** Reminders, escalations and approvals to give, in the user's language, each leading to its case. */
export function Inbox() {
  const { t, lang, navigate } = useApp();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [items, setItems] = useState<Notification[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    api<{ notifications: Notification[] }>('GET', `/v1/notifications?lang=${lang}&unread=${unreadOnly}`).then(
      (r) => setItems(r.notifications),
      (e: Error) => setError(e.message),
    );
  }, [lang, unreadOnly]);
  useEffect(load, [load]);

  const markRead = async (n: Notification) => {
    await api('POST', `/v1/notifications/${n.notificationId}/read`).catch((e: Error) => setError(e.message));
    load();
  };
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inbox')}</h1>
      <label className="check">
        <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />{' '}
        {t('unreadOnly')}
      </label>
      {error && (
        <p role="alert" className="error">
          {t('errorTitle')}: {error}
        </p>
      )}
      {items?.length === 0 && <p>{t('noNotifications')}</p>}
      <ul className="cases inbox">
        {items?.map((n) => (
          <li key={n.notificationId} className={n.readAt ? 'read' : 'unread'}>
            <a href={`/console/cases/${n.caseId}`} onClick={(e) => (e.preventDefault(), navigate(`cases/${n.caseId}`))}>
              <span className="name">{n.title}</span>
              <time className="deadline" dateTime={n.createdAt}>
                {formatDateTime(lang, n.createdAt)}
              </time>
            </a>
            {!n.readAt && (
              <button type="button" className="link" onClick={() => void markRead(n)}>
                {t('markRead')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
