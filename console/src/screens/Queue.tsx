import { useEffect, useState } from 'react';
import { api, type CaseSummary } from '../api';
import { useApp } from '../app-context';
import { formatDateTime, valueLabel } from '../i18n';

interface Escalation {
  caseId: string;
  caseNumber?: string;
  escalationId: string;
  reason: string;
  level: string;
  status: string;
  respondBy: string;
  overdueSeconds: number;
  answerLateSeconds: number;
}

/** The supervisor's queue: escalations, how late each is, and the plans and closures waiting for them. */
export function Queue() {
  const { t, lang, navigate } = useApp();
  const [escalations, setEscalations] = useState<Escalation[]>();
  const [approvals, setApprovals] = useState<CaseSummary[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<{ escalations: Escalation[] }>('GET', '/v1/escalations').then(
      (r) => setEscalations(r.escalations),
      (e: Error) => setError(e.message),
    );
    api<{ cases: CaseSummary[] }>('GET', '/v1/cases?awaiting=approval&sort=deadline&limit=100').then(
      (r) => setApprovals(r.cases),
      (e: Error) => setError(e.message),
    );
  }, []);

  const late = (seconds: number) =>
    seconds >= 86_400
      ? t('daysShort', { n: Math.floor(seconds / 86_400) })
      : seconds >= 3600
        ? t('hoursShort', { n: Math.round(seconds / 3600) })
        : t('minutesShort', { n: Math.max(1, Math.round(seconds / 60)) });
  const open = (caseId: string) => (e: { preventDefault(): void }) => (e.preventDefault(), navigate(`cases/${caseId}`));
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">{t('queue')}</h1>
      {error && (
        <p role="alert" className="error">
          {t('errorTitle')}: {error}
        </p>
      )}
      <h2>{t('escalations')}</h2>
      {escalations?.length === 0 && <p>{t('noEscalations')}</p>}
      <ul className="cases">
        {escalations?.map((e) => (
          <li key={e.escalationId} className="overdue">
            <a href={`/console/cases/${e.caseId}`} onClick={open(e.caseId)}>
              <span className="number">{e.caseNumber ?? e.caseId.slice(0, 8)}</span>
              <span className="name">{valueLabel(lang, e.reason)}</span>
              <span className="stage">{valueLabel(lang, e.level)}</span>
              <span className="deadline">
                <strong>{t('lateBy', { time: late(e.overdueSeconds) })}</strong>
              </span>
              <span className="deadline">{t('answerBy', { time: formatDateTime(lang, e.respondBy) })}</span>
            </a>
          </li>
        ))}
      </ul>
      <h2>{t('approvals')}</h2>
      {approvals?.length === 0 && <p>{t('noApprovals')}</p>}
      <ul className="cases">
        {approvals?.map((c) => (
          <li key={c.caseId}>
            <a href={`/console/cases/${c.caseId}`} onClick={open(c.caseId)}>
              <span className="number">{c.caseNumber ?? c.caseId.slice(0, 8)}</span>
              <span className="name">{c.clientName ?? '—'}</span>
              <span className="stage">{c.stage === 'closure_requested' ? t('closureWaiting') : t('planWaiting')}</span>
              <span className="deadline">{c.caseManagerId ?? ''}</span>
              <span className="deadline">{c.nextDeadlineAt ? formatDateTime(lang, c.nextDeadlineAt) : ''}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
