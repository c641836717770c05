import { DatabaseError, type Pool } from 'pg';
import type { CaseEvent, CaseState } from '../domain/case';
import { withStorableText } from '../platform/text';

/** One batch of a case's projection: its new events and the state after them. */
export interface ProjectionBatch {
  events: CaseEvent[];
  state: CaseState;
}

export interface SetAsideBatch {
  quarantineId: string;
  caseId: string;
  firstSeq: number;
  lastSeq: number;
  sqlstate: string;
  /** 'cleaned': written with U+FFFD in place of what could not be stored; 'not_written': nothing of it is in the journal. */
  projected: 'cleaned' | 'not_written';
  setAsideAt: string;
}

export type RepairOutcome =
  { outcome: 'repaired' } | { outcome: 'not_found' } | { outcome: 'still_refused'; sqlstate: string };

/**
 * SQLSTATE classes that mean PostgreSQL refuses the batch's data itself, so every retry of the same
 * batch fails the same way: 22 data exception (22P05 a NUL in text or jsonb, 22021 a bad byte
 * sequence, values out of range), 23 integrity constraint violation, 54 program limit exceeded.
 * Anything else (connection errors, timeouts, lock or serialization failures, a server shutting
 * down) can pass and is retried.
 */
const permanentClasses = new Set(['22', '23', '54']);

export function permanentFailure(err: unknown): string | undefined {
  return err instanceof DatabaseError && typeof err.code === 'string' && permanentClasses.has(err.code.slice(0, 2))
    ? err.code
    : undefined;
}

interface Row {
  quarantine_id: string;
  case_id: string;
  first_seq: number;
  last_seq: number;
  sqlstate: string;
  projected: SetAsideBatch['projected'];
  set_aside_at: Date;
}
const view = (r: Row): SetAsideBatch => ({
  quarantineId: r.quarantine_id,
  caseId: r.case_id,
  firstSeq: r.first_seq,
  lastSeq: r.last_seq,
  sqlstate: r.sqlstate,
  projected: r.projected,
  setAsideAt: r.set_aside_at.toISOString(),
});
const columns = 'quarantine_id, case_id, first_seq, last_seq, sqlstate, projected, set_aside_at';

/**
 * Where the projection puts a batch PostgreSQL refuses, so one bad batch never wedges its case
 * (docs/DATA.md, "A batch that cannot be written"). `write` is the projection's own statement.
 */
export function createProjectionQuarantine(pool: Pool, write: (batch: ProjectionBatch) => Promise<void>) {
  /**
   * Writes the batch with its unstorable text replaced. Answers the SQLSTATE that still refuses it
   * (the original one if there was no such text to replace), or undefined once it is written.
   */
  async function writeCleaned(batch: ProjectionBatch, sqlstate: string): Promise<string | undefined> {
    const cleaned = withStorableText(batch);
    if (!cleaned.changed) return sqlstate;
    try {
      await write(cleaned.value);
      return undefined;
    } catch (err) {
      const still = permanentFailure(err);
      if (still) return still;
      throw err;
    }
  }

  return {
    /**
     * Keeps the refused batch (losslessly, as JSON text) and writes it with its unstorable text
     * replaced, if that is what refused it. Records the SQLSTATE that refused the batch as it was,
     * or, when even the cleaned batch is refused, the one that refused that. Both steps are
     * idempotent, so a retried activity sets a batch aside once.
     */
    async setAside(batch: ProjectionBatch, sqlstate: string): Promise<SetAsideBatch> {
      const still = await writeCleaned(batch, sqlstate);
      const r = await pool.query<Row>(
        `INSERT INTO projection_quarantine (case_id, first_seq, last_seq, sqlstate, batch, projected)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (case_id, first_seq) DO UPDATE SET projected = EXCLUDED.projected, sqlstate = EXCLUDED.sqlstate
         RETURNING ${columns}`,
        [
          batch.state.caseId,
          batch.events[0]!.seq,
          batch.events.at(-1)!.seq,
          still ?? sqlstate,
          JSON.stringify(batch),
          still ? 'not_written' : 'cleaned',
        ],
      );
      return view(r.rows[0]!);
    },

    /** Batches set aside and not yet repaired, oldest first; of the given cases only, if any are given. */
    async open(caseIds?: string[]): Promise<SetAsideBatch[]> {
      const r = await pool.query<Row>(
        `SELECT ${columns} FROM projection_quarantine
          WHERE repaired_at IS NULL AND ($1::uuid[] IS NULL OR case_id = ANY($1::uuid[]))
          ORDER BY set_aside_at, quarantine_id`,
        [caseIds ?? null],
      );
      return r.rows.map(view);
    },

    async countOpen(): Promise<number> {
      return (
        await pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM projection_quarantine WHERE repaired_at IS NULL',
        )
      ).rows[0]!.n;
    },

    /**
     * Re-applies a set-aside batch with its unstorable text replaced by U+FFFD (after whatever else
     * refused it is fixed), then marks it repaired and records who did it in admin_events. The write
     * is the projection's own, so the journal fills in and the case row stays at its newest state.
     */
    async repair(quarantineId: string, by: string): Promise<RepairOutcome> {
      const row = (
        await pool.query<{ batch: string }>(
          'SELECT batch FROM projection_quarantine WHERE quarantine_id = $1 AND repaired_at IS NULL',
          [quarantineId],
        )
      ).rows[0];
      if (!row) return { outcome: 'not_found' };
      const { value, changed } = withStorableText(JSON.parse(row.batch) as ProjectionBatch);
      try {
        await write(value);
      } catch (err) {
        const sqlstate = permanentFailure(err);
        if (sqlstate) return { outcome: 'still_refused', sqlstate };
        throw err;
      }
      await pool.query(
        `WITH repaired AS (
           UPDATE projection_quarantine SET repaired_at = now(), repaired_by = $2
            WHERE quarantine_id = $1::bigint AND repaired_at IS NULL
           RETURNING case_id, first_seq, last_seq, sqlstate
         )
         INSERT INTO admin_events (actor_kind, actor_id, action, subject, details)
         SELECT 'person', $2, 'projection_batch_repaired', 'case:' || case_id,
                jsonb_build_object('quarantineId', $1::bigint, 'firstSeq', first_seq, 'lastSeq', last_seq, 'sqlstate', sqlstate, 'textReplaced', $3::boolean)
           FROM repaired`,
        [quarantineId, by, changed],
      );
      return { outcome: 'repaired' };
    },
  };
}
export type ProjectionQuarantine = ReturnType<typeof createProjectionQuarantine>;
