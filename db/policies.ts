import type { Pool } from 'pg';
import { defaultPolicy, policySchema, type Policy } from '../domain/policy';
import { withTransaction } from './pool';

/**
 * Versioned deadline policies. New cases follow the newest published version (the shipped defaults
 * until one is published); a running case keeps the version it was opened under. Publishing is a
 * row, not a deploy.
 */
export function createPolicyRepository(pool: Pool) {
  return {
    async current(): Promise<Policy> {
      const row = (
        await pool.query<{ policy: unknown }>(
          'SELECT policy FROM policies ORDER BY published_at DESC, version DESC LIMIT 1',
        )
      ).rows[0];
      return row ? policySchema.parse(row.policy) : defaultPolicy;
    },

    /** One version as published (the shipped defaults under their own version), or undefined. */
    async get(version: string): Promise<Policy | undefined> {
      const row = (await pool.query<{ policy: unknown }>('SELECT policy FROM policies WHERE version = $1', [version]))
        .rows[0];
      return row ? policySchema.parse(row.policy) : version === defaultPolicy.version ? defaultPolicy : undefined;
    },

    async list(): Promise<{ version: string; publishedAt: string; publishedBy: string }[]> {
      const r = await pool.query<{ version: string; published_at: Date; published_by: string }>(
        'SELECT version, published_at, published_by FROM policies ORDER BY published_at DESC, version DESC',
      );
      return r.rows.map((p) => ({
        version: p.version,
        publishedAt: p.published_at.toISOString(),
        publishedBy: p.published_by,
      }));
    },

    /** Publishes a new version; a version number is never reused. */
    async publish(policy: Policy, publishedBy: string): Promise<void> {
      const parsed = policySchema.parse(policy);
      await withTransaction(pool, async (client) => {
        await client.query('INSERT INTO policies (version, policy, published_by) VALUES ($1, $2, $3)', [
          parsed.version,
          parsed,
          publishedBy,
        ]);
        await client.query(
          `INSERT INTO admin_events (actor_kind, actor_id, action, subject) VALUES ('person', $1, 'policy_published', $2)`,
          [publishedBy, parsed.version],
        );
      });
    },
  };
}
export type PolicyRepository = ReturnType<typeof createPolicyRepository>;
