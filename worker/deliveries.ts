import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  type Client,
} from '@temporalio/client';
import { webhookDeliveryId } from '../domain/ids';
import type { webhookDelivery, WebhookDeliveryInput } from '../workflows/webhook-delivery';

/** Starts the delivery workflow of one event to one subscriber; one that exists already (a retried batch) is left alone. */
export function deliveryStarter(client: Client, taskQueue: string): (input: WebhookDeliveryInput) => Promise<void> {
  return async (input) => {
    try {
      await client.workflow.start<typeof webhookDelivery>('webhookDelivery', {
        taskQueue,
        workflowId: webhookDeliveryId(input.subscriptionId, input.eventKey),
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  };
}
