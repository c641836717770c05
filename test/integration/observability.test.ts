import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startOtlpReceiver, type ReceivedSpan } from '../../stack/otlp-receiver';
import { freePort, stopChild, waitFor } from '../../stack/processes';
import { eventually, startSystem, type RunningSystem } from '../support/system';
import { startServiceProcess, type ServiceProcess } from '../support/worker-process';

/**
 * Logs, metrics and traces of the real processes (api/main.ts, worker/main.ts) on the real dev
 * server and PostgreSQL: the API's and the worker's output at debug level carries no personal data
 * of a request full of it; the worker serves the Temporal SDK's metrics on its metrics port; and a
 * collector (an OTLP/HTTP receiver here) gets one trace from the API request through the workflow's
 * update and its activity down to the SQL.
 */
jest.setTimeout(180_000);

let sys: RunningSystem;
let api: ServiceProcess;
let worker: ServiceProcess;
let apiUrl: string;
let metricsUrl: string;
let collector: Awaited<ReturnType<typeof startOtlpReceiver>>;
let caseManager: string;
let region: string;

beforeAll(async () => {
  sys = await startSystem({ worker: false }); // for keys and the database; the API and the worker below are processes
  region = `observe-${randomUUID().slice(0, 8)}`;
  await sys.registerRegions([region]);
  caseManager = await sys.issueKey('case_manager', 'cm-observe', { regions: [region] });
  const [apiPort, metricsPort, collectorPort] = [await freePort(), await freePort(), await freePort()];
  collector = await startOtlpReceiver(collectorPort);
  const env = {
    TEMPORAL_TASK_QUEUE: sys.taskQueue,
    LOG_LEVEL: 'debug',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  apiUrl = `http://127.0.0.1:${apiPort}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  [api, worker] = await Promise.all([
    startServiceProcess('api/main.ts', 'api listening', { ...env, API_PORT: String(apiPort) }),
    startServiceProcess('worker/main.ts', 'worker polling', {
      ...env,
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_MAX_CACHED_WORKFLOWS: '1',
    }),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.all([api, worker].filter(Boolean).map((p) => stopChild(p.child, 'SIGTERM', 10_000)));
  await collector?.close();
  await sys?.stop();
});

/** `body` as JSON, or a string sent as it is (malformed JSON). */
const post = (path: string, body: unknown) =>
  fetch(apiUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${caseManager}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const person = {
  fullName: 'Ганна Приходько-Лисенко',
  birthDate: '1961-11-23',
  phone: '+380 93 555 17 44',
  documents: [{ type: 'rnokpp', number: '2233445566' }],
};
let openedCaseId: string;

it('leaves no personal data of a request in the logs of the API or the worker', async () => {
  const opened = await post('/v1/cases', {
    region,
    caseManagerId: 'cm-observe',
    client: person,
    household: [{ ...person, fullName: 'Марко Приходько', relation: 'онук' }],
  });
  expect(opened.status).toBe(201);
  openedCaseId = ((await opened.json()) as { caseId: string }).caseId;
  // A body the API refuses, carrying the same data, and a malformed one.
  expect(
    (await post('/v1/cases', { region, client: { ...person, phone: 'call Ганна Приходько-Лисенко' } })).status,
  ).toBe(400);
  expect(
    (await post(`/v1/cases/${openedCaseId}/people`, '{"fullName": "Марко Приходько", "phone": "+380 93 555 17 44"'))
      .status,
  ).toBe(400);
  /** The whole lines a process has written so far, each parsed (a chunk may end mid-line). */
  const lines = (p: ServiceProcess) => {
    const out = p.output.join('');
    return out
      .slice(0, out.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((l) => l.trim());
  };
  const parsed = (p: ServiceProcess) => lines(p).map((l) => JSON.parse(l) as Record<string, unknown>);
  // The request lines are written as the answers go: wait for the last of them. The workflow's and the
  // activities' context loggers (the SDK's log sinks) write through ours too; with Core's logs forwarded,
  // the SDK holds its lines 100 ms to sort them.
  await eventually(async () => (parsed(api).filter((l) => l.msg === 'request').length >= 3 ? true : undefined));
  const sdkLines = await eventually(async () => {
    const got = parsed(worker).filter((l) => l.component === 'temporal-sdk');
    return got.some((l) => l.msg === 'Workflow started') && got.some((l) => l.msg === 'Activity started')
      ? got
      : undefined;
  });
  expect(sdkLines).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        msg: 'Workflow started',
        workflowType: 'caseWorkflow',
        workflowId: expect.stringMatching(/^case-/),
      }),
      expect.objectContaining({ msg: 'Activity started', activityType: 'recordCaseEvents' }),
    ]),
  );

  // Every line is JSON (the SDK's and Core's own too, parsed above), at debug level and above.
  const all = [...lines(api), ...lines(worker)];
  expect(all.length).toBeGreaterThan(20);
  expect(
    [...parsed(api), ...parsed(worker)]
      .map((l) => l.level)
      .filter((l) => !['debug', 'info', 'warn', 'error'].includes(String(l))),
  ).toEqual([]);
  const text = all.join('\n');
  for (const value of [
    'Ганна',
    'Приходько',
    'Лисенко',
    'Марко',
    '1961-11-23',
    '555 17 44',
    '2233445566',
    'онук',
    caseManager,
  ]) {
    expect(text).not.toContain(value);
  }
});

it('serves the Temporal SDK metrics of the worker on its metrics port: task latency, sticky cache, activity failures', async () => {
  // A webhook receiver that is not there: the delivery activity fails, and is retried.
  const integration = await sys.issueKey('integration', `observe-hooks-${region}`, { regions: [region] });
  const subscribed = await fetch(`${apiUrl}/v1/webhook-subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${integration}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'nobody listens', url: `http://127.0.0.1:${await freePort()}/hooks` }),
  });
  expect(subscribed.status).toBe(201);
  expect((await post(`/v1/cases/${openedCaseId}/commands/recordContact`, { channel: 'phone' })).status).toBe(200);
  expect((await post(`/v1/cases/${openedCaseId}/commands/recordConsent`, { dataProcessing: true })).status).toBe(200);
  // Other cases take the first one's place in the worker's cache; its next command misses it.
  for (let i = 0; i < 3; i++)
    expect((await post('/v1/cases', { region, caseManagerId: 'cm-observe' })).status).toBe(201);
  expect((await post(`/v1/cases/${openedCaseId}/commands/screen`, { decision: 'open_case' })).status).toBe(200);

  const metric = (text: string, name: string) =>
    [...text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((n, m) => n + Number(m[2]), 0);
  const text = await waitFor(
    'an activity failure in the metrics',
    async () => {
      const t = await (await fetch(metricsUrl)).text();
      if (metric(t, 'temporal_activity_execution_failed') < 1 || metric(t, 'temporal_sticky_cache_miss') < 1)
        throw new Error('no activity failure or cache miss counted yet');
      return t;
    },
    60_000,
    500,
  );
  expect(metric(text, 'temporal_workflow_task_schedule_to_start_latency_count')).toBeGreaterThan(0);
  expect(text).toMatch(/^temporal_workflow_task_schedule_to_start_latency_bucket\{/m);
  // The worker keeps one workflow in its cache (below): a case's task right after its last one hits it; the
  // case's next command, after the deliveries' workflows have taken its place, misses it.
  expect(metric(text, 'temporal_sticky_cache_hit')).toBeGreaterThan(0);
  expect(metric(text, 'temporal_sticky_cache_miss')).toBeGreaterThan(0);
  expect(text).toMatch(/^temporal_activity_execution_failed\{[^}]*activity_type="deliverWebhook"/m);
  expect(text).toMatch(new RegExp(`task_queue="${sys.taskQueue}"`));
});

it('sends one trace from the API request through the update, the workflow and its activity to the SQL', async () => {
  const opening = await eventually(async () => {
    const server = collector.spans.find(
      (s) =>
        s.service === 'suprovid-api' &&
        s.name === 'POST /v1/cases' &&
        collector.spans.some((a) => a.traceId === s.traceId && a.name.startsWith('RunActivity')),
    );
    if (!server) return undefined;
    const trace = collector.spans.filter((s) => s.traceId === server.traceId);
    // The projection's SQL comes in the same batch as its activity, or the next.
    return trace.some((s) => s.service === 'suprovid-worker' && s.attributes['db.system'] === 'postgresql')
      ? trace
      : undefined;
  }, 30_000).catch(() => {
    throw new Error(
      `no whole trace; spans: ${collector.spans.map((s) => `${s.service} ${s.name} ${s.traceId.slice(0, 6)}`).join(', ')}`,
    );
  });
  const names = opening.map((s) => `${s.service} ${s.name}`);
  expect(names).toEqual(
    expect.arrayContaining([
      'suprovid-api POST /v1/cases',
      'suprovid-api UpdateWithStartWorkflow:whenRecorded',
      'suprovid-worker HandleUpdate:whenRecorded',
      'suprovid-worker StartActivity:recordCaseEvents',
      'suprovid-worker RunActivity:recordCaseEvents',
    ]),
  );
  // (The workflow's own span, RunWorkflow:caseWorkflow, is their parent; it is sent when the run ends.)
  expect(
    opening
      .filter((s) => s.attributes['db.system'] === 'postgresql')
      .map((s) => s.service)
      .sort(),
  ).toEqual(expect.arrayContaining(['suprovid-api', 'suprovid-worker']));
  // The worker's SQL is the activity's: a child of its span.
  const activity = opening.find((s) => s.name.startsWith('RunActivity:recordCaseEvents'))!;
  const below = (id: string): ReceivedSpan[] =>
    opening.filter((s) => s.parentSpanId === id).flatMap((s) => [s, ...below(s.spanId)]);
  expect(below(activity.spanId).some((s) => s.attributes['db.system'] === 'postgresql')).toBe(true);
  // No personal data in the spans either (their SQL is parameterised: values are not recorded).
  expect(JSON.stringify(collector.spans)).not.toMatch(/Приходько|2233445566|555 17 44/);

  // A command: the request, the update and the workflow's handler of it, in one trace.
  const commandTrace = await eventually(async () => {
    const request = collector.spans.find(
      (s) => s.service === 'suprovid-api' && s.name === 'POST /v1/cases/:caseId/commands/recordContact',
    );
    const names = collector.spans.filter((s) => s.traceId === request?.traceId).map((s) => `${s.service} ${s.name}`);
    return names.includes('suprovid-worker HandleUpdate:recordContact') ? names : undefined;
  }, 30_000);
  expect(commandTrace).toEqual(
    expect.arrayContaining([
      'suprovid-api StartWorkflowUpdate:recordContact',
      'suprovid-worker HandleUpdate:recordContact',
    ]),
  );
});

it('has a sample Grafana dashboard that asks only for metrics these processes serve', async () => {
  const dashboard = JSON.parse(readFileSync(join(__dirname, '..', '..', 'docs', 'grafana-dashboard.json'), 'utf8')) as {
    panels: { targets?: { expr: string }[] }[];
  };
  const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
  const asked = new Set(exprs.flatMap((e) => e.match(/\b(suprovid|temporal|process|nodejs)_[a-z0-9_]+/g) ?? []));
  const integration = await sys.issueKey('integration', `observe-scraper-${region}`, { regions: [region] });
  const served =
    (await (await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${integration}` } })).text()) +
    (await (await fetch(metricsUrl)).text());
  // Core writes a counter from its first event on; no workflow task of this run failed.
  const fromFirstEvent = ['temporal_workflow_task_execution_failed'];
  expect(
    [...asked].filter((name) => !fromFirstEvent.includes(name) && !new RegExp(`^${name}[{ ]`, 'm').test(served)),
  ).toEqual([]);
  expect(asked.size).toBeGreaterThanOrEqual(10);
});
