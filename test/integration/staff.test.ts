import { randomUUID } from 'node:crypto';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The staff registry on the real stack: administrators manage it (every change audited, names
 * never in the audit details), and every write that names a staff member is checked against it.
 */
let sys: RunningSystem;
const tag = randomUUID().slice(0, 8);
const id = (name: string) => `${name}-${tag}`;
const keys = {} as Record<'admin' | 'sup' | 'head' | 'cm' | 'tool', string>;

beforeAll(async () => {
  sys = await startSystem();
  keys.admin = await sys.issueKey('admin', id('admin'));
  keys.sup = await sys.issueKey('supervisor', id('sup'));
  keys.head = await sys.issueKey('head', id('head'));
  keys.cm = await sys.issueKey('case_manager', id('cm'));
  keys.tool = await sys.issueKey('integration', id('tool'));
}, 120_000);
afterAll(async () => sys?.stop());

type Json = Record<string, unknown>;
const api = async (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Json };
};
const errorsOf = (b: Json) => (b.errors as { path: string; code: string }[]).map((e) => [e.path, e.code]);

it('registers, reads, changes and deactivates staff, each change audited without the name', async () => {
  const olena = {
    staffId: id('olena'),
    name: 'Олена Коваль',
    role: 'case_manager',
    region: 'Kharkiv',
    supervisorId: id('sup'),
  };
  const created = await api(keys.admin, 'POST', '/v1/staff', olena);
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({
    staffId: id('olena'),
    name: 'Олена Коваль',
    role: 'case_manager',
    region: 'UA-63',
    supervisorId: id('sup'),
    active: true,
  });
  expect((await api(keys.admin, 'POST', '/v1/staff', olena)).status).toBe(409);
  expect(
    errorsOf((await api(keys.admin, 'POST', '/v1/staff', { ...olena, staffId: id('x'), region: 'Atlantis' })).body),
  ).toEqual([['region', 'unknown_region']]);
  expect(
    errorsOf(
      (await api(keys.admin, 'POST', '/v1/staff', { ...olena, staffId: id('x'), supervisorId: id('nobody') })).body,
    ),
  ).toEqual([['supervisorId', 'unknown_staff']]);
  expect((await api(keys.admin, 'POST', '/v1/staff', { ...olena, staffId: id('x'), role: 'integration' })).status).toBe(
    400,
  );

  expect((await api(keys.sup, 'GET', `/v1/staff/${id('olena')}`)).body).toMatchObject({ name: 'Олена Коваль' });
  const bySupervisor = await api(keys.head, 'GET', `/v1/staff?supervisorId=${id('sup')}&region=kharkiv`);
  expect((bySupervisor.body.staff as { staffId: string }[]).map((s) => s.staffId)).toEqual([id('olena')]);
  expect((await api(keys.admin, 'GET', `/v1/staff/${id('nobody')}`)).status).toBe(404);

  const changed = await api(keys.admin, 'PATCH', `/v1/staff/${id('olena')}`, {
    name: 'Олена Коваль-Шевчук',
    region: 'UA-53',
    supervisorId: id('sup'),
  });
  expect([changed.status, changed.body.changed]).toEqual([200, ['name', 'region']]);
  expect(changed.body.member).toMatchObject({ name: 'Олена Коваль-Шевчук', region: 'UA-53' });
  expect((await api(keys.admin, 'PATCH', `/v1/staff/${id('olena')}`, { region: null })).body.member).not.toHaveProperty(
    'region',
  );
  expect((await api(keys.admin, 'DELETE', `/v1/staff/${id('olena')}`)).status).toBe(204);
  expect((await api(keys.admin, 'GET', `/v1/staff/${id('olena')}`)).body).toMatchObject({ active: false });
  expect((await api(keys.admin, 'DELETE', `/v1/staff/${id('nobody')}`)).status).toBe(404);

  const audit = await sys.pool.query<{ action: string; actor_id: string; details: Json }>(
    `SELECT action, actor_id, details FROM admin_events WHERE subject = $1 ORDER BY event_id`,
    [id('olena')],
  );
  expect(audit.rows).toEqual([
    {
      action: 'staff_registered',
      actor_id: id('admin'),
      details: { role: 'case_manager', region: 'UA-63', supervisorId: id('sup'), active: true },
    },
    {
      action: 'staff_changed',
      actor_id: id('admin'),
      details: {
        role: 'case_manager',
        region: 'UA-53',
        supervisorId: id('sup'),
        active: true,
        changed: ['name', 'region'],
      },
    },
    {
      action: 'staff_changed',
      actor_id: id('admin'),
      details: { role: 'case_manager', supervisorId: id('sup'), active: true, changed: ['region'] },
    },
    {
      action: 'staff_changed',
      actor_id: id('admin'),
      details: { role: 'case_manager', supervisorId: id('sup'), active: false, changed: ['active'] },
    },
  ]);
  expect(JSON.stringify(audit.rows)).not.toMatch(/Олена|Коваль/);
});

it('refuses to open a case, assign a team or issue a key for staff the registry lacks or who left, naming the field', async () => {
  await sys.registerStaff([id('left')]);
  await api(keys.admin, 'DELETE', `/v1/staff/${id('left')}`);
  const open = await api(keys.tool, 'POST', '/v1/cases', {
    region: 'Kharkiv',
    caseManagerId: id('nobody'),
    supervisorId: id('left'),
  });
  expect([open.status, errorsOf(open.body)]).toEqual([
    400,
    [
      ['caseManagerId', 'unknown_staff'],
      ['supervisorId', 'inactive_staff'],
    ],
  ]);

  const opened = await api(keys.sup, 'POST', '/v1/cases', { region: 'Kharkiv', caseManagerId: id('cm') });
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  const assign = await api(keys.sup, 'POST', `/v1/cases/${caseId}/commands/assignTeam`, {
    caseManagerId: id('cm'),
    members: [{ staffId: id('nobody'), role: 'psychologist' }],
  });
  expect([assign.status, errorsOf(assign.body)]).toEqual([400, [['members[0].staffId', 'unknown_staff']]]);
  await sys.registerStaff([id('psy')]);
  expect(
    (
      await api(keys.sup, 'POST', `/v1/cases/${caseId}/commands/assignTeam`, {
        caseManagerId: id('cm'),
        members: [{ staffId: id('psy'), role: 'psychologist' }],
      })
    ).status,
  ).toBe(200);

  const unknownPerson = await api(keys.admin, 'POST', '/v1/api-keys', {
    name: 'x',
    role: 'case_manager',
    subject: id('nobody'),
  });
  expect([unknownPerson.status, errorsOf(unknownPerson.body)]).toEqual([400, [['subject', 'unknown_staff']]]);
  const leaver = await api(keys.admin, 'POST', '/v1/api-keys', {
    name: 'x',
    role: 'supervisor',
    subject: id('sup'),
    scope: { teams: [id('nobody')] },
  });
  expect([leaver.status, errorsOf(leaver.body)]).toEqual([400, [['scope.teams[0]', 'unknown_staff']]]);
  expect(
    (
      await api(keys.admin, 'POST', '/v1/api-keys', {
        name: 'x',
        role: 'supervisor',
        subject: id('sup'),
        scope: { teams: [id('cm'), id('left')] },
      })
    ).status,
  ).toBe(201);
  // A tool's subject is its own id, not staff.
  expect(
    (await api(keys.admin, 'POST', '/v1/api-keys', { name: 'x', role: 'integration', subject: id('registry') })).status,
  ).toBe(201);
});

it('reassigns from an unknown id with 404, to an unknown one with 400, and from a leaver who is inactive', async () => {
  const body = (from: string, to: string) => ({ fromCaseManagerId: from, toCaseManagerId: to, reason: 'left' });
  const unknown = await api(keys.sup, 'POST', '/v1/reassignments', body(id('nobody'), id('cm')), {
    'idempotency-key': `re-${tag}-1`,
  });
  expect([unknown.status, errorsOf(unknown.body)]).toEqual([404, [['fromCaseManagerId', 'unknown_staff']]]);

  await sys.registerStaff([id('leaving'), id('taking')]);
  const opened = await api(keys.sup, 'POST', '/v1/cases', { region: 'Kharkiv', caseManagerId: id('leaving') });
  expect(opened.status).toBe(201);
  const toUnknown = await api(keys.sup, 'POST', '/v1/reassignments', body(id('leaving'), id('nobody')), {
    'idempotency-key': `re-${tag}-2`,
  });
  expect([toUnknown.status, errorsOf(toUnknown.body)]).toEqual([400, [['toCaseManagerId', 'unknown_staff']]]);

  expect((await api(keys.admin, 'DELETE', `/v1/staff/${id('leaving')}`)).status).toBe(204);
  const moved = await api(keys.sup, 'POST', '/v1/reassignments', body(id('leaving'), id('taking')), {
    'idempotency-key': `re-${tag}-3`,
  });
  expect(moved.status).toBe(200);
  expect(moved.body).toMatchObject({
    reassigned: 1,
    failed: 0,
    results: [{ caseId: opened.body.caseId, outcome: 'reassigned' }],
  });
});
