import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { Client as PgClient } from 'pg';
import type { CaseState } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import { defaultPolicy, type Policy } from '../../domain/policy';
import { caseSearchAttributes, CaseStage } from '../../domain/search-attributes';
import { checkConsistency } from '../../scripts/consistency';
import { everyPriority, seconds, startHotlineCases } from '../support/deadline-cases';
import { committedHistories } from '../support/histories';
import { eventually } from '../support/system';
import { startClusterSystem, type ClusterSystem } from './cluster-system';

/**
 * Suprovid on the shape its users deploy: Temporal Server on PostgreSQL (four service processes,
 * four history shards), two worker processes and two API replicas. Cases go through their lives
 * through both replicas while a worker is SIGKILLed, the history service is restarted while
 * deadlines fall due, and the PostgreSQL that Temporal persists to is restarted; nothing is lost
 * and nothing happens twice. The tests share one cluster and run in order.
 */
jest.setTimeout(600_000);

let sys: ClusterSystem;
let hotline: string;
let cm: string;
let sup: string;
const opened: string[] = [];

beforeAll(async () => {
  sys = await startClusterSystem();
  [hotline, cm, sup] = await Promise.all([
    sys.issueKey('integration', 'hotline-cluster'),
    sys.issueKey('case_manager', 'cm-cluster'),
    sys.issueKey('supervisor', 'sup-cluster'),
  ]);
}, 300_000);
afterAll(async () => sys?.stop(), 120_000);

let turn = 0;
/** One request to the next API replica in turn (as a load balancer would); a 503 is retried with the same Idempotency-Key, as docs/API.md tells clients to. */
async function send(
  key: string,
  path: string,
  body: unknown,
  idempotencyKey: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  for (let attempt = 1; ; attempt++) {
    const base = sys.apis[turn++ % sys.apis.length]!;
    const res = await fetch(base + path, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(body),
    }).catch(() => undefined);
    const status = res?.status ?? 0;
    const json = res ? ((await res.json().catch(() => ({}))) as Record<string, unknown>) : {};
    if ((status === 503 || status === 0) && attempt < 120) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    return { status, body: json };
  }
}

/** A case from the hotline's call to its closure: 12 requests, each answered once its change is in PostgreSQL. */
async function life(n: number, afterCommand?: (i: number) => Promise<void>): Promise<string> {
  const tag = `${n}-${randomUUID()}`;
  const open = await send(
    hotline,
    '/v1/cases',
    {
      region: 'Kharkiv',
      priority: 'urgent',
      source: 'hotline',
      caseManagerId: 'cm-cluster',
      supervisorId: 'sup-cluster',
    },
    `open-${tag}`,
  );
  expect([open.status, open.body.detail]).toEqual([201, undefined]);
  const caseId = open.body.caseId as string;
  opened.push(caseId);
  const steps: [string, string, unknown][] = [
    [cm, 'recordContact', { channel: 'phone' }],
    [cm, 'recordConsent', { dataProcessing: true, shareWith: ['ngo-pravo'] }],
    [cm, 'screen', { decision: 'open_case' }],
    [cm, 'submitAssessment', { needs: [{ domain: 'housing', level: 'high' }] }],
    [
      cm,
      'submitPlan',
      {
        goals: [{ goalId: 'g1', description: 'Stable housing', domain: 'housing' }],
        clientAgreement: { agreedAt: new Date().toISOString(), form: 'verbal' },
      },
    ],
    [sup, 'approvePlan', {}],
    [cm, 'sendReferral', { referralId: 'r1', providerId: 'ngo-pravo', category: 'housing' }],
    [hotline, 'answerReferral', { referralId: 'r1', answer: 'accepted' }],
    [
      cm,
      'recordService',
      { serviceId: 's1', category: 'housing', deliveredAt: new Date().toISOString(), referralId: 'r1' },
    ],
    [cm, 'recordReview', { outcome: 'propose_closure', closure: { reason: 'goals_achieved', outcome: 'positive' } }],
    [sup, 'approveClosure', {}],
  ];
  let last: CaseState | undefined;
  for (const [i, [key, name, body]] of steps.entries()) {
    const r = await send(key, `/v1/cases/${caseId}/commands/${name}`, body, `${name}-${tag}`);
    expect([name, r.status, r.body.detail]).toEqual([name, 200, undefined]);
    last = (r.body as { case: CaseState }).case;
    await afterCommand?.(i);
  }
  expect(last?.stage).toBe('closed');
  return caseId;
}

async function lives(count: number, lanes: number, afterCommand?: (i: number) => Promise<void>): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const results = await Promise.allSettled(
    Array.from({ length: lanes }, async () => {
      while (next < count) ids.push(await life(next++, afterCommand));
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return ids;
}

/** Each case closed, its journal gapless, and every step in it once (journal, referral, service, closure, notifications). */
async function expectWholeOnce(ids: string[]): Promise<void> {
  const q = async (sql: string) => (await sys.pool.query(sql, [ids])).rows as Record<string, unknown>[];
  expect(await q('SELECT stage, count(*)::int AS n FROM cases WHERE case_id = ANY($1) GROUP BY stage')).toEqual([
    { stage: 'closed', n: ids.length },
  ]);
  const journals = (await q(
    'SELECT array_agg(seq ORDER BY seq) AS seqs, array_agg(type ORDER BY seq) AS types FROM case_events WHERE case_id = ANY($1) GROUP BY case_id',
  )) as { seqs: number[]; types: string[] }[];
  expect(journals).toHaveLength(ids.length);
  for (const j of journals) {
    expect(j.seqs).toEqual(j.seqs.map((_, i) => i + 1));
    for (const t of [
      'case_opened',
      'contact_recorded',
      'plan_approved',
      'referral_sent',
      'referral_accepted',
      'service_recorded',
      'case_closed',
    ]) {
      expect([t, j.types.filter((x) => x === t).length]).toEqual([t, 1]);
    }
  }
  for (const table of ['case_referrals', 'case_services', 'case_closures']) {
    expect([table, await q(`SELECT count(*)::int AS n FROM ${table} WHERE case_id = ANY($1)`)]).toEqual([
      table,
      [{ n: ids.length }],
    ]);
  }
  // The plan and the closure awaiting the supervisor: two per case, none twice.
  expect(await q('SELECT count(*)::int AS n FROM notifications WHERE case_id = ANY($1)')).toEqual([
    { n: 2 * ids.length },
  ]);
}

it('is the shape docker-compose.yml describes: Temporal Server 1.29.1 on PostgreSQL, 4 history shards, the namespace and its search attributes', async () => {
  const { workflowService, operatorService } = sys.temporal.connection;
  const info = await workflowService.getClusterInfo({});
  expect(info.serverVersion).toBe(process.env.TEMPORAL_SERVER_VERSION ?? '1.29.1');
  expect(info.historyShardCount).toBe(4);
  expect(info.persistenceStore).toBe('postgres12');
  expect(info.visibilityStore).toBe('postgres12');
  const ns = await workflowService.describeNamespace({ namespace: sys.cluster.namespace });
  expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 86_400);
  const attrs = await operatorService.listSearchAttributes({ namespace: sys.cluster.namespace });
  expect(Object.keys(attrs.customAttributes ?? {})).toEqual(
    expect.arrayContaining(caseSearchAttributes.map((a) => a.name)),
  );
  for (const service of ['frontend', 'history', 'matching', 'worker'] as const)
    expect(sys.cluster.process(service).exitCode).toBeNull();
  // The schemas setup-schema.sh brought both databases to: the latest of Temporal Server 1.29.1's
  // postgresql/v12 schemas (compose's schema job runs the same script with the same release's tool).
  const versions = await Promise.all(
    ['temporal', 'temporal_visibility'].map(async (db) => {
      const url = new URL(sys.postgresUrl);
      url.pathname = `/${db}`;
      const c = new PgClient({ connectionString: url.toString() });
      await c.connect();
      try {
        return (await c.query<{ v: string }>('SELECT curr_version AS v FROM schema_version')).rows[0]?.v;
      } finally {
        await c.end();
      }
    }),
  );
  expect(versions).toEqual(['1.18', '1.9']);
});

it('takes 50 cases through their whole lives through both API replicas', async () => {
  const ids = await lives(50, 10);
  await expectWholeOnce(ids);
  // Both replicas served a share of the commands (each process counts its own requests).
  for (const api of sys.apis) {
    const text = await (await fetch(`${api}/metrics`, { headers: { authorization: `Bearer ${hotline}` } })).text();
    const served = [
      ...text.matchAll(
        /^suprovid_http_requests_total\{method="POST",route="\/v1\/cases\/:caseId\/commands\/[^"]+",status="200"\} (\d+)$/gm,
      ),
    ].reduce((n, m) => n + Number(m[1]), 0);
    expect([api, served]).toEqual([api, expect.any(Number)]);
    expect(served).toBeGreaterThanOrEqual(200);
  }
  // The Web UI's view: the cases are listed by their search attributes in Temporal's visibility store.
  const closed = await eventually(async () => {
    let n = 0;
    for await (const _ of sys.temporal.workflow.list({
      query: `CaseStage = 'closed' AND CaseRegion = 'UA-63'` /* the region's code: cases keep codes since migration 008 */,
    }))
      n++;
    return n >= 50 ? n : undefined;
  }, 30_000);
  expect(closed).toBeGreaterThanOrEqual(50);
  const described = await sys.temporal.workflow.getHandle(caseWorkflowId(ids[0]!)).describe();
  expect(described.typedSearchAttributes.get(CaseStage)).toBe('closed');
});

it('carries on when one worker of two is SIGKILLed mid-run: every case finishes, nothing twice', async () => {
  let killed = false;
  let commands = 0;
  const ids = await lives(30, 10, async () => {
    // After about a third of the run's commands, one worker dies without a word.
    if (!killed && ++commands >= 120) {
      killed = true;
      await sys.killWorker(0);
    }
  });
  expect(killed).toBe(true);
  await expectWholeOnce(ids);
  await sys.startWorker(0);
});

it('fires every reminder and escalation once when the history service restarts while they fall due', async () => {
  // First contact due 30 s after opening; its reminder at half of that (15 s); the supervisor's answer due an hour later.
  const policy: Policy = {
    ...defaultPolicy,
    version: 'cluster-seconds',
    firstContact: everyPriority(30),
    reminderBefore: seconds(20),
    screeningDecision: everyPriority(3600),
    supervisorResponse: everyPriority(3600),
  };
  const ids = Array.from({ length: 10 }, () => randomUUID());
  await startHotlineCases(sys, ids, policy, { openedAt: new Date(), staff: 'cluster' });
  const started = Date.now();
  await eventually(
    async () =>
      (await sys.pool.query('SELECT count(*)::int AS n FROM cases WHERE case_id = ANY($1)', [ids])).rows[0].n ===
      ids.length
        ? true
        : undefined,
    60_000,
  );

  // History down from before the reminders fall due (15 s) until after; the escalations (30 s) come after it is back.
  await sys.cluster.stopService('history');
  const downAt = Date.now() - started;
  await new Promise((r) => setTimeout(r, Math.max(0, 18_000 - (Date.now() - started))));
  const quiet = await sys.pool.query(
    `SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY($1) AND type IN ('reminder', 'escalation_opened')`,
    [ids],
  );
  expect(quiet.rows[0].n).toBe(0);
  await sys.cluster.startService('history');
  expect(downAt).toBeLessThan(15_000);

  const journals = await eventually(async () => {
    const r = await sys.pool.query<{ types: string[] }>(
      'SELECT array_agg(type ORDER BY seq) AS types FROM case_events WHERE case_id = ANY($1) GROUP BY case_id',
      [ids],
    );
    return r.rows.length === ids.length && r.rows.every((x) => x.types.includes('escalation_opened'))
      ? r.rows
      : undefined;
  }, 180_000);
  for (const j of journals) {
    expect(j.types.filter((t) => t === 'reminder')).toHaveLength(1);
    expect(j.types.filter((t) => t === 'escalation_opened')).toHaveLength(1);
  }
  const notes = await sys.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM notifications WHERE case_id = ANY($1)`,
    [ids],
  );
  expect(notes.rows[0]!.n).toBeGreaterThanOrEqual(2 * ids.length);
});

it('loses nothing when the PostgreSQL that Temporal persists to restarts mid-case', async () => {
  // Ten cases in intake; then PostgreSQL (Temporal's persistence and visibility, and Suprovid's projection) stops.
  const tags = Array.from({ length: 10 }, () => randomUUID());
  const ids: string[] = [];
  for (const tag of tags) {
    const r = await send(
      hotline,
      '/v1/cases',
      { region: 'Kharkiv', source: 'hotline', caseManagerId: 'cm-cluster', supervisorId: 'sup-cluster' },
      `pg-open-${tag}`,
    );
    expect(r.status).toBe(201);
    ids.push(r.body.caseId as string);
  }
  opened.push(...ids);
  await sys.stopPostgres();
  // While it is down, a command answers 503 (promptly) and is retried by the client with the same key.
  const during = await fetch(`${sys.apis[0]}/v1/cases/${ids[0]}/commands/recordContact`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${cm}`,
      'content-type': 'application/json',
      'idempotency-key': `pg-contact-${tags[0]}`,
    },
    body: JSON.stringify({ channel: 'phone' }),
  });
  expect(during.status).toBe(503);
  const restarting = new Promise((r) => setTimeout(r, 5_000)).then(() => sys.startPostgres());
  // Commands sent during and after the outage: each retried until it is applied, once.
  const results = await Promise.all(
    ids.map((caseId, i) =>
      send(cm, `/v1/cases/${caseId}/commands/recordContact`, { channel: 'phone' }, `pg-contact-${tags[i]}`),
    ),
  );
  await restarting;
  expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
  const contacts = await sys.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY($1) AND type = 'contact_recorded'`,
    [ids],
  );
  expect(contacts.rows[0]!.n).toBe(ids.length);
  // Every case opened in this suite is still there in Temporal, and the projection agrees with it.
  const all = [...opened];
  const described = await Promise.all(all.map((id) => sys.temporal.workflow.getHandle(caseWorkflowId(id)).describe()));
  expect(described).toHaveLength(all.length);
  // The durable projection path retries with backoff up to a minute, so a case whose write fell in the
  // outage may take that long after it; if it never converges, the failure says which cases and fields.
  let lastDrift: unknown[] = [];
  const converged = await eventually(async () => {
    lastDrift = await checkConsistency(sys.pool, sys.temporal);
    return lastDrift.length === 0 ? lastDrift : undefined;
  }, 150_000).catch((err: Error) => {
    throw new Error(`${err.message}; still drifting: ${JSON.stringify(lastDrift.slice(0, 10))}`);
  });
  expect(converged).toEqual([]);
});

it('replays the histories the cluster wrote, and those in test/histories, with the bundle its workers ran', async () => {
  const sample = opened.slice(0, 20);
  const written = await Promise.all(
    sample.map(async (id) => ({
      workflowId: caseWorkflowId(id),
      history: await sys.temporal.workflow.getHandle(caseWorkflowId(id)).fetchHistory(),
    })),
  );
  const committed = committedHistories();
  expect(committed.length).toBeGreaterThanOrEqual(6);
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: { code: readFileSync(sys.bundleFile, 'utf8') } },
    [...written, ...committed],
  )) {
    replayed += 1;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(written.length + committed.length);
});
