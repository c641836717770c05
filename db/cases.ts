import type { Pool } from 'pg';
import type { CaseEvent, CaseState } from '../domain/case';
import { caseWorkflowId } from '../domain/ids';

/** Parameterised SQL for the case projection and its event journal. */
export function createCaseRepository(pool: Pool) {
  return {
    /**
     * Records one change of a case: the event once (by case id and sequence), and the projection
     * only forward, so a retried or replayed activity changes nothing the second time.
     * Returns whether the event was new.
     */
    async recordEvent(e: CaseEvent): Promise<boolean> {
      const s = e.state;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const inserted = await client.query(
          `INSERT INTO case_events (case_id, seq, type, actor_kind, actor_id, at, state)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id, seq) DO NOTHING`,
          [e.caseId, e.seq, e.type, e.actor.kind, e.actor.id, e.at, s],
        );
        await client.query(
          `INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, hromada, case_manager_id,
                              supervisor_id, source, external_ref, opened_at, updated_at, state)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           ON CONFLICT (case_id) DO UPDATE SET
             seq = EXCLUDED.seq, stage = EXCLUDED.stage, priority = EXCLUDED.priority, region = EXCLUDED.region,
             hromada = EXCLUDED.hromada, case_manager_id = EXCLUDED.case_manager_id,
             supervisor_id = EXCLUDED.supervisor_id, updated_at = EXCLUDED.updated_at, state = EXCLUDED.state
           WHERE cases.seq < EXCLUDED.seq`,
          [e.caseId, caseWorkflowId(e.caseId), e.seq, s.stage, s.priority, s.region, s.hromada ?? null,
            s.caseManagerId ?? null, s.supervisorId ?? null, s.source, s.externalRef ?? null, s.openedAt, e.at, s],
        );
        await client.query('COMMIT');
        return (inserted.rowCount ?? 0) > 0;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },

    async get(caseId: string): Promise<{ state: CaseState; updatedAt: Date } | undefined> {
      const r = await pool.query<{ state: CaseState; updated_at: Date }>(
        'SELECT state, updated_at FROM cases WHERE case_id = $1',
        [caseId],
      );
      const row = r.rows[0];
      return row && { state: row.state, updatedAt: row.updated_at };
    },
  };
}
export type CaseRepository = ReturnType<typeof createCaseRepository>;
