import { randomUUID } from 'node:crypto';
import type { CaseWorkflowInput } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import { defaultPolicy } from '../../domain/policy';
import { caseWorkflow } from '../../workflows/case';
import { eventually, startSystem, type RunningSystem } from '../support/system';

/**
 * Regions and hromadas as reference data, on the real stack: every write that takes one is checked
 * and keeps the code; queries match by code and take names; admins import hromadas from CSV.
 */
let sys: RunningSystem;
const tag = randomUUID().slice(0, 8);
const keys = {} as Record<'admin' | 'cm' | 'tool' | 'head', string>;
const cmId = `cm-ref-${tag}`;
// A hromada code of this run in Kharkiv Oblast (UA63…): imported below, so other runs never meet it.
const ownHromada = `UA63${String(Date.now()).slice(-9)}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

beforeAll(async () => {
  sys = await startSystem();
  keys.admin = await sys.issueKey('admin', `admin-ref-${tag}`);
  keys.cm = await sys.issueKey('case_manager', cmId, { regions: ['UA-63'] });
  keys.tool = await sys.issueKey('integration', `tool-ref-${tag}`);
  keys.head = await sys.issueKey('head', `head-ref-${tag}`, { regions: ['UA-63'] });
}, 120_000);
afterAll(async () => sys?.stop());

type Json = Record<string, unknown>;
const api = async (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
};
const importCsv = (key: string, csv: string) =>
  api(key, 'POST', '/v1/hromadas/import', csv, { 'content-type': 'text/csv; charset=utf-8' });
const errorsOf = (b: Json) => (b.errors as { path: string; code: string }[]).map((e) => [e.path, e.code]);

it("lists Ukraine's 27 regions with their ISO codes and names", async () => {
  const { status, body } = await api(keys.tool, 'GET', '/v1/regions');
  expect(status).toBe(200);
  const regions = body.regions as { code: string; nameUk: string; nameEn: string }[];
  expect(regions.filter((r) => /^UA-\d\d$/.test(r.code))).toHaveLength(27);
  expect(regions).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ code: 'UA-05', nameEn: 'Vinnytsia Oblast', nameUk: 'Вінницька область' }),
      expect.objectContaining({ code: 'UA-30', nameEn: 'Kyiv', nameUk: 'Київ' }),
      expect.objectContaining({ code: 'UA-40', nameEn: 'Sevastopol' }),
      expect.objectContaining({ code: 'UA-43', nameEn: 'Autonomous Republic of Crimea' }),
    ]),
  );
});

it('opens a case named by region name in any case, keeps the code, and finds it by code or name in any case', async () => {
  const opened = await api(keys.cm, 'POST', '/v1/cases', { region: 'Kharkiv', priority: 'urgent' });
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  expect(((await api(keys.cm, 'GET', `/v1/cases/${caseId}`)).body.case as Json).region).toBe('UA-63');
  expect((await api(keys.cm, 'POST', '/v1/cases', { region: 'харківська область' })).status).toBe(201);
  for (const region of ['kharkiv', 'UA-63', 'ua-63', 'Харків', 'KHARKIV OBLAST']) {
    const listed = (await api(keys.cm, 'GET', `/v1/cases?region=${encodeURIComponent(region)}&caseManagerId=${cmId}`))
      .body.cases as { caseId: string; region: string }[];
    expect([region, listed.length, listed.find((c) => c.caseId === caseId)?.region]).toEqual([region, 2, 'UA-63']);
  }
});

it('refuses an unknown region on every write that takes one, naming the field, and writes nothing', async () => {
  const key = { 'idempotency-key': `atlantis-${tag}` };
  const open = await api(keys.tool, 'POST', '/v1/cases', { region: 'Atlantis' }, key);
  expect([open.status, errorsOf(open.body)]).toEqual([400, [['region', 'unknown_region']]]);
  // Refused before anything was written: the Idempotency-Key is still free for the corrected request.
  expect((await api(keys.tool, 'POST', '/v1/cases', { region: 'Poltava' }, key)).status).toBe(201);
  const oneOff = await api(keys.tool, 'POST', '/v1/one-off-contacts', {
    region: 'Atlantis',
    services: [{ category: 'information' }],
  });
  expect([oneOff.status, errorsOf(oneOff.body)]).toEqual([400, [['region', 'unknown_region']]]);
  const apiKey = await api(keys.admin, 'POST', '/v1/api-keys', {
    name: 'x',
    role: 'integration',
    subject: `t-${tag}`,
    scope: { regions: ['Kharkiv', 'Atlantis'] },
  });
  expect([apiKey.status, errorsOf(apiKey.body)]).toEqual([400, [['scope.regions[1]', 'unknown_region']]]);
  const sub = await api(keys.admin, 'POST', '/v1/webhook-subscriptions', {
    name: 'x',
    url: 'https://example.org/h',
    regions: ['Atlantis'],
  });
  expect([sub.status, errorsOf(sub.body)]).toEqual([400, [['regions[0]', 'unknown_region']]]);
});

it('keeps codes for one-off contacts, key scopes and webhook subscriptions sent with names, and reports by code with names', async () => {
  const oneOff = await api(keys.cm, 'POST', '/v1/one-off-contacts', {
    region: 'харків',
    services: [{ category: 'legal' }],
  });
  expect(oneOff.status).toBe(201);
  const row = await sys.pool.query('SELECT region FROM one_off_contacts WHERE contact_id = $1', [
    oneOff.body.contactId,
  ]);
  expect(row.rows).toEqual([{ region: 'UA-63' }]);

  const issued = await api(keys.admin, 'POST', '/v1/api-keys', {
    name: 'Kharkiv tool',
    role: 'integration',
    subject: `tool-kh-${tag}`,
    scope: { regions: ['Kharkiv Oblast', 'lviv'] },
  });
  expect(issued.status).toBe(201);
  const listedKeys = (await api(keys.admin, 'GET', '/v1/api-keys')).body.keys as {
    keyId: string;
    scope: { regions?: string[] };
  }[];
  expect(listedKeys.find((k) => k.keyId === issued.body.keyId)?.scope.regions).toEqual(['UA-63', 'UA-46']);

  const sub = await api(issued.body.key as string, 'POST', '/v1/webhook-subscriptions', {
    name: 'kh',
    url: 'https://example.org/hook',
    regions: ['Kharkiv'],
  });
  expect([sub.status, sub.body.regions]).toEqual([201, ['UA-63']]);
  const changed = await api(
    issued.body.key as string,
    'PATCH',
    `/v1/webhook-subscriptions/${sub.body.subscriptionId as string}`,
    { regions: ['Львівська область'] },
  );
  expect([changed.status, changed.body.regions]).toEqual([200, ['UA-46']]);

  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const report = await api(keys.head, 'GET', `/v1/reports/regional?from=${today}&to=${later}&region=kharkiv`);
  expect(report.status).toBe(200);
  expect(report.body.rows).toEqual([
    expect.objectContaining({ region: 'UA-63', regionName: { uk: 'Харківська область', en: 'Kharkiv Oblast' } }),
  ]);
});

it('ships a seed of hromadas, lists them by region and searches them by name', async () => {
  const inKharkiv = (await api(keys.tool, 'GET', '/v1/hromadas?region=Kharkiv&limit=500')).body.hromadas as {
    katottg: string;
    region: string;
  }[];
  expect(inKharkiv.map((h) => h.katottg)).toEqual(
    expect.arrayContaining([
      'UA63120270000028556',
      'UA63040090000021240',
      'UA63140170000087785',
      'UA63100050000079487',
    ]),
  );
  expect(inKharkiv.every((h) => h.region === 'UA-63')).toBe(true);
  const found = (await api(keys.tool, 'GET', `/v1/hromadas?q=${encodeURIComponent('ізюм')}`)).body.hromadas;
  expect(found).toEqual([
    {
      katottg: 'UA63040090000021240',
      region: 'UA-63',
      nameUk: 'Ізюмська міська територіальна громада',
      nameEn: 'Izium urban hromada',
      kind: 'urban',
    },
  ]);
  const page = await api(keys.tool, 'GET', '/v1/hromadas?region=UA-63&limit=2');
  const next = await api(
    keys.tool,
    'GET',
    `/v1/hromadas?region=UA-63&limit=2&cursor=${page.body.nextCursor as string}`,
  );
  expect(
    (next.body.hromadas as { katottg: string }[])[0]!.katottg >
      (page.body.hromadas as { katottg: string }[])[1]!.katottg,
  ).toBe(true);
});

it('imports hromadas from CSV (with a BOM): upserts by code, once, and reports each bad line', async () => {
  const csv = (name: string) =>
    `\uFEFFkatottg,region,name_uk,name_en,kind\r\n${ownHromada},Kharkiv,"${name}",Test hromada ${tag},rural\r\nUA123,,Погана,Bad,rural\r\n${ownHromada.replace('UA63', 'UA46')},Kharkiv,Чужа,Elsewhere,urban\r\n`;
  const first = await importCsv(keys.admin, csv(`Тестова громада ${tag}`));
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ received: 3, created: 1, updated: 0, unchanged: 0 });
  expect((first.body.errors as { line: number }[]).map((e) => e.line)).toEqual([3, 4]);
  expect((await importCsv(keys.admin, csv(`Тестова громада ${tag}`))).body).toMatchObject({
    created: 0,
    updated: 0,
    unchanged: 1,
  });
  expect((await importCsv(keys.admin, csv(`Тестова громада, нова назва ${tag}`))).body).toMatchObject({
    created: 0,
    updated: 1,
    unchanged: 0,
  });
  const stored = (await api(keys.tool, 'GET', `/v1/hromadas?q=${ownHromada.toLowerCase()}`)).body.hromadas;
  expect(stored).toEqual([
    {
      katottg: ownHromada,
      region: 'UA-63',
      nameUk: `Тестова громада, нова назва ${tag}`,
      nameEn: `Test hromada ${tag}`,
      kind: 'rural',
    },
  ]);
  const audit = await sys.pool.query(
    `SELECT details FROM admin_events WHERE action = 'hromadas_imported' AND actor_id = $1 ORDER BY event_id`,
    [`admin-ref-${tag}`],
  );
  expect(audit.rows.map((r) => r.details)).toEqual([
    { rows: 1, created: 1, updated: 0 },
    { rows: 1, created: 0, updated: 0 },
    { rows: 1, created: 0, updated: 1 },
  ]);

  const noHeader = await importCsv(keys.admin, 'code,name\nUA63040090000021240,Izium\n');
  expect([noHeader.status, errorsOf(noHeader.body)[0]]).toEqual([400, ['header', 'csv_header']]);
  expect((await api(keys.admin, 'POST', '/v1/hromadas/import', { katottg: ownHromada })).status).toBe(415);
  const unstorable = await importCsv(keys.admin, csv('Нуль\u0000'));
  expect([unstorable.status, errorsOf(unstorable.body)]).toEqual([400, [['', 'invalid_characters']]]); // '': the whole body
  expect((await importCsv(keys.head, csv('x'))).status).toBe(403);
});

it('checks the hromada of a write: it must exist and lie in the region; stored and matched by code', async () => {
  const opened = await api(keys.cm, 'POST', '/v1/cases', { region: 'UA-63', hromada: 'ua63040090000021240' });
  expect(opened.status).toBe(201);
  expect(((await api(keys.cm, 'GET', `/v1/cases/${opened.body.caseId as string}`)).body.case as Json).hromada).toBe(
    'UA63040090000021240',
  );
  const listed = (await api(keys.cm, 'GET', `/v1/cases?hromada=ua63040090000021240&caseManagerId=${cmId}`)).body
    .cases as { caseId: string }[];
  expect(listed.map((c) => c.caseId)).toEqual([opened.body.caseId]);

  const elsewhere = await api(keys.admin, 'POST', '/v1/cases', { region: 'Lviv', hromada: 'UA63040090000021240' });
  expect([elsewhere.status, errorsOf(elsewhere.body)]).toEqual([400, [['hromada', 'hromada_outside_region']]]);
  const freeText = await api(keys.admin, 'POST', '/v1/cases', { region: 'Zaporizhzhia', hromada: 'Vilniansk' });
  expect([freeText.status, errorsOf(freeText.body)]).toEqual([400, [['hromada', 'unknown_hromada']]]);
  const oneOff = await api(keys.cm, 'POST', '/v1/one-off-contacts', {
    region: 'Kharkiv',
    hromada: 'UA46000000000000000',
    services: [{ category: 'information' }],
  });
  expect([oneOff.status, errorsOf(oneOff.body)]).toEqual([400, [['hromada', 'unknown_hromada']]]);
});

it('keeps free text stored before 008 readable: a list matches it as stored', async () => {
  const caseId = randomUUID();
  await sys.pool.query(
    `INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, hromada, source, policy_version, opened_at, updated_at, state)
     VALUES ($1, $2, 1, 'assessment', 'routine', $3, 'Vilniansk', 'walk_in', 'old', now(), now(), '{}')`,
    [caseId, `case-${caseId}`, `Old-${tag}`],
  );
  const listed = (await api(keys.admin, 'GET', `/v1/cases?region=Old-${tag}&hromada=Vilniansk`)).body.cases as {
    caseId: string;
    hromada: string;
  }[];
  expect(listed).toEqual([expect.objectContaining({ caseId, hromada: 'Vilniansk' })]);
});

it('projects a case whose workflow holds a region name (opened before 008) with the code, and keeps it running', async () => {
  const caseId = randomUUID();
  const input: CaseWorkflowInput = {
    caseId,
    open: { priority: 'routine', region: 'Kharkiv', source: 'hotline', caseManagerId: cmId },
    openedBy: { kind: 'tool', id: 'hotline' },
    openedAt: new Date().toISOString(),
    policy: defaultPolicy,
  };
  await sys.temporal.workflow.start(caseWorkflow, {
    taskQueue: sys.taskQueue,
    workflowId: caseWorkflowId(caseId),
    args: [input],
  });
  const row = await eventually(
    async () =>
      (
        await sys.pool.query<{ region: string; state_region: string }>(
          `SELECT region, state->>'region' AS state_region FROM cases WHERE case_id = $1`,
          [caseId],
        )
      ).rows[0],
  );
  expect(row).toEqual({ region: 'UA-63', state_region: 'UA-63' });
  // The Kharkiv-scoped case manager may steer it; the workflow applies the command as before, and the answer gives the code.
  const contact = await api(keys.cm, 'POST', `/v1/cases/${caseId}/commands/recordContact`, { channel: 'phone' });
  expect([contact.status, (contact.body.case as Json).region]).toEqual([200, 'UA-63']);
  expect((await api(keys.cm, 'GET', `/v1/cases/${caseId}`)).body.case).toMatchObject({
    region: 'UA-63',
    contact: expect.objectContaining({ channel: 'phone' }),
  });
  await sys.temporal.workflow.getHandle(caseWorkflowId(caseId)).terminate('test over');
});
