/**
 * `npm run bench:command-path`: where a command's time goes, step by step, from the spans the API
 * and the worker send (OTLP, to a receiver in this process), on the dev server with no other load.
 * The same commands as the bench's command measure (`recordConsent` on 10 cases, one at a time),
 * against a no-op update on the same server in the same run. Writes bench/results/command-path.json;
 * docs/PERFORMANCE.md ("The command's critical path") reads it.
 *
 * Spans of the workflow itself (ValidateUpdate, HandleUpdate) carry the workflow's clock, the start
 * of its workflow task, so they tell how many activations a command took, not how long its code ran;
 * the activity's and the SQL's spans, the client's and the API's are real time.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Pool } from 'pg';
import { createApiKeyRepository } from '../db/api-keys';
import { migrate } from '../db/migrate';
import { createStaffRepository } from '../db/staff';
import { startOtlpReceiver, type ReceivedSpan } from '../stack/otlp-receiver';
import { freePort, pipeLines, spawnService, stopChild, waitFor } from '../stack/processes';
import { startPostgres } from '../stack/postgres';
import { startDevServer } from '../stack/temporal';
import { bundleCaseWorkflows } from '../worker/worker';
import { percentile } from './stats';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 300);
const say = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Step {
  step: string;
  p50: number;
  p95: number;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const dir = mkdtempSync(join(tmpdir(), 'suprovid-command-path-'));
  chmodSync(dir, 0o755);
  const pg = await startPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
  const dev = await startDevServer({
    port: await freePort(),
    dbFile: join(dir, 'temporal.sqlite'),
    pidFile: join(dir, 'temporal.pid'),
  });
  const pool = new Pool({ connectionString: pg.url, max: 5 });
  await migrate(pool);
  const receiver = await startOtlpReceiver(await freePort());
  const bundle = await bundleCaseWorkflows({
    workflowsPath: require.resolve('./workflows'),
    tracing: true,
    logger: new DefaultLogger('ERROR'),
  });
  const bundlePath = join(dir, 'bundle.js');
  writeFileSync(bundlePath, bundle.code);
  const taskQueue = 'command-path';
  const apiPort = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: dev.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BSP_MAX_QUEUE_SIZE: '100000',
  };
  const services = [
    spawnService('worker/main.ts', env),
    spawnService('api/main.ts', { ...env, API_PORT: String(apiPort) }),
  ];
  services.forEach((child, i) => pipeLines(child, (line) => say(`  [${i ? 'api' : 'worker'}] ${line}`)));
  const connection = await Connection.connect({ address: dev.address });
  const client = new Client({ connection });
  const api = `http://127.0.0.1:${apiPort}`;
  try {
    await waitFor(
      'the API',
      async () => {
        const r = await fetch(`${api}/healthz`);
        if (!r.ok) throw new Error(`/healthz answered ${r.status}`);
      },
      60_000,
    );
    await waitFor(
      'the worker',
      () =>
        client.workflow.execute('emptyWorkflow', {
          taskQueue,
          workflowId: `ready-${randomUUID()}`,
          workflowExecutionTimeout: '5 seconds',
        }),
      60_000,
    );
    const { key } = await createApiKeyRepository(pool).issue({
      name: 'bench',
      role: 'admin',
      subject: 'bench',
      createdBy: 'bench',
    });
    await createStaffRepository(pool).register(
      { staffId: 'cm-bench', name: 'Bench case manager', role: 'case_manager' },
      { kind: 'system', id: 'bench' },
    );
    const post = async (path: string, body: unknown) => {
      const r = await fetch(api + path, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify(body),
      });
      if (r.status >= 300) throw new Error(`${path} answered ${r.status}`);
      return (await r.json()) as { caseId: string };
    };

    // The baseline: a no-op update, from this process straight to Temporal.
    const noop = await client.workflow.start('noopUpdateWorkflow', { taskQueue, workflowId: `noop-${randomUUID()}` });
    const noopMs: number[] = [];
    for (let i = 0; i < COMMANDS + 20; i++) {
      const s = performance.now();
      await noop.executeUpdate('noop', { args: [i] });
      if (i >= 20) noopMs.push(performance.now() - s);
    }
    await noop.executeUpdate('finish');

    const cases = await Promise.all(
      Array.from({ length: 10 }, () => post('/v1/cases', { region: 'Kharkiv', caseManagerId: 'cm-bench' })),
    );
    for (let i = 0; i < 20; i++) {
      // warm-up: the API's and the worker's first commands compile code
      await post(`/v1/cases/${cases[i % 10]!.caseId}/commands/recordConsent`, { dataProcessing: true, shareWith: [] });
    }
    await sleep(1_000);
    const measuredFrom = Date.now();
    const commandMs: number[] = [];
    for (let i = 0; i < COMMANDS; i++) {
      const s = performance.now();
      await post(`/v1/cases/${cases[i % 10]!.caseId}/commands/recordConsent`, {
        dataProcessing: true,
        shareWith: [`provider-${i}`],
      });
      commandMs.push(performance.now() - s);
    }
    await sleep(3_000); // the exporters send in batches

    const steps = analyse(
      receiver.spans.filter((s) => s.startMs >= measuredFrom),
      commandMs,
      noopMs,
    );
    const width = Math.max(...steps.map((s) => s.step.length));
    say(`\nA command's critical path (${COMMANDS} recordConsent, one at a time, no other load; ms):\n`);
    say(`  ${'step'.padEnd(width)}    p50     p95`);
    for (const s of steps)
      say(`  ${s.step.padEnd(width)} ${s.p50.toFixed(1).padStart(6)}  ${s.p95.toFixed(1).padStart(6)}`);
    const noopP95 = percentile(noopMs, 95);
    const ratio = percentile(commandMs, 95) / noopP95;
    say(`\n  command_p95_ratio without load: ${ratio.toFixed(2)} (goal: at most 2)`);
    const out = join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      join(out, 'command-path.json'),
      JSON.stringify(
        { measuredAt: new Date().toISOString(), commands: COMMANDS, command_p95_ratio_noload: ratio, steps },
        null,
        2,
      ) + '\n',
    );
    say('wrote bench/results/command-path.json');
  } finally {
    await Promise.all(services.map((c) => stopChild(c, 'SIGTERM', 15_000)));
    await connection.close().catch(() => undefined);
    await pool.end();
    await receiver.close();
    await dev.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each command's trace, and the projection's activity that ran inside its update (found by time: the commands run one at a time). */
function analyse(spans: ReceivedSpan[], commandMs: number[], noopMs: number[]): Step[] {
  const byTrace = new Map<string, ReceivedSpan[]>();
  for (const s of spans) {
    const trace = byTrace.get(s.traceId);
    if (trace) trace.push(s);
    else byTrace.set(s.traceId, [s]);
  }
  const activities = spans.filter((s) => s.name === 'RunActivity:recordCaseEvents');
  const sum = (xs: ReceivedSpan[]) => xs.reduce((t, s) => t + (s.endMs - s.startMs), 0);
  const rows: Record<string, number[]> = {};
  const add = (step: string, v: number) => (rows[step] ??= []).push(v);
  const isSql = (s: ReceivedSpan) => s.attributes['db.system'] === 'postgresql';
  for (const trace of byTrace.values()) {
    const request = trace.find(
      (s) => s.service === 'suprovid-api' && !s.parentSpanId && /^POST .*\/commands\//.test(s.name),
    );
    const update = trace.find((s) => s.name.startsWith('StartWorkflowUpdate:'));
    if (!request || !update) continue;
    const apiSql = trace.filter((s) => s.service === 'suprovid-api' && isSql(s) && s.name.startsWith('pg.query'));
    const before = apiSql.filter((s) => s.endMs <= update.startMs);
    const after = apiSql.filter((s) => s.startMs >= update.endMs);
    const activity = activities.find((a) => a.startMs >= update.startMs && a.endMs <= update.endMs);
    const handled = trace.find((s) => s.name.startsWith('HandleUpdate:'));
    add('API: the request, in all', request.endMs - request.startMs);
    add(`API: its SQL before the update (${before.length} queries)`, sum(before));
    add(`API: its SQL after the update (${after.length} queries)`, sum(after));
    add(
      'API: the rest (auth, zod, express, JSON)',
      request.endMs - request.startMs - sum(apiSql) - (update.endMs - update.startMs),
    );
    add('update: from the API to the answer', update.endMs - update.startMs);
    if (activity) {
      // The worker's SQL inside the activity (its spans are the activity's children or their children).
      const sql = spans.filter(
        (s) =>
          s.service === 'suprovid-worker' && isSql(s) && s.startMs >= activity.startMs && s.endMs <= activity.endMs,
      );
      add('  until the projection starts (to the worker, validator, handler)', activity.startMs - update.startMs);
      add('  the projection (local activity)', activity.endMs - activity.startMs);
      add('    of which its SQL', sum(sql));
      add('  after it (second activation, completion, to the API)', update.endMs - activity.endMs);
    }
    if (handled) add('workflow clock: first to last activation of the handler', handled.endMs - handled.startMs);
  }
  const row = (step: string, xs: number[]): Step => ({ step, p50: percentile(xs, 50), p95: percentile(xs, 95) });
  return [
    row('client: the command, in all', commandMs),
    ...Object.entries(rows).map(([step, xs]) => row(`${step} [${xs.length}]`, xs)),
    row('baseline: a no-op update (client to Temporal)', noopMs),
  ];
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
