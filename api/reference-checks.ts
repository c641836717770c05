import type { ScopedWrite } from '../domain/principal';
import { katottgCode } from '../domain/hromadas';
import type { ApiDeps } from './deps';
import { HttpProblem, type InputLocation } from './problem';

/**
 * Writes are checked against the reference data before anything is sent on: regions against the
 * register (the code, or a name in English or Ukrainian, in any case; stored as the code), hromadas
 * by KATOTTG code within the region, staff ids against the staff registry. A failing field is 400
 * naming it (`errors[]`, codes `unknown_region`, `unknown_hromada`, `hromada_outside_region`,
 * `unknown_staff`, `inactive_staff`). Queries are lenient: a name is matched by its code, anything
 * else as stored (free text of before migration 008 stays findable).
 */
interface FieldError {
  location: InputLocation;
  path: string;
  message: string;
  code: string;
}

export function invalidFields(errors: FieldError[]): HttpProblem {
  return new HttpProblem(
    400,
    'Invalid request',
    `Not in the reference data: ${errors.map((e) => e.path).join(', ')}.`,
    { errors },
  );
}

/** The codes of the regions at these paths (in order), or 400 naming every one the register does not know. */
export async function regionCodesAt(
  deps: Pick<ApiDeps, 'reference'>,
  fields: { path: string; value: string }[],
  location: InputLocation = 'body',
): Promise<string[]> {
  const codes = await deps.reference.regionCodes(fields.map((f) => f.value));
  const errors = fields.flatMap((f, i) =>
    codes[i]
      ? []
      : [
          {
            location,
            path: f.path,
            message: `unknown region ${f.value}: send its ISO 3166-2:UA code (GET /v1/regions) or its name`,
            code: 'unknown_region',
          },
        ],
  );
  if (errors.length) throw invalidFields(errors);
  return codes as string[];
}

export async function regionCodeAt(
  deps: Pick<ApiDeps, 'reference'>,
  path: string,
  value: string,
  location: InputLocation = 'body',
): Promise<string> {
  return (await regionCodesAt(deps, [{ path, value }], location))[0]!;
}

/** A region in a query: its code if the name is known, else the text as sent (matched as stored). */
export async function regionQuery(deps: Pick<ApiDeps, 'reference'>, value: string): Promise<string> {
  return (await deps.reference.regionCodes([value]))[0] ?? value;
}

/** The KATOTTG code of a hromada that exists and lies in `regionCode`, or 400 naming `path`. */
export async function hromadaCodeAt(
  deps: Pick<ApiDeps, 'reference'>,
  path: string,
  value: string,
  regionCode: string,
): Promise<string> {
  const code = katottgCode(value);
  const found = code && (await deps.reference.hromada(code));
  if (!found)
    throw invalidFields([
      {
        location: 'body',
        path,
        message: `unknown hromada ${value}: send its KATOTTG code (GET /v1/hromadas)`,
        code: 'unknown_hromada',
      },
    ]);
  if (found.region !== regionCode) {
    throw invalidFields([
      {
        location: 'body',
        path,
        message: `hromada ${found.katottg} lies in ${found.region}, not ${regionCode}`,
        code: 'hromada_outside_region',
      },
    ]);
  }
  return found.katottg;
}

/** 400 naming each staff id (by its path) that is not registered, or (unless `inactiveToo`) not active. */
export async function requireStaff(
  deps: Pick<ApiDeps, 'staff'>,
  fields: { path: string; value: string | undefined }[],
  opts: { inactiveToo?: boolean; location?: InputLocation } = {},
): Promise<void> {
  const named = fields.filter((f): f is { path: string; value: string } => f.value !== undefined);
  const known = await deps.staff.known([...new Set(named.map((f) => f.value))]);
  const errors = named.flatMap((f) => {
    const m = known.get(f.value);
    if (!m)
      return [
        {
          location: opts.location ?? 'body',
          path: f.path,
          message: `no staff member ${f.value} in the registry (/v1/staff)`,
          code: 'unknown_staff',
        },
      ];
    if (!m.active && !opts.inactiveToo)
      return [
        {
          location: opts.location ?? 'body',
          path: f.path,
          message: `staff member ${f.value} is inactive`,
          code: 'inactive_staff',
        },
      ];
    return [];
  });
  if (errors.length) throw invalidFields(errors);
}

/** What opening a case names, checked and made canonical in place: the region's code, the hromada's, the staff. */
export async function checkOpening(
  deps: Pick<ApiDeps, 'reference' | 'staff'>,
  open: { region: string; hromada?: string; caseManagerId?: string; supervisorId?: string },
): Promise<void> {
  open.region = await regionCodeAt(deps, 'region', open.region);
  if (open.hromada !== undefined) open.hromada = await hromadaCodeAt(deps, 'hromada', open.hromada, open.region);
  await requireStaff(deps, [
    { path: 'caseManagerId', value: open.caseManagerId },
    { path: 'supervisorId', value: open.supervisorId },
  ]);
}

/** A list's region and hromada filters matched by code (in place), as regionQuery says. */
export async function canonicalPlaceFilter(
  deps: Pick<ApiDeps, 'reference'>,
  f: { region?: string; hromada?: string },
): Promise<void> {
  if (f.region !== undefined) f.region = await regionQuery(deps, f.region);
  if (f.hromada !== undefined) f.hromada = katottgCode(f.hromada) ?? f.hromada;
}

/**
 * What a new API key names, checked: a person's key belongs to an active member of the staff
 * registry, its teams are registered staff, its regions are stored as codes. Returns the scope to keep.
 */
export async function checkKeyRequest(
  deps: Pick<ApiDeps, 'reference' | 'staff'>,
  key: { role: string; subject: string; scope: { regions?: string[]; teams?: string[] } },
): Promise<{ regions?: string[]; teams?: string[] }> {
  const regions =
    key.scope.regions &&
    (await regionCodesAt(
      deps,
      key.scope.regions.map((value, i) => ({ path: `scope.regions[${i}]`, value })),
    ));
  if (key.role !== 'integration') await requireStaff(deps, [{ path: 'subject', value: key.subject }]);
  await requireStaff(
    deps,
    (key.scope.teams ?? []).map((value, i) => ({ path: `scope.teams[${i}]`, value })),
    { inactiveToo: true },
  );
  return { ...key.scope, ...(regions ? { regions } : {}) };
}

/** The staff a command's team change names (assignTeam, answerEscalation), by their body paths: each must be active in the registry. */
export async function requireTeamStaff(deps: Pick<ApiDeps, 'staff'>, write: ScopedWrite): Promise<void> {
  await requireStaff(deps, [
    { path: 'caseManagerId', value: write.caseManagerId },
    { path: 'supervisorId', value: write.supervisorId },
    ...(write.members ?? []).map((value, i) => ({ path: `members[${i}].staffId`, value })),
  ]);
}

/**
 * The reference data and staff lookups the checks above make, remembered for one request: an import
 * checks thousands of rows that name a handful of regions, hromadas and staff.
 */
export function memoizedReference(deps: Pick<ApiDeps, 'reference' | 'staff'>): Pick<ApiDeps, 'reference' | 'staff'> {
  const memo = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => {
    const seen = new Map<string, Promise<R>>();
    return (...args: A): Promise<R> => {
      const key = JSON.stringify(args);
      let r = seen.get(key);
      if (!r) seen.set(key, (r = f(...args)));
      return r;
    };
  };
  return {
    reference: {
      ...deps.reference,
      regionCodes: memo(deps.reference.regionCodes.bind(deps.reference)),
      hromada: memo(deps.reference.hromada.bind(deps.reference)),
    },
    staff: { ...deps.staff, known: memo(deps.staff.known.bind(deps.staff)) },
  };
}
