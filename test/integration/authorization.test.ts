import { allRoutes } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { roles, type Role } from '../../domain/principal';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Every route against every role, over HTTP: a role the route allows is never refused (it may get
 * 400 or 409 for the empty body), a role it does not allow always gets 403; and a key whose scope
 * does not include the case is refused on every case route.
 */
let sys: RunningSystem;
let caseId: string;
const keys = {} as Record<Role | 'outsider', string>;

beforeAll(async () => {
  sys = await startSystem();
  keys.integration = await sys.issueKey('integration', 'tool-table');
  keys.case_manager = await sys.issueKey('case_manager', 'cm-table');
  keys.supervisor = await sys.issueKey('supervisor', 'sup-table');
  keys.head = await sys.issueKey('head', 'head-table');
  keys.admin = await sys.issueKey('admin', 'admin-table');
  keys.outsider = await sys.issueKey('case_manager', 'cm-elsewhere');
  const res = await fetch(`${sys.baseUrl}/v1/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.integration}`, 'content-type': 'application/json' },
    body: JSON.stringify({ region: 'Zhytomyr', caseManagerId: 'cm-table', supervisorId: 'sup-table' }),
  });
  caseId = ((await res.json()) as { caseId: string }).caseId;
}, 120_000);
afterAll(async () => sys?.stop());

const routes = allRoutes({} as ApiDeps, () => ({})).filter((r) => r.access !== 'public');

function call(method: string, path: string, key: string) {
  // Other parameters (a person on the case) get an id that parses, so the scope check is reached.
  const url = sys.baseUrl + path.replace(':caseId', caseId).replace(/:[A-Za-z]+Id\b/g, '00000000-0000-4000-8000-000000000000');
  return fetch(url, {
    method: method.toUpperCase(),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: method === 'get' ? undefined : '{}',
  });
}

it('has a table to check', () => {
  expect(routes.length).toBeGreaterThan(20);
});

it.each(routes.map((r) => [r.method.toUpperCase(), r.path, r] as const))('%s %s answers each role as declared', async (_m, _p, route) => {
  const seen: Record<string, number> = {};
  for (const role of roles) seen[role] = (await call(route.method, route.path, keys[role])).status;
  const expected = Object.fromEntries(roles.map((role) => [role, (route.access as readonly Role[]).includes(role) ? 'allowed' : 'forbidden']));
  const got = Object.fromEntries(roles.map((role) => [role, seen[role] === 403 ? 'forbidden' : 'allowed']));
  expect(got).toEqual(expected);
});

it('refuses a key whose scope does not include the case, on every case route', async () => {
  for (const route of routes.filter((r) => r.path.includes(':caseId') && (r.access as readonly Role[]).includes('case_manager'))) {
    expect([route.path, (await call(route.method, route.path, keys.outsider)).status]).toEqual([route.path, 403]);
  }
});
