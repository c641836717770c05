import { useEffect, useState } from 'react';
import { api } from '../api';
import { useApp } from '../app-context';
import { formatDateTime } from '../i18n';
import { fromNow } from '../format';
import type { Stage } from '../../../domain/vocabulary';

interface CaseView {
  case: {
    caseId: string;
    caseNumber?: string;
    stage: Stage;
    priority: string;
    region: string;
    hromada?: string;
    team: { caseManagerId?: string; supervisorId?: string; members?: string[] };
    deadlines: { deadlineId: string; kind: string; dueAt: string }[];
    overdue: boolean;
  };
  updatedAt: string;
}
interface AuditEntry {
  at: string;
  kind: 'change' | 'read';
  action: string;
  actor: { kind: string; id: string };
  seq?: number;
}

/** One case: where it stands, its team, its deadlines and how far off each is, and its timeline. */
export function CaseView({ caseId }: { caseId: string }) {
  const { t, lang, navigate } = useApp();
  const [view, setView] = useState<CaseView>();
  const [timeline, setTimeline] = useState<AuditEntry[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api<CaseView>('GET', `/v1/cases/${caseId}`).then(setView, (e: Error) => setError(e.message));
    api<{ entries: AuditEntry[] }>('GET', `/v1/cases/${caseId}/history`).then((r) => setTimeline(r.entries.filter((e) => e.kind === 'change').reverse()), (e: Error) => setError(e.message));
  }, [caseId]);

  if (error)
    return (
      <p role="alert" className="error">
        {t('errorTitle')}: {error}
      </p>
    );
  if (!view) return <p>{t('loading')}</p>;
  const c = view.case;
  return (
    <article aria-labelledby="case-title">
      <button type="button" className="link" onClick={() => navigate('')}>
        ← {t('back')}
      </button>
      <h1 id="case-title">
        {t('caseNumber')} {c.caseNumber ?? c.caseId.slice(0, 8)}
      </h1>
      <dl className="facts">
        <dt>{t('stage')}</dt>
        <dd>{t(`stage.${c.stage}`)}</dd>
        <dt>{t('region')}</dt>
        <dd>{c.region}</dd>
        <dt>{t('caseManager')}</dt>
        <dd>{c.team.caseManagerId ?? '—'}</dd>
        <dt>{t('supervisor')}</dt>
        <dd>{c.team.supervisorId ?? '—'}</dd>
      </dl>
      <h2>{t('deadlines')}</h2>
      <ul className="deadlines">
        {c.deadlines.map((d) => (
          <li key={d.deadlineId} className={Date.parse(d.dueAt) < Date.now() ? 'overdue' : undefined}>
            <span>{d.kind}</span> <time dateTime={d.dueAt}>{formatDateTime(lang, d.dueAt)}</time> <span className="far">({fromNow(lang, d.dueAt)})</span>
          </li>
        ))}
      </ul>
      <h2>{t('timeline')}</h2>
      <ol className="timeline">
        {timeline?.map((e, i) => (
          <li key={`${e.seq ?? i}`}>
            <time dateTime={e.at}>{formatDateTime(lang, e.at)}</time> <span className="action">{e.action}</span> <span className="actor">{e.actor.id}</span>
          </li>
        ))}
      </ol>
    </article>
  );
}
