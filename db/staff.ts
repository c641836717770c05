import type { Pool } from 'pg';
import type { Actor } from '../domain/case';
import type { StaffMember, StaffRole } from '../domain/staff';

interface Row {
  staff_id: string;
  name: string;
  role: StaffRole;
  region_code: string | null;
  supervisor_id: string | null;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}
const columns = 'staff_id, name, role, region_code, supervisor_id, active, created_at, updated_at';
const memberOf = (x: Row): StaffMember => ({
  staffId: x.staff_id,
  name: x.name,
  role: x.role,
  region: x.region_code ?? undefined,
  supervisorId: x.supervisor_id ?? undefined,
  active: x.active,
  createdAt: x.created_at.toISOString(),
  updatedAt: x.updated_at.toISOString(),
});

/** What of a staff member admin_events keeps: everything but the name (personal data), which is named as changed only. */
const auditDetails = `jsonb_strip_nulls(jsonb_build_object('role', s.role, 'region', s.region_code, 'supervisorId', s.supervisor_id, 'active', s.active))`;

export type StaffChanges = Partial<{
  name: string;
  role: StaffRole;
  region: string | null;
  supervisorId: string | null;
  active: boolean;
}>;

/** The staff registry: the people keys, teams and reassignments refer to. Nothing is deleted: a leaver is made inactive. */
export function createStaffRepository(pool: Pool) {
  return {
    /** Registers a staff member; false if the id is taken. */
    async register(
      m: { staffId: string; name: string; role: StaffRole; region?: string; supervisorId?: string; active?: boolean },
      by: Actor,
    ): Promise<StaffMember | undefined> {
      const r = await pool.query<Row>(
        `WITH s AS (
           INSERT INTO staff (staff_id, name, role, region_code, supervisor_id, active, created_by, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $8, $8) ON CONFLICT (staff_id) DO NOTHING RETURNING ${columns}
         ), logged AS (
           INSERT INTO admin_events (actor_kind, actor_id, action, subject, details)
           SELECT $7, $8, 'staff_registered', s.staff_id, ${auditDetails} FROM s
         )
         SELECT * FROM s`,
        [m.staffId, m.name, m.role, m.region ?? null, m.supervisorId ?? null, m.active ?? true, by.kind, by.id],
      );
      return r.rows[0] && memberOf(r.rows[0]);
    },

    async get(staffId: string): Promise<StaffMember | undefined> {
      const r = await pool.query<Row>(`SELECT ${columns} FROM staff WHERE staff_id = $1`, [staffId]);
      return r.rows[0] && memberOf(r.rows[0]);
    },

    async list(f: {
      role?: StaffRole;
      region?: string;
      supervisorId?: string;
      active?: boolean;
      limit: number;
      after?: string;
    }): Promise<StaffMember[]> {
      const r = await pool.query<Row>(
        `SELECT ${columns} FROM staff
          WHERE ($1::text IS NULL OR role = $1) AND ($2::text IS NULL OR region_code = $2) AND ($3::text IS NULL OR supervisor_id = $3)
            AND ($4::boolean IS NULL OR active = $4) AND ($5::text IS NULL OR staff_id > $5)
          ORDER BY staff_id LIMIT $6`,
        [f.role ?? null, f.region ?? null, f.supervisorId ?? null, f.active ?? null, f.after ?? null, f.limit],
      );
      return r.rows.map(memberOf);
    },

    /** Changes what is sent (null clears); records the fields changed. Undefined if there is no such member. */
    async update(
      staffId: string,
      c: StaffChanges,
      by: Actor,
    ): Promise<{ member: StaffMember; changed: string[] } | undefined> {
      const before = await this.get(staffId);
      if (!before) return undefined;
      const changed = (Object.keys(c) as (keyof StaffChanges)[]).filter((k) => (c[k] ?? undefined) !== before[k]);
      if (changed.length === 0) return { member: before, changed };
      const has = (k: keyof StaffChanges) => changed.includes(k);
      const r = await pool.query<Row>(
        `WITH s AS (
           UPDATE staff SET name = CASE WHEN $2 THEN $3 ELSE name END, role = CASE WHEN $4 THEN $5 ELSE role END,
                  region_code = CASE WHEN $6 THEN $7 ELSE region_code END, supervisor_id = CASE WHEN $8 THEN $9 ELSE supervisor_id END,
                  active = CASE WHEN $10 THEN $11 ELSE active END, updated_at = now(), updated_by = $13
            WHERE staff_id = $1 RETURNING ${columns}
         ), logged AS (
           INSERT INTO admin_events (actor_kind, actor_id, action, subject, details)
           SELECT $12, $13, 'staff_changed', s.staff_id, ${auditDetails} || jsonb_build_object('changed', $14::text[]) FROM s
         )
         SELECT * FROM s`,
        [
          staffId,
          has('name'),
          c.name ?? null,
          has('role'),
          c.role ?? null,
          has('region'),
          c.region ?? null,
          has('supervisorId'),
          c.supervisorId ?? null,
          has('active'),
          c.active ?? null,
          by.kind,
          by.id,
          changed,
        ],
      );
      return { member: memberOf(r.rows[0]!), changed };
    },

    /** Which of these ids are registered, and whether each is active. */
    async known(staffIds: string[]): Promise<Map<string, { active: boolean; role: StaffRole }>> {
      if (staffIds.length === 0) return new Map();
      const r = await pool.query<{ staff_id: string; active: boolean; role: StaffRole }>(
        'SELECT staff_id, active, role FROM staff WHERE staff_id = ANY($1::text[])',
        [staffIds],
      );
      return new Map(r.rows.map((x) => [x.staff_id, { active: x.active, role: x.role }]));
    },
  };
}
export type StaffRepository = ReturnType<typeof createStaffRepository>;
