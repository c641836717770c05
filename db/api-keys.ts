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
    async issue(input: { name: string; role: Role; subject: string; scope?: Scope; createdBy: string }): Promise<{ keyId: string; key: string }> {
      const key = generateKey();
      const keyId = randomUUID();
      await pool.query(
        `INSERT INTO api_keys (key_id, key_hash, name, role, subject, scope, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
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
      return { keyId: row.key_id, role: row.role, subject: row.subject, scope: scopeSchema.parse(row.scope), actor: actorFor(row.role, row.subject) };
    },

    async countActiveAdmins(): Promise<number> {
      const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL`);
      return Number(r.rows[0]?.n ?? 0);
    },
  };
}
export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
