import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, type ProblemField } from '../api';
import { useApp } from '../app-context';
import { SchemaForm, type Choices, type JsonSchema } from '../forms/SchemaForm';
import { commandLabel, eventLabel, formatDateTime, valueLabel } from '../i18n';
import { fromNow } from '../format';
import type { AuditKind, PersonRole, Stage } from '../../../domain/vocabulary';

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
    referrals: { referralId: string; providerId: string; category: string; status: string; sentAt: string }[];
    services: { serviceId: string; category: string; deliveredAt: string; description?: string }[];
    plans: {
      version: number;
      cycle: number;
      status: string;
      goals: { goalId: string; description: string; domain: string }[];
    }[];
    reviews: { number: number; outcome: string; progress?: string; at: string }[];
    cycle: number;
    overdue: boolean;
  };
  updatedAt: string;
}
interface Person {
  personId: string;
  role: PersonRole;
  relation?: string;
  fullName: string;
  birthDate?: string;
  phone?: string;
}
interface Action {
  command: string;
  summary: string;
  href: string;
  schema: JsonSchema;
}
interface AuditEntry {
  at: string;
  kind: AuditKind;
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
  const [people, setPeople] = useState<Person[]>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<{ action: Action; key: string }>();
  const [refused, setRefused] = useState<ProblemField[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();

  const load = useCallback(() => {
    api<CaseView>('GET', `/v1/cases/${caseId}`).then(setView, (e: Error) => setError(e.message));
    api<{ entries: AuditEntry[] }>('GET', `/v1/cases/${caseId}/history`).then(
      (r) => setTimeline(r.entries.filter((e) => e.kind === 'change').reverse()),
      (e: Error) => setError(e.message),
    );
    api<{ actions: Action[] }>('GET', `/v1/cases/${caseId}/actions`).then(
      (r) => setActions(r.actions),
      (e: Error) => setError(e.message),
    );
    // Tools may not read people; a person may: their absence is not an error here.
    api<{ people: Person[] }>('GET', `/v1/cases/${caseId}/people`).then(
      (r) => setPeople(r.people),
      () => setPeople([]),
    );
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
      if (err instanceof ApiError)
        setRefused(
          err.errors.length
            ? err.errors
            : [
                {
                  location: 'body',
                  path: '',
                  message: err.detail ?? err.title,
                  code: typeof err.body.code === 'string' ? err.body.code : undefined,
                },
              ],
        );
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
    deadlineId: c.deadlines.map((d) => ({
      value: d.deadlineId,
      label: `${valueLabel(lang, d.kind)} · ${formatDateTime(lang, d.dueAt)}`,
    })),
    escalationId: c.escalations
      .filter((e) => e.status !== 'resolved')
      .map((e) => ({
        value: e.escalationId,
        label: `${valueLabel(lang, e.level)} · ${formatDateTime(lang, e.respondBy)}`,
      })),
    referralId: c.referrals.map((r) => ({
      value: r.referralId,
      label: `${r.providerId} · ${valueLabel(lang, r.status)}`,
    })),
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
      <h2>{t('client')}</h2>
      {people?.length === 0 && <p>{t('none')}</p>}
      <ul className="people">
        {people?.map((p) => (
          <li key={p.personId}>
            <strong>{p.fullName}</strong>{' '}
            <span className="far">({p.role === 'client' ? t('clientRole') : p.relation})</span>
            {p.birthDate && <span> · {p.birthDate}</span>}
            {p.phone && <span> · {p.phone}</span>}
          </li>
        ))}
      </ul>
      <h2>{t('actions')}</h2>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      {actions?.length === 0 && <p>{t('noActions')}</p>}
      <div className="actions">
        {actions?.map((a) => (
          <button
            key={a.command}
            type="button"
            className={open?.action.command === a.command ? 'secondary active' : 'secondary'}
            title={a.summary}
            onClick={() => (setOpen({ action: a, key: crypto.randomUUID() }), setRefused([]), setNotice(undefined))}
          >
            {commandLabel(lang, a.command)}
          </button>
        ))}
      </div>
      {open && (
        <section className="card" aria-labelledby="action-title">
          <h3 id="action-title">{commandLabel(lang, open.action.command)}</h3>
          <p className="hint">{open.action.summary}</p>
          <SchemaForm
            key={open.key}
            schema={open.action.schema}
            lang={lang}
            errors={refused}
            busy={busy}
            choices={choices}
            submitLabel={t('send')}
            onSubmit={(v) => void send(open.action, open.key, v)}
          />
          <button type="button" className="link" onClick={() => setOpen(undefined)}>
            {t('cancel')}
          </button>
        </section>
      )}
      <h2>{t('deadlines')}</h2>
      <ul className="deadlines">
        {c.deadlines.map((d) => (
          <li key={d.deadlineId} className={Date.parse(d.dueAt) < Date.now() ? 'overdue' : undefined}>
            <span>{valueLabel(lang, d.kind)}</span> <time dateTime={d.dueAt}>{formatDateTime(lang, d.dueAt)}</time>{' '}
            <span className="far">({fromNow(lang, d.dueAt)})</span>
          </li>
        ))}
      </ul>
      <h2>{t('plan')}</h2>
      {(() => {
        const plan = c.plans.filter((p) => p.cycle === c.cycle).at(-1);
        return plan ? (
          <div>
            <p>
              {t('planStatus')}: {valueLabel(lang, plan.status)} (v{plan.version})
            </p>
            <ul>
              {plan.goals.map((g) => (
                <li key={g.goalId}>
                  {g.description} <span className="far">({valueLabel(lang, g.domain)})</span>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p>{t('none')}</p>
        );
      })()}
      <h2>{t('reviews')}</h2>
      {c.reviews.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul>
          {c.reviews.map((r) => (
            <li key={r.number}>
              <time dateTime={r.at}>{formatDateTime(lang, r.at)}</time> {valueLabel(lang, r.outcome)}
              {r.progress && <span className="far"> · {r.progress}</span>}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('referrals')}</h2>
      {c.referrals.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul>
          {c.referrals.map((r) => (
            <li key={r.referralId}>
              {valueLabel(lang, r.category)} → {r.providerId}: <strong>{valueLabel(lang, r.status)}</strong>{' '}
              <span className="far">({formatDateTime(lang, r.sentAt)})</span>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('services')}</h2>
      {c.services.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul>
          {c.services.map((s) => (
            <li key={s.serviceId}>
              <time dateTime={s.deliveredAt}>{formatDateTime(lang, s.deliveredAt)}</time> {valueLabel(lang, s.category)}
              {s.description && <span className="far"> · {s.description}</span>}
            </li>
          ))}
        </ul>
      )}
      <h2>{t('timeline')}</h2>
      <ol className="timeline">
        {timeline?.map((e, i) => (
          <li key={`${e.seq ?? i}`}>
            <time dateTime={e.at}>{formatDateTime(lang, e.at)}</time>{' '}
            <span className="action">{eventLabel(lang, e.action)}</span> <span className="actor">{e.actor.id}</span>
          </li>
        ))}
      </ol>
    </article>
  );
}
