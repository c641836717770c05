import fc from 'fast-check';
import { checkConsistency } from '../../scripts/consistency';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The API fuzzed from its own OpenAPI document: for every operation, requests with values drawn
 * from the operation's schemas (and outside them) never get a 5xx, every refusal is problem+json,
 * and the case they hit stays consistent with its workflow (no half-applied command). Strings
 * include text PostgreSQL cannot store (NUL, unpaired surrogates): each is refused with 400 naming
 * its field.
 */
jest.setTimeout(300_000);
let sys: RunningSystem;
let admin: string;
let caseId: string;

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  required?: string[];
  format?: string;
  const?: unknown;
};
type Operation = {
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { content: Partial<Record<string, { schema: Schema }>> };
};

/** Text PostgreSQL cannot store as given: NUL (22P05), and unpaired UTF-16 surrogates (not Unicode). */
const unstorableChar = fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00', '\udfff');
const unstorable = fc
  .tuple(fc.string({ maxLength: 8 }), unstorableChar, fc.string({ maxLength: 8 }))
  .map(([a, c, b]) => a + c + b);
/** What can be sent in a URL: a lone surrogate becomes U+FFFD on the way, NUL arrives as it is. */
const unstorableInUrl = fc
  .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
  .map(([a, b]) => `${a}\u0000${b}`);

/** Values shaped by a JSON schema, mixed with values of the wrong shape. */
function fromSchema(s: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const junk = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.string(),
    fc.boolean(),
    fc.constant(''),
    fc.constant('x'.repeat(5000)),
    unstorable,
  );
  if (!s || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  if (s.const !== undefined) return fc.oneof(fc.constant(s.const), junk);
  if (s.enum) return fc.oneof(fc.constantFrom(...s.enum), junk);
  if (s.anyOf) return fc.oneof(...s.anyOf.map((x) => fromSchema(x, depth + 1)), junk);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const props = Object.fromEntries(
        Object.entries(s.properties ?? {}).map(([k, v]) => [k, fromSchema(v, depth + 1)]),
      );
      return fc.oneof({ weight: 4, arbitrary: fc.record(props, { requiredKeys: [] }) }, { weight: 1, arbitrary: junk });
    }
    case 'array':
      return fc.oneof(fc.array(fromSchema(s.items, depth + 1), { maxLength: 4 }), junk);
    case 'string':
      if (s.format === 'date-time')
        return fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          junk,
        );
      if (s.format === 'date') return fc.oneof(fc.constantFrom('2026-11-23', '2027-02-30', '26-1-1'), junk);
      if (s.format === 'uuid') return fc.oneof(fc.uuid(), junk);
      return fc.oneof(
        fc.string({ maxLength: 30 }),
        fc.constantFrom('phone', 'open_case', 'Kharkiv', '%_\\', "'; DROP TABLE cases; --", 'Харків 😀'),
        unstorable,
        junk,
      );
    case 'integer':
    case 'number':
      return fc.oneof(fc.integer({ min: -5, max: 300 }), fc.double(), junk);
    case 'boolean':
      return fc.oneof(fc.boolean(), junk);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Paths to the string fields of a schema (into arrays at index 0), as the API names them: `household[0].fullName`. */
function stringFields(s: Schema | undefined, path: (string | number)[] = [], depth = 0): (string | number)[][] {
  if (!s || depth > 6) return [];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const own = types.includes('string') ? [path] : [];
  const props = Object.entries(s.properties ?? {}).flatMap(([k, v]) => stringFields(v, [...path, k], depth + 1));
  const items = s.items ? stringFields(s.items, [...path, 0], depth + 1) : [];
  const options = [...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap((x) => stringFields(x, path, depth + 1));
  return [...own, ...props, ...items, ...options];
}
/** A body with `value` at `path` and nothing else. */
function bodyWith(path: (string | number)[], value: string): unknown {
  return path.reduceRight<unknown>((inner, k) => (typeof k === 'number' ? [inner] : { [k]: inner }), value);
}
const named = (path: (string | number)[]) =>
  path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i ? `.${k}` : k)).join('');

beforeAll(async () => {
  sys = await startSystem();
  admin = await sys.issueKey('admin', 'admin-fuzz');
  await sys.registerRegions(['Fuzz']);
  await sys.registerStaff(['cm-fuzz']);
  const res = await fetch(`${sys.baseUrl}/v1/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ region: 'Fuzz', caseManagerId: 'cm-fuzz' }),
  });
  caseId = ((await res.json()) as { caseId: string }).caseId;
}, 120_000);
afterAll(async () => sys?.stop());

it('never answers 5xx, refuses with problem+json, and leaves the case consistent', async () => {
  const doc = (await (await fetch(`${sys.baseUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
  expect(operations.length).toBeGreaterThan(30);
  const failures: string[] = [];
  for (const { path, method, op } of operations) {
    const params = op.parameters ?? [];
    const request = fc.record({
      pathParams: fc.record(
        Object.fromEntries(
          params
            .filter((p) => p.in === 'path')
            .map((p) => [
              p.name,
              p.name === 'caseId'
                ? fc.oneof({ weight: 3, arbitrary: fc.constant(caseId) }, { weight: 1, arbitrary: fc.string() })
                : fc.oneof(fc.uuid(), fc.string()),
            ]),
        ),
      ),
      query: fc.record(
        Object.fromEntries(
          params
            .filter((p) => p.in === 'query')
            .map((p) => [p.name, fromSchema(p.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))]),
        ),
        { requiredKeys: [] },
      ),
      body: fromSchema(op.requestBody?.content['application/json']?.schema),
      key: fc.string({ minLength: 8, maxLength: 40 }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const url = new URL(
          sys.baseUrl +
            path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(String(r.pathParams[n] ?? 'x'))),
        );
        for (const [k, v] of Object.entries(r.query)) url.searchParams.set(k, String(v));
        const res = await fetch(url, {
          method: method.toUpperCase(),
          headers: {
            authorization: `Bearer ${admin}`,
            'content-type': 'application/json',
            'idempotency-key': encodeURIComponent(r.key),
          },
          body: method === 'get' || method === 'delete' ? undefined : JSON.stringify(r.body ?? null),
        });
        await res.arrayBuffer();
        if (res.status >= 500)
          failures.push(
            `${method.toUpperCase()} ${url.pathname}${url.search} → ${res.status} ${JSON.stringify(r.body)?.slice(0, 200)}`,
          );
        if (res.status >= 400 && !/problem\+json/.test(res.headers.get('content-type') ?? ''))
          failures.push(`${method.toUpperCase()} ${path} → ${res.status} without problem+json`);
      }),
      { numRuns: 30, seed: 20261123 },
    );
  }
  expect(failures).toEqual([]);
  expect(await checkConsistency(sys.pool, sys.temporal, { caseIds: [caseId] })).toEqual([]);
});

it('refuses text PostgreSQL cannot store in every field of every route with 400 naming the field', async () => {
  const doc = (await (await fetch(`${sys.baseUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  type Target = {
    method: string;
    path: string;
    op: Operation;
    location: 'body' | 'query' | 'params';
    field: (string | number)[];
  };
  const targets: Target[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).flatMap(([method, op]) => [
      ...stringFields(op.requestBody?.content['application/json']?.schema).map((field) => ({
        method,
        path,
        op,
        location: 'body' as const,
        field,
      })),
      ...(op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({ method, path, op, location: 'query' as const, field: [p.name] })),
      ...(op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => ({ method, path, op, location: 'params' as const, field: [p.name] })),
    ]),
  );
  // Every route that takes text: opening a case (with its household), one-off contacts, keys, commands, lists...
  expect(targets.filter((t) => t.location === 'body').map((t) => named(t.field))).toEqual(
    expect.arrayContaining(['household[0].fullName', 'client.fullName', 'name', 'subject']),
  );
  const failures: string[] = [];
  for (const t of targets) {
    await fc.assert(
      fc.asyncProperty(t.location === 'body' ? unstorable : unstorableInUrl, async (bad) => {
        const pathParams = (n: string) =>
          t.location === 'params' && n === t.field[0]
            ? bad
            : n === 'caseId'
              ? caseId
              : '00000000-0000-4000-8000-000000000000';
        const url = new URL(
          sys.baseUrl + t.path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(pathParams(n))),
        );
        if (t.location === 'query') url.searchParams.set(String(t.field[0]), bad);
        const res = await fetch(url, {
          method: t.method.toUpperCase(),
          headers: {
            authorization: `Bearer ${admin}`,
            'content-type': 'application/json',
            'idempotency-key': 'fuzz-unstorable-text',
          },
          body:
            t.method === 'get' || t.method === 'delete'
              ? undefined
              : JSON.stringify(t.location === 'body' ? bodyWith(t.field, bad) : {}),
        });
        const problem = (await res.json()) as { errors?: { location: string; path: string; code: string }[] };
        const names = problem.errors?.some(
          (e) => e.location === t.location && e.path === named(t.field) && e.code === 'invalid_characters',
        );
        if (res.status !== 400 || !names || !/problem\+json/.test(res.headers.get('content-type') ?? '')) {
          failures.push(
            `${t.method.toUpperCase()} ${t.path} ${t.location} ${named(t.field)} → ${res.status} ${JSON.stringify(problem).slice(0, 200)}`,
          );
        }
      }),
      { numRuns: 5, seed: 20261201 },
    );
  }
  expect(failures).toEqual([]);
  expect(await checkConsistency(sys.pool, sys.temporal, { caseIds: [caseId] })).toEqual([]);
});
