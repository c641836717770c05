import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
} from '@temporalio/client';
import { z } from 'zod';
import type { NewImportRow, StoredCaseInput } from '../../db/imports';
import { importWorkflowId } from '../../domain/ids';
import { importRowProblems, importRowSchema } from '../../domain/imports';
import { importJobStatuses, importRowStatuses } from '../../domain/vocabulary';
import { newCase, writeOutOfScope } from '../../domain/principal';
import type { importCaseload } from '../../workflows';
import { principalOf } from '../auth';
import { importers } from '../authorization';
import { caseIdFor, casePeople } from '../case-ids';
import type { ApiDeps } from '../deps';
import { claimIdempotencyKey } from '../idempotency';
import { householdMemberSchema, personSchema } from '../people-schemas';
import { HttpProblem, issueFields } from '../problem';
import { checkOpening, memoizedReference } from '../reference-checks';
import { strictAtEdge } from '../strict';
import { defineRoute, type AnyRoute } from '../route';

/** The most rows one import takes (a caseload moved in one go; split a larger one). */
export const MAX_IMPORT_ROWS = 20_000;

/** A row as the API takes it: the case (domain/imports.ts) and its people, who go straight to PostgreSQL. */
const rowSchema = importRowSchema.extend({
  client: personSchema.optional().describe('The person the case is about'),
  household: z.array(householdMemberSchema).max(20).default([]),
});
/** A row as checked: strict like every body, so an unknown field is that row's error, never dropped. */
const strictRow = strictAtEdge(rowSchema);

const example = {
  externalId: 'xls-2025-0117',
  region: 'Kharkiv',
  hromada: 'Chuhuiv',
  priority: 'routine',
  caseManagerId: 'cm-olena',
  supervisorId: 'sup-taras',
  stage: 'intervention',
  openedAt: '2025-09-03T08:00:00Z',
  consent: { dataProcessing: true, shareWith: ['ngo-pravo'] },
  deadlines: [{ kind: 'review', dueAt: '2026-12-15T16:00:00Z' }],
  services: [{ serviceId: 'xls-2025-0117-s1', category: 'legal', deliveredAt: '2025-10-01T10:00:00Z' }],
  client: { fullName: 'Іван Петренко', birthDate: '1980-04-12' },
};

/** JSON lines (application/x-ndjson) arrive as text: one row per non-empty line; a line that is not JSON fails alone. */
const notJson = Symbol('not JSON');
function rowsOf(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  return body
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as unknown;
      } catch {
        return notJson;
      }
    });
}
// Rows are parsed one by one in the handler, so one bad row fails alone; the schema here describes them.
const importBody = z.preprocess(
  rowsOf,
  z
    .array(rowSchema.or(z.unknown().describe('a row that does not parse: reported as failed')))
    .min(1)
    .max(MAX_IMPORT_ROWS)
    .describe(
      'A JSON array of rows, or JSON lines (Content-Type: application/x-ndjson), one row each; each row is checked on its own',
    )
    .meta({ examples: [[example]] }),
);

const problemSchema = z.object({ path: z.string(), message: z.string(), code: z.string() });
const rowResultSchema = z.object({
  row: z.number().int().describe('1-based, in the order sent'),
  externalId: z.string().optional(),
  status: z
    .enum(importRowStatuses)
    .describe('existing: the case was there already (imported before: nothing is opened twice)'),
  caseId: z.uuid().optional(),
  errors: z.array(problemSchema).optional(),
});
const jobSchema = z.object({
  importId: z.uuid(),
  status: z.enum(importJobStatuses),
  total: z.number().int(),
  counts: z.object({
    pending: z.number().int(),
    imported: z.number().int(),
    existing: z.number().int(),
    failed: z.number().int(),
  }),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().optional(),
  links: z.object({ self: z.string(), rows: z.string(), failedRows: z.string() }),
});
const params = z.object({ importId: z.uuid() });
const rowsQuery = z.object({
  status: rowResultSchema.shape.status.optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional()
    .describe('nextCursor of the previous page'),
});

function links(importId: string) {
  const self = `/v1/imports/${importId}`;
  return { self, rows: `${self}/rows`, failedRows: `${self}/rows?status=failed` };
}

/**
 * Imports of an existing caseload (docs/API.md, "Imports"): the rows are checked and kept in
 * PostgreSQL at once, then the job's workflow starts their cases in chunks (workflows/import.ts).
 */
export function importRoutes(deps: ApiDeps): AnyRoute[] {
  const now = deps.clock ?? (() => new Date());
  /** The job, if the caller may see it: its owner, or an administrator. */
  const visibleJob = async (importId: string, res: Parameters<AnyRoute['handle']>[2]) => {
    const { actor, role } = principalOf(res);
    const job = await deps.imports.job(importId);
    if (!job || (role !== 'admin' && (job.owner.kind !== actor.kind || job.owner.id !== actor.id)))
      throw new HttpProblem(404, 'Not found', `No import ${importId}`);
    return job;
  };
  return [
    defineRoute({
      method: 'post',
      path: '/v1/imports',
      operationId: 'importCaseload',
      summary: 'Import an existing caseload (asynchronous)',
      description:
        'Each row is a case as another system had it: its stage and team, its open deadlines, its past services, its people. Rows are checked one by one (a failed row is reported, the others go on) and the cases are opened by a durable job. ' +
        'A row’s externalId decides its case: importing it again, in this job or another, finds the same case (status existing). With an Idempotency-Key a retried request returns the same job. Regions and teams must be within your scope.',
      tags: ['imports'],
      access: importers,
      headers: z.object({
        'idempotency-key': z
          .string()
          .min(8)
          .max(200)
          .optional()
          .describe('A retry with the same key returns the same job; another body with it answers 422'),
      }),
      body: importBody,
      bodyType: 'json-or-lines',
      responses: {
        202: {
          description: 'Accepted: the job runs; follow links.self',
          schema: jobSchema.meta({
            examples: [
              {
                importId: '3f0c8a52-7d1e-8b4a-9c2d-5e6f7a8b9c0d',
                status: 'running',
                total: 10_000,
                counts: { pending: 9_998, imported: 0, existing: 0, failed: 2 },
                createdAt: '2026-12-01T09:00:00.000Z',
                links: links('3f0c8a52-7d1e-8b4a-9c2d-5e6f7a8b9c0d'),
              },
            ],
          }),
        },
        403: { description: 'Only integration and admin keys import' },
        413: { description: 'Body larger than API_IMPORT_BODY_LIMIT' },
        422: { description: 'The Idempotency-Key was sent before with another body' },
      },
      handle: async ({ headers, body }, _req, res) => {
        const principal = principalOf(res);
        const { actor } = principal;
        await claimIdempotencyKey(deps.idempotencyKeys, headers['idempotency-key'], {
          operation: 'importCaseload',
          actor,
          body,
        });
        const importId = caseIdFor(actor, headers['idempotency-key'] && `import:${headers['idempotency-key']}`);
        const policy = await deps.policies.current();
        const at = now().getTime();
        const seen = new Set<string>();
        const people: { caseId: string; people: ReturnType<typeof casePeople> }[] = [];
        // Regions, hromadas and staff checked as opening a case checks them, each name looked up once per import.
        const reference = memoizedReference(deps);
        const rows: NewImportRow[] = [];
        for (const [i, raw] of body.entries()) rows.push(await checkRow(raw, i));
        async function checkRow(raw: unknown, i: number): Promise<NewImportRow> {
          const rowNumber = i + 1;
          if (raw === notJson)
            return { rowNumber, errors: [{ path: '$', message: 'the line is not JSON', code: 'invalid_json' }] };
          const parsed = strictRow.safeParse(raw);
          if (!parsed.success) {
            const externalId = (raw as { externalId?: unknown } | null)?.externalId;
            return {
              rowNumber,
              externalId: typeof externalId === 'string' ? externalId.slice(0, 120) : undefined,
              errors: issueFields(parsed.error),
            };
          }
          const {
            client,
            household,
            externalId,
            stage,
            openedAt,
            supportStartedAt,
            consent,
            deadlines,
            services,
            ...open
          } = parsed.data;
          const refused = await checkOpening(reference, open).then(
            () => undefined,
            (err: unknown) => {
              const fields =
                err instanceof HttpProblem
                  ? (err.extra.errors as { path: string; message: string; code: string }[] | undefined)
                  : undefined;
              if (!fields) throw err;
              return fields.map((f) => ({ path: f.path, message: f.message, code: f.code }));
            },
          );
          if (refused) return { rowNumber, externalId, errors: refused };
          const caseId = caseIdFor(actor, externalId);
          const input: StoredCaseInput = {
            caseId,
            open: { ...open, externalRef: externalId },
            openedBy: actor,
            openedAt,
            imported: {
              importId,
              externalId,
              stage,
              supportStartedAt,
              consent: consent && { dataProcessing: consent.dataProcessing, sharingWith: consent.shareWith },
              deadlines,
              services,
            },
          };
          const errors = importRowProblems(parsed.data, { ...input, policy }, at);
          // The same rule as opening a case: the region and team must be within the key's scope.
          const outside = writeOutOfScope(principal, open, newCase(principal, open.region));
          if (outside.length)
            errors.push({
              path: outside[0]!.startsWith('region') ? 'region' : '$',
              message: `outside your scope: ${outside.join('; ')}`,
              code: 'outside_scope',
            });
          if (seen.has(externalId))
            errors.push({
              path: 'externalId',
              message: `${externalId} is on an earlier row of this import`,
              code: 'duplicate',
            });
          seen.add(externalId);
          if (errors.length) return { rowNumber, externalId, errors };
          people.push({ caseId, people: casePeople(caseId, client, household) });
          return { rowNumber, externalId, caseId, input };
        }
        if (await deps.imports.create(importId, actor, policy, rows)) {
          // People go to PostgreSQL now (never into the job's rows or a workflow); ids derive from the case's, so a re-import adds nobody twice.
          for (let i = 0; i < people.length; i += 10) {
            await Promise.all(people.slice(i, i + 10).map((p) => deps.people.addToCase(p.caseId, p.people, actor)));
          }
        }
        try {
          await deps.temporal.workflow.start<typeof importCaseload>('importCaseload', {
            taskQueue: deps.taskQueue,
            workflowId: importWorkflowId(importId),
            args: [importId],
            workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          });
        } catch (err) {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // a retry of a finished job
        }
        const job = (await deps.imports.job(importId))!;
        res
          .status(202)
          .location(links(importId).self)
          .json({ ...jobView(job), links: links(importId) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/imports/:importId',
      operationId: 'getImport',
      summary: 'An import’s progress: rows pending, imported, found existing, failed',
      tags: ['imports'],
      access: importers,
      params,
      responses: {
        200: { description: 'The job', schema: jobSchema },
        404: { description: 'No such import, or another tool’s' },
      },
      handle: async ({ params: p }, _req, res) => {
        const job = await visibleJob(p.importId, res);
        res.json({ ...jobView(job), links: links(p.importId) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/imports/:importId/rows',
      operationId: 'getImportRows',
      summary: 'An import’s per-row results (status=failed: the rows to fix and send again)',
      tags: ['imports'],
      access: importers,
      params,
      query: rowsQuery,
      responses: {
        200: {
          description: 'In row order, in pages',
          schema: z.object({ rows: z.array(rowResultSchema), nextCursor: z.string().optional() }).meta({
            examples: [
              {
                rows: [
                  {
                    row: 17,
                    externalId: 'xls-2025-0133',
                    status: 'failed',
                    errors: [
                      {
                        path: 'deadlines[0].kind',
                        message: 'a case in planning has no open review deadline (open: plan, support_limit)',
                        code: 'invalid_import',
                      },
                    ],
                  },
                ],
              },
            ],
          }),
        },
        404: { description: 'No such import, or another tool’s' },
      },
      handle: async ({ params: p, query }, _req, res) => {
        await visibleJob(p.importId, res);
        const rows = await deps.imports.rows(p.importId, {
          status: query.status,
          after: query.cursor ? Number(query.cursor) : undefined,
          limit: query.limit,
        });
        res.json({ rows, nextCursor: rows.length === query.limit ? String(rows.at(-1)!.row) : undefined });
      },
    }),
  ];
}

function jobView(job: NonNullable<Awaited<ReturnType<ApiDeps['imports']['job']>>>) {
  const { importId, status, total, counts, createdAt, finishedAt } = job;
  return { importId, status, total, counts, createdAt, finishedAt };
}
