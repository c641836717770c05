import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Pool } from 'pg';
import type { Actor } from '../domain/case';
import { actorFor, type Principal, type Role } from '../domain/principal';
import { deleteInBatches } from './pool';

/**
 * Password accounts and sessions for the people of the staff registry (the web console). A person
 * gets the role of their registry entry, the scope of their region, and, as a supervisor, the team
 * of the staff they supervise: the same roles and scopes as keys, taken from the registry rather
 * than written twice. Passwords are hashed with argon2id (the `argon2` package, OWASP's first
 * choice); sessions are random 256-bit tokens stored as their SHA-256.
 */
export interface SignInPolicy {
  sessionTtlMs: number;
  maxFailures: number;
  lockoutMs: number;
}

export interface StaffSession {
  staffId: string;
  name: string;
  role: Exclude<Role, 'integration'>;
  /** Their region's ISO 3166-2:UA code (none: all regions). */
  region?: string;
  csrfToken: string;
  expiresAt: string;
  mustChangePassword: boolean;
}

export type SignInResult =
  | { ok: true; token: string; session: StaffSession }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; lockedUntil: string };

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
export const normaliseLogin = (login: string) => login.trim().toLowerCase();

// Verified against when the login is unknown, so an unknown login takes as long as a wrong password.
let decoy: Promise<string> | undefined;

export function createStaffAccountRepository(pool: Pool, policy: SignInPolicy, clock: () => Date = () => new Date()) {
  type PrincipalRow = {
    staff_id: string;
    name: string;
    role: StaffSession['role'];
    region_code: string | null;
    team: string[];
  };
  const principalOf = (r: PrincipalRow): Principal => ({
    keyId: `session:${r.staff_id}`,
    role: r.role,
    subject: r.staff_id,
    scope: {
      ...(r.region_code ? { regions: [r.region_code] } : {}),
      ...(r.role === 'supervisor' && r.team.length ? { teams: r.team } : {}),
    },
    actor: actorFor(r.role, r.staff_id),
  });

  return {
    async signIn(login: string, password: string): Promise<SignInResult> {
      const now = clock();
      const r = await pool.query<{
        staff_id: string;
        password_hash: string;
        failed_attempts: number;
        locked_until: Date | null;
        must_change_password: boolean;
        name: string;
        role: StaffSession['role'];
        region_code: string | null;
      }>(
        `SELECT a.staff_id, a.password_hash, a.failed_attempts, a.locked_until, a.must_change_password, s.name, s.role, s.region_code
           FROM staff_accounts a JOIN staff s USING (staff_id) WHERE a.login = $1 AND s.active`,
        [normaliseLogin(login)],
      );
      const account = r.rows[0];
      if (!account) {
        await argon2.verify(await (decoy ??= argon2.hash(newToken())), password).catch(() => false);
        return { ok: false, reason: 'invalid' };
      }
      if (account.locked_until && account.locked_until > now)
        return { ok: false, reason: 'locked', lockedUntil: account.locked_until.toISOString() };
      if (!(await argon2.verify(account.password_hash, password))) {
        // The failure that reaches the limit locks the account for a while and starts the count again.
        const u = await pool.query<{ locked_until: Date | null }>(
          `UPDATE staff_accounts SET
             failed_attempts = CASE WHEN failed_attempts + 1 >= $2 THEN 0 ELSE failed_attempts + 1 END,
             locked_until = CASE WHEN failed_attempts + 1 >= $2 THEN $3::timestamptz ELSE locked_until END
           WHERE staff_id = $1 RETURNING locked_until`,
          [account.staff_id, policy.maxFailures, new Date(now.getTime() + policy.lockoutMs)],
        );
        const lockedUntil = u.rows[0]?.locked_until;
        await audit(account.staff_id, lockedUntil && lockedUntil > now ? 'sign_in_locked_out' : 'sign_in_failed');
        return lockedUntil && lockedUntil > now
          ? { ok: false, reason: 'locked', lockedUntil: lockedUntil.toISOString() }
          : { ok: false, reason: 'invalid' };
      }
      const token = newToken();
      const csrfToken = newToken();
      const expiresAt = new Date(now.getTime() + policy.sessionTtlMs);
      await pool.query(
        `WITH reset AS (UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL WHERE staff_id = $2)
         INSERT INTO staff_sessions (session_hash, staff_id, csrf_token, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $4)`,
        [sha256(token), account.staff_id, csrfToken, now, expiresAt],
      );
      await audit(account.staff_id, 'signed_in');
      return {
        ok: true,
        token,
        session: {
          staffId: account.staff_id,
          name: account.name,
          role: account.role,
          region: account.region_code ?? undefined,
          csrfToken,
          expiresAt: expiresAt.toISOString(),
          mustChangePassword: account.must_change_password,
        },
      };
    },

    /** The principal and session of a cookie's token, if it is a live session of an active member of staff. */
    async authenticate(token: string): Promise<{ principal: Principal; session: StaffSession } | undefined> {
      const now = clock();
      // One round trip per request: the session (its last use noted) with the person it belongs to.
      const r = await pool.query<
        PrincipalRow & { csrf_token: string; expires_at: Date; must_change_password: boolean }
      >(
        `WITH live AS (
           UPDATE staff_sessions ss SET last_seen_at = $2 FROM staff_accounts a
            WHERE ss.session_hash = $1 AND ss.ended_at IS NULL AND ss.expires_at > $2 AND a.staff_id = ss.staff_id
            RETURNING ss.staff_id, ss.csrf_token, ss.expires_at, a.must_change_password
         )
         SELECT s.staff_id, s.name, s.role, s.region_code, live.csrf_token, live.expires_at, live.must_change_password,
                ARRAY(SELECT t.staff_id FROM staff t WHERE t.supervisor_id = s.staff_id AND t.active ORDER BY t.staff_id) AS team
           FROM live JOIN staff s ON s.staff_id = live.staff_id AND s.active`,
        [sha256(token), now],
      );
      const row = r.rows[0];
      if (!row) return undefined;
      return {
        principal: principalOf(row),
        session: {
          staffId: row.staff_id,
          name: row.name,
          role: row.role,
          region: row.region_code ?? undefined,
          csrfToken: row.csrf_token,
          expiresAt: row.expires_at.toISOString(),
          mustChangePassword: row.must_change_password,
        },
      };
    },

    async signOut(token: string): Promise<void> {
      const r = await pool.query<{ staff_id: string }>(
        'UPDATE staff_sessions SET ended_at = $2 WHERE session_hash = $1 AND ended_at IS NULL RETURNING staff_id',
        [sha256(token), clock()],
      );
      if (r.rows[0]) await audit(r.rows[0].staff_id, 'signed_out');
    },

    /**
     * An administrator creates the account of a member of staff or resets its password: the person
     * must choose their own at the next sign-in, and every session they had ends. False: no such staff.
     */
    async setByAdmin(
      staffId: string,
      login: string,
      password: string,
      by: Actor,
    ): Promise<'created' | 'reset' | 'no_staff' | 'login_taken'> {
      const hash = await argon2.hash(password, { type: argon2.argon2id });
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const staff = await client.query('SELECT 1 FROM staff WHERE staff_id = $1 FOR UPDATE', [staffId]);
        if (!staff.rowCount) {
          await client.query('ROLLBACK');
          return 'no_staff';
        }
        const taken = await client.query('SELECT 1 FROM staff_accounts WHERE login = $1 AND staff_id <> $2', [
          normaliseLogin(login),
          staffId,
        ]);
        if (taken.rowCount) {
          await client.query('ROLLBACK');
          return 'login_taken';
        }
        const r = await client.query<{ created: boolean }>(
          `INSERT INTO staff_accounts (staff_id, login, password_hash, must_change_password, password_set_by) VALUES ($1, $2, $3, true, $4)
           ON CONFLICT (staff_id) DO UPDATE SET login = EXCLUDED.login, password_hash = EXCLUDED.password_hash, must_change_password = true,
             failed_attempts = 0, locked_until = NULL, password_set_at = now(), password_set_by = EXCLUDED.password_set_by
           RETURNING (xmax = 0) AS created`,
          [staffId, normaliseLogin(login), hash, by.id],
        );
        await client.query('UPDATE staff_sessions SET ended_at = now() WHERE staff_id = $1 AND ended_at IS NULL', [
          staffId,
        ]);
        const created = r.rows[0]!.created;
        await client.query(`INSERT INTO admin_events (actor_kind, actor_id, action, subject) VALUES ($1, $2, $3, $4)`, [
          by.kind,
          by.id,
          created ? 'staff_account_created' : 'staff_password_reset',
          staffId,
        ]);
        await client.query('COMMIT');
        return created ? 'created' : 'reset';
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },

    /** A person changes their own password, knowing the current one. */
    async changeOwn(staffId: string, current: string, next: string): Promise<boolean> {
      const r = await pool.query<{ password_hash: string }>(
        'SELECT password_hash FROM staff_accounts WHERE staff_id = $1',
        [staffId],
      );
      const row = r.rows[0];
      if (!row || !(await argon2.verify(row.password_hash, current))) return false;
      await pool.query(
        'UPDATE staff_accounts SET password_hash = $2, must_change_password = false, password_set_at = now(), password_set_by = $1 WHERE staff_id = $1',
        [staffId, await argon2.hash(next, { type: argon2.argon2id })],
      );
      await audit(staffId, 'password_changed');
      return true;
    },

    /**
     * Deletes sessions that expired more than `days` ago (a session signed out early goes with its
     * expiry), in batches; answers how many went. Who signed in and out stays in admin_events.
     */
    async purgeSessionsExpiredBefore(days: number, batch = 5_000): Promise<number> {
      return deleteInBatches(
        pool,
        `DELETE FROM staff_sessions WHERE session_hash IN (
           SELECT session_hash FROM staff_sessions WHERE expires_at < $1::timestamptz - make_interval(days => $2) LIMIT $3)`,
        [clock(), days],
        batch,
      );
    },
  };

  async function audit(staffId: string, action: string): Promise<void> {
    await pool.query(`INSERT INTO admin_events (actor_kind, actor_id, action, subject) VALUES ('person', $1, $2, $1)`, [
      staffId,
      action,
    ]);
  }
}

export type StaffAccountRepository = ReturnType<typeof createStaffAccountRepository>;
