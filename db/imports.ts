import type { Pool } from 'pg';
import type { Actor, CaseWorkflowInput } from '../domain/case';
import type { RowProblem } from '../domain/imports';
import type { Policy } from '../domain/policy';
import type { ImportJobStatus, ImportRowStatus } from '../domain/vocabulary';
import { withTransaction } from './pool';

export type { ImportRowStatus } from '../domain/vocabulary';
/** A case's workflow input as a row keeps it: the policy is the job's. */
export type StoredCaseInput = Omit<CaseWorkflowInput, 'policy'>;

export interface NewImportRow {
  rowNumber: number;
  externalId?: string;
  caseId?: string;
  /** The case to start, or the row's problems (then it is failed at once). */
  input?: StoredCaseInput;
  errors?: RowProblem[];
}

export interface ImportJob {
  importId: string;
  owner: Actor;
  status: ImportJobStatus;
  total: number;
  counts: Record<ImportRowStatus, number>;
  createdAt: string;
  finishedAt?: string;
}

export interface ImportRowResult {
  row: number;
  externalId?: string;
  status: ImportRowStatus;
  caseId?: string;
  errors?: RowProblem[];
}

/** Import jobs and their rows (migration 009); parameterised SQL, rows written in one statement. */
export function createImportRepository(pool: Pool) {
  return {
    /** Creates the job and its rows, once: false if the job exists already (a retried request). */
    async create(importId: string, owner: Actor, policy: Policy, rows: NewImportRow[]): Promise<boolean> {
      return withTransaction(pool, async (client) => {
        const job = await client.query(
          `INSERT INTO import_jobs (import_id, actor_kind, actor_id, policy, total) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (import_id) DO NOTHING`,
          [importId, owner.kind, owner.id, policy, rows.length],
        );
        if (job.rowCount === 0) return false;
        await client.query(
          `INSERT INTO import_rows (import_id, row_number, external_id, case_id, status, input, errors, processed_at)
           SELECT $1, x."rowNumber", x."externalId", x."caseId", CASE WHEN x.errors IS NULL THEN 'pending' ELSE 'failed' END, x.input, x.errors,
                  CASE WHEN x.errors IS NULL THEN NULL ELSE now() END
             FROM jsonb_to_recordset($2::jsonb) AS x("rowNumber" int, "externalId" text, "caseId" uuid, input jsonb, errors jsonb)`,
          [importId, JSON.stringify(rows)],
        );
        await client.query(
          `INSERT INTO admin_events (actor_kind, actor_id, action, subject, details) VALUES ($1, $2, 'import_created', $3, $4)`,
          [owner.kind, owner.id, importId, { rows: rows.length, failed: rows.filter((r) => r.errors).length }],
        );
        return true;
      });
    },

    async job(importId: string): Promise<(ImportJob & { policy: Policy }) | undefined> {
      const r = await pool.query<{
        import_id: string;
        actor_kind: Actor['kind'];
        actor_id: string;
        policy: Policy;
        total: number;
        created_at: Date;
        finished_at: Date | null;
        counts: Record<string, number> | null;
      }>(
        `SELECT j.*, (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM import_rows WHERE import_id = j.import_id GROUP BY status) c) AS counts
           FROM import_jobs j WHERE j.import_id = $1`,
        [importId],
      );
      const j = r.rows[0];
      if (!j) return undefined;
      const counts = { pending: 0, imported: 0, existing: 0, failed: 0, ...(j.counts ?? {}) };
      return {
        importId: j.import_id,
        owner: { kind: j.actor_kind, id: j.actor_id },
        policy: j.policy,
        total: j.total,
        counts,
        status: counts.pending > 0 ? 'running' : 'completed',
        createdAt: j.created_at.toISOString(),
        finishedAt: j.finished_at?.toISOString(),
      };
    },

    /** The next rows to start, in order. */
    async pending(importId: string, limit: number): Promise<{ rowNumber: number; input: StoredCaseInput }[]> {
      const r = await pool.query<{ row_number: number; input: StoredCaseInput }>(
        `SELECT row_number, input FROM import_rows WHERE import_id = $1 AND status = 'pending' ORDER BY row_number LIMIT $2`,
        [importId, limit],
      );
      return r.rows.map((x) => ({ rowNumber: x.row_number, input: x.input }));
    },

    /** Marks rows done (one statement); the job is finished when none is pending. Returns how many are still pending. */
    async done(importId: string, results: { rowNumber: number; status: 'imported' | 'existing' }[]): Promise<number> {
      const r = await pool.query<{ remaining: number }>(
        `WITH marked AS (
           UPDATE import_rows r SET status = x.status, processed_at = now()
             FROM jsonb_to_recordset($2::jsonb) AS x("rowNumber" int, status text)
            WHERE r.import_id = $1 AND r.row_number = x."rowNumber" AND r.status = 'pending'
           RETURNING r.row_number
         )
         SELECT (SELECT count(*)::int FROM import_rows WHERE import_id = $1 AND status = 'pending') - (SELECT count(*)::int FROM marked) AS remaining`,
        [importId, JSON.stringify(results)],
      );
      const remaining = Math.max(0, r.rows[0]!.remaining);
      if (remaining === 0)
        await pool.query('UPDATE import_jobs SET finished_at = coalesce(finished_at, now()) WHERE import_id = $1', [
          importId,
        ]);
      return remaining;
    },

    /** Per-row results in row order, optionally of one status, in pages after a row number. */
    async rows(
      importId: string,
      q: { status?: ImportRowStatus; after?: number; limit: number },
    ): Promise<ImportRowResult[]> {
      const r = await pool.query<{
        row_number: number;
        external_id: string | null;
        status: ImportRowStatus;
        case_id: string | null;
        errors: RowProblem[] | null;
      }>(
        `SELECT row_number, external_id, status, case_id, errors FROM import_rows
          WHERE import_id = $1 AND ($2::text IS NULL OR status = $2) AND row_number > $3 ORDER BY row_number LIMIT $4`,
        [importId, q.status ?? null, q.after ?? 0, q.limit],
      );
      return r.rows.map((x) => ({
        row: x.row_number,
        externalId: x.external_id ?? undefined,
        status: x.status,
        caseId: x.case_id ?? undefined,
        errors: x.errors ?? undefined,
      }));
    },
  };
}
export type ImportRepository = ReturnType<typeof createImportRepository>;
