import { z } from 'zod';
import { regionCode, type Region, ukraineRegions } from './regions';
import { hromadaKinds, type HromadaKind } from './vocabulary';

/**
 * Hromadas (territorial communities), keyed by their KATOTTG code (the codifier of administrative
 * and territorial units, Ministry of Development order No. 290 of 2020): "UA" and 17 digits, the
 * first two naming the region. Administrators import them as CSV (docs/API.md, "Hromadas").
 */
export const katottgPattern = /^UA\d{17}$/;

export interface Hromada {
  katottg: string;
  region: string;
  nameUk: string;
  nameEn: string;
  kind: HromadaKind;
}

/** KATOTTG's first level equals ISO 3166-2:UA for oblasts; the two cities and Crimea have their own. */
const katottgFirstLevel: Record<string, string> = { '80': 'UA-30', '85': 'UA-40', '01': 'UA-43' };

/** The region a KATOTTG code lies in (UA63… is UA-63, Kharkiv Oblast; UA80… is Kyiv). */
export function katottgRegion(katottg: string): string | undefined {
  const digits = katottg.slice(2, 4);
  const code = katottgFirstLevel[digits] ?? `UA-${digits}`;
  return ukraineRegions.some((r) => r.code === code) ? code : undefined;
}

/** A code as a caller may send it (any case, spaces around): the stored form, or undefined if it is not one. */
export function katottgCode(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  return katottgPattern.test(code) ? code : undefined;
}

/** The columns of the import, in any order; `region` may be left empty (the code names it). */
export const hromadaCsvColumns = ['katottg', 'region', 'name_uk', 'name_en', 'kind'] as const;
const required = ['katottg', 'name_uk', 'name_en', 'kind'] as const;

const rowSchema = z.object({
  katottg: z
    .string()
    .transform(
      (s, ctx) =>
        katottgCode(s) ?? (ctx.addIssue({ code: 'custom', message: 'a KATOTTG code: UA and 17 digits' }), z.NEVER),
    ),
  region: z.string().optional(),
  name_uk: z.string().trim().min(1).max(200),
  name_en: z.string().trim().min(1).max(200),
  kind: z.enum(hromadaKinds),
});

export interface CsvRowError {
  /** The line of the file (1 is the header). */
  line: number;
  katottg?: string;
  errors: { column: string; message: string }[];
}

/** RFC 4180 fields: commas or semicolons (as spreadsheets in Ukrainian locales save), quotes doubled inside quotes. */
function csvRecords(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (body[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      endRecord();
    } else field += ch;
  }
  if (field !== '' || record.length) endRecord();
  return records;
}

/**
 * Parses an import file: a header naming the columns, then one hromada a line. Each line is checked
 * on its own (code, names, kind, and that the code lies in the region named); the good ones are
 * returned to be upserted and every bad one is reported with its line and columns. `regions`: the
 * register a `region` column is read against.
 */
export function parseHromadaCsv(
  text: string,
  regions: readonly Region[] = ukraineRegions,
): { rows: Hromada[]; errors: CsvRowError[]; headerErrors: string[] } {
  const [header = [], ...lines] = csvRecords(text);
  const columns = header.map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !columns.includes(c));
  if (missing.length) return { rows: [], errors: [], headerErrors: missing.map((c) => `missing column ${c}`) };
  const rows: Hromada[] = [];
  const errors: CsvRowError[] = [];
  lines.forEach((fields, i) => {
    const line = i + 2;
    if (fields.every((f) => f.trim() === '')) return; // a blank line
    const raw = Object.fromEntries(columns.map((c, k) => [c, fields[k] ?? '']));
    if (raw.region !== undefined && raw.region.trim() === '') delete raw.region;
    const parsed = rowSchema.safeParse(raw);
    const rowErrors = parsed.success
      ? []
      : parsed.error.issues.map((x) => ({ column: String(x.path[0] ?? ''), message: x.message }));
    const katottg = parsed.success ? parsed.data.katottg : katottgCode(raw.katottg ?? '');
    const inRegion = katottg ? katottgRegion(katottg) : undefined;
    if (katottg && !inRegion)
      rowErrors.push({ column: 'katottg', message: 'its first two digits name no region of Ukraine' });
    if (parsed.success && parsed.data.region !== undefined && inRegion) {
      const named = regionCode(parsed.data.region, regions);
      if (!named) rowErrors.push({ column: 'region', message: `unknown region ${parsed.data.region}` });
      else if (named !== inRegion)
        rowErrors.push({ column: 'region', message: `the code lies in ${inRegion}, not ${named}` });
    }
    if (rowErrors.length || !parsed.success || !inRegion) {
      errors.push({ line, katottg, errors: rowErrors });
      return;
    }
    rows.push({
      katottg: parsed.data.katottg,
      region: inRegion,
      nameUk: parsed.data.name_uk,
      nameEn: parsed.data.name_en,
      kind: parsed.data.kind,
    });
  });
  return { rows, errors, headerErrors: [] };
}

/** Hromadas shipped with migration 008, so a new installation has a few real ones (Kharkiv Oblast). */
export const seedHromadas: readonly Hromada[] = [
  {
    katottg: 'UA63120270000028556',
    region: 'UA-63',
    nameUk: 'Харківська міська територіальна громада',
    nameEn: 'Kharkiv urban hromada',
    kind: 'urban',
  },
  {
    katottg: 'UA63040090000021240',
    region: 'UA-63',
    nameUk: 'Ізюмська міська територіальна громада',
    nameEn: 'Izium urban hromada',
    kind: 'urban',
  },
  {
    katottg: 'UA63140170000087785',
    region: 'UA-63',
    nameUk: 'Чугуївська міська територіальна громада',
    nameEn: 'Chuhuiv urban hromada',
    kind: 'urban',
  },
  {
    katottg: 'UA63100050000079487',
    region: 'UA-63',
    nameUk: 'Лозівська міська територіальна громада',
    nameEn: 'Lozova urban hromada',
    kind: 'urban',
  },
  {
    katottg: 'UA63120290000021734',
    region: 'UA-63',
    nameUk: 'Циркунівська сільська територіальна громада',
    nameEn: 'Tsyrkuny rural hromada',
    kind: 'rural',
  },
];
