import { randomUUID } from 'node:crypto';
import { commandDocs } from '../../api/command-docs';
import { commandNames } from '../../domain/commands';
import type { Role } from '../../domain/principal';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * GET /v1/cases/{id}/actions offers what the stage and the caller's role allow, with a form: every
 * command it leaves out is one the API refuses for the role (403) or the stage (409 WRONG_STAGE).
 */
let sys: RunningSystem;
const tag = randomUUID().slice(0, 8);
const region = `Actions-${tag}`;
const subjects: Partial<Record<Role, string>> = {
  case_manager: `cm-${tag}`,
  supervisor: `sup-${tag}`,
  head: `head-${tag}`,
  integration: `tool-${tag}`,
};
const keys: Partial<Record<Role, string>> = {};
let caseId: string;

const call = async (key: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  sys = await startSystem();
  await sys.registerRegions([region]);
  for (const [role, subject] of Object.entries(subjects) as [Role, string][])
    keys[role] = await sys.issueKey(
      role,
      subject,
      role === 'head' || role === 'integration' ? { regions: [region] } : {},
    );
  const opened = await call(keys.integration!, 'POST', '/v1/cases', {
    region,
    caseManagerId: subjects.case_manager,
    supervisorId: subjects.supervisor,
  });
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId as string;
}, 120_000);
afterAll(async () => sys?.stop());

it.each(['case_manager', 'supervisor', 'head', 'integration'] as const)(
  'offers a %s in intake only commands the API takes from them there',
  async (role) => {
    const r = await call(keys[role]!, 'GET', `/v1/cases/${caseId}/actions`);
    expect(r.status).toBe(200);
    const actions = r.body.actions as {
      command: string;
      href: string;
      schema: { type: string; properties: object };
      example: unknown;
    }[];
    expect(r.body.stage).toBe('intake');
    for (const a of actions) {
      expect(a.href).toBe(`/v1/cases/${caseId}/commands/${a.command}`);
      expect(a.schema.type).toBe('object');
    }
    const offered = new Set(actions.map((a) => a.command));
    if (role === 'case_manager')
      expect([...offered]).toEqual(expect.arrayContaining(['recordContact', 'recordConsent', 'screen']));
    if (role === 'integration') expect(offered.has('screen')).toBe(false);
    for (const name of commandNames.filter((n) => !offered.has(n))) {
      // The documented example body, so the refusal is for the role or the stage, not the body.
      const sent = await call(keys[role]!, 'POST', `/v1/cases/${caseId}/commands/${name}`, commandDocs[name].example);
      const refusedFor =
        sent.status === 403
          ? 'role'
          : sent.status === 409 && sent.body.code === 'WRONG_STAGE'
            ? 'stage'
            : `${sent.status} ${String(sent.body.code ?? sent.body.title)}`;
      expect([name, refusedFor]).toEqual([name, expect.stringMatching(/^(role|stage)$/)]);
    }
    // The refusals changed nothing.
    expect((await call(keys[role]!, 'GET', `/v1/cases/${caseId}/actions`)).body.stage).toBe('intake');
  },
  60_000,
);

it('answers another case manager with 403, and an unknown case with 404', async () => {
  const other = await sys.issueKey('case_manager', `cm-other-${tag}`);
  expect((await call(other, 'GET', `/v1/cases/${caseId}/actions`)).status).toBe(403);
  expect((await call(keys.case_manager!, 'GET', `/v1/cases/${randomUUID()}/actions`)).status).toBe(404);
});
