import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import type { CaseWorkflowInput } from '../domain/case';
import { caseWorkflowId } from '../domain/ids';
import { caseStartAttributes } from '../domain/search-attributes';
import type { caseWorkflow } from '../workflows';

/** Starts a case's workflow (an import's row); a case started before (its id derives from the external id) is left alone. */
export function caseStarter(
  client: Client,
  taskQueue: string,
): (input: CaseWorkflowInput) => Promise<'started' | 'existing'> {
  return async (input) => {
    try {
      await client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        taskQueue,
        workflowId: caseWorkflowId(input.caseId),
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        typedSearchAttributes: caseStartAttributes(input),
      });
      return 'started';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return 'existing';
      throw err;
    }
  };
}
