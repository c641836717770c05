import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';

/** How hard a delivery tries: backoff from `initialMs` up to `maxMs`, giving up after `giveUpAfterMs` (at least a day). */
export interface DeliveryRetry {
  initialMs: number;
  maxMs: number;
  giveUpAfterMs: number;
}

export interface WebhookDeliveryInput {
  subscriptionId: string;
  eventKey: string;
  /** The exact bytes to send (and sign), as JSON text. */
  body: string;
  retry: DeliveryRetry;
}

/**
 * One event to one subscriber, delivered durably: Temporal retries the signed POST with backoff
 * until the receiver takes it, for as long as `giveUpAfterMs`; a worker or server restart in between
 * loses nothing. Its workflow id is the subscription and event key, so an event is sent once per key.
 */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<'delivered' | 'rejected' | 'gave_up'> {
  const { deliverWebhook } = proxyActivities<CaseActivities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: input.retry.giveUpAfterMs,
    retry: { initialInterval: input.retry.initialMs, maximumInterval: input.retry.maxMs, backoffCoefficient: 2, nonRetryableErrorTypes: ['WEBHOOK_REJECTED'] },
  });
  const { recordWebhookGaveUp } = proxyActivities<CaseActivities>({ startToCloseTimeout: '30 seconds', retry: { maximumInterval: '1 minute' } });
  try {
    await deliverWebhook(input);
    return 'delivered';
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'WEBHOOK_REJECTED') return 'rejected';
    await recordWebhookGaveUp({ subscriptionId: input.subscriptionId, eventKey: input.eventKey });
    return 'gave_up';
  }
}
