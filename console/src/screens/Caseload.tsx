import { useEffect, useState } from 'react';
import { api, type CaseSummary } from '../api';
import { useApp } from '../app-context';
import { formatDateTime } from '../i18n';
import { fromNow } from '../format';
import { priorities, stages, type Priority, type Stage } from '../../../domain/vocabulary';
import { NewCase } from './NewCase';

/** The signed-in person's cases, the next deadline first and the overdue ones before all. */
export function Caseload() {
  const { t, lang, navigate, session } = useApp();
  const [opening, setOpening] = useState(false);
  const [filter, setFilter] = useState({ stage: '', priority: '', hromada: '', q: '' });
  const [cases, setCases] = useState<CaseSummary[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const params = new URLSearchParams({ sort: 'deadline', limit: '100' });
    for (const [k, v] of Object.entries(filter)) if (v.trim().length >= (k === 'q' ? 2 : 1)) params.set(k, v.trim());
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      api<{ cases: CaseSummary[] }>('GET', `/v1/cases?${params.toString()}`).then(
        (r) => {
          if (!ctrl.signal.aborted) setCases(r.cases);
        },
        (err: Error) => setError(err.message),
      );
    }, 200);
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [filter]);

  const set = (k: keyof typeof filter) => (e: { target: { value: string } }) =>
    setFilter((f) => ({ ...f, [k]: e.target.value }));
  return (
    <section aria-labelledby="caseload-title">
      <div className="title-row">
        <h1 id="caseload-title">{t('caseload')}</h1>
        {(session.role === 'case_manager' || session.role === 'supervisor' || session.role === 'admin') && (
          <button type="button" aria-expanded={opening} onClick={() => setOpening((o) => !o)}>
            {t('openCase')}
          </button>
        )}
      </div>
      {opening && <NewCase onOpened={(id) => navigate(`cases/${id}`)} />}
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="grow">
          {t('search')}
          <input type="search" value={filter.q} onChange={set('q')} />
        </label>
        <label>
          {t('stage')}
          <select value={filter.stage} onChange={set('stage')}>
            <option value="">{t('all')}</option>
            {stages.map((s) => (
              <option key={s} value={s}>
                {t(`stage.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('priority')}
          <select value={filter.priority} onChange={set('priority')}>
            <option value="">{t('all')}</option>
            {priorities.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('hromada')}
          <input value={filter.hromada} onChange={set('hromada')} />
        </label>
      </form>
      {error && (
        <p role="alert" className="error">
          {t('errorTitle')}: {error}
        </p>
      )}
      {!cases && !error && <p>{t('loading')}</p>}
      {cases?.length === 0 && <p>{t('noCases')}</p>}
      {cases && cases.length > 0 && (
        <ul className="cases">
          {cases.map((c) => (
            <li key={c.caseId} className={c.overdue ? 'overdue' : undefined}>
              <a
                href={`/console/cases/${c.caseId}`}
                onClick={(e) => (e.preventDefault(), navigate(`cases/${c.caseId}`))}
              >
                <span className="number">{c.caseNumber ?? c.caseId.slice(0, 8)}</span>
                <span className="name">{c.clientName ?? '—'}</span>
                <span className="stage">{t(`stage.${c.stage as Stage}`)}</span>
                <span className={`priority ${c.priority}`}>{t(`priority.${c.priority as Priority}`)}</span>
                <span className="deadline">
                  {c.nextDeadlineAt ? (
                    <>
                      {c.overdue && <strong>{t('overdue')} · </strong>}
                      <time dateTime={c.nextDeadlineAt} title={formatDateTime(lang, c.nextDeadlineAt)}>
                        {fromNow(lang, c.nextDeadlineAt)}
                      </time>
                    </>
                  ) : (
                    '—'
                  )}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
