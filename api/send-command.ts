import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { Actor, CaseState } from '../domain/case';
import type { CommandInput, CommandName } from '../domain/commands';
import type { RejectionCode } from '../domain/case-machine';
import { caseWorkflowId } from '../domain/ids';
import { commandUpdates } from '../workflows/messages';
import { waitForCase } from './case-wait';
import type { ApiDeps } from './deps';
import { HttpProblem } from './problem';

/** What a rejected command becomes over HTTP; the workflow's reason goes in `detail`. */
const statusOf: Record<RejectionCode, [number, string]> = {
  WRONG_STAGE: [409, 'Command does not fit the case'],
  CONFLICT: [409, 'Command conflicts with the case'],
  CONSENT_REQUIRED: [409, 'Consent required'],
  NOT_FOUND: [404, 'Not found'],
  INVALID: [400, 'Invalid command'],
};

/** A command the case refused, or a case with no open workflow, as the problem the API answers with; anything else as it is. */
function mapRejection(err: unknown, caseId: string): never {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const [status, title] = statusOf[(err.cause.type ?? '') as RejectionCode] ?? [409, 'Command rejected'];
    // The case names the field at fault when there is one (a backdated time out of range: occurredAt).
    const field = (err.cause.details?.[0] as { field?: unknown } | undefined)?.field;
    const errors =
      typeof field === 'string'
        ? [{ location: 'body', path: field, message: err.cause.message, code: err.cause.type }]
        : undefined;
    throw new HttpProblem(status, title, err.cause.message, { code: err.cause.type, ...(errors ? { errors } : {}) });
  }
  if (err instanceof WorkflowNotFoundError) throw new HttpProblem(404, 'Not found', `No open case ${caseId}`);
  throw err;
}

/**
 * Sends one command to a case: the one way routes do it (the command routes, reassignments). The
 * command id is the update id, so a command sent again with it is applied once. The answer comes
 * when the change is recorded in PostgreSQL (the update completes then: workflows/messages.ts),
 * within API_COMMAND_TIMEOUT_MS (waitForCase: 503 after). A refusal is an HttpProblem (409, 404,
 * 400 naming the field), as is a case with no open workflow (404).
 */
export async function sendCommand<N extends CommandName>(
  deps: Pick<ApiDeps, 'temporal' | 'commandTimeoutMs'>,
  caseId: string,
  name: N,
  command: Omit<CommandInput<N>, 'commandId' | 'actor'> & { commandId: string; actor: Actor },
): Promise<CaseState> {
  const handle = deps.temporal.workflow.getHandle(caseWorkflowId(caseId));
  // Every command's update has one shape (the workflow validates the payload); the name picks it.
  const update = commandUpdates[name] as unknown as UpdateDefinition<CaseState, [unknown]>;
  return waitForCase(deps, () => handle.executeUpdate(update, { args: [command], updateId: command.commandId })).catch(
    (err: unknown) => mapRejection(err, caseId),
  );
}
