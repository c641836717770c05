import { defaultPolicy } from '../../domain/policy';
import { startSystem, type RunningSystem } from '../support/system';

/** Key administration, policy publishing and the notification inbox, over HTTP on the real stack. */
let sys: RunningSystem;
let admin: string;
beforeAll(async () => {
  sys = await startSystem();
  admin = await sys.issueKey('admin', 'admin-ops');
}, 120_000);
afterAll(async () => sys?.stop());

const call = async (key: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
};

it('issues a key once, lists it without the secret, and revokes it', async () => {
  const issued = await call(admin, 'POST', '/v1/api-keys', {
    name: 'Kharkiv hotline',
    role: 'integration',
    subject: 'hotline-kh',
    scope: { regions: ['Kharkiv'] },
  });
  expect(issued.status).toBe(201);
  const { keyId, key } = issued.body as { keyId: string; key: string };
  expect(key).toMatch(/^spv_/);
  expect((await call(key, 'GET', '/v1/policies/current')).status).toBe(200);

  const list = await call(admin, 'GET', '/v1/api-keys');
  const listed = (list.body.keys as { keyId: string }[]).find((k) => k.keyId === keyId);
  expect(listed).toMatchObject({
    role: 'integration',
    subject: 'hotline-kh',
    scope: { regions: ['UA-63'] },
    createdBy: 'admin-ops',
  });
  expect(JSON.stringify(list.body)).not.toContain(key);

  expect((await call(admin, 'DELETE', `/v1/api-keys/${keyId}`)).status).toBe(204);
  expect((await call(key, 'GET', '/v1/policies/current')).status).toBe(401);
  expect((await call(admin, 'DELETE', `/v1/api-keys/${keyId}`)).status).toBe(404);
  const audit = await sys.pool.query(`SELECT action FROM admin_events WHERE subject = $1 ORDER BY event_id`, [keyId]);
  expect(audit.rows.map((r: { action: string }) => r.action)).toEqual(['api_key_issued', 'api_key_revoked']);
});

it('publishes a policy version over HTTP, once', async () => {
  const version = `api-${Date.now()}`;
  const calendar = { ...defaultPolicy.calendar, holidays: ['2026-12-25', '2027-01-01'] };
  expect((await call(admin, 'POST', '/v1/policies', { ...defaultPolicy, version, calendar })).status).toBe(201);
  expect((await call(admin, 'POST', '/v1/policies', { ...defaultPolicy, version })).status).toBe(409);
  const bad = await call(admin, 'POST', '/v1/policies', {
    ...defaultPolicy,
    version: 'x',
    assessment: { routine: { weeks: 1 } },
  });
  expect(bad.status).toBe(400);
  expect((await call(admin, 'GET', '/v1/policies')).body.versions).toEqual(
    expect.arrayContaining([expect.objectContaining({ version, publishedBy: 'admin-ops' })]),
  );
});

it("puts approvals in the supervisor's inbox, in Ukrainian or English", async () => {
  const cm = await sys.issueKey('case_manager', 'cm-inbox');
  const sup = await sys.issueKey('supervisor', 'sup-inbox');
  const opened = await call(cm, 'POST', '/v1/cases', { region: 'Rivne', supervisorId: 'sup-inbox' });
  const caseId = opened.body.caseId as string;
  for (const [name, body] of [
    ['recordContact', { channel: 'phone' }],
    ['recordConsent', { dataProcessing: true }],
    ['screen', { decision: 'open_case' }],
    ['submitAssessment', { needs: [{ domain: 'health', level: 'medium' }] }],
    [
      'submitPlan',
      {
        goals: [{ goalId: 'g', description: 'Care', domain: 'health' }],
        clientAgreement: { agreedAt: new Date().toISOString(), form: 'verbal' },
      },
    ],
  ] as const) {
    expect([name, (await call(cm, 'POST', `/v1/cases/${caseId}/commands/${name}`, body)).status]).toEqual([name, 200]);
  }
  const uk = await call(sup, 'GET', '/v1/notifications?unread=true');
  const item = (uk.body.notifications as { notificationId: string; caseId: string; title: string }[]).find(
    (n) => n.caseId === caseId,
  )!;
  expect(item.title).toContain('план очікує затвердження');
  const en = await call(sup, 'GET', '/v1/notifications?lang=en');
  expect(JSON.stringify(en.body)).toContain('plan awaits approval');
  expect((await call(sup, 'POST', `/v1/notifications/${item.notificationId}/read`)).status).toBe(204);
  expect((await call(cm, 'POST', `/v1/notifications/${item.notificationId}/read`)).status).toBe(404); // not the case manager's
  const unread = await call(sup, 'GET', '/v1/notifications?unread=true');
  expect((unread.body.notifications as { caseId: string }[]).some((n) => n.caseId === caseId)).toBe(false);
});
