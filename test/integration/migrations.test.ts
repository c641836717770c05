import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { loadMigrations, migrate } from '../../db/migrate';
import { seedHromadas } from '../../domain/hromadas';
import { ukraineRegions } from '../../domain/regions';
import { testDatabaseUrl } from '../support/servers';

/** Migrations against a real, empty PostgreSQL database made for this test. */
describe('migrations', () => {
  const name = `migrations_${randomUUID().replace(/-/g, '')}`;
  const admin = new Pool({ connectionString: testDatabaseUrl() });
  let pool: Pool;

  beforeAll(async () => {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    pool = new Pool({ connectionString: url.toString() });
  });
  afterAll(async () => {
    await pool.end();
    await admin.query(`DROP DATABASE ${name}`);
    await admin.end();
  });

  /** Runs a test against a database of its own, made empty for it and dropped after. */
  async function withDatabase(suffix: string, test: (db: Pool) => Promise<void>): Promise<void> {
    const own = `${name}_${suffix}`;
    await admin.query(`CREATE DATABASE ${own}`);
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${own}`;
    const db = new Pool({ connectionString: url.toString() });
    try {
      await test(db);
    } finally {
      await db.end();
      await admin.query(`DROP DATABASE ${own}`);
    }
  }

  it('applies every migration to an empty database, in order, once', async () => {
    const all = loadMigrations().map((m) => m.version);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(await migrate(pool)).toEqual(all);
    expect(await migrate(pool)).toEqual([]);
    const recorded = await pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(recorded.rows.map((r) => r.version)).toEqual(all);
  });

  it('is safe when several processes start together', async () => {
    const url = new URL(testDatabaseUrl());
    url.pathname = `/${name}`;
    const pools = [0, 1, 2].map(() => new Pool({ connectionString: url.toString() }));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p)));
      expect(results.flat()).toEqual([]);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('rolls back a failing migration and names it', async () => {
    const broken = [
      ...loadMigrations(),
      { version: 999, name: 'broken', sql: 'CREATE TABLE t999 (x int); SELECT no_such_function();' },
    ];
    await expect(migrate(pool, broken)).rejects.toThrow(/999_broken/);
    const t = await pool.query(`SELECT to_regclass('t999') AS t`);
    expect(t.rows[0].t).toBeNull();
  });

  it('upgrades a database of the previous release (before 003) with its data intact', () =>
    withDatabase('upgrade', async (old) => {
      const all = loadMigrations();
      const previous = all.filter((m) => m.version < 3);
      expect(await migrate(old, previous)).toEqual([1, 2]);
      await old.query(
        `INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, source, policy_version, opened_at, updated_at, state)
         VALUES ('00000000-0000-4000-8000-000000000001', 'case-x', 3, 'assessment', 'routine', 'Kyiv', 'walk_in', 'ua-2026.1', now(), now(), '{}')`,
      );
      await old.query(
        `INSERT INTO case_events (case_id, seq, type, actor_kind, actor_id, at, data) VALUES ('00000000-0000-4000-8000-000000000001', 1, 'case_opened', 'tool', 'x', now(), '{}')`,
      );
      expect(await migrate(old)).toEqual(all.filter((m) => m.version >= 3).map((m) => m.version));
      const row = await old.query('SELECT stage, closed_at FROM cases');
      expect(row.rows).toEqual([{ stage: 'assessment', closed_at: null }]);
      await expect(old.query(`DELETE FROM case_events`)).rejects.toThrow(/append-only/);
    }));

  it('keeps the webhook subscriptions of a database before 006, each owned by whoever made it', () =>
    withDatabase('webhooks', async (old) => {
      const all = loadMigrations();
      await migrate(
        old,
        all.filter((m) => m.version < 6),
      );
      await old.query(
        `INSERT INTO webhook_subscriptions (subscription_id, name, url, secret, regions, active, created_by) VALUES
           ('00000000-0000-4000-8000-0000000000a1', 'registry', 'https://r.example.invalid/h', 'whsec_a', '{Kyiv}', true, 'admin-1'),
           ('00000000-0000-4000-8000-0000000000a2', 'old one', 'https://o.example.invalid/h', 'whsec_b', '{}', false, 'admin-2')`,
      );
      expect(await migrate(old)).toEqual(all.filter((m) => m.version >= 6).map((m) => m.version));
      const rows = await old.query(
        'SELECT name, secret, regions, owner, active, deactivated_at IS NOT NULL AS deactivated FROM webhook_subscriptions ORDER BY name',
      );
      expect(rows.rows).toEqual([
        { name: 'old one', secret: 'whsec_b', regions: [], owner: 'admin-2', active: false, deactivated: true },
        { name: 'registry', secret: 'whsec_a', regions: ['UA-30'], owner: 'admin-1', active: true, deactivated: false }, // Kyiv, by code since 008
      ]);
    }));
  it('rewrites the renamed need domains of a database before 010, in cases, assessments and plans, and leaves texts alone', () =>
    withDatabase('words', async (old) => {
      const all = loadMigrations();
      await migrate(
        old,
        all.filter((m) => m.version < 10),
      );
      const needs = [
        { domain: 'legal_documents', level: 'high', description: 'said "legal_documents" twice' },
        { domain: 'protection_safety', level: 'low' },
      ];
      const goals = [{ goalId: 'g1', description: 'ID card', domain: 'legal_documents', actions: [] }];
      const state = { assessments: [{ version: 1, needs }], plans: [{ version: 1, goals }] };
      const caseId = '00000000-0000-4000-8000-000000000010';
      await old.query(
        `INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, source, policy_version, opened_at, updated_at, state)
         VALUES ($1, 'case-w', 3, 'planning', 'routine', 'Kyiv', 'walk_in', 'ua-2026.1', now(), now(), $2)`,
        [caseId, state],
      );
      await old.query(
        `INSERT INTO case_assessments (case_id, version, cycle, needs, strengths, resources, submitted_at, submitted_by) VALUES ($1, 1, 1, $2, '[]', '[]', now(), 'cm')`,
        [caseId, JSON.stringify(needs)],
      );
      await old.query(
        `INSERT INTO case_plans (case_id, version, cycle, goals, status, submitted_at) VALUES ($1, 1, 1, $2, 'approved', now())`,
        [caseId, JSON.stringify(goals)],
      );
      expect(await migrate(old)).toEqual(all.filter((m) => m.version >= 10).map((m) => m.version));
      const renamed = [
        { domain: 'legal', level: 'high', description: 'said "legal_documents" twice' },
        { domain: 'protection', level: 'low' },
      ];
      const row = (await old.query('SELECT state FROM cases')).rows[0].state;
      expect(row.assessments[0].needs).toEqual(renamed);
      expect(row.plans[0].goals[0].domain).toBe('legal');
      expect((await old.query('SELECT needs FROM case_assessments')).rows[0].needs).toEqual(renamed);
      expect((await old.query('SELECT goals FROM case_plans')).rows[0].goals[0].domain).toBe('legal');
    }));

  it('upgrades a database of 007: stored region names become codes (in any case), names it does not know stay as they were', () =>
    withDatabase('regions', async (old) => {
      const all = loadMigrations();
      await migrate(
        old,
        all.filter((m) => m.version < 8),
      );
      const c1 = '00000000-0000-4000-8000-000000000081';
      const c2 = '00000000-0000-4000-8000-000000000082';
      await old.query(
        `INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, hromada, source, policy_version, opened_at, updated_at, state) VALUES
           ($1, 'case-1', 1, 'intake', 'routine', 'Kharkiv', 'Vilniansk', 'walk_in', 'p', now(), now(), '{"region": "Kharkiv"}'),
           ($2, 'case-2', 1, 'intake', 'routine', 'Atlantis', NULL, 'walk_in', 'p', now(), now(), '{"region": "Atlantis"}')`,
        [c1, c2],
      );
      await old.query(
        `INSERT INTO one_off_contacts (contact_id, region, at, recorded_by) VALUES ($1, 'харківська область', now(), 'cm')`,
        [c2],
      );
      await old.query(
        `INSERT INTO case_services (case_id, service_id, kind, category, delivered_at, region) VALUES ($1, 's1', 'case', 'legal', now(), 'kyiv')`,
        [c1],
      );
      await old.query(
        `INSERT INTO case_closures (case_id, closed_at, reason, outcome, region, opened_at, cycles, services, referrals) VALUES ($1, now(), 'moved', 'none', 'Lviv', now(), 1, '{}', 0)`,
        [c1],
      );
      await old.query(
        `INSERT INTO case_escalations (case_id, escalation_id, deadline_id, reason, level, status, opened_at, respond_by, region) VALUES ($1, 'e1', 'd1', 'r', 'head', 'open', now(), now(), 'Odesa')`,
        [c1],
      );
      await old.query(
        `INSERT INTO api_keys (key_id, key_hash, name, role, subject, scope, created_by) VALUES (gen_random_uuid(), '\\x01', 'k', 'head', 'h', '{"regions": ["Kharkiv", "Atlantis"], "teams": ["cm"]}', 'a')`,
      );
      await old.query(
        `INSERT INTO api_keys (key_id, key_hash, name, role, subject, scope, created_by) VALUES (gen_random_uuid(), '\\x02', 'Olena, Kharkiv', 'case_manager', 'cm-olena', '{"regions": ["kharkiv"]}', 'a')`,
      );
      await old.query(`UPDATE cases SET case_manager_id = 'cm-olena', supervisor_id = 'sup-old' WHERE case_id = $1`, [
        c1,
      ]);
      await old.query(
        `INSERT INTO webhook_subscriptions (subscription_id, name, url, secret, regions, owner, created_by) VALUES (gen_random_uuid(), 's', 'https://x.invalid', 'whsec', '{Poltava,Atlantis}', 'a', 'a')`,
      );
      await old.query(
        `INSERT INTO notifications (case_id, seq, recipient_role, recipient_id, kind, title_uk, title_en, created_at) VALUES ($1, 1, 'head', 'head:Kharkiv', 'escalation', 't', 't', now())`,
        [c1],
      );

      expect(await migrate(old)).toEqual(all.filter((m) => m.version >= 8).map((m) => m.version));
      const q = async (sql: string) => (await old.query(sql)).rows;
      expect(await q(`SELECT region, hromada, state->>'region' AS state_region FROM cases ORDER BY case_id`)).toEqual([
        { region: 'UA-63', hromada: 'Vilniansk', state_region: 'UA-63' },
        { region: 'Atlantis', hromada: null, state_region: 'Atlantis' },
      ]);
      expect(await q('SELECT region FROM one_off_contacts')).toEqual([{ region: 'UA-63' }]);
      expect(await q('SELECT region FROM case_services')).toEqual([{ region: 'UA-30' }]);
      expect(await q('SELECT region FROM case_closures')).toEqual([{ region: 'UA-46' }]);
      expect(await q('SELECT region FROM case_escalations')).toEqual([{ region: 'UA-51' }]);
      expect(await q(`SELECT scope FROM api_keys WHERE subject = 'h'`)).toEqual([
        { scope: { regions: ['UA-63', 'Atlantis'], teams: ['cm'] } },
      ]);
      // The staff that keys and cases name are registered, so their keys, cases and reassignments keep working.
      expect(await q('SELECT staff_id, name, role, region_code, active FROM staff ORDER BY staff_id')).toEqual([
        { staff_id: 'cm-olena', name: 'Olena, Kharkiv', role: 'case_manager', region_code: 'UA-63', active: true },
        { staff_id: 'h', name: 'k', role: 'head', region_code: null, active: true },
        { staff_id: 'sup-old', name: 'sup-old', role: 'supervisor', region_code: null, active: true },
      ]);
      expect(await q('SELECT regions FROM webhook_subscriptions')).toEqual([{ regions: ['UA-53', 'Atlantis'] }]);
      expect(await q('SELECT recipient_id FROM notifications')).toEqual([{ recipient_id: 'head:UA-63' }]);
      expect((await q('SELECT count(*)::int AS n FROM regions'))[0].n).toBe(27);
    }));

  it('fills the regions register with exactly the regions domain/regions.ts ships', async () => {
    const rows = (await pool.query('SELECT code, name_uk, name_en, kind, aliases FROM regions ORDER BY code')).rows;
    expect(rows).toEqual(
      ukraineRegions.map((r) => ({
        code: r.code,
        name_uk: r.nameUk,
        name_en: r.nameEn,
        kind: r.kind,
        aliases: r.aliases,
      })),
    );
    const seeded = (
      await pool.query(
        'SELECT katottg, region_code AS region, name_uk AS "nameUk", name_en AS "nameEn", kind FROM hromadas ORDER BY katottg',
      )
    ).rows;
    expect(seeded).toEqual([...seedHromadas].sort((a, b) => a.katottg.localeCompare(b.katottg)));
  });
});
