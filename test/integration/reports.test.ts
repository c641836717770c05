import { randomUUID } from 'node:crypto';
import { serviceCategories } from '../../domain/case';
import { zonedTime } from '../../domain/calendar';
import type { RegionalReportRow } from '../../db/reports';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The regional report over a generated data set (written straight to the tables it reads) equals
 * the same figures computed here, independently, from the generated rows.
 */
let sys: RunningSystem;
let head: string;
const tag = randomUUID().slice(0, 6);
const regions = [`Poltava-${tag}`, `Sumy-${tag}`];
const hromadas = ['north', 'south'];
const from = '2026-03-01';
const to = '2026-06-01';
const t0 = zonedTime(2026, 3, 1, 0, 0, 'Europe/Kyiv');
const t1 = zonedTime(2026, 6, 1, 0, 0, 'Europe/Kyiv');

// A small seeded generator, so a failure can be reproduced.
let seed = 20_261_122;
const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const DAY = 86_400_000;
const when = (startMs: number, days: number) => startMs + Math.floor(rand() * days * DAY);

interface GenCase {
  id: string;
  region: string;
  hromada: string;
  cm: string;
  openedAt: number;
  takenAt?: number;
  closedAt?: number;
  outcome?: string;
}
interface GenService {
  caseId: string;
  region: string;
  hromada: string;
  category: string;
  at: number;
}
const cases: GenCase[] = [];
const oneOffs: { id: string; region: string; hromada: string; at: number }[] = [];
const services: GenService[] = [];

beforeAll(async () => {
  sys = await startSystem();
  head = await sys.issueKey('head', `head-${tag}`);
  const jan = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 80; i++) {
    const c: GenCase = {
      id: randomUUID(),
      region: pick(regions),
      hromada: pick(hromadas),
      cm: `cm-${tag}-${Math.floor(rand() * 5)}`,
      openedAt: when(jan, 210),
    };
    if (rand() < 0.7) {
      c.takenAt = c.openedAt + Math.floor(rand() * 5 * DAY);
      if (rand() < 0.5) {
        c.closedAt = c.takenAt + DAY * (10 + Math.floor(rand() * 110));
        c.outcome = pick(['positive', 'positive', 'partial', 'none']);
      }
      for (let k = Math.floor(rand() * 4); k > 0; k--)
        services.push({
          caseId: c.id,
          region: c.region,
          hromada: c.hromada,
          category: pick(serviceCategories),
          at: when(c.takenAt, 150),
        });
    }
    cases.push(c);
  }
  for (let i = 0; i < 40; i++) {
    const o = { id: randomUUID(), region: pick(regions), hromada: pick(hromadas), at: when(jan, 210) };
    oneOffs.push(o);
    services.push({
      caseId: o.id,
      region: o.region,
      hromada: o.hromada,
      category: pick(['information', 'legal', 'material'] as const),
      at: o.at,
    });
  }

  const iso = (ms: number) => new Date(ms).toISOString();
  for (const c of cases) {
    await sys.pool.query(
      `INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, hromada, case_manager_id, source, policy_version, opened_at, updated_at, state, closed_at, closure_reason, closure_outcome)
       VALUES ($1, $10, 1, $2, 'routine', $3, $4, $5, 'walk_in', 'test', $6, $6, '{}', $7, $8, $9)`,
      [
        c.id,
        c.closedAt || !c.takenAt ? 'closed' : 'intervention',
        c.region,
        c.hromada,
        c.cm,
        iso(c.openedAt),
        c.closedAt ? iso(c.closedAt) : c.takenAt ? null : iso(c.openedAt),
        c.takenAt ? (c.closedAt ? 'goals_achieved' : null) : 'one_off_service',
        c.outcome ?? null,
        `case-${c.id}`,
      ],
    );
    if (c.takenAt) {
      await sys.pool.query(
        `INSERT INTO case_events (case_id, seq, type, actor_kind, actor_id, at, data) VALUES ($1, 2, 'case_opened_for_management', 'person', $2, $3, '{}')`,
        [c.id, c.cm, iso(c.takenAt)],
      );
    }
    if (c.closedAt) {
      await sys.pool.query(
        `INSERT INTO case_closures (case_id, closed_at, reason, outcome, region, hromada, case_manager_id, opened_at, cycles, services, referrals) VALUES ($1, $2, 'goals_achieved', $3, $4, $5, $6, $7, 1, '{}', 0)`,
        [c.id, iso(c.closedAt), c.outcome, c.region, c.hromada, c.cm, iso(c.openedAt)],
      );
    }
  }
  for (const o of oneOffs)
    await sys.pool.query(
      `INSERT INTO one_off_contacts (contact_id, region, hromada, at, recorded_by) VALUES ($1, $2, $3, $4, 'test')`,
      [o.id, o.region, o.hromada, iso(o.at)],
    );
  let n = 0;
  for (const s of services) {
    await sys.pool.query(
      `INSERT INTO case_services (case_id, service_id, kind, category, delivered_at, region, hromada) VALUES ($1, $2, 'case', $3, $4, $5, $6)`,
      [s.caseId, `s${++n}`, s.category, iso(s.at), s.region, s.hromada],
    );
  }
}, 120_000);
afterAll(async () => sys?.stop());

function expected(region: string, hromada?: string): RegionalReportRow {
  const inPeriod = (t: number | undefined) => t !== undefined && t >= t0 && t < t1;
  const mine = <T extends { region: string; hromada: string }>(x: T) =>
    x.region === region && (hromada === undefined || x.hromada === hromada);
  const cs = cases.filter(mine);
  const active = cs.filter(
    (c) => c.takenAt !== undefined && c.takenAt < t1 && (c.closedAt === undefined || c.closedAt >= t0),
  );
  const managers = new Set(active.map((c) => c.cm)).size;
  const byCategory = Object.fromEntries(
    serviceCategories.map((cat) => [
      cat,
      services.filter(mine).filter((s) => s.category === cat && inPeriod(s.at)).length,
    ]),
  );
  const screenedOut = cs.filter((c) => !c.takenAt && inPeriod(c.openedAt)).length;
  const oneOffsIn = oneOffs.filter(mine).filter((o) => inPeriod(o.at)).length;
  return {
    region,
    ...(hromada ? { hromada } : {}),
    approached: cs.filter((c) => inPeriod(c.openedAt)).length + oneOffsIn,
    oneOffContacts: screenedOut + oneOffsIn,
    casesOpened: cs.filter((c) => inPeriod(c.takenAt)).length,
    activeCases: active.length,
    caseManagers: managers,
    casesPerCaseManager: managers ? Math.round((active.length / managers) * 10) / 10 : 0,
    casesClosed: cs.filter((c) => inPeriod(c.closedAt)).length,
    closedPositive: cs.filter((c) => inPeriod(c.closedAt) && c.outcome === 'positive').length,
    services: byCategory,
  };
}

const report = (query: string, accept = 'application/json') =>
  fetch(`${sys.baseUrl}/v1/reports/regional?${query}`, { headers: { authorization: `Bearer ${head}`, accept } });

it('equals the figures computed independently, per region', async () => {
  for (const region of regions) {
    const res = await report(`from=${from}&to=${to}&region=${region}`);
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: RegionalReportRow[] };
    expect(rows).toEqual([expected(region)]);
  }
});

it('equals them per hromada too, and serves CSV', async () => {
  const region = regions[0]!;
  const { rows } = (await (await report(`from=${from}&to=${to}&region=${region}&groupBy=hromada`)).json()) as {
    rows: RegionalReportRow[];
  };
  expect(rows).toEqual(
    hromadas
      .map((h) => expected(region, h))
      .filter(
        (r) => r.approached + r.activeCases + r.casesClosed + Object.values(r.services).reduce((a, b) => a + b, 0) > 0,
      ),
  );

  const csv = await report(`from=${from}&to=${to}&region=${region}`, 'text/csv');
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  const [header, line] = (await csv.text()).trim().split('\r\n');
  expect(header!.split(',').slice(0, 6)).toEqual([
    'region',
    'region_name',
    'hromada',
    'hromada_name',
    'approached',
    'one_off_contacts',
  ]);
  const e = expected(region);
  expect(line!.split(',').slice(0, 7)).toEqual([
    region,
    region,
    '',
    '',
    String(e.approached),
    String(e.oneOffContacts),
    String(e.casesOpened),
  ]);
});

it('serves CSV as UTF-8 with a byte-order mark, with Ukrainian headers for lang=uk', async () => {
  const region = regions[0]!;
  const bytes = async (lang?: string) =>
    Buffer.from(
      await (
        await report(`from=${from}&to=${to}&region=${region}${lang ? `&lang=${lang}` : ''}`, 'text/csv')
      ).arrayBuffer(),
    );
  const en = await bytes();
  const uk = await bytes('uk');
  expect([...en.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect([...uk.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(en.subarray(3).toString('utf8').split('\r\n')[0]!.split(',').slice(0, 5)).toEqual([
    'region',
    'region_name',
    'hromada',
    'hromada_name',
    'approached',
  ]);
  const [header, line] = uk.subarray(3).toString('utf8').split('\r\n');
  expect(header!.split(',').slice(0, 5)).toEqual([
    'Код регіону',
    'Регіон',
    'Код громади',
    'Громада',
    'Звернулося осіб',
  ]);
  expect(header).toContain('Послуги: юридичні (у т.ч. відновлення документів)');
  expect(Buffer.from('Код регіону', 'utf8').equals(uk.subarray(3, 3 + Buffer.byteLength('Код регіону')))).toBe(true);
  // The same figures under either header (the names are in the header's language).
  expect(line!.split(',').slice(4)).toEqual(en.subarray(3).toString('utf8').split('\r\n')[1]!.split(',').slice(4));
  expect((await report(`from=${from}&to=${to}&lang=de`, 'text/csv')).status).toBe(400);
});

it('refuses bad periods and regions outside the scope', async () => {
  expect((await report(`from=${to}&to=${from}`)).status).toBe(400);
  const scoped = await sys.issueKey('head', `head-scoped-${tag}`);
  await sys.pool.query(`UPDATE api_keys SET scope = $1 WHERE subject = $2`, [
    { regions: [regions[1]] },
    `head-scoped-${tag}`,
  ]);
  const res = await fetch(`${sys.baseUrl}/v1/reports/regional?from=${from}&to=${to}&region=${regions[0]}`, {
    headers: { authorization: `Bearer ${scoped}` },
  });
  expect(res.status).toBe(403);
});

it('records a one-off contact once per idempotency key, and counts it', async () => {
  const region = `Ternopil-${tag}`;
  await sys.registerRegions([region]);
  const cm = await sys.issueKey('case_manager', `cm-oneoff-${tag}`);
  const send = () =>
    fetch(`${sys.baseUrl}/v1/one-off-contacts`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${cm}`,
        'content-type': 'application/json',
        'idempotency-key': `walk-in-${tag}-0001`,
      },
      body: JSON.stringify({
        region,
        services: [{ category: 'information' }, { category: 'legal' }],
        client: { fullName: 'Марія Ткач' },
      }),
    });
  const first = await send();
  const again = await send();
  expect([first.status, again.status]).toEqual([201, 200]);
  expect(((await first.json()) as { contactId: string }).contactId).toBe(
    ((await again.json()) as { contactId: string }).contactId,
  );
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
  const { rows } = (await (await report(`from=${today}&to=${tomorrow}&region=${region}`)).json()) as {
    rows: RegionalReportRow[];
  };
  expect(rows).toEqual([
    expect.objectContaining({
      approached: 1,
      oneOffContacts: 1,
      casesOpened: 0,
      services: expect.objectContaining({ information: 1, legal: 1 }),
    }),
  ]);
});

it("gives the head's charts: the caseload by stage as the list counts it, and deadlines missed week by week", async () => {
  const region = regions[0]!;
  const res = await fetch(`${sys.baseUrl}/v1/reports/overview?from=${from}&to=${to}&region=${region}`, {
    headers: { authorization: `Bearer ${head}` },
  });
  expect(res.status).toBe(200);
  const o = (await res.json()) as { byStage: Record<string, number>; missedByWeek: { week: string; missed: number }[] };
  // By stage, counted through the case list instead.
  const counted: Record<string, number> = {};
  let cursor: string | undefined;
  do {
    const page = (await (
      await fetch(`${sys.baseUrl}/v1/cases?region=${region}&limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { authorization: `Bearer ${head}` },
      })
    ).json()) as { cases: { stage: string }[]; nextCursor?: string };
    for (const c of page.cases) counted[c.stage] = (counted[c.stage] ?? 0) + 1;
    cursor = page.nextCursor;
  } while (cursor);
  expect(o.byStage).toEqual(counted);
  // Every Monday from the one of `from` to before `to`, each once.
  expect(o.missedByWeek[0]!.week).toBe('2026-02-23');
  expect(o.missedByWeek.at(-1)!.week).toBe('2026-05-25');
  for (const [i, w] of o.missedByWeek.entries()) {
    expect(new Date(`${w.week}T12:00:00Z`).getUTCDay()).toBe(1);
    if (i > 0) expect(Date.parse(w.week) - Date.parse(o.missedByWeek[i - 1]!.week)).toBe(7 * 86_400_000);
  }
  const missed = await sys.pool.query(
    `SELECT count(*)::int AS n FROM case_escalations WHERE region = $1 AND opened_at >= ($2::date)::timestamp AT TIME ZONE 'Europe/Kyiv' AND opened_at < ($3::date)::timestamp AT TIME ZONE 'Europe/Kyiv'`,
    [region, from, to],
  );
  expect(o.missedByWeek.reduce((n, w) => n + w.missed, 0)).toBe(missed.rows[0].n);
  expect(
    (
      await fetch(`${sys.baseUrl}/v1/reports/overview?from=${from}&to=2028-01-01`, {
        headers: { authorization: `Bearer ${head}` },
      })
    ).status,
  ).toBe(400);
});
