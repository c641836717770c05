import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { caseStateSchema, type CaseState } from '../../domain/case';
import { commandNames, commandPayloads, teamSetBy, type CommandName } from '../../domain/commands';
import { caseWorkflowId } from '../../domain/ids';
import { commandUpdates } from '../../workflows/messages';
import { authorizeWrite, caseAccessOf, principalOf } from '../auth';
import { commandRoles } from '../authorization';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';

const params = z.object({ caseId: z.uuid().describe('The case id') });
const headers = z.object({
  'idempotency-key': z.string().min(8).max(200).optional().describe('The command id: a retry with the same key is applied once'),
});

/** What a rejected command becomes over HTTP; the workflow's reason goes in `detail`. */
const statusOf: Record<string, [number, string]> = {
  WRONG_STAGE: [409, 'Command does not fit the case'],
  CONFLICT: [409, 'Command conflicts with the case'],
  CONSENT_REQUIRED: [409, 'Consent required'],
  NOT_FOUND: [404, 'Not found'],
  INVALID: [400, 'Invalid command'],
};

function mapRejection(err: unknown, caseId: string): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const [status, title] = statusOf[err.cause.type ?? ''] ?? [409, 'Command rejected'];
    throw new HttpProblem(status, title, err.cause.message, { code: err.cause.type });
  }
  if (err instanceof WorkflowNotFoundError) throw new HttpProblem(404, 'Not found', `No open case ${caseId}`);
  throw err;
}

/**
 * One route per command of the case lifecycle (domain/commands.ts): POST /v1/cases/{caseId}/commands/{name}.
 * The route adds the caller as the actor and sends one update; the workflow decides.
 */
export function commandRoutes(deps: ApiDeps): AnyRoute[] {
  return commandNames.map((name: CommandName) =>
    defineRoute({
      method: 'post',
      path: `/v1/cases/:caseId/commands/${name}`,
      operationId: name,
      summary: `Case command: ${name}`,
      description: 'Applied once per Idempotency-Key. Answers with the case as it is after the command, once the change is recorded.',
      tags: ['commands'],
      access: commandRoles[name],
      caseScoped: true,
      params,
      headers,
      body: commandPayloads[name],
      responses: {
        200: { description: 'Applied', schema: z.object({ case: caseStateSchema }) },
        403: { description: 'The role may not send it, or the case, or the team it sets, is outside your scope (what is out of it named in detail and outOfScope)' },
      },
      handle: async (input, _req, res) => {
        const { actor } = principalOf(res);
        // Before the update is sent: the team it sets must be within the caller's scope.
        authorizeWrite(res, teamSetBy(name, input.body), caseAccessOf(res));
        const commandId = input.headers['idempotency-key'] ?? randomUUID();
        const handle = deps.temporal.workflow.getHandle(caseWorkflowId(input.params.caseId));
        const command = { ...(input.body), commandId, actor };
        // Every command's update has one shape (the workflow validates the payload); the name picks it.
        const update = commandUpdates[name] as unknown as UpdateDefinition<CaseState, [unknown]>;
        const state = await handle
          .executeUpdate(update, { args: [command], updateId: commandId })
          .catch((err: unknown) => mapRejection(err, input.params.caseId));
        res.json({ case: state });
      },
    }),
  );
}
