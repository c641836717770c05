import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { WebhookDeliveryInput } from '../domain/webhooks';

// The delivery's input is the activities' and the API's too: it is defined with the events (a type-only import, so no zod here).
export type { DeliveryRetry, WebhookDeliveryInput } from '../domain/webhooks';

/**
 * One event to one subscriber, delivered durably: Temporal retries the signed POST with backoff
 * until the receiver takes it, for as long as `giveUpAfterMs`; a worker or server restart in between
 * loses nothing. Its workflow id is the subscription and event key, so an event is sent once per key.
 */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<'delivered' | 'rejected' | 'gave_up'> {
  const { deliverWebhook } = proxyActivities<CaseActivities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: input.retry.giveUpAfterMs,
    retry: {
      initialInterval: input.retry.initialMs,
      maximumInterval: input.retry.maxMs,
      backoffCoefficient: 2,
      nonRetryableErrorTypes: ['WEBHOOK_REJECTED'],
    },
  });
  const { recordWebhookGaveUp } = proxyActivities<CaseActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { maximumInterval: '1 minute' },
  });
  try {
    await deliverWebhook(input);
    return 'delivered';
  } catch (err) {
    if (
      err instanceof ActivityFailure &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type === 'WEBHOOK_REJECTED'
    )
      return 'rejected';
    await recordWebhookGaveUp({ subscriptionId: input.subscriptionId, eventKey: input.eventKey });
    return 'gave_up';
  }
}
