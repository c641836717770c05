import { randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { Actor } from '../domain/case';
import type { DeliveryOutcome } from '../domain/vocabulary';

/** What a subscription listens to; every filter left empty means "all". */
export interface SubscriptionFilter {
  eventTypes: string[];
  regions: string[];
  /** Set for a provider's own system: it hears only about referrals addressed to it. */
  providerId?: string;
}

/** A subscription as its owner and administrators read it: never its secret. */
export interface SubscriptionView extends SubscriptionFilter {
  subscriptionId: string;
  name: string;
  url: string;
  /** The tool whose key may manage it (an administrator's subject if an administrator made it for no tool). */
  owner: string;
  active: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  deactivatedAt?: string;
}

/** What deliveries need: the view and the signing secret. */
export interface Subscription extends SubscriptionView {
  secret: string;
}

export interface DeliveryAttempt {
  eventKey: string;
  /** Temporal's attempt number; 0 for the row that records giving up. */
  attempt: number;
  outcome: DeliveryOutcome;
  httpStatus?: number;
  error?: string;
  durationMs: number;
  at: string;
}

type Row = {
  subscription_id: string;
  name: string;
  url: string;
  secret: string;
  event_types: string[];
  regions: string[];
  provider_id: string | null;
  owner: string;
  active: boolean;
  created_at: Date;
  created_by: string;
  updated_at: Date;
  deactivated_at: Date | null;
};
const fromRow = (r: Row): Subscription => ({
  subscriptionId: r.subscription_id,
  name: r.name,
  url: r.url,
  secret: r.secret,
  eventTypes: r.event_types,
  regions: r.regions,
  providerId: r.provider_id ?? undefined,
  owner: r.owner,
  active: r.active,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by,
  updatedAt: r.updated_at.toISOString(),
  deactivatedAt: r.deactivated_at?.toISOString(),
});
const view = ({ secret: _secret, ...v }: Subscription): SubscriptionView => v;

/** 192 random bits, recognisable in a leaked-secret scan. Kept as is: the worker needs it to sign (HMAC). */
const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`;

/** Delivery-log cursor: the id of the last attempt given (ids grow with every attempt logged). */
const encodeAttemptCursor = (attemptId: string) => Buffer.from(attemptId).toString('base64url');
export function decodeAttemptCursor(cursor: string): string | undefined {
  const id = Buffer.from(cursor, 'base64url').toString();
  return /^[1-9]\d{0,18}$/.test(id) ? id : undefined;
}

/**
 * Each change is one statement: the subscription's row and its admin_events row (who, what,
 * which fields) are written together or not at all. `owner` limits a call to one tool's
 * subscriptions (undefined: an administrator's, all of them).
 */
const audited = (change: string) => `WITH changed AS (${change} RETURNING *),
  audit AS (INSERT INTO admin_events (actor_kind, actor_id, action, subject, details)
            SELECT $2, $3, $4, subscription_id::text, $5 FROM changed)
  SELECT * FROM changed`;
const ownedBy = (n: number) => `($${n}::text IS NULL OR owner = $${n}::text)`;

/** Webhook subscriptions and the log of every delivery attempt. */
export function createWebhookRepository(pool: Pool) {
  const change = async (sql: string, by: Actor, action: string, details: Record<string, unknown>, args: unknown[]) =>
    (await pool.query<Row>(audited(sql), [args[0], by.kind, by.id, action, details, ...args.slice(1)])).rows.map(
      fromRow,
    )[0];

  return {
    async subscribe(
      input: SubscriptionFilter & { name: string; url: string; owner?: string },
      by: Actor,
    ): Promise<Subscription> {
      const details = {
        name: input.name,
        url: input.url,
        eventTypes: input.eventTypes,
        regions: input.regions,
        providerId: input.providerId ?? null,
        owner: input.owner ?? by.id,
      };
      return (await change(
        `INSERT INTO webhook_subscriptions (subscription_id, name, url, secret, event_types, regions, provider_id, owner, created_by)
         VALUES ($1, $6, $7, $8, $9, $10, $11, $12, $3)`,
        by,
        'webhook_subscription_created',
        details,
        [
          randomUUID(),
          input.name,
          input.url,
          newSecret(),
          input.eventTypes,
          input.regions,
          input.providerId ?? null,
          input.owner ?? by.id,
        ],
      ))!;
    },

    async active(): Promise<Subscription[]> {
      return (await pool.query<Row>('SELECT * FROM webhook_subscriptions WHERE active ORDER BY created_at')).rows.map(
        fromRow,
      );
    },

    /** With its secret: for deliveries only. */
    async get(subscriptionId: string): Promise<Subscription | undefined> {
      const row = (
        await pool.query<Row>('SELECT * FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId])
      ).rows[0];
      return row && fromRow(row);
    },

    /** One subscription as `owner` (or an administrator) may see it; another tool's is not there. */
    async find(subscriptionId: string, owner: string | undefined): Promise<SubscriptionView | undefined> {
      const row = (
        await pool.query<Row>(`SELECT * FROM webhook_subscriptions WHERE subscription_id = $1 AND ${ownedBy(2)}`, [
          subscriptionId,
          owner ?? null,
        ])
      ).rows[0];
      return row && view(fromRow(row));
    },

    /** Every subscription `owner` may see, deactivated ones too, oldest first. */
    async list(owner: string | undefined): Promise<SubscriptionView[]> {
      const r = await pool.query<Row>(
        `SELECT * FROM webhook_subscriptions WHERE ${ownedBy(1)} ORDER BY created_at, subscription_id`,
        [owner ?? null],
      );
      return r.rows.map((row) => view(fromRow(row)));
    },

    /** Changes the given fields of an active subscription; undefined if there is none (or not `owner`'s). */
    async update(
      subscriptionId: string,
      owner: string | undefined,
      changes: Partial<SubscriptionFilter & { name: string; url: string }>,
      by: Actor,
    ): Promise<SubscriptionView | undefined> {
      const set = (v: unknown) => (v === undefined ? null : v);
      const updated = await change(
        `UPDATE webhook_subscriptions SET
           name = COALESCE($6, name), url = COALESCE($7, url), event_types = COALESCE($8, event_types), regions = COALESCE($9, regions),
           provider_id = CASE WHEN $10::boolean THEN $11::text ELSE provider_id END, updated_at = now()
         WHERE subscription_id = $1 AND active AND ${ownedBy(12)}`,
        by,
        'webhook_subscription_updated',
        changes,
        [
          subscriptionId,
          set(changes.name),
          set(changes.url),
          set(changes.eventTypes),
          set(changes.regions),
          'providerId' in changes,
          changes.providerId ?? null,
          owner ?? null,
        ],
      );
      return updated && view(updated);
    },

    /** Deactivates (nothing is deleted: its log stays, and deliveries in flight stop); false if there is no such active one. */
    async deactivate(subscriptionId: string, owner: string | undefined, by: Actor): Promise<boolean> {
      const done = await change(
        `UPDATE webhook_subscriptions SET active = false, deactivated_at = now(), updated_at = now() WHERE subscription_id = $1 AND active AND ${ownedBy(6)}`,
        by,
        'webhook_subscription_deactivated',
        {},
        [subscriptionId, owner ?? null],
      );
      return done !== undefined;
    },

    /** A new signing secret, effective for the next attempt of every delivery; the old one stops at once. */
    async rotateSecret(subscriptionId: string, owner: string | undefined, by: Actor): Promise<string | undefined> {
      const done = await change(
        `UPDATE webhook_subscriptions SET secret = $6, updated_at = now() WHERE subscription_id = $1 AND active AND ${ownedBy(7)}`,
        by,
        'webhook_secret_rotated',
        {},
        [subscriptionId, newSecret(), owner ?? null],
      );
      return done?.secret;
    },

    async logAttempt(a: {
      subscriptionId: string;
      eventKey: string;
      attempt: number;
      outcome: DeliveryOutcome;
      httpStatus?: number;
      error?: string;
      durationMs: number;
    }): Promise<void> {
      await pool.query(
        `INSERT INTO webhook_deliveries (subscription_id, event_key, attempt, outcome, http_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          a.subscriptionId,
          a.eventKey,
          a.attempt,
          a.outcome,
          a.httpStatus ?? null,
          a.error?.slice(0, 500) ?? null,
          a.durationMs,
        ],
      );
    },

    /** The delivery log, newest first, a page at a time (`after`: a cursor's attempt id). */
    async deliveries(
      subscriptionId: string,
      page: { limit: number; after?: string },
    ): Promise<{ deliveries: DeliveryAttempt[]; nextCursor?: string }> {
      const r = await pool.query<{
        attempt_id: string;
        event_key: string;
        attempt: number;
        outcome: DeliveryAttempt['outcome'];
        http_status: number | null;
        error: string | null;
        duration_ms: number;
        at: Date;
      }>(
        `SELECT attempt_id, event_key, attempt, outcome, http_status, error, duration_ms, at FROM webhook_deliveries
         WHERE subscription_id = $1 AND ($2::bigint IS NULL OR attempt_id < $2::bigint)
         ORDER BY attempt_id DESC LIMIT $3`,
        [subscriptionId, page.after ?? null, page.limit + 1],
      );
      const rows = r.rows.slice(0, page.limit);
      return {
        deliveries: rows.map((d) => ({
          eventKey: d.event_key,
          attempt: d.attempt,
          outcome: d.outcome,
          httpStatus: d.http_status ?? undefined,
          error: d.error ?? undefined,
          durationMs: d.duration_ms,
          at: d.at.toISOString(),
        })),
        nextCursor: r.rows.length > page.limit ? encodeAttemptCursor(rows[rows.length - 1]!.attempt_id) : undefined,
      };
    },
  };
}
export type WebhookRepository = ReturnType<typeof createWebhookRepository>;
