import type { Pool } from 'pg';
import type { CaseEvent, CaseState } from '../domain/case';
import { caseWorkflowId } from '../domain/ids';

/** Parameterised SQL for the case projection and its event journal. */
export function createCaseRepository(pool: Pool) {
  return {
    /**
     * Records changes of one case: each event once (by case id and sequence), and the projection
     * only forward (a row at a later sequence is never overwritten by an earlier one), in one
     * transaction. A retried or replayed activity changes nothing the second time.
     */
    async recordEvents(events: CaseEvent[], s: CaseState): Promise<void> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const e of events) {
          await client.query(
            `INSERT INTO case_events (case_id, seq, type, actor_kind, actor_id, at, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id, seq) DO NOTHING`,
            [e.caseId, e.seq, e.type, e.actor.kind, e.actor.id, e.at, e.data],
          );
        }
        await client.query(
          `INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, hromada, case_manager_id, supervisor_id,
                              source, external_ref, policy_version, next_deadline_at, overdue, opened_at, updated_at, state)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
           ON CONFLICT (case_id) DO UPDATE SET
             seq = EXCLUDED.seq, stage = EXCLUDED.stage, priority = EXCLUDED.priority, region = EXCLUDED.region,
             hromada = EXCLUDED.hromada, case_manager_id = EXCLUDED.case_manager_id, supervisor_id = EXCLUDED.supervisor_id,
             next_deadline_at = EXCLUDED.next_deadline_at, overdue = EXCLUDED.overdue,
             updated_at = EXCLUDED.updated_at, state = EXCLUDED.state
           WHERE cases.seq < EXCLUDED.seq`,
          [s.caseId, caseWorkflowId(s.caseId), s.seq, s.stage, s.priority, s.region, s.hromada ?? null, s.team.caseManagerId ?? null,
            s.team.supervisorId ?? null, s.source, s.externalRef ?? null, s.policy.version, s.nextDeadlineAt ?? null, s.overdue,
            s.openedAt, s.updatedAt, s],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },

    async get(caseId: string): Promise<{ state: CaseState; updatedAt: Date } | undefined> {
      const r = await pool.query<{ state: CaseState; updated_at: Date }>('SELECT state, updated_at FROM cases WHERE case_id = $1', [caseId]);
      const row = r.rows[0];
      return row && { state: row.state, updatedAt: row.updated_at };
    },

    async events(caseId: string): Promise<CaseEvent[]> {
      const r = await pool.query<{ seq: number; type: string; actor_kind: CaseEvent['actor']['kind']; actor_id: string; at: Date; data: Record<string, unknown> }>(
        'SELECT seq, type, actor_kind, actor_id, at, data FROM case_events WHERE case_id = $1 ORDER BY seq',
        [caseId],
      );
      return r.rows.map((x) => ({ caseId, seq: x.seq, type: x.type, actor: { kind: x.actor_kind, id: x.actor_id }, at: x.at.toISOString(), data: x.data }));
    },
  };
}
export type CaseRepository = ReturnType<typeof createCaseRepository>;
