import { randomUUID } from 'node:crypto';
import { createPeopleRepository } from '../../db/people';
import { caseWorkflowId } from '../../domain/ids';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The people of a case over HTTP against the real stack: read back and corrected with the case's
 * roles and scope, every read and change in the audit trail, earlier values kept; search within
 * scope; possible duplicates with a score, linked or dismissed by a supervisor; and none of it in
 * Temporal.
 */
let sys: RunningSystem;
const tag = randomUUID().slice(0, 6);
const region = `Poltava-${tag}`;
const keys = {} as Record<'cm' | 'cm2' | 'outsider' | 'sup' | 'head' | 'tool' | 'admin', string>;
const cm = `cm-${tag}`;
const cm2 = `cm2-${tag}`;
const sup = `sup-${tag}`;

interface Person {
  personId: string;
  role: string;
  fullName: string;
  birthDate?: string;
  phone?: string;
  relation?: string;
  documents: { type: string; number: string }[];
  version: number;
  removedAt?: string;
  sameAs: string[];
}
interface Entry {
  kind: string;
  action: string;
  actor: { kind: string; id: string };
  details: Record<string, unknown>;
}

async function call(key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

async function open(
  key: string,
  body: Record<string, unknown>,
): Promise<{ caseId: string; links: Record<string, string> }> {
  const r = await call(key, 'POST', '/v1/cases', { region, supervisorId: sup, ...body });
  expect([r.status, r.body]).toEqual([201, expect.anything()]);
  return r.body as unknown as { caseId: string; links: Record<string, string> };
}
const people = async (key: string, caseId: string) =>
  (await call(key, 'GET', `/v1/cases/${caseId}/people`)).body.people as Person[];
const history = async (caseId: string) =>
  (await call(keys.admin, 'GET', `/v1/cases/${caseId}/history`)).body.entries as Entry[];

let first: { caseId: string; links: Record<string, string> };
let client: Person;
let daughter: Person;

beforeAll(async () => {
  sys = await startSystem();
  await sys.registerRegions([region, `Elsewhere-${tag}`]);
  await sys.registerStaff([`cm-far-${tag}`]);
  keys.cm = await sys.issueKey('case_manager', cm);
  keys.cm2 = await sys.issueKey('case_manager', cm2);
  keys.outsider = await sys.issueKey('case_manager', `cm-other-${tag}`);
  keys.sup = await sys.issueKey('supervisor', sup);
  keys.head = await sys.issueKey('head', `head-${tag}`);
  keys.tool = await sys.issueKey('integration', `hotline-${tag}`);
  keys.admin = await sys.issueKey('admin', `admin-${tag}`);
  first = await open(keys.cm, {
    client: {
      fullName: 'Олександр Шевченко',
      birthDate: '1979-05-04',
      phone: '067 123 45 67',
      displacementStatus: 'idp',
      documents: [{ type: 'rnokpp', number: '2900112233' }],
    },
    household: [{ fullName: 'Марія Шевченко', birthDate: '2010-02-01', relation: 'daughter' }],
  });
  [client, daughter] = (await people(keys.cm, first.caseId)) as [Person, Person];
}, 120_000);
afterAll(async () => sys?.stop());

describe('reading and correcting the people of a case', () => {
  it('reads back the client and household sent when the case was opened, and logs the read', async () => {
    expect(first.links).toEqual({
      self: `/v1/cases/${first.caseId}`,
      people: `/v1/cases/${first.caseId}/people`,
      possibleDuplicates: `/v1/cases/${first.caseId}/possible-duplicates`,
    });
    expect(client).toMatchObject({
      role: 'client',
      fullName: 'Олександр Шевченко',
      birthDate: '1979-05-04',
      phone: '067 123 45 67',
      documents: [{ type: 'rnokpp', number: '2900112233' }],
      version: 1,
      sameAs: [],
    });
    expect(daughter).toMatchObject({
      role: 'household_member',
      fullName: 'Марія Шевченко',
      relation: 'daughter',
      version: 1,
    });
    const reads = (await history(first.caseId)).filter((e) => e.kind === 'read' && e.action === 'people');
    expect(reads.map((e) => e.actor)).toContainEqual({ kind: 'person', id: cm });
  });

  it('gives the case’s roles and scope: no tools, nobody outside the scope', async () => {
    expect((await call(keys.sup, 'GET', `/v1/cases/${first.caseId}/people`)).status).toBe(200);
    expect((await call(keys.head, 'GET', `/v1/cases/${first.caseId}/people`)).status).toBe(200);
    expect((await call(keys.tool, 'GET', `/v1/cases/${first.caseId}/people`)).status).toBe(403);
    expect((await call(keys.outsider, 'GET', `/v1/cases/${first.caseId}/people`)).status).toBe(403);
    expect(
      (
        await call(keys.outsider, 'PATCH', `/v1/cases/${first.caseId}/people/${client.personId}`, {
          phone: '0500000000',
        })
      ).status,
    ).toBe(403);
    expect(
      (await call(keys.head, 'PATCH', `/v1/cases/${first.caseId}/people/${client.personId}`, { phone: '0500000000' }))
        .status,
    ).toBe(403);
    expect((await call(keys.cm, 'GET', `/v1/cases/${randomUUID()}/people`)).status).toBe(404);
  });

  it('corrects a person as a new version, keeps the earlier one, and records who changed which fields', async () => {
    const r = await call(keys.cm, 'PATCH', `/v1/cases/${first.caseId}/people/${client.personId}`, {
      phone: '+380 50 765 43 21',
      birthDate: '1979-05-14',
      reason: 'Typo at intake',
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      changed: ['birthDate', 'phone'],
      person: { phone: '+380 50 765 43 21', birthDate: '1979-05-14', version: 2, updatedBy: cm },
    });
    const again = await call(keys.cm, 'PATCH', `/v1/cases/${first.caseId}/people/${client.personId}`, {
      phone: '+380 50 765 43 21',
    });
    expect(again.body).toMatchObject({ changed: [], person: { version: 2 } });
    const versions = (await call(keys.sup, 'GET', `/v1/cases/${first.caseId}/people/${client.personId}/versions`)).body
      .versions as Record<string, unknown>[];
    expect(versions).toEqual([
      expect.objectContaining({
        version: 1,
        phone: '067 123 45 67',
        birthDate: '1979-05-04',
        actor: { kind: 'person', id: cm },
      }),
      expect.objectContaining({
        version: 2,
        phone: '+380 50 765 43 21',
        birthDate: '1979-05-14',
        actor: { kind: 'person', id: cm },
        reason: 'Typo at intake',
      }),
    ]);
    const change = (await history(first.caseId)).find((e) => e.action === 'person_corrected')!;
    expect(change).toMatchObject({
      kind: 'change',
      actor: { kind: 'person', id: cm },
      details: { personId: client.personId, fields: ['birthDate', 'phone'], fromVersion: 1, toVersion: 2 },
    });
    // The trail names fields, not values: no phone (in any spelling) and no birth date in it.
    const trail = JSON.stringify(change.details);
    for (const value of ['765 43 21', '7654321', '380507654321', '1979-05-14', '1979-05-04'])
      expect([value, trail.includes(value)]).toEqual([value, false]);
    expect((await history(first.caseId)).filter((e) => e.action === 'person_versions').map((e) => e.actor.id)).toEqual([
      sup,
    ]);
    // The version table refuses to be rewritten.
    await expect(
      sys.pool.query('UPDATE person_versions SET phone = NULL WHERE person_id = $1', [client.personId]),
    ).rejects.toThrow(/append-only/);
  });

  it('answers 400 naming the field for an invalid document, phone or empty correction', async () => {
    const bad = await call(keys.cm, 'PATCH', `/v1/cases/${first.caseId}/people/${client.personId}`, {
      documents: [{ type: 'rnokpp', number: '12345' }],
      phone: 'call me',
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['documents[0].number', 'phone']);
    const empty = await call(keys.cm, 'PATCH', `/v1/cases/${first.caseId}/people/${client.personId}`, {
      reason: 'nothing',
    });
    expect([empty.status, (empty.body.errors as { path: string }[])[0]!.path]).toEqual([400, 'fullName']);
    const unknown = await call(keys.cm, 'PATCH', `/v1/cases/${first.caseId}/people/${client.personId}`, {
      nickname: 'Sasha',
    });
    expect(unknown.status).toBe(400);
    const relation = await call(keys.cm, 'PATCH', `/v1/cases/${first.caseId}/people/${client.personId}`, {
      relation: 'self',
    });
    expect([relation.status, (relation.body.errors as { path: string }[])[0]!.path]).toEqual([400, 'relation']);
    expect(
      (await call(keys.cm, 'PATCH', `/v1/cases/${first.caseId}/people/${randomUUID()}`, { phone: '0501112233' }))
        .status,
    ).toBe(404);
  });

  it('adds a household member once per key, and removes one by marking it, never the client', async () => {
    const body = { fullName: 'Петро Шевченко', birthDate: '2015-08-20', relation: 'son' };
    const added = await call(keys.cm, 'POST', `/v1/cases/${first.caseId}/people`, body, {
      'idempotency-key': `son-${tag}`,
    });
    expect(added.status).toBe(201);
    const retried = await call(keys.cm, 'POST', `/v1/cases/${first.caseId}/people`, body, {
      'idempotency-key': `son-${tag}`,
    });
    expect(retried.status).toBe(200);
    const son = added.body.person as Person;
    expect((retried.body.person as Person).personId).toBe(son.personId);
    expect((await people(keys.cm, first.caseId)).filter((p) => p.fullName === 'Петро Шевченко')).toHaveLength(1);

    expect((await call(keys.cm, 'DELETE', `/v1/cases/${first.caseId}/people/${client.personId}`)).status).toBe(409);
    expect(
      (await call(keys.cm, 'DELETE', `/v1/cases/${first.caseId}/people/${son.personId}?reason=moved%20out`)).status,
    ).toBe(200);
    const after = await people(keys.cm, first.caseId);
    expect(after.find((p) => p.personId === son.personId)).toMatchObject({
      removedAt: expect.any(String),
      fullName: 'Петро Шевченко',
    });
    expect(
      (await call(keys.cm, 'PATCH', `/v1/cases/${first.caseId}/people/${son.personId}`, { relation: 'stepson' }))
        .status,
    ).toBe(409);
    const trail = await history(first.caseId);
    expect(
      trail.filter((e) => e.action === 'household_member_added').map((e) => [e.actor.id, e.details.personId]),
    ).toEqual([[cm, son.personId]]);
    expect(
      trail.filter((e) => e.action === 'household_member_removed').map((e) => [e.actor.id, e.details.personId]),
    ).toEqual([[cm, son.personId]]);
  });
});

describe('search and possible duplicates', () => {
  let second: { caseId: string };
  let third: { caseId: string };
  let fourth: { caseId: string };

  beforeAll(async () => {
    // The same man opened again by another case manager, in Latin letters; a namesake born on
    // another day; the same RNOKPP under a garbled name; and a case outside every scope here.
    second = await open(keys.cm2, {
      client: { fullName: 'Oleksandr Shevchenko', birthDate: '1979-05-14', phone: '0507654321' },
    });
    third = await open(keys.cm2, { client: { fullName: 'Олександр Шевченко', birthDate: '1990-11-30' } });
    fourth = await open(keys.cm2, {
      client: { fullName: 'O. Shevcenko', documents: [{ type: 'rnokpp', number: '2900 112233' }] },
    });
    await call(keys.admin, 'POST', '/v1/cases', {
      region: `Elsewhere-${tag}`,
      caseManagerId: `cm-far-${tag}`,
      client: { fullName: 'Oleksandr Shevchenko', birthDate: '1979-05-14' },
    });
  }, 60_000);

  const search = async (key: string, query: string) => {
    const r = await call(key, 'GET', `/v1/people?${query}`);
    return {
      status: r.status,
      people: (r.body.people ?? []) as unknown as (Person & { caseId: string })[],
      body: r.body,
    };
  };

  it('finds people by name in either script, birth date, phone and document, only in the caller’s scope', async () => {
    const byName = await search(keys.sup, `name=${encodeURIComponent('Shevchenko Oleksandr')}`);
    expect(byName.people.map((p) => p.caseId).sort()).toEqual([first.caseId, second.caseId, third.caseId].sort());
    expect(
      (await search(keys.sup, `name=${encodeURIComponent('шевченко')}&birthDate=1979-05-14`)).people
        .map((p) => p.caseId)
        .sort(),
    ).toEqual([first.caseId, second.caseId].sort());
    expect(
      (await search(keys.sup, `phone=${encodeURIComponent('+380 (50) 765-43-21')}`)).people.map((p) => p.caseId).sort(),
    ).toEqual([first.caseId, second.caseId].sort());
    expect(
      (await search(keys.sup, 'document=2900112233&documentType=rnokpp')).people.map((p) => p.caseId).sort(),
    ).toEqual([first.caseId, fourth.caseId].sort());
    // A case manager sees their own cases only; the admin sees the case elsewhere too.
    expect(
      (await search(keys.cm, `name=Shevchenko`)).people.map((p) => p.caseId).every((id) => id === first.caseId),
    ).toBe(true);
    expect((await search(keys.admin, `name=Shevchenko&birthDate=1979-05-14`)).people).toHaveLength(3);
    // Each case a result came from logs the read.
    expect((await history(second.caseId)).filter((e) => e.action === 'people_search').map((e) => e.actor.id)).toContain(
      sup,
    );
  });

  it('refuses tools and an empty or malformed search', async () => {
    expect((await search(keys.tool, 'name=Shevchenko')).status).toBe(403);
    const empty = await search(keys.sup, '');
    expect([empty.status, (empty.body.errors as { path: string }[])[0]!.path]).toEqual([400, 'name']);
    expect((await search(keys.sup, 'birthDate=1979-13-40')).status).toBe(400);
  });

  it('lists possible duplicates in scope with a score and reasons, best first', async () => {
    const r = await call(keys.sup, 'GET', `/v1/cases/${first.caseId}/possible-duplicates`);
    expect(r.status).toBe(200);
    const found = r.body.possibleDuplicates as {
      personId: string;
      match: Person & { caseId: string };
      score: number;
      reasons: { field: string; outcome: string }[];
      status: string;
    }[];
    const byCase = Object.fromEntries(found.map((d) => [d.match.caseId, d]));
    // The same man: name, corrected birth date and phone agree.
    expect(byCase[second.caseId]).toMatchObject({
      personId: client.personId,
      score: 1,
      status: 'open',
      reasons: expect.arrayContaining([
        { field: 'name', outcome: 'same', similarity: 1 },
        { field: 'birthDate', outcome: 'same' },
        { field: 'phone', outcome: 'same' },
      ]),
    });
    // The same RNOKPP is strong whatever the name.
    expect(byCase[fourth.caseId]!.score).toBeGreaterThanOrEqual(0.95);
    expect(byCase[fourth.caseId]!.reasons).toContainEqual({
      field: 'document',
      outcome: 'same',
      documentType: 'rnokpp',
    });
    // The namesake born another day is not listed, nor the case outside the supervisor's scope,
    // nor the daughter (another name, another birth date).
    expect(byCase[third.caseId]).toBeUndefined();
    expect(found.every((d) => [second.caseId, fourth.caseId].includes(d.match.caseId))).toBe(true);
    expect(found.map((d) => d.score)).toEqual([...found.map((d) => d.score)].sort((a, b) => b - a));
    // Logged on this case and on each case a match came from.
    expect(
      (await history(first.caseId)).filter((e) => e.action === 'possible_duplicates').map((e) => e.actor.id),
    ).toEqual([sup]);
    expect(
      (await history(second.caseId)).some((e) => e.action === 'possible_duplicate_of_other_case' && e.actor.id === sup),
    ).toBe(true);
    // The case manager of the second case finds the first from their side only if it is theirs: it is not.
    expect(
      (
        (await call(keys.cm2, 'GET', `/v1/cases/${second.caseId}/possible-duplicates`)).body
          .possibleDuplicates as unknown[]
      ).length,
    ).toBe(0);
    expect((await call(keys.tool, 'GET', `/v1/cases/${first.caseId}/possible-duplicates`)).status).toBe(403);
  });

  it('lets a supervisor link or dismiss a match, audited on both cases, merging nothing', async () => {
    const [other] = await people(keys.sup, second.caseId);
    const [garbled] = await people(keys.sup, fourth.caseId);
    const decide = (key: string, body: Record<string, unknown>) =>
      call(key, 'POST', `/v1/cases/${first.caseId}/possible-duplicates/decisions`, body);
    expect(
      (await decide(keys.cm, { personId: client.personId, matchPersonId: other!.personId, decision: 'same_person' }))
        .status,
    ).toBe(403);
    const linked = await decide(keys.sup, {
      personId: client.personId,
      matchPersonId: other!.personId,
      decision: 'same_person',
      note: 'Same IDP certificate seen',
    });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ decision: 'same_person', score: 1, matchCaseIds: [second.caseId] });
    const dismissed = await decide(keys.sup, {
      personId: client.personId,
      matchPersonId: garbled!.personId,
      decision: 'not_same_person',
    });
    expect(dismissed.status).toBe(201);
    expect(
      (await decide(keys.sup, { personId: client.personId, matchPersonId: randomUUID(), decision: 'same_person' }))
        .status,
    ).toBe(404);

    const listed = (await call(keys.sup, 'GET', `/v1/cases/${first.caseId}/possible-duplicates`)).body
      .possibleDuplicates as { match: { caseId: string }; status: string }[];
    expect(listed.map((d) => [d.match.caseId, d.status])).toEqual([[second.caseId, 'linked']]);
    // Nothing merged: both records stay, each showing the link.
    expect((await people(keys.sup, first.caseId))[0]).toMatchObject({
      fullName: 'Олександр Шевченко',
      sameAs: [other!.personId],
    });
    expect((await people(keys.sup, second.caseId))[0]).toMatchObject({
      fullName: 'Oleksandr Shevchenko',
      sameAs: [client.personId],
    });
    for (const [caseId, action] of [
      [first.caseId, 'possible_duplicate_linked'],
      [second.caseId, 'possible_duplicate_linked'],
      [first.caseId, 'possible_duplicate_dismissed'],
      [fourth.caseId, 'possible_duplicate_dismissed'],
    ] as const) {
      expect([caseId, action, (await history(caseId)).filter((e) => e.action === action).map((e) => e.actor)]).toEqual([
        caseId,
        action,
        [{ kind: 'person', id: sup }],
      ]);
    }
  });
});

it('keeps personal data out of Temporal: no workflow input, search attribute or history event holds it', async () => {
  const handle = sys.temporal.workflow.getHandle(caseWorkflowId(first.caseId));
  // Every payload of the history, decoded as text, and the search attributes.
  const texts: string[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array) texts.push(Buffer.from(v).toString('utf8'));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    else if (typeof v === 'string') texts.push(v);
  };
  walk(await handle.fetchHistory());
  walk((await handle.describe()).searchAttributes);
  const all = texts.join('\n');
  expect(all).toContain(first.caseId); // the history was read
  for (const secret of ['Шевченко', 'Shevchenko', 'Марія', '2900112233', '067 123', '50 765 43', '1979-05-'])
    expect([secret, all.includes(secret)]).toEqual([secret, false]);
});

it('keys people recorded before migration 007 (no name or phone key) so search and matching find them', async () => {
  const personId = randomUUID();
  await sys.pool.query(
    `INSERT INTO people (person_id, full_name, phone, created_by) VALUES ($1, 'Юлія Яковенко', '050 111 22 33', 'before-007')`,
    [personId],
  );
  expect(await createPeopleRepository(sys.pool).backfillKeys()).toBeGreaterThanOrEqual(1);
  const r = await sys.pool.query('SELECT name_key, phone_key FROM people WHERE person_id = $1', [personId]);
  expect(r.rows).toEqual([{ name_key: 'yuliia yakovenko', phone_key: '380501112233' }]);
  expect(await createPeopleRepository(sys.pool).backfillKeys()).toBe(0);
});
