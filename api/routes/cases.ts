import { WithStartWorkflowOperation, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { z } from 'zod';
import {
  actorSchema,
  caseStateSchema,
  instant,
  openCaseSchema,
  priorities,
  stages,
  type CaseWorkflowInput,
} from '../../domain/case';
import { caseOrders, decodeCursor } from '../../db/case-list';
import { householdMemberSchema, personSchema } from '../people-schemas';
import { caseWorkflowId } from '../../domain/ids';
import { newCase } from '../../domain/principal';
import { caseIdFor, casePeople } from '../case-ids';
import { caseStartAttributes } from '../../domain/search-attributes';
import type { caseWorkflow } from '../../workflows';
import { whenRecorded } from '../../workflows/messages';
import { waitForCase } from '../case-wait';
import { caseView, caseViewSchema } from '../case-view';
import type { ApiDeps } from '../deps';
import { authorizeWrite, principalOf } from '../auth';
import { anyRole, openers } from '../authorization';
import { claimIdempotencyKey } from '../idempotency';
import { canonicalPlaceFilter, checkOpening } from '../reference-checks';
import { HttpProblem } from '../problem';
import { applyMinimal, minimalAnswerSchema, preferHeader, prefersMinimal } from '../prefer';
import { occurredAtProblem } from '../../domain/case-machine';
import { defineRoute, type AnyRoute } from '../route';
import { auditKinds } from '../../domain/vocabulary';

const caseIdParams = z.object({ caseId: z.uuid().describe('The case id') });
const openCaseHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe(
      'Makes a retried request return the case the first one opened; unique per caller (another body with it: 422)',
    ),
  ...preferHeader,
});
const openedSchema = z.object({
  caseId: z.uuid(),
  workflowId: z.string(),
  stage: caseStateSchema.shape.stage,
  links: z.object({
    self: z.string(),
    people: z.string().describe('Its client and household'),
    possibleDuplicates: z
      .string()
      .describe('People in your scope who are probably the same as its people: check them now'),
  }),
});
/** What a caller sends to open a case: the case, and its people (kept in Postgres only, never in the workflow). */
const openCaseBody = openCaseSchema.extend({
  client: personSchema.optional().describe('The person the case is about'),
  household: z.array(householdMemberSchema).max(20).default([]),
  occurredAt: instant
    .optional()
    .describe(
      'When the person came, if before now (a case recorded later, from paper): not in the future, not older than the policy allows; deadlines count from it',
    ),
});
const listQuery = z.object({
  stage: z.enum(stages).optional(),
  caseManagerId: z.string().min(1).max(120).optional(),
  supervisorId: z.string().min(1).max(120).optional(),
  region: z
    .string()
    .min(1)
    .max(120)
    .optional()
    .describe('ISO 3166-2:UA code (UA-63), or the region’s name in English or Ukrainian, any case'),
  hromada: z.string().min(1).max(120).optional().describe('KATOTTG code of the hromada'),
  priority: z.enum(priorities).optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  dueBefore: z.iso.datetime({ offset: true }).optional().describe('Next deadline before this time'),
  awaiting: z
    .enum(['approval'])
    .optional()
    .describe("approval: a plan waiting for approval, or a closure requested (the supervisor's queue)"),
  q: z.string().trim().min(2).max(100).optional().describe('The start of a case number, or part of the client’s name'),
  sort: z
    .enum(caseOrders)
    .default('opened')
    .describe('opened: the newest first; deadline: a caseload, the overdue first, then the nearest next deadline'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
});
const summarySchema = z.object({
  caseId: z.uuid(),
  caseNumber: z.string().optional().describe('Region-year-sequence, for people (UA63-2026-00042)'),
  stage: z.enum(stages),
  priority: z.enum(priorities),
  region: z.string(),
  hromada: z.string().optional(),
  caseManagerId: z.string().optional(),
  supervisorId: z.string().optional(),
  openedAt: z.iso.datetime(),
  nextDeadlineAt: z.iso.datetime().optional(),
  overdue: z.boolean(),
  clientName: z.string().optional().describe('Not shown to tools'),
});

const caseReadSchema = z.object({ case: caseViewSchema, updatedAt: z.iso.datetime() });
const auditEntrySchema = z.object({
  at: z.iso.datetime().describe('When it was recorded (or read)'),
  occurredAt: z.iso.datetime().describe('When it happened: earlier than at for a backdated change'),
  kind: z.enum(auditKinds),
  action: z.string(),
  actor: actorSchema,
  seq: z.number().int().optional(),
  details: z.record(z.string(), z.unknown()),
});

export function caseRoutes(deps: ApiDeps): AnyRoute[] {
  const now = deps.clock ?? (() => new Date());
  return [
    defineRoute({
      method: 'get',
      path: '/v1/cases',
      operationId: 'listCases',
      summary: 'List and search the cases in your scope',
      description:
        'Newest first (or, with sort=deadline, the overdue first and then by the next deadline), in pages: pass nextCursor as cursor for the next one, with the same sort. Reads PostgreSQL, never Temporal.',
      tags: ['cases'],
      access: anyRole,
      query: listQuery,
      responses: {
        200: {
          description: 'A page of cases',
          schema: z.object({ cases: z.array(summarySchema), nextCursor: z.string().optional() }),
        },
      },
      handle: async ({ query: { limit, cursor, sort, ...filter } }, _req, res) => {
        const after = cursor ? decodeCursor(cursor, sort) : undefined;
        if (cursor && !after)
          throw new HttpProblem(400, 'Invalid request', 'The cursor is not one this API gave.', {
            errors: [{ location: 'query', path: 'cursor', message: 'unknown cursor', code: 'custom' }],
          });
        await canonicalPlaceFilter(deps, filter);
        res.json(await deps.caseList.list(principalOf(res), filter, { limit, order: sort, after }));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/cases',
      operationId: 'openCase',
      summary: 'Open a case',
      description:
        'Starts the case workflow. With an Idempotency-Key header (or the same externalRef from the same tool) a retry returns the case the first request opened; an Idempotency-Key sent again with another body answers 422. ' +
        'The region (its ISO 3166-2:UA code, or its name in English or Ukrainian) and the hromada (its KATOTTG code, within the region) must be in the reference data, and the case manager and supervisor in the staff registry (400 naming the field); the case keeps the codes. ' +
        'The region and team must be within your scope: a case manager leads the cases they open, a supervisor supervises them, unless another (within scope) is named.',
      tags: ['cases'],
      access: openers,
      headers: openCaseHeaders,
      body: openCaseBody,
      responses: {
        201: {
          description: 'The case is open (with `Prefer: return=minimal`: `{caseId, version}`)',
          schema: z.union([openedSchema, minimalAnswerSchema]),
        },
        400: {
          description:
            'The body does not parse, or occurredAt is in the future or older than the policy allows (named in errors[])',
        },
        403: {
          description:
            'The role may not open cases, or the region or team is outside your scope (named in detail and outOfScope)',
        },
        422: { description: 'The Idempotency-Key was sent before with another request' },
      },
      handle: async ({ headers, body: { client, household, occurredAt, ...body } }, _req, res) => {
        const principal = principalOf(res);
        const { actor, role, subject } = principal;
        // A case manager who opens a case leads it, a supervisor supervises it, unless another is named.
        if (role === 'case_manager' && !body.caseManagerId) body.caseManagerId = subject;
        if (role === 'supervisor' && !body.supervisorId) body.supervisorId = subject;
        await checkOpening(deps, body); // region and hromada to their codes; staff registered (400 naming the field)
        authorizeWrite(res, body, newCase(principal, body.region));
        const policy = await deps.policies.current();
        const at = now();
        const late = occurredAt && occurredAtProblem(occurredAt, at.getTime(), policy.backdatingLimitDays);
        if (late)
          throw new HttpProblem(400, 'Invalid request', `occurredAt ${late}`, {
            errors: [{ location: 'body', path: 'occurredAt', message: late, code: 'out_of_range' }],
          });
        await claimIdempotencyKey(deps.idempotencyKeys, headers['idempotency-key'], {
          operation: 'openCase',
          actor,
          body: { ...body, client, household, occurredAt },
        });
        // Keys are scoped to the caller, so two tools' keys (or referral ids) never meet.
        const key = headers['idempotency-key'] ?? body.externalRef;
        const caseId = caseIdFor(actor, key);
        const input: CaseWorkflowInput = {
          caseId,
          open: body,
          openedBy: actor,
          openedAt: occurredAt ?? at.toISOString(),
          policy,
        };
        const workflowId = caseWorkflowId(caseId);
        // One call: start the case (or join it, for a retry) and wait until its opening is recorded,
        // so the caller can read and steer it at once.
        const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
          taskQueue: deps.taskQueue,
          workflowId,
          args: [input],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes: caseStartAttributes(input),
        });
        const state = await waitForCase(deps, () =>
          deps.temporal.workflow.executeUpdateWithStart(whenRecorded, { startWorkflowOperation: start }),
        );
        await deps.people.addToCase(caseId, casePeople(caseId, client, household), actor);
        const self = `/v1/cases/${caseId}`;
        if (prefersMinimal(headers.prefer)) {
          applyMinimal(res);
          return void res.status(201).location(self).json({ caseId, version: state.seq });
        }
        res
          .status(201)
          .location(self)
          .json({
            caseId,
            workflowId,
            stage: state.stage,
            links: { self, people: `${self}/people`, possibleDuplicates: `${self}/possible-duplicates` },
          });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/cases/:caseId',
      operationId: 'getCase',
      summary: 'Read a case',
      tags: ['cases'],
      access: anyRole,
      caseScoped: true,
      params: caseIdParams,
      responses: {
        200: {
          description: 'The case as last projected; its policy by version (policyVersion)',
          schema: caseReadSchema,
        },
      },
      handle: async ({ params }, _req, res) => {
        const { actor } = principalOf(res);
        const found = await deps.cases.get(params.caseId, { actor, requestId: res.locals.requestId as string });
        if (!found) throw new HttpProblem(404, 'Not found', `No case ${params.caseId}`);
        res.json({
          case: { ...caseView(found.state), caseNumber: found.caseNumber },
          updatedAt: found.updatedAt.toISOString(),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/cases/:caseId/history',
      operationId: 'getCaseHistory',
      summary: "A case's audit trail: every change and every read, with its actor",
      tags: ['cases'],
      access: anyRole,
      caseScoped: true,
      params: caseIdParams,
      responses: { 200: { description: 'Oldest first', schema: z.object({ entries: z.array(auditEntrySchema) }) } },
      handle: async ({ params }, _req, res) => {
        const { actor } = principalOf(res);
        const entries = await deps.cases.auditTrail(params.caseId, {
          actor,
          requestId: res.locals.requestId as string,
        });
        if (!entries) throw new HttpProblem(404, 'Not found', `No case ${params.caseId}`);
        res.json({ entries });
      },
    }),
  ];
}
