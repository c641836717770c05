import type { Pool } from 'pg';
import type { Actor } from '../domain/case';
import type { Hromada } from '../domain/hromadas';
import { regionCode, type Region, type RegionKind } from '../domain/regions';
import type { HromadaKind } from '../domain/vocabulary';

/**
 * Reference data in PostgreSQL: the regions register (filled by migration 008 from
 * domain/regions.ts) and the hromadas administrators import. Every write names its actor in
 * admin_events.
 */
export function createReferenceRepository(pool: Pool) {
  async function regions(): Promise<Region[]> {
    const r = await pool.query<{ code: string; name_uk: string; name_en: string; kind: RegionKind; aliases: string[] }>(
      'SELECT code, name_uk, name_en, kind, aliases FROM regions ORDER BY code',
    );
    return r.rows.map((x) => ({
      code: x.code,
      nameUk: x.name_uk,
      nameEn: x.name_en,
      kind: x.kind,
      aliases: x.aliases,
    }));
  }
  const hromadaOf = (x: {
    katottg: string;
    region_code: string;
    name_uk: string;
    name_en: string;
    kind: HromadaKind;
  }): Hromada => ({
    katottg: x.katottg,
    region: x.region_code,
    nameUk: x.name_uk,
    nameEn: x.name_en,
    kind: x.kind,
  });

  return {
    regions,

    /** The code of each region named (code or name, any case), or undefined for one the register does not know. */
    async regionCodes(inputs: string[]): Promise<(string | undefined)[]> {
      if (inputs.length === 0) return [];
      const known = await regions();
      return inputs.map((i) => regionCode(i, known));
    },

    async hromada(katottg: string): Promise<Hromada | undefined> {
      const r = await pool.query(
        'SELECT katottg, region_code, name_uk, name_en, kind FROM hromadas WHERE katottg = $1',
        [katottg],
      );
      return r.rows[0] && hromadaOf(r.rows[0]);
    },

    /** Hromadas of a region and/or whose name (either language) or code contains `q`, by name; pages of `limit` after `after` (a code). */
    async hromadas(f: { regionCode?: string; q?: string; limit: number; after?: string }): Promise<Hromada[]> {
      const q = f.q && `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      const r = await pool.query(
        `SELECT katottg, region_code, name_uk, name_en, kind FROM hromadas
          WHERE ($1::text IS NULL OR region_code = $1)
            AND ($2::text IS NULL OR lower(name_uk) LIKE $2 OR lower(name_en) LIKE $2 OR lower(katottg) LIKE $2)
            AND ($3::text IS NULL OR katottg > $3)
          ORDER BY katottg LIMIT $4`,
        [f.regionCode ?? null, q ?? null, f.after ?? null, f.limit],
      );
      return r.rows.map(hromadaOf);
    },

    /**
     * Upserts hromadas by code in one statement, and records the import in admin_events: a row the
     * same as stored changes nothing (so an import sent twice changes nothing the second time).
     */
    async importHromadas(rows: Hromada[], by: Actor): Promise<{ created: number; updated: number; unchanged: number }> {
      const r = await pool.query<{ created: number; updated: number }>(
        `WITH input AS (
           SELECT DISTINCT ON (katottg) * FROM jsonb_to_recordset($1::jsonb) AS x(katottg text, region text, "nameUk" text, "nameEn" text, kind text)
         ), upserted AS (
           INSERT INTO hromadas (katottg, region_code, name_uk, name_en, kind, updated_by)
           SELECT katottg, region, "nameUk", "nameEn", kind, $3 FROM input
           ON CONFLICT (katottg) DO UPDATE SET region_code = EXCLUDED.region_code, name_uk = EXCLUDED.name_uk, name_en = EXCLUDED.name_en,
             kind = EXCLUDED.kind, updated_at = now(), updated_by = EXCLUDED.updated_by
           WHERE (hromadas.region_code, hromadas.name_uk, hromadas.name_en, hromadas.kind) IS DISTINCT FROM (EXCLUDED.region_code, EXCLUDED.name_uk, EXCLUDED.name_en, EXCLUDED.kind)
           RETURNING (xmax = 0) AS created
         ), counted AS (
           SELECT count(*) FILTER (WHERE created)::int AS created, count(*) FILTER (WHERE NOT created)::int AS updated FROM upserted
         ), logged AS (
           INSERT INTO admin_events (actor_kind, actor_id, action, subject, details)
           SELECT $2, $3, 'hromadas_imported', 'hromadas', jsonb_build_object('rows', $4::int, 'created', created, 'updated', updated) FROM counted
         )
         SELECT created, updated FROM counted`,
        [JSON.stringify(rows), by.kind, by.id, rows.length],
      );
      const { created, updated } = r.rows[0]!;
      return { created, updated, unchanged: new Set(rows.map((x) => x.katottg)).size - created - updated };
    },
  };
}
export type ReferenceRepository = ReturnType<typeof createReferenceRepository>;
