import { randomUUID } from 'node:crypto';
import { allRoutes } from '../../api/app';
import type { CaseView } from '../../api/case-view';
import type { ApiDeps } from '../../api/deps';
import type { CaseWorkflowInput } from '../../domain/case';
import { commandNames } from '../../domain/commands';
import { caseWorkflowId } from '../../domain/ids';
import { defaultPolicy } from '../../domain/policy';
import type { Role } from '../../domain/principal';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The API as an integrator meets it (issue 11, points 4 and 8): unknown fields refused on every
 * route, a second contact in intake, one word per concept, errors that say what is accepted, an
 * unknown command, policies by version, notifications in English with their time zone.
 */
let sys: RunningSystem;
const tag = randomUUID().slice(0, 8);
const region = `Poltava-${tag}`;
const subjects = {
  case_manager: `cm-${tag}`,
  supervisor: `sup-${tag}`,
  head: `head-${tag}`,
  integration: `tool-${tag}`,
  admin: `admin-${tag}`,
} as const;
const keys = {} as Record<Role, string>;
let caseId: string;

type Problem = {
  status: number;
  title: string;
  detail?: string;
  errors?: { location: string; path: string; message: string; code: string }[];
  commands?: string[];
};

async function call(key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
  };
}
const command = (name: string, body: unknown, key = keys.admin, idempotencyKey = `${name}-${randomUUID()}`) =>
  call(key, 'POST', `/v1/cases/${caseId}/commands/${name}`, body, { 'idempotency-key': idempotencyKey });

beforeAll(async () => {
  sys = await startSystem();
  await sys.registerRegions([region]);
  for (const role of Object.keys(subjects) as Role[]) keys[role] = await sys.issueKey(role, subjects[role]);
  const opened = await call(keys.integration, 'POST', '/v1/cases', {
    region,
    caseManagerId: subjects.case_manager,
    supervisorId: subjects.supervisor,
  });
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId as string;
}, 120_000);
afterAll(async () => sys?.stop());

describe('unknown fields', () => {
  it('refuses a case opened with openedAt, naming the field, and opens nothing', async () => {
    const idempotencyKey = `open-${randomUUID()}`;
    const res = await call(
      keys.integration,
      'POST',
      '/v1/cases',
      { region, openedAt: '2015-10-05T09:00:00Z' },
      { 'idempotency-key': idempotencyKey },
    );
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    const p = res.body as Problem;
    expect(p.detail).toContain('openedAt');
    expect(p.errors).toEqual([
      {
        location: 'body',
        path: 'openedAt',
        message: expect.stringMatching(/unknown field/i),
        code: 'unrecognized_keys',
      },
    ]);
    // Nothing was bound or started: the same key with a good body opens the case.
    expect(
      (await call(keys.integration, 'POST', '/v1/cases', { region }, { 'idempotency-key': idempotencyKey })).status,
    ).toBe(201);
  });

  it('names unknown fields deep in a body, with every other failing field at once', async () => {
    const res = await call(keys.integration, 'POST', '/v1/one-off-contacts', {
      region,
      services: [{ category: 'information', note: 'x' }],
      client: { fullName: 'X', nickname: 'y' },
      at: 'yesterday',
    });
    expect(res.status).toBe(400);
    expect((res.body as Problem).errors!.map((e) => `${e.path}:${e.code}`).sort()).toEqual([
      'at:invalid_format',
      'client.nickname:unrecognized_keys',
      'services[0].note:unrecognized_keys',
    ]);
  });

  // Every route the API has, with one field too many: in its query, and (if it takes a body) in its body.
  const routes = allRoutes({} as ApiDeps, () => ({}));
  const path = (p: string) =>
    p
      .replace(':caseId', caseId)
      .replace(':notificationId', '1')
      .replace(':name', 'noSuch')
      .replace(':version', defaultPolicy.version)
      .replace(/:[A-Za-z]+Id\b/g, '00000000-0000-4000-8000-000000000000');
  const keyFor = (access: 'public' | readonly Role[]) =>
    access === 'public' ? '' : access.includes('admin') ? keys.admin : keys[access[0]!];
  const fieldsNamed = (p: Problem, location: string) =>
    (p.errors ?? []).filter((e) => e.code === 'unrecognized_keys' && e.location === location).map((e) => e.path);

  it.each(routes.map((r) => [r.method.toUpperCase(), r.path, r] as const))(
    '%s %s refuses an unknown query parameter and body field',
    async (method, p, route) => {
      const csv = route.bodyType === 'csv';
      const headers: Record<string, string> = {
        'idempotency-key': `walk-${randomUUID()}`,
        ...(csv ? { 'content-type': 'text/csv' } : {}),
      };
      const body = method === 'GET' ? undefined : csv ? 'katottg' : {};
      const q = await call(keyFor(route.access), method, `${path(p)}?unexpectedParam=1`, body, headers);
      expect([q.status, fieldsNamed(q.body as Problem, 'query')]).toEqual([400, ['unexpectedParam']]);
      // A CSV import has columns, not fields (reference-data tests its columns); a caseload import is a
      // list of rows, each checked on its own (imports tests a row's unknown field).
      if (method === 'GET' || csv || route.bodyType === 'json-or-lines') return;
      const b = await call(keyFor(route.access), method, path(p), { unexpectedField: 1 }, headers);
      expect([b.status, fieldsNamed(b.body as Problem, 'body')]).toEqual([400, ['unexpectedField']]);
    },
  );
});

it('records a second contact in intake as a contact of its own; the same key again is the same contact', async () => {
  const opened = await call(keys.integration, 'POST', '/v1/cases', { region });
  const id = opened.body.caseId as string;
  const contact = (channel: string, key: string) =>
    call(keys.integration, 'POST', `/v1/cases/${id}/commands/recordContact`, { channel }, { 'idempotency-key': key });
  expect((await contact('phone', `first-${tag}`)).status).toBe(200);
  expect((await contact('phone', `first-${tag}`)).status).toBe(200);
  const second = await contact('in_person', `second-${tag}`);
  expect(second.status).toBe(200);
  expect((second.body.case as CaseView).contact).toEqual({ at: expect.any(String), channel: 'in_person' });
  const events = await sys.pool.query(
    `SELECT data FROM case_events WHERE case_id = $1 AND type = 'contact_recorded' ORDER BY seq`,
    [id],
  );
  expect(events.rows).toEqual([{ data: { channel: 'phone' } }, { data: { channel: 'in_person' } }]);
});

it('takes the earlier word for a need domain and stores and emits the current one', async () => {
  const opened = await call(keys.integration, 'POST', '/v1/cases', { region, caseManagerId: subjects.case_manager });
  const id = opened.body.caseId as string;
  const run = (name: string, body: unknown) =>
    call(keys.case_manager, 'POST', `/v1/cases/${id}/commands/${name}`, body, { 'idempotency-key': `${name}-${id}` });
  await run('recordContact', { channel: 'phone' });
  await run('recordConsent', { dataProcessing: true });
  await run('screen', { decision: 'open_case' });
  const res = await run('submitAssessment', {
    needs: [
      { domain: 'legal_documents', level: 'high' },
      { domain: 'protection_safety', level: 'low' },
      { domain: 'legal', level: 'low' },
    ],
  });
  expect(res.status).toBe(200);
  expect((res.body.case as CaseView).assessments[0]!.needs.map((n) => n.domain)).toEqual([
    'legal',
    'protection',
    'legal',
  ]);
  const row = await sys.pool.query(
    `SELECT a.needs, e.data FROM case_assessments a JOIN case_events e ON e.case_id = a.case_id AND e.type = 'assessment_submitted' WHERE a.case_id = $1`,
    [id],
  );
  expect(row.rows[0].needs.map((n: { domain: string }) => n.domain)).toEqual(['legal', 'protection', 'legal']);
  expect(row.rows[0].data.domains).toEqual(['legal', 'protection', 'legal']);
  expect(
    (
      await run('submitPlan', {
        goals: [{ goalId: 'g1', description: 'Papers', domain: 'legal_document' }],
        clientAgreement: { agreedAt: new Date().toISOString(), form: 'verbal' },
      })
    ).status,
  ).toBe(400);
});

it('names the shapes a union accepts', async () => {
  const res = await command('extendDeadline', {
    deadlineId: 'support_limit:x',
    extension: { hours: 24 },
    reason: 'Complex case',
  });
  expect(res.status).toBe(400);
  const union = (res.body as Problem).errors!.find((e) => e.path === 'extension')!;
  expect(union).toMatchObject({ code: 'invalid_union' });
  expect(union.message).toBe('Expected one of: { until } | { by }');
  const nested = await command('extendDeadline', {
    deadlineId: 'support_limit:x',
    extension: { by: { weeks: 2 } },
    reason: 'Complex case',
  });
  expect((nested.body as Problem).errors!.find((e) => e.path === 'extension')!.message).toBe(
    'Expected one of: { until } | { by }',
  );
});

it('answers an unknown command with 404 listing the commands there are', async () => {
  const res = await command('noSuch', {});
  expect(res.status).toBe(404);
  expect(res.type).toMatch(/^application\/problem\+json/);
  expect((res.body as Problem).commands).toEqual([...commandNames]);
  expect((res.body as Problem).detail).toContain('recordContact');
});

it('lists the current policy version, and a case names its policy by version', async () => {
  const list = await call(keys.case_manager, 'GET', '/v1/policies');
  expect(list.status).toBe(200);
  const { current, versions } = list.body as { current: string; versions: { version: string; current: boolean }[] };
  expect(versions.filter((v) => v.current).map((v) => v.version)).toEqual([current]);
  expect(((await call(keys.case_manager, 'GET', '/v1/policies/current')).body as { version: string }).version).toBe(
    current,
  );

  const read = await call(keys.case_manager, 'GET', `/v1/cases/${caseId}`);
  const c = read.body.case as CaseView & { policy?: unknown };
  expect(c.policy).toBeUndefined();
  expect(versions.map((v) => v.version)).toContain(c.policyVersion);
  const policy = await call(keys.case_manager, 'GET', `/v1/policies/${encodeURIComponent(c.policyVersion)}`);
  expect(policy.status).toBe(200);
  expect(policy.body).toMatchObject({
    version: c.policyVersion,
    calendar: expect.any(Object),
    assessment: expect.any(Object),
  });
  expect((await call(keys.case_manager, 'GET', '/v1/policies/no-such-version')).status).toBe(404);
  // "current" names the current policy, so it is no version's name.
  const reserved = await call(keys.admin, 'POST', '/v1/policies', { ...defaultPolicy, version: 'current' });
  expect([reserved.status, (reserved.body as Problem).errors!.map((e) => e.path)]).toEqual([400, ['version']]);
});

it('writes English notifications with an English date and its time zone, Ukrainian ones as before', async () => {
  // A case of its own policy, whose first contact falls due in seconds (started as the API starts cases).
  const id = randomUUID();
  const cm = `cm-notes-${tag}`;
  const input: CaseWorkflowInput = {
    caseId: id,
    open: { priority: 'crisis', region, source: 'walk_in', caseManagerId: cm },
    openedBy: { kind: 'tool', id: subjects.integration },
    openedAt: new Date().toISOString(),
    policy: {
      ...defaultPolicy,
      version: `notes-${tag}`,
      firstContact: { ...defaultPolicy.firstContact, crisis: { hours: 0.002 } },
    },
  };
  await sys.temporal.workflow.start('caseWorkflow', {
    taskQueue: sys.taskQueue,
    workflowId: caseWorkflowId(id),
    args: [input],
  });
  const key = await sys.issueKey('case_manager', cm);
  const inbox = async (lang: string) =>
    (await call(key, 'GET', `/v1/notifications?lang=${lang}`)).body.notifications as {
      caseId: string;
      kind: string;
      title: string;
    }[];
  let en: { kind: string; title: string }[] = [];
  for (let i = 0; i < 60 && !en.some((n) => n.kind === 'reminder'); i++) {
    await new Promise((r) => setTimeout(r, 500));
    en = (await inbox('en')).filter((n) => n.caseId === id);
  }
  const { dueAt } = (
    await sys.pool.query(`SELECT data->>'dueAt' AS "dueAt" FROM case_events WHERE case_id = $1 AND type = 'reminder'`, [
      id,
    ])
  ).rows[0] as { dueAt: string };
  const due = new Date(dueAt);
  const english = due.toLocaleString('en-GB', {
    timeZone: 'Europe/Kyiv',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  expect(english).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} EES?T$/);
  // The case by its readable number (migration 012).
  const { case_number: number } = (await sys.pool.query('SELECT case_number FROM cases WHERE case_id = $1', [id]))
    .rows[0] as { case_number: string };
  expect(en.find((n) => n.kind === 'reminder')!.title).toBe(`Case ${number}: reminder — first contact due ${english}`);
  const uk = (await inbox('uk')).filter((n) => n.caseId === id);
  const ukrainian = due.toLocaleString('uk-UA', { timeZone: 'Europe/Kyiv', dateStyle: 'short', timeStyle: 'short' });
  expect(ukrainian).toMatch(/^\d{2}\.\d{2}\.\d{2}, \d{2}:\d{2}$/);
  expect(uk.find((n) => n.kind === 'reminder')!.title).toBe(
    `Справа ${number}: нагадування — перший контакт до ${ukrainian}`,
  );
}, 60_000);
