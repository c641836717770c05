import { z } from 'zod';
import { decodeCursor } from '../../db/case-list';
import { escalationLevels, escalationStatuses } from '../../domain/vocabulary';
import { authorizeWrite, principalOf } from '../auth';
import { supervisors } from '../authorization';
import { claimIdempotencyKey } from '../idempotency';
import type { ApiDeps } from '../deps';
import { HttpProblem, isUnavailable } from '../problem';
import { requireStaff } from '../reference-checks';
import { sendCommand } from '../send-command';
import { defineRoute, type AnyRoute } from '../route';

/** What supervisors need: their escalation queue, and moving a leaving case manager's cases. */
export function supervisionRoutes(deps: ApiDeps): AnyRoute[] {
  const now = deps.clock ?? (() => new Date());
  return [
    defineRoute({
      method: 'get',
      path: '/v1/escalations',
      operationId: 'escalationQueue',
      summary: 'My escalation queue: what is overdue, and by how much',
      description: 'Most urgent first. Answer each with POST /v1/cases/{caseId}/commands/answerEscalation.',
      tags: ['supervision'],
      access: supervisors,
      query: z.object({
        status: z
          .array(z.enum(escalationStatuses))
          .or(z.enum(escalationStatuses).transform((s) => [s]))
          .default(['open', 'acknowledged']),
        level: z.enum(escalationLevels).optional(),
      }),
      responses: {
        200: {
          description: 'Escalations in your scope',
          schema: z.object({
            escalations: z.array(
              z.object({
                caseId: z.uuid(),
                caseNumber: z.string().optional(),
                escalationId: z.string(),
                reason: z.string(),
                level: z.string(),
                status: z.string(),
                region: z.string(),
                caseManagerId: z.string().optional(),
                openedAt: z.iso.datetime(),
                respondBy: z.iso.datetime(),
                missedDueAt: z.iso.datetime().optional(),
                overdueSeconds: z.number().int(),
                answerLateSeconds: z.number().int(),
              }),
            ),
          }),
        },
      },
      handle: async ({ query }, _req, res) => {
        res.json({
          escalations: await deps.escalations.queue(principalOf(res), {
            statuses: query.status,
            level: query.level,
            now: now(),
          }),
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/reassignments',
      operationId: 'reassignCases',
      summary: 'Move every open case of a case manager (who leaves) to another, reporting per case',
      description:
        'Each case gets an assignTeam command with an id derived from the Idempotency-Key, so the whole request can be retried safely; the key sent again with another body answers 422. ' +
        'The new case manager must keep every case within your scope (in your team, or on cases you supervise), or nothing is moved (403).',
      tags: ['supervision'],
      access: supervisors,
      headers: z.object({
        'idempotency-key': z
          .string()
          .min(8)
          .max(200)
          .describe('Makes the whole request safe to retry; unique per caller (another body with it: 422)'),
      }),
      body: z
        .object({
          fromCaseManagerId: z.string().trim().min(1).max(120),
          toCaseManagerId: z.string().trim().min(1).max(120),
          reason: z.string().trim().min(1).max(2000),
        })
        .meta({
          examples: [{ fromCaseManagerId: 'cm-olena', toCaseManagerId: 'cm-iryna', reason: 'Olena left the centre' }],
        })
        .refine((b) => b.fromCaseManagerId !== b.toCaseManagerId, {
          message: 'must differ from fromCaseManagerId',
          path: ['toCaseManagerId'],
        }),
      responses: {
        200: {
          description: 'What happened to each case',
          schema: z.object({
            reassigned: z.number().int(),
            failed: z.number().int(),
            results: z.array(
              z.object({ caseId: z.uuid(), outcome: z.enum(['reassigned', 'failed']), detail: z.string().optional() }),
            ),
          }),
        },
        400: { description: 'toCaseManagerId is not an active member of the staff registry (errors[] names it)' },
        403: {
          description:
            'The role may not reassign, or the new case manager would take a case outside your scope (nothing is moved)',
        },
        404: { description: 'fromCaseManagerId is not in the staff registry (errors[] names it): nothing to move' },
        422: { description: 'The Idempotency-Key was sent before with another request' },
      },
      handle: async ({ headers, body }, _req, res) => {
        const principal = principalOf(res);
        // Who leaves may be inactive already, but must be someone the registry knows: an unknown id is a mistake, not "0 moved".
        if ((await deps.staff.known([body.fromCaseManagerId])).size === 0) {
          throw new HttpProblem(404, 'Not found', `No staff member ${body.fromCaseManagerId} in the registry.`, {
            errors: [
              {
                location: 'body',
                path: 'fromCaseManagerId',
                message: `no staff member ${body.fromCaseManagerId} in the registry (/v1/staff)`,
                code: 'unknown_staff',
              },
            ],
          });
        }
        await requireStaff(deps, [{ path: 'toCaseManagerId', value: body.toCaseManagerId }]);
        // The cases in the caller's scope led by the one who leaves, page by page.
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await deps.caseList.list(
            principal,
            { caseManagerId: body.fromCaseManagerId },
            { limit: 200, after: cursor ? decodeCursor(cursor) : undefined },
          );
          ids.push(...page.cases.filter((c) => c.stage !== 'closed').map((c) => c.caseId));
          cursor = page.nextCursor;
        } while (cursor);
        // Nothing moves if any case would go where the caller's scope does not reach.
        const write = { caseManagerId: body.toCaseManagerId };
        for (const access of (await deps.cases.accessAll(ids)).values()) authorizeWrite(res, write, access);
        await claimIdempotencyKey(deps.idempotencyKeys, headers['idempotency-key'], {
          operation: 'reassignCases',
          actor: principal.actor,
          body,
        });
        const results: { caseId: string; outcome: 'reassigned' | 'failed'; detail?: string }[] = [];
        for (const caseId of ids) {
          const commandId = `${headers['idempotency-key']}:${caseId}`;
          try {
            await sendCommand(deps, caseId, 'assignTeam', {
              commandId,
              actor: principal.actor,
              caseManagerId: body.toCaseManagerId,
              reason: body.reason,
            });
            results.push({ caseId, outcome: 'reassigned' });
          } catch (err) {
            // A refusal (or a case not open) says why; Temporal away or too slow (503) asks for a retry.
            const detail =
              err instanceof HttpProblem && err.status !== 503
                ? err.message
                : isUnavailable(err) || err instanceof HttpProblem
                  ? 'Temporal unreachable or the case did not answer in time; retry the request'
                  : (err as Error).name;
            results.push({ caseId, outcome: 'failed', detail });
          }
        }
        const reassigned = results.filter((r) => r.outcome === 'reassigned').length;
        res.json({ reassigned, failed: results.length - reassigned, results });
      },
    }),
  ];
}
