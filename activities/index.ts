import { ApplicationFailure, Context } from '@temporalio/activity';
import type { CaseEvent, CaseState, CaseWorkflowInput } from '../domain/case';
import { withRegionCode } from '../domain/regions';
import type { ImportRepository } from '../db/imports';
import {
  eventKey,
  subscribed,
  webhookPayload,
  type DeliveryRetry,
  type WebhookDeliveryInput,
} from '../domain/webhooks';
import type { CaseRepository } from '../db/cases';
import type { WebhookRepository } from '../db/webhooks';
import type { Logger } from '../platform/logger';
import {
  AddressNotPermittedError,
  defaultReceiverNetworks,
  receiverAddressPolicy,
  receiverFetch,
  type ReceiverFetch,
} from '../platform/network';
import { signWebhook } from './webhook-signature';

export interface ActivityDeps {
  cases: CaseRepository;
  webhooks: WebhookRepository;
  /** Starts the durable delivery of one event to one subscriber; starting the same one twice is a no-op. */
  startDelivery(input: WebhookDeliveryInput): Promise<void>;
  deliveryRetry: DeliveryRetry;
  /** Imports (POST /v1/imports): the job's rows, and how to start a case's workflow ('existing' if it was started before). Tests of other things leave them out. */
  imports?: { rows: ImportRepository; startCase(input: CaseWorkflowInput): Promise<'started' | 'existing'> };
  log: Logger;
  /** POSTs to webhook receivers; default: only the public internet and loopback reachable (platform/network.ts). */
  fetch?: ReceiverFetch;
  clock?: () => Date;
}

/** Rows per importChunk activity, and case starts in flight at once within it. */
const IMPORT_CHUNK = 200;
const IMPORT_PARALLEL = 20;

/**
 * Every side effect of a case is an activity built here from its dependencies, so the worker wires
 * the real ones and the tests pass their own. Each one is idempotent: Temporal may run it again.
 */
export function createActivities(deps: ActivityDeps) {
  const http = deps.fetch ?? receiverFetch(receiverAddressPolicy(defaultReceiverNetworks));
  const now = deps.clock ?? (() => new Date());
  return {
    /**
     * Records a batch of a case's changes: each event once (by case id and sequence) in the journal
     * with its notifications, the case's projection only ever forward, then hands each event to the
     * subscribed tools' webhook deliveries (started once per subscription and event key). A batch
     * PostgreSQL refuses for its data is set aside by the repository and reported here; the case goes on.
     */
    async recordCaseEvents(recorded: { events: CaseEvent[]; state: CaseState }): Promise<void> {
      const batch = { events: recorded.events, state: withRegionCode(recorded.state) };
      const { setAside } = await deps.cases.recordEvents(batch.events, batch.state);
      if (setAside) {
        // Ids and the SQLSTATE only: the database's message can quote the data.
        const { quarantineId, caseId, firstSeq, lastSeq, sqlstate, projected } = setAside;
        deps.log.warn('projection batch set aside', { quarantineId, caseId, firstSeq, lastSeq, sqlstate, projected });
      }
      const subscriptions = await deps.webhooks.active();
      for (const e of batch.events) {
        for (const sub of subscriptions) {
          if (!subscribed(sub, e, batch.state)) continue;
          await deps.startDelivery({
            subscriptionId: sub.subscriptionId,
            eventKey: eventKey(e),
            body: JSON.stringify(webhookPayload(e, batch.state)),
            retry: deps.deliveryRetry,
          });
        }
      }
    },

    /** One signed POST of an event to a subscriber; every attempt is logged. Retried by Temporal. */
    async deliverWebhook(input: WebhookDeliveryInput): Promise<void> {
      const sub = await deps.webhooks.get(input.subscriptionId);
      if (!sub?.active) return; // unsubscribed since: nothing to send
      const attempt = Context.current().info.attempt;
      const started = Date.now();
      const log = (outcome: 'delivered' | 'failed', httpStatus?: number, error?: string) =>
        deps.webhooks.logAttempt({
          subscriptionId: sub.subscriptionId,
          eventKey: input.eventKey,
          attempt,
          outcome,
          httpStatus,
          error,
          durationMs: Date.now() - started,
        });
      let res: Awaited<ReturnType<ReceiverFetch>>;
      try {
        res = await http(sub.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'idempotency-key': input.eventKey,
            'suprovid-event-id': input.eventKey,
            'suprovid-signature': signWebhook(sub.secret, input.body, Math.floor(now().getTime() / 1000)),
          },
          body: input.body,
          signal: AbortSignal.timeout(10_000),
          redirect: 'error',
        });
      } catch (err) {
        // A receiver on a network it may not reach is named as such in the attempts (retried: the
        // setting or the DNS may be put right before the delivery gives up).
        const refused = [err, (err as { cause?: unknown } | undefined)?.cause].find(
          (e) => e instanceof AddressNotPermittedError,
        );
        await log('failed', undefined, refused ? refused.code : (err as Error).name);
        if (refused) throw ApplicationFailure.create({ type: refused.code, message: refused.message });
        throw err;
      }
      if (res.ok) return void (await log('delivered', res.status));
      await log('failed', res.status);
      // A receiver that refuses the request itself (not overloaded, not timing out) will not change its mind.
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      throw ApplicationFailure.create({
        type: permanent ? 'WEBHOOK_REJECTED' : 'WEBHOOK_FAILED',
        message: `receiver answered ${res.status}`,
        nonRetryable: permanent,
      });
    },

    /**
     * Starts the cases of the next pending rows of an import (IMPORT_CHUNK of them, IMPORT_PARALLEL
     * at a time), marks them, and says how many are left. Heartbeats after each group, so a worker
     * that dies is noticed in seconds; the retry starts from the rows still pending, and a start
     * that had gone through finds its case ('existing'): nothing is started twice.
     */
    async importChunk(input: { importId: string }): Promise<{ remaining: number }> {
      const imports = deps.imports;
      if (!imports)
        throw ApplicationFailure.create({
          type: 'IMPORTS_NOT_WIRED',
          message: 'this worker was built without imports',
          nonRetryable: true,
        });
      const job = await imports.rows.job(input.importId);
      if (!job)
        throw ApplicationFailure.create({
          type: 'IMPORT_NOT_FOUND',
          message: `no import ${input.importId}`,
          nonRetryable: true,
        });
      const rows = await imports.rows.pending(input.importId, IMPORT_CHUNK);
      for (let i = 0; i < rows.length; i += IMPORT_PARALLEL) {
        const group = rows.slice(i, i + IMPORT_PARALLEL);
        const started = await Promise.all(
          group.map(async (r) => ({
            rowNumber: r.rowNumber,
            status:
              (await imports.startCase({ ...r.input, policy: job.policy })) === 'started'
                ? ('imported' as const)
                : ('existing' as const),
          })),
        );
        await imports.rows.done(input.importId, started);
        Context.current().heartbeat(i + group.length);
      }
      return { remaining: rows.length === 0 ? 0 : (await imports.rows.job(input.importId))!.counts.pending };
    },

    async recordWebhookGaveUp(input: { subscriptionId: string; eventKey: string }): Promise<void> {
      await deps.webhooks.logAttempt({ ...input, attempt: 0, outcome: 'gave_up', durationMs: 0 });
    },
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
