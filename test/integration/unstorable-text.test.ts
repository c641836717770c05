import { startSystem, type RunningSystem } from '../support/system';

/**
 * Text PostgreSQL cannot store (NUL) or that is not Unicode (an unpaired UTF-16 surrogate) is
 * refused at the edge with 400 naming the field, on the routes a fuzzer once got 500 from, in the
 * body, the query and the path, and nothing is written.
 */
let sys: RunningSystem;
let admin: string;
beforeAll(async () => {
  sys = await startSystem();
  admin = await sys.issueKey('admin', 'admin-text');
}, 120_000);
afterAll(async () => sys?.stop());

const call = (method: string, path: string, body?: unknown) =>
  fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
// Other test files share the database, so only what this key wrote is counted.
const writtenByThisKey = async () =>
  (
    await sys.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM case_events WHERE actor_id = $1)::int + (SELECT count(*) FROM api_keys WHERE created_by = $1)::int
          + (SELECT count(*) FROM one_off_contacts WHERE recorded_by = $1)::int + (SELECT count(*) FROM people WHERE created_by = $1)::int AS n`,
      ['admin-text'],
    )
  ).rows[0]!.n;
const refusal = async (res: Response) => ({
  status: res.status,
  contentType: res.headers.get('content-type'),
  ...((await res.json()) as object),
});
const field = (location: string, path: string) =>
  expect.objectContaining({ location, path, code: 'invalid_characters' });

it.each([
  [
    'POST',
    '/v1/cases',
    {
      region: 'Kharkiv',
      household: [
        { fullName: 'Olena', relation: 'mother' },
        { fullName: 'Ivan\u0000', relation: 'son' },
      ],
    },
    'household[1].fullName',
  ],
  ['POST', '/v1/cases', { region: 'Kharkiv\ud800' }, 'region'],
  [
    'POST',
    '/v1/one-off-contacts',
    { region: 'Kharkiv', services: [{ category: 'information' }], client: { fullName: 'Olena\u0000' } },
    'client.fullName',
  ],
  [
    'POST',
    '/v1/one-off-contacts',
    { region: 'Kharkiv', services: [{ category: 'information', description: 'x\udc00' }] },
    'services[0].description',
  ],
  ['POST', '/v1/api-keys', { name: 'tool\u0000', role: 'integration', subject: 'tool-x' }, 'name'],
  [
    'POST',
    '/v1/api-keys',
    { name: 'tool', role: 'integration', subject: 'tool-x', scope: { 'regions\u0000': ['Kyiv'] } },
    'scope["regions\\u0000"]',
  ],
])('%s %s refuses %j with 400 naming %s', async (method, path, body, named) => {
  const before = await writtenByThisKey();
  expect(await refusal(await call(method, path, body))).toMatchObject({
    status: 400,
    contentType: expect.stringMatching(/problem\+json/),
    errors: [field('body', named)],
  });
  const after = await writtenByThisKey();
  expect(after).toBe(before);
});

it('names the field in the query and the path too', async () => {
  expect(await refusal(await call('GET', '/v1/cases?q=Ol%00ena'))).toMatchObject({
    status: 400,
    errors: [field('query', 'q')],
  });
  expect(await refusal(await call('DELETE', '/v1/api-keys/%00'))).toMatchObject({
    status: 400,
    errors: [field('params', 'keyId')],
  });
  expect(
    await refusal(await call('POST', '/v1/cases/a%00b/commands/recordContact', { channel: 'phone' })),
  ).toMatchObject({ status: 400, errors: [field('params', 'caseId')] });
});

it('still takes any Unicode text, astral characters included', async () => {
  const res = await call('POST', '/v1/cases', { region: 'Харків', client: { fullName: 'Олена 👩‍👦 Ковальчук' } });
  expect(res.status).toBe(201);
  const { caseId } = (await res.json()) as { caseId: string };
  const people = await sys.pool.query(
    'SELECT p.full_name FROM people p JOIN case_people c USING (person_id) WHERE c.case_id = $1',
    [caseId],
  );
  expect(people.rows).toEqual([{ full_name: 'Олена 👩‍👦 Ковальчук' }]);
  // The count the refusals above compare does see this key's writes.
  expect(await writtenByThisKey()).toBeGreaterThan(0);
});
