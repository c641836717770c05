import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import type { ApiDeps } from './deps';
import { unavailable } from './problem';

/**
 * Runs a call that waits for a case workflow (a command's update, a case's opening) with a bound
 * of API_COMMAND_TIMEOUT_MS. The Temporal client applies the deadline to every gRPC call inside
 * `call` (`Client.withDeadline`), so an update that a case cannot answer (its worker away, its
 * change waiting for PostgreSQL) ends as 503 with Retry-After instead of hanging. The update may
 * still be applied after the answer; a retry with the same Idempotency-Key (the update id) is
 * applied once.
 */
export async function waitForCase<T>(
  deps: Pick<ApiDeps, 'temporal' | 'commandTimeoutMs'>,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await deps.temporal.withDeadline(Date.now() + deps.commandTimeoutMs, call);
  } catch (err) {
    // The SDK turns DEADLINE_EXCEEDED of an update (or its poll) into this error.
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw unavailable(
        `The case did not answer within ${deps.commandTimeoutMs} ms. The request may still take effect: retry it with the same Idempotency-Key, and it is applied once.`,
      );
    }
    throw err;
  }
}
