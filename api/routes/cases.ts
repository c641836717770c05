import { WithStartWorkflowOperation, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/client';
import { z } from 'zod';
import { actorSchema, caseStateSchema, openCaseSchema, type CaseWorkflowInput } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import { newCaseId } from '../case-ids';
import { CaseManager, CaseRegion, CaseStage, CaseSupervisor } from '../../domain/search-attributes';
import type { caseWorkflow } from '../../workflows';
import { whenRecorded } from '../../workflows/messages';
import type { ApiDeps } from '../deps';
import { principalOf } from '../auth';
import { anyRole, openers } from '../authorization';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';

const caseIdParams = z.object({ caseId: z.uuid().describe('The case id') });
const openCaseHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe('Makes a retried request return the case the first one opened'),
});
const openedSchema = z.object({
  caseId: z.uuid(),
  workflowId: z.string(),
  stage: caseStateSchema.shape.stage,
  links: z.object({ self: z.string() }),
});
const caseViewSchema = z.object({ case: caseStateSchema, updatedAt: z.iso.datetime() });
const auditEntrySchema = z.object({
  at: z.iso.datetime(),
  kind: z.enum(['change', 'read']),
  action: z.string(),
  actor: actorSchema,
  seq: z.number().int().optional(),
  details: z.record(z.string(), z.unknown()),
});

export function caseRoutes(deps: ApiDeps): AnyRoute[] {
  const now = deps.clock ?? (() => new Date());
  return [
    defineRoute({
      method: 'post',
      path: '/v1/cases',
      operationId: 'openCase',
      summary: 'Open a case',
      description:
        'Starts the case workflow. With an Idempotency-Key header (or the same externalRef from the same tool) a retry returns the case the first request opened.',
      tags: ['cases'],
      access: openers,
      headers: openCaseHeaders,
      body: openCaseSchema,
      responses: { 201: { description: 'The case is open', schema: openedSchema } },
      handle: async ({ headers, body }, _req, res) => {
        const { actor, role, subject } = principalOf(res);
        // A case manager who opens a case leads it unless another is named.
        if (role === 'case_manager' && !body.caseManagerId) body.caseManagerId = subject;
        // Keys are scoped to the caller, so two tools' keys (or referral ids) never meet.
        const key = headers['idempotency-key'] ?? body.externalRef;
        const caseId = newCaseId(key && `${actor.kind}:${actor.id}:${key}`);
        const input: CaseWorkflowInput = { caseId, open: body, openedBy: actor, openedAt: now().toISOString(), policy: await deps.policies.current() };
        const workflowId = caseWorkflowId(caseId);
        // One call: start the case (or join it, for a retry) and wait until its opening is recorded,
        // so the caller can read and steer it at once.
        const start = new WithStartWorkflowOperation<typeof caseWorkflow>('caseWorkflow', {
          taskQueue: deps.taskQueue,
          workflowId,
          args: [input],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          typedSearchAttributes: [
            { key: CaseStage, value: 'intake' },
            { key: CaseRegion, value: body.region },
            ...(body.caseManagerId ? [{ key: CaseManager, value: body.caseManagerId }] : []),
            ...(body.supervisorId ? [{ key: CaseSupervisor, value: body.supervisorId }] : []),
          ],
        });
        const state = await deps.temporal.workflow.executeUpdateWithStart(whenRecorded, { startWorkflowOperation: start });
        const self = `/v1/cases/${caseId}`;
        res.status(201).location(self).json({ caseId, workflowId, stage: state.stage, links: { self } });
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
      responses: { 200: { description: 'The case as last projected', schema: caseViewSchema } },
      handle: async ({ params }, _req, res) => {
        const { actor } = principalOf(res);
        const found = await deps.cases.get(params.caseId, { actor, requestId: res.locals.requestId as string });
        if (!found) throw new HttpProblem(404, 'Not found', `No case ${params.caseId}`);
        res.json({ case: found.state, updatedAt: found.updatedAt.toISOString() });
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
        const entries = await deps.cases.auditTrail(params.caseId, { actor, requestId: res.locals.requestId as string });
        if (!entries) throw new HttpProblem(404, 'Not found', `No case ${params.caseId}`);
        res.json({ entries });
      },
    }),
  ];
}
