import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

export interface Subscription {
  subscriptionId: string;
  name: string;
  url: string;
  secret: string;
  eventTypes: string[];
  regions: string[];
  /** Set for a provider's own system: it hears only about referrals addressed to it. */
  providerId?: string;
  active: boolean;
}

type Row = { subscription_id: string; name: string; url: string; secret: string; event_types: string[]; regions: string[]; provider_id: string | null; active: boolean };
const fromRow = (r: Row): Subscription => ({
  subscriptionId: r.subscription_id, name: r.name, url: r.url, secret: r.secret, eventTypes: r.event_types, regions: r.regions,
  providerId: r.provider_id ?? undefined, active: r.active,
});

/** Webhook subscriptions and the log of every delivery attempt. */
export function createWebhookRepository(pool: Pool) {
  return {
    async subscribe(input: { name: string; url: string; eventTypes?: string[]; regions?: string[]; providerId?: string; createdBy: string }): Promise<Subscription> {
      const sub: Subscription = {
        subscriptionId: randomUUID(), name: input.name, url: input.url, secret: `whsec_${randomBytes(24).toString('base64url')}`,
        eventTypes: input.eventTypes ?? [], regions: input.regions ?? [], providerId: input.providerId, active: true,
      };
      await pool.query(
        `INSERT INTO webhook_subscriptions (subscription_id, name, url, secret, event_types, regions, provider_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [sub.subscriptionId, sub.name, sub.url, sub.secret, sub.eventTypes, sub.regions, sub.providerId ?? null, input.createdBy],
      );
      return sub;
    },

    async active(): Promise<Subscription[]> {
      return (await pool.query<Row>('SELECT * FROM webhook_subscriptions WHERE active ORDER BY created_at')).rows.map(fromRow);
    },

    async get(subscriptionId: string): Promise<Subscription | undefined> {
      const row = (await pool.query<Row>('SELECT * FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId])).rows[0];
      return row && fromRow(row);
    },

    async logAttempt(a: { subscriptionId: string; eventKey: string; attempt: number; outcome: 'delivered' | 'failed' | 'gave_up'; httpStatus?: number; error?: string; durationMs: number }): Promise<void> {
      await pool.query(
        `INSERT INTO webhook_deliveries (subscription_id, event_key, attempt, outcome, http_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [a.subscriptionId, a.eventKey, a.attempt, a.outcome, a.httpStatus ?? null, a.error?.slice(0, 500) ?? null, a.durationMs],
      );
    },
  };
}
export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
