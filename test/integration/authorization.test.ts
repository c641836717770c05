import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import { allRoutes } from '../../api/app';
import { deterministicId } from '../../api/case-ids';
import type { ApiDeps } from '../../api/deps';
import { caseWorkflowId } from '../../domain/ids';
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
  await sys.registerStaff(['cm-somebody-else', 'cm-other-team', 'cm-new-hire', 'cm-anyone', 'cm-far', 'psy-far']);
  await sys.registerStaff(['sup-other', 'sup-far'], 'supervisor');
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
  const url =
    sys.baseUrl + path.replace(':caseId', caseId).replace(/:[A-Za-z]+Id\b/g, '00000000-0000-4000-8000-000000000000');
  return fetch(url, {
    method: method.toUpperCase(),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: method === 'get' ? undefined : '{}',
  });
}

it('has a table to check', () => {
  expect(routes.length).toBeGreaterThan(20);
});

it.each(routes.map((r) => [r.method.toUpperCase(), r.path, r] as const))(
  '%s %s answers each role as declared',
  async (_m, _p, route) => {
    const seen: Record<string, number> = {};
    for (const role of roles) seen[role] = (await call(route.method, route.path, keys[role])).status;
    const expected = Object.fromEntries(
      roles.map((role) => [role, (route.access as readonly Role[]).includes(role) ? 'allowed' : 'forbidden']),
    );
    const got = Object.fromEntries(roles.map((role) => [role, seen[role] === 403 ? 'forbidden' : 'allowed']));
    expect(got).toEqual(expected);
  },
);

it('refuses a key whose scope does not include the case, on every case route', async () => {
  for (const route of routes.filter(
    (r) => r.path.includes(':caseId') && (r.access as readonly Role[]).includes('case_manager'),
  )) {
    expect([route.path, (await call(route.method, route.path, keys.outsider)).status]).toEqual([route.path, 403]);
  }
});

/**
 * Writes that set a region or a team, from keys scoped to one region (and, for the supervisor, a
 * team): within scope they are done, outside it they answer 403 problem+json naming what is out of
 * scope, and nothing is written (no workflow, no row, the key still free).
 */
describe("writes outside the caller's scope", () => {
  const tag = randomUUID().slice(0, 6);
  const kharkiv = `Kharkiv-${tag}`;
  const kyiv = `Kyiv-${tag}`;
  const lviv = `Lviv-${tag}`;
  const cm = `cm-kh-${tag}`;
  const colleague = `cm-kh2-${tag}`;
  const leaving = `cm-leaving-${tag}`;
  const sup = `sup-kh-${tag}`;
  const scoped = {} as Record<'case_manager' | 'supervisor' | 'head' | 'integration', string>;
  const subjects = { case_manager: cm, supervisor: sup, head: `head-kh-${tag}`, integration: `tool-kh-${tag}` };

  beforeAll(async () => {
    await sys.registerRegions([kharkiv, kyiv, lviv]);
    await sys.registerStaff([colleague, leaving]);
    scoped.case_manager = await sys.issueKey('case_manager', cm, { regions: [kharkiv] });
    scoped.supervisor = await sys.issueKey('supervisor', sup, { regions: [kharkiv], teams: [cm, colleague, leaving] });
    scoped.head = await sys.issueKey('head', subjects.head, { regions: [kharkiv] });
    scoped.integration = await sys.issueKey('integration', subjects.integration, { regions: [kharkiv] });
  });

  const send = async (key: string, method: string, path: string, body?: unknown, idempotencyKey?: string) => {
    const res = await fetch(sys.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: (await res.json()) as Record<string, unknown>,
    };
  };
  const team = async (caseId: string) =>
    (
      await sys.pool.query<{ case_manager_id: string; supervisor_id: string }>(
        'SELECT case_manager_id, supervisor_id FROM cases WHERE case_id = $1',
        [caseId],
      )
    ).rows[0];
  const refusedFor = (
    res: { status: number; type: string; body: Record<string, unknown> },
    named: readonly string[],
  ) => {
    expect([res.status, res.type]).toEqual([403, expect.stringMatching(/^application\/problem\+json/)]);
    expect(res.body.outOfScope).toEqual(named);
    for (const n of named) expect(res.body.detail).toContain(n);
  };

  it.each([
    ['case_manager', { region: kyiv }, [`region ${kyiv}`]],
    ['case_manager', { region: kharkiv, caseManagerId: 'cm-somebody-else' }, ['caseManagerId cm-somebody-else']],
    ['supervisor', { region: kyiv, caseManagerId: cm }, [`region ${kyiv}`]],
    [
      'supervisor',
      { region: kharkiv, caseManagerId: 'cm-other-team', supervisorId: 'sup-other' },
      ['caseManagerId cm-other-team', 'supervisorId sup-other'],
    ],
    ['integration', { region: lviv }, [`region ${lviv}`]],
  ] as const)('refuses a %s opening %j, and starts nothing', async (role, body, named) => {
    const key = `open-${randomUUID()}`;
    refusedFor(await send(scoped[role], 'POST', '/v1/cases', body, key), named);
    const caseId = deterministicId(`${role === 'integration' ? 'tool' : 'person'}:${subjects[role]}:${key}`);
    await expect(sys.temporal.workflow.getHandle(caseWorkflowId(caseId)).describe()).rejects.toThrow(
      WorkflowNotFoundError,
    );
    expect((await sys.pool.query('SELECT 1 FROM idempotency_keys WHERE key = $1', [key])).rowCount).toBe(0);
  });

  it.each([
    ['case_manager', { region: kharkiv }, { case_manager_id: cm, supervisor_id: null }],
    [
      'case_manager',
      { region: kharkiv, caseManagerId: cm, supervisorId: sup },
      { case_manager_id: cm, supervisor_id: sup },
    ],
    ['supervisor', { region: kharkiv, caseManagerId: colleague }, { case_manager_id: colleague, supervisor_id: sup }],
    [
      'supervisor',
      { region: kharkiv, caseManagerId: 'cm-new-hire' },
      { case_manager_id: 'cm-new-hire', supervisor_id: sup },
    ],
    [
      'integration',
      { region: kharkiv, caseManagerId: 'cm-anyone' },
      { case_manager_id: 'cm-anyone', supervisor_id: null },
    ],
  ] as const)('lets a %s open %j within scope, and then work it', async (role, body, expected) => {
    const opened = await send(scoped[role], 'POST', '/v1/cases', body);
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    expect(await team(caseId)).toEqual(expected);
    expect((await send(scoped[role], 'GET', `/v1/cases/${caseId}`)).status).toBe(200);
  });

  it('lets an administrator open a case anywhere, for anyone', async () => {
    expect(
      (await send(keys.admin, 'POST', '/v1/cases', { region: kyiv, caseManagerId: 'cm-somebody-else' })).status,
    ).toBe(201);
  });

  it('records one-off contacts only in the regions of the scope', async () => {
    const contact = { services: [{ category: 'information' }] };
    for (const role of ['case_manager', 'integration'] as const) {
      refusedFor(
        await send(
          scoped[role],
          'POST',
          '/v1/one-off-contacts',
          { ...contact, region: lviv },
          `one-off-${randomUUID()}`,
        ),
        [`region ${lviv}`],
      );
    }
    expect((await sys.pool.query('SELECT 1 FROM one_off_contacts WHERE region = $1', [lviv])).rowCount).toBe(0);
    expect(
      (await send(scoped.case_manager, 'POST', '/v1/one-off-contacts', { ...contact, region: kharkiv })).status,
    ).toBe(201);
  });

  it('lets a supervisor assign a team only within scope; a head within the region', async () => {
    const caseId = (
      await send(keys.admin, 'POST', '/v1/cases', { region: kharkiv, caseManagerId: cm, supervisorId: 'sup-other' })
    ).body.caseId as string;
    const assign = (key: string, body: unknown) =>
      send(key, 'POST', `/v1/cases/${caseId}/commands/assignTeam`, body, `assign-${randomUUID()}`);

    // Seen through the team: the supervisor may hand it to a colleague in their team, not outside it.
    refusedFor(await assign(scoped.supervisor, { caseManagerId: 'cm-other-team' }), ['caseManagerId cm-other-team']);
    expect(await team(caseId)).toEqual({ case_manager_id: cm, supervisor_id: 'sup-other' });
    expect((await assign(scoped.supervisor, { caseManagerId: colleague, reason: 'Caseload' })).status).toBe(200);
    // Once they supervise it, they may name whom they will supervise; leaving it with no one they reach, not.
    expect((await assign(scoped.supervisor, { supervisorId: sup, caseManagerId: 'cm-new-hire' })).status).toBe(200);
    refusedFor(
      await assign(scoped.supervisor, {
        supervisorId: 'sup-far',
        members: [{ staffId: 'psy-far', role: 'psychologist' }],
      }),
      ['supervisorId sup-far', 'members psy-far'],
    );
    expect(await team(caseId)).toEqual({ case_manager_id: 'cm-new-hire', supervisor_id: sup });

    // A head's scope is the region: any team there.
    expect((await assign(scoped.head, { caseManagerId: 'cm-far', supervisorId: 'sup-far' })).status).toBe(200);
    expect(await team(caseId)).toEqual({ case_manager_id: 'cm-far', supervisor_id: 'sup-far' });
  });

  it("moves a leaving case manager's cases only to someone within scope, else none of them", async () => {
    const ids = [
      (
        await send(keys.admin, 'POST', '/v1/cases', {
          region: kharkiv,
          caseManagerId: leaving,
          supervisorId: 'sup-other',
        })
      ).body.caseId as string,
      (await send(keys.admin, 'POST', '/v1/cases', { region: kharkiv, caseManagerId: leaving, supervisorId: sup })).body
        .caseId as string,
    ];
    const request = { fromCaseManagerId: leaving, reason: 'Left the service' };
    // The first case is the supervisor's only through their team: it cannot go outside it.
    refusedFor(
      await send(
        scoped.supervisor,
        'POST',
        '/v1/reassignments',
        { ...request, toCaseManagerId: 'cm-other-team' },
        `offboard-${randomUUID()}`,
      ),
      ['caseManagerId cm-other-team'],
    );
    for (const id of ids) expect((await team(id))?.case_manager_id).toBe(leaving);

    const moved = await send(
      scoped.supervisor,
      'POST',
      '/v1/reassignments',
      { ...request, toCaseManagerId: colleague },
      `offboard-${randomUUID()}`,
    );
    expect(moved.body).toMatchObject({ reassigned: 2, failed: 0 });
    for (const id of ids) expect((await team(id))?.case_manager_id).toBe(colleague);
  });
});
