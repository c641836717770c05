import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { actorFor, scopeSchema, type Principal, type Role, type Scope } from '../domain/principal';

const hash = (key: string) => createHash('sha256').update(key).digest();

/** Keys look like `spv_<43 base64url chars>`: 256 random bits, recognisable in a leaked-secret scan. */
export function generateKey(): string {
  return `spv_${randomBytes(32).toString('base64url')}`;
}

export function createApiKeyRepository(pool: Pool) {
  return {
    async issue(input: {
      name: string;
      role: Role;
      subject: string;
      scope?: Scope;
      createdBy: string;
    }): Promise<{ keyId: string; key: string }> {
      const key = generateKey();
      const keyId = randomUUID();
      await pool.query(
        `WITH issued AS (
           INSERT INTO api_keys (key_id, key_hash, name, role, subject, scope, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING key_id
         )
         INSERT INTO admin_events (actor_kind, actor_id, action, subject, details)
         SELECT 'person', $7, 'api_key_issued', key_id::text, jsonb_build_object('role', $4::text, 'subject', $5::text) FROM issued`,
        [keyId, hash(key), input.name, input.role, input.subject, input.scope ?? {}, input.createdBy],
      );
      return { keyId, key };
    },

    async authenticate(key: string): Promise<Principal | undefined> {
      const r = await pool.query<{ key_id: string; role: Role; subject: string; scope: unknown }>(
        'SELECT key_id, role, subject, scope FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
        [hash(key)],
      );
      const row = r.rows[0];
      if (!row) return undefined;
      return {
        keyId: row.key_id,
        role: row.role,
        subject: row.subject,
        scope: scopeSchema.parse(row.scope),
        actor: actorFor(row.role, row.subject),
      };
    },

    async list(): Promise<
      {
        keyId: string;
        name: string;
        role: Role;
        subject: string;
        scope: Scope;
        createdAt: string;
        createdBy: string;
        revokedAt?: string;
      }[]
    > {
      const r = await pool.query<{
        key_id: string;
        name: string;
        role: Role;
        subject: string;
        scope: unknown;
        created_at: Date;
        created_by: string;
        revoked_at: Date | null;
      }>(
        'SELECT key_id, name, role, subject, scope, created_at, created_by, revoked_at FROM api_keys ORDER BY created_at, key_id',
      );
      return r.rows.map((k) => ({
        keyId: k.key_id,
        name: k.name,
        role: k.role,
        subject: k.subject,
        scope: scopeSchema.parse(k.scope),
        createdAt: k.created_at.toISOString(),
        createdBy: k.created_by,
        revokedAt: k.revoked_at?.toISOString(),
      }));
    },

    /** Revokes a key (kept, marked revoked: nothing is deleted); false if there is no such active key. */
    async revoke(keyId: string, by: string): Promise<boolean> {
      const r = await pool.query(
        `WITH revoked AS (UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL RETURNING key_id)
         INSERT INTO admin_events (actor_kind, actor_id, action, subject) SELECT 'person', $2, 'api_key_revoked', key_id::text FROM revoked`,
        [keyId, by],
      );
      return (r.rowCount ?? 0) > 0;
    },

    async countActiveAdmins(): Promise<number> {
      const r = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL`,
      );
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}
export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
