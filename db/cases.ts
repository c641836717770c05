import type { Pool } from 'pg';
import { withCurrentWords, type Actor, type CaseEvent, type CaseState } from '../domain/case';
import { caseWorkflowId } from '../domain/ids';
import { notificationsFor } from '../domain/notifications';
import type { CaseAccess } from '../domain/principal';
import type { AuditKind, Stage } from '../domain/vocabulary';
import { createProjectionQuarantine, permanentFailure, type SetAsideBatch } from './projection-quarantine';

/** Who reads, for the audit trail. */
export interface Reader {
  actor: Actor;
  requestId?: string;
}

export interface AuditEntry {
  /** When it was recorded (a read: when it was read). */
  at: string;
  /** When it happened: earlier than `at` for a backdated change. */
  occurredAt: string;
  kind: AuditKind;
  action: string;
  actor: Actor;
  seq?: number;
  details: Record<string, unknown>;
}

/**
 * The projection of one batch as a single SQL statement (data-modifying CTEs), so a command's write
 * is one round trip to PostgreSQL and atomic without BEGIN/COMMIT: the events and their
 * notifications once each (by case id and sequence), the case row only forward, and the detail rows
 * for lists and reports only when the case row moved (`moved`). Every upsert is keyed, so a retried
 * batch changes nothing. A closure's summary is written when first seen and never rewritten: it is
 * what the case looked like at closure, whatever happens after a reopening.
 */
const RECORD_BATCH = `
WITH events AS (
  INSERT INTO case_events (case_id, seq, type, actor_kind, actor_id, at, occurred_at, data)
  SELECT x.case_id, x.seq, x.type, x.actor_kind, x.actor_id, x.at, coalesce(x.occurred_at, x.at), x.data
    FROM jsonb_to_recordset($1::jsonb) AS x(case_id uuid, seq int, type text, actor_kind text, actor_id text, at timestamptz, occurred_at timestamptz, data jsonb)
  ON CONFLICT (case_id, seq) DO NOTHING
), notes AS (
  INSERT INTO notifications (case_id, seq, recipient_role, recipient_id, kind, title_uk, title_en, created_at)
  SELECT x.case_id, x.seq, x.recipient_role, x.recipient_id, x.kind, x.title_uk, x.title_en, x.created_at
    FROM jsonb_to_recordset($2::jsonb) AS x(case_id uuid, seq int, recipient_role text, recipient_id text, kind text, title_uk text, title_en text, created_at timestamptz)
  ON CONFLICT (case_id, seq, recipient_id) DO NOTHING
), moved AS (
  INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, hromada, case_manager_id, supervisor_id,
                     source, external_ref, policy_version, next_deadline_at, overdue, opened_at, updated_at, state,
                     closed_at, closure_reason, closure_outcome)
  VALUES ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
  ON CONFLICT (case_id) DO UPDATE SET
    seq = EXCLUDED.seq, stage = EXCLUDED.stage, priority = EXCLUDED.priority, region = EXCLUDED.region,
    hromada = EXCLUDED.hromada, case_manager_id = EXCLUDED.case_manager_id, supervisor_id = EXCLUDED.supervisor_id,
    next_deadline_at = EXCLUDED.next_deadline_at, overdue = EXCLUDED.overdue,
    updated_at = EXCLUDED.updated_at, state = EXCLUDED.state, closed_at = EXCLUDED.closed_at,
    closure_reason = EXCLUDED.closure_reason, closure_outcome = EXCLUDED.closure_outcome
  WHERE cases.seq < EXCLUDED.seq
  RETURNING case_id
), services AS (
  INSERT INTO case_services (case_id, service_id, kind, category, delivered_at, provider_id, referral_id, region, hromada)
  SELECT $3, x."serviceId", x.kind, x.category, x."deliveredAt", x."providerId", x."referralId", $8, $9
    FROM jsonb_to_recordset($23::jsonb) AS x("serviceId" text, kind text, category text, "deliveredAt" timestamptz, "providerId" text, "referralId" text)
   WHERE EXISTS (SELECT 1 FROM moved)
  ON CONFLICT (case_id, service_id) DO UPDATE SET region = EXCLUDED.region, hromada = EXCLUDED.hromada
), referrals AS (
  INSERT INTO case_referrals (case_id, referral_id, provider_id, category, status, sent_at, acknowledge_by, answered_at)
  SELECT $3, x."referralId", x."providerId", x.category, x.status, x."sentAt", x."acknowledgeBy", x."answeredAt"
    FROM jsonb_to_recordset($24::jsonb) AS x("referralId" text, "providerId" text, category text, status text, "sentAt" timestamptz, "acknowledgeBy" timestamptz, "answeredAt" timestamptz)
   WHERE EXISTS (SELECT 1 FROM moved)
  ON CONFLICT (case_id, referral_id) DO UPDATE SET status = EXCLUDED.status, answered_at = EXCLUDED.answered_at
), escalations AS (
  INSERT INTO case_escalations (case_id, escalation_id, deadline_id, reason, level, status, opened_at, respond_by, supervisor_id, region)
  SELECT $3, x."escalationId", x."deadlineId", x.reason, x.level, x.status, x."openedAt", x."respondBy", $11, $8
    FROM jsonb_to_recordset($25::jsonb) AS x("escalationId" text, "deadlineId" text, reason text, level text, status text, "openedAt" timestamptz, "respondBy" timestamptz)
   WHERE EXISTS (SELECT 1 FROM moved)
  ON CONFLICT (case_id, escalation_id) DO UPDATE SET level = EXCLUDED.level, status = EXCLUDED.status,
    respond_by = EXCLUDED.respond_by, supervisor_id = EXCLUDED.supervisor_id
), assessments AS (
  INSERT INTO case_assessments (case_id, version, cycle, needs, strengths, resources, submitted_at, submitted_by)
  SELECT $3, x.version, x.cycle, x.needs, x.strengths, x.resources, x."submittedAt", x."submittedBy"->>'id'
    FROM jsonb_to_recordset($26::jsonb) AS x(version int, cycle int, needs jsonb, strengths jsonb, resources jsonb, "submittedAt" timestamptz, "submittedBy" jsonb)
   WHERE EXISTS (SELECT 1 FROM moved)
  ON CONFLICT (case_id, version) DO NOTHING
), closures AS (
  INSERT INTO case_closures (case_id, closed_at, reason, outcome, region, hromada, case_manager_id, opened_at, cycles, services, referrals)
  SELECT $3, x."approvedAt", x.reason, x.outcome, $8, $9, $10, $17, $27, $28, $29
    FROM jsonb_to_recordset($30::jsonb) AS x("approvedAt" timestamptz, reason text, outcome text)
   WHERE EXISTS (SELECT 1 FROM moved)
  ON CONFLICT (case_id, closed_at) DO NOTHING
), plans AS (
  INSERT INTO case_plans (case_id, version, cycle, goals, status, submitted_at, decided_at)
  SELECT $3, x.version, x.cycle, x.goals, x.status, x."submittedAt", x."decidedAt"
    FROM jsonb_to_recordset($31::jsonb) AS x(version int, cycle int, goals jsonb, status text, "submittedAt" timestamptz, "decidedAt" timestamptz)
   WHERE EXISTS (SELECT 1 FROM moved)
  ON CONFLICT (case_id, version) DO UPDATE SET status = EXCLUDED.status, decided_at = EXCLUDED.decided_at
)
SELECT count(*)::int AS moved FROM moved`;

/** The parameters of RECORD_BATCH for one batch of a case's events and the state after them. */
function batchParameters(events: CaseEvent[], state: CaseState): unknown[] {
  const s = withCurrentWords(state);
  const notes = events.flatMap((e) =>
    notificationsFor(e, s).map((n) => ({
      case_id: e.caseId,
      seq: e.seq,
      recipient_role: n.recipientRole,
      recipient_id: n.recipientId,
      kind: n.kind,
      title_uk: n.titleUk,
      title_en: n.titleEn,
      created_at: e.at,
    })),
  );
  const journal = events.map((e) => ({
    case_id: e.caseId,
    seq: e.seq,
    type: e.type,
    actor_kind: e.actor.kind,
    actor_id: e.actor.id,
    at: e.at,
    occurred_at: e.occurredAt ?? null,
    data: e.data,
  }));
  const closure = s.stage === 'closed' ? s.closure : undefined;
  const services = [
    ...s.services.map((x) => ({ ...x, kind: 'case' })),
    ...s.oneOffServices.map((x, i) => ({
      serviceId: `one-off-${i + 1}`,
      category: x.category,
      deliveredAt: s.screening!.at,
      kind: 'one_off',
    })),
  ];
  const servicesByCategory: Record<string, number> = {};
  for (const x of s.services) servicesByCategory[x.category] = (servicesByCategory[x.category] ?? 0) + 1;
  const closures = [...s.closures, ...(s.closure ? [s.closure] : [])].filter(
    (x) => x.approvedAt && x.reason !== 'one_off_service',
  );
  return [
    JSON.stringify(journal),
    JSON.stringify(notes),
    // $3..$22: the case row
    s.caseId,
    caseWorkflowId(s.caseId),
    s.seq,
    s.stage,
    s.priority,
    s.region,
    s.hromada ?? null,
    s.team.caseManagerId ?? null,
    s.team.supervisorId ?? null,
    s.source,
    s.externalRef ?? null,
    s.policy.version,
    s.nextDeadlineAt ?? null,
    s.overdue,
    s.openedAt,
    s.updatedAt,
    s,
    closure?.approvedAt ?? null,
    closure?.reason ?? null,
    closure?.outcome ?? null,
    // $23..$31: the detail rows
    JSON.stringify(services),
    JSON.stringify(s.referrals),
    JSON.stringify(s.escalations),
    JSON.stringify(s.assessments),
    s.cycle,
    JSON.stringify(servicesByCategory),
    s.referrals.length,
    JSON.stringify(closures),
    JSON.stringify(s.plans),
  ];
}

/** Parameterised SQL for the case projection and its event journal. */
export function createCaseRepository(pool: Pool) {
  const quarantine = createProjectionQuarantine(
    pool,
    async ({ events, state }) => void (await pool.query(RECORD_BATCH, batchParameters(events, state))),
  );
  /** What decides who may act on each of these cases (those that exist), in one query. */
  async function accessAll(caseIds: string[]): Promise<Map<string, CaseAccess>> {
    const r = await pool.query<{
      case_id: string;
      stage: Stage;
      region: string;
      case_manager_id: string | null;
      supervisor_id: string | null;
      members: string[] | null;
      opened_by: string;
      providers: string[] | null;
    }>(
      `SELECT c.case_id, c.stage, c.region, c.case_manager_id, c.supervisor_id,
              (SELECT array_agg(m->>'staffId') FROM jsonb_array_elements(c.state->'team'->'members') m) AS members,
              c.state->'openedBy'->>'id' AS opened_by,
              (SELECT array_agg(DISTINCT r.provider_id) FROM case_referrals r WHERE r.case_id = c.case_id) AS providers
         FROM cases c WHERE c.case_id = ANY($1::uuid[])`,
      [caseIds],
    );
    return new Map(
      r.rows.map((row) => [
        row.case_id,
        {
          stage: row.stage,
          region: row.region,
          caseManagerId: row.case_manager_id ?? undefined,
          supervisorId: row.supervisor_id ?? undefined,
          members: row.members ?? [],
          openedBy: row.opened_by,
          providers: row.providers ?? [],
        },
      ]),
    );
  }

  return {
    /**
     * Records changes of one case: each event once (by case id and sequence), and the projection
     * only forward (a row at a later sequence is never overwritten by an earlier one), in one
     * transaction. A retried or replayed activity changes nothing the second time. A batch that
     * PostgreSQL refuses for its data (it would be refused on every retry) is set aside instead of
     * thrown, so the case goes on; errors that can pass (PostgreSQL away, a timeout) are thrown,
     * and retried.
     */
    async recordEvents(events: CaseEvent[], s: CaseState): Promise<{ setAside?: SetAsideBatch }> {
      try {
        await pool.query(RECORD_BATCH, batchParameters(events, s));
        return {};
      } catch (err) {
        const sqlstate = permanentFailure(err);
        if (!sqlstate) throw err;
        return { setAside: await quarantine.setAside({ events, state: s }, sqlstate) };
      }
    },

    /** Batches set aside by recordEvents: listed, counted, repaired. */
    quarantine,

    /** What decides who may act on a case, or undefined if there is no such case. */
    async access(caseId: string): Promise<CaseAccess | undefined> {
      return (await accessAll([caseId])).get(caseId);
    },

    accessAll,

    /** Reads a case's projection; the read is logged in the audit trail in the same statement. */
    async get(
      caseId: string,
      reader: Reader,
    ): Promise<{ state: CaseState; updatedAt: Date; caseNumber?: string } | undefined> {
      const r = await pool.query<{ state: CaseState; updated_at: Date; case_number: string | null }>(
        `WITH logged AS (
           INSERT INTO case_reads (case_id, actor_kind, actor_id, what, request_id)
           SELECT case_id, $2, $3, 'case', $4 FROM cases WHERE case_id = $1
         )
         SELECT state, updated_at, case_number FROM cases WHERE case_id = $1`,
        [caseId, reader.actor.kind, reader.actor.id, reader.requestId ?? null],
      );
      const row = r.rows[0];
      return row && { state: row.state, updatedAt: row.updated_at, caseNumber: row.case_number ?? undefined };
    },

    /** Everything that happened to a case (changes and reads), oldest first; this read is logged too. */
    async auditTrail(caseId: string, reader: Reader): Promise<AuditEntry[] | undefined> {
      const r = await pool.query<{
        at: Date;
        occurred_at: Date;
        kind: AuditKind;
        action: string;
        actor_kind: Actor['kind'];
        actor_id: string;
        seq: number | null;
        details: Record<string, unknown>;
      }>(
        `WITH logged AS (
           INSERT INTO case_reads (case_id, actor_kind, actor_id, what, request_id)
           SELECT case_id, $2, $3, 'history', $4 FROM cases WHERE case_id = $1
           RETURNING case_id
         )
         SELECT at, occurred_at, kind, action, actor_kind, actor_id, seq, details FROM case_audit_trail
          WHERE case_id = $1 AND EXISTS (SELECT 1 FROM cases WHERE case_id = $1)
          ORDER BY at, seq NULLS LAST`,
        [caseId, reader.actor.kind, reader.actor.id, reader.requestId ?? null],
      );
      if (r.rowCount === 0 && (await pool.query('SELECT 1 FROM cases WHERE case_id = $1', [caseId])).rowCount === 0)
        return undefined;
      return r.rows.map((x) => ({
        at: x.at.toISOString(),
        occurredAt: x.occurred_at.toISOString(),
        kind: x.kind,
        action: x.action,
        actor: { kind: x.actor_kind, id: x.actor_id },
        seq: x.seq ?? undefined,
        details: x.details,
      }));
    },

    async events(caseId: string): Promise<CaseEvent[]> {
      const r = await pool.query<{
        seq: number;
        type: CaseEvent['type'];
        actor_kind: CaseEvent['actor']['kind'];
        actor_id: string;
        at: Date;
        data: Record<string, unknown>;
      }>('SELECT seq, type, actor_kind, actor_id, at, data FROM case_events WHERE case_id = $1 ORDER BY seq', [caseId]);
      return r.rows.map((x) => ({
        caseId,
        seq: x.seq,
        type: x.type,
        actor: { kind: x.actor_kind, id: x.actor_id },
        at: x.at.toISOString(),
        data: x.data,
      }));
    },
  };
}
export type CaseRepository = ReturnType<typeof createCaseRepository>;
