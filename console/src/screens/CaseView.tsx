import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type ProblemField } from '../api';
import { useApp } from '../app-context';
import { SchemaForm, type Choices, type JsonSchema } from '../forms/SchemaForm';
import { commandLabel, formatDateTime, valueLabel } from '../i18n';
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
    escalations: { escalationId: string; level: string; status: string; respondBy: string }[];
    referrals: { referralId: string; providerId: string; status: string }[];
    overdue: boolean;
  };
  updatedAt: string;
}
interface Action {
  command: string;
  summary: string;
  href: string;
  schema: JsonSchema;
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
  const [actions, setActions] = useState<Action[]>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<{ action: Action; key: string }>();
  const [refused, setRefused] = useState<ProblemField[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();

  const load = useCallback(() => {
    api<CaseView>('GET', `/v1/cases/${caseId}`).then(setView, (e: Error) => setError(e.message));
    api<{ entries: AuditEntry[] }>('GET', `/v1/cases/${caseId}/history`).then((r) => setTimeline(r.entries.filter((e) => e.kind === 'change').reverse()), (e: Error) => setError(e.message));
    api<{ actions: Action[] }>('GET', `/v1/cases/${caseId}/actions`).then((r) => setActions(r.actions), (e: Error) => setError(e.message));
  }, [caseId]);
  useEffect(load, [load]);

  // One Idempotency-Key per opened form: sending it again after a timeout applies the command once.
  const send = async (action: Action, key: string, body: unknown) => {
    setBusy(true);
    setRefused([]);
    try {
      await api('POST', action.href, body, { 'idempotency-key': key, prefer: 'return=minimal' });
      setOpen(undefined);
      setNotice(`${commandLabel(lang, action.command)}: ${t('done')}`);
      load();
    } catch (err) {
      if (err instanceof ApiError) setRefused(err.errors.length ? err.errors : [{ location: 'body', path: '', message: err.detail ?? err.title, code: typeof err.body.code === 'string' ? err.body.code : undefined }]);
      else setRefused([{ location: 'body', path: '', message: t('errorTitle') }]);
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return (
      <p role="alert" className="error">
        {t('errorTitle')}: {error}
      </p>
    );
  if (!view) return <p>{t('loading')}</p>;
  const c = view.case;
  // What an action may name on this case, as a choice rather than an id to type.
  const choices: Choices = {
    deadlineId: c.deadlines.map((d) => ({ value: d.deadlineId, label: `${valueLabel(lang, d.kind)} · ${formatDateTime(lang, d.dueAt)}` })),
    escalationId: c.escalations.filter((e) => e.status !== 'resolved').map((e) => ({ value: e.escalationId, label: `${valueLabel(lang, e.level)} · ${formatDateTime(lang, e.respondBy)}` })),
    referralId: c.referrals.map((r) => ({ value: r.referralId, label: `${r.providerId} · ${valueLabel(lang, r.status)}` })),
  };
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
      <h2>{t('actions')}</h2>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {actions?.length === 0 && <p>{t('noActions')}</p>}
      <div className="actions">
        {actions?.map((a) => (
          <button key={a.command} type="button" className={open?.action.command === a.command ? 'secondary active' : 'secondary'} title={a.summary} onClick={() => (setOpen({ action: a, key: crypto.randomUUID() }), setRefused([]), setNotice(undefined))}>
            {commandLabel(lang, a.command)}
          </button>
        ))}
      </div>
      {open && (
        <section className="card" aria-labelledby="action-title">
          <h3 id="action-title">{commandLabel(lang, open.action.command)}</h3>
          <p className="hint">{open.action.summary}</p>
          <SchemaForm key={open.key} schema={open.action.schema} lang={lang} errors={refused} busy={busy} choices={choices} submitLabel={t('send')} onSubmit={(v) => void send(open.action, open.key, v)} />
          <button type="button" className="link" onClick={() => setOpen(undefined)}>
            {t('cancel')}
          </button>
        </section>
      )}
      <h2>{t('deadlines')}</h2>
      <ul className="deadlines">
        {c.deadlines.map((d) => (
          <li key={d.deadlineId} className={Date.parse(d.dueAt) < Date.now() ? 'overdue' : undefined}>
            <span>{valueLabel(lang, d.kind)}</span> <time dateTime={d.dueAt}>{formatDateTime(lang, d.dueAt)}</time> <span className="far">({fromNow(lang, d.dueAt)})</span>
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
