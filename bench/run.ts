/**
 * `npm run bench`: Suprovid measured against baselines taken in the same run (these machines are
 * shared and noisy, so only ratios are compared with goals), on both Temporal shapes:
 *   dev    - the Temporal dev server (one process, SQLite with WAL), one worker, one API;
 *   server - Temporal Server on PostgreSQL (four service processes, 4 history shards), two workers
 *            and two API replicas, as SUPROVID_TEMPORAL=server npm start runs it.
 * BENCH_TEMPORAL=dev|server|both (default both) picks them. Each shape starts its own PostgreSQL,
 * Temporal, workers and APIs on free ports; the run prints progress and a table per shape and writes
 * bench/results/latest.json with one column per shape. BENCH_SCALE=small runs a quick version of
 * every measure. docs/PERFORMANCE.md explains each number.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal as proto } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { Pool } from 'pg';
import { createApiKeyRepository } from '../db/api-keys';
import { migrate } from '../db/migrate';
import { regionalReport } from '../db/reports';
import { createStaffRepository } from '../db/staff';
import type { CaseWorkflowInput } from '../domain/case';
import { caseWorkflowId } from '../domain/ids';
import { openDeadlines, newCaseState } from '../domain/case-machine';
import { defaultPolicy, type Policy } from '../domain/policy';
import { freePort, pipeLines, spawnService, stopChild, waitFor } from '../stack/processes';
import { startPostgres } from '../stack/postgres';
import { startTimeSkippingEnv } from '../stack/test-server';
import { startDevServer } from '../stack/temporal';
import { freeClusterPorts, startTemporalCluster, temporalServices } from '../stack/temporal-cluster';
import { simulateTypicalYear } from './case-year';
import { percentile } from './stats';

const small = process.env.BENCH_SCALE === 'small';
type Shape = 'dev' | 'server';
const shapes: Shape[] =
  process.env.BENCH_TEMPORAL === 'dev'
    ? ['dev']
    : process.env.BENCH_TEMPORAL === 'server'
      ? ['server']
      : ['dev', 'server'];
const N = small
  ? {
      empty: 40,
      cases: 40,
      noop: 30,
      commands: 30,
      idle: 300,
      timers: 60,
      timerLeadS: 40,
      burst: 60,
      reportCases: 5_000,
      reportServices: 50_000,
      reportRuns: 5,
      importRows: 500,
    }
  : {
      empty: 300,
      cases: 300,
      noop: 400,
      commands: 400,
      idle: 10_000,
      timers: 1_000,
      timerLeadS: 240,
      burst: 1_000,
      reportCases: 100_000,
      reportServices: 1_000_000,
      reportRuns: 20,
      importRows: 10_000,
    };

/** BENCH_ONLY=commands,timers runs only those measures (with the opening rate, which they need); for working on one. */
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const measures = (
  name: 'commands' | 'capacity' | 'idle' | 'timers' | 'burst' | 'mixed' | 'report' | 'import' | 'year',
) => only.size === 0 || only.has(name);

const t0 = Date.now();
const say = (msg: string) => process.stdout.write(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${msg}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `probe` answers true (waitFor takes any answer that does not throw as ready). */
const until = (what: string, probe: () => Promise<boolean>, timeoutMs: number, everyMs: number) =>
  waitFor(
    what,
    async () => {
      if (!(await probe())) throw new Error('not yet');
    },
    timeoutMs,
    everyMs,
  );

/** A case as a registry tool opens it, straight on Temporal (no API), in a region of the measure's own. */
const benchCase = (region: string, openedAt: string, policy: Policy): CaseWorkflowInput => ({
  caseId: randomUUID(),
  open: { priority: 'routine', region, source: 'registry' },
  openedBy: { kind: 'tool', id: 'bench' },
  openedAt,
  policy,
});

/** Runs `count` tasks with `concurrency` in flight; returns tasks per second. */
async function rate(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((Date.now() - started) / 1000);
}

/** One of Suprovid's own services (worker/main.ts, api/main.ts) under tsx, as npm start runs it; its warnings are shown. */
function serviceProcess(name: string, entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  // BENCH_CPU_PROFILE=<dir> writes each service's CPU profiles (every thread) there, to find where the time goes.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROFILE)}`]
    : [];
  const child = spawnService(entry, env, { nodeArgs: profile });
  pipeLines(child, (line) => say(`  [${name}] ${line}`));
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') say(`  [${name}] exited (code ${code}, signal ${signal})`);
  });
  return child;
}

const rssOf = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** The parent and CPU seconds (user + system, all threads) of every process, from /proc. */
function processTable(): Map<number, { ppid: number; cpuS: number }> {
  const table = new Map<number, { ppid: number; cpuS: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const f = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
      // utime + stime, in clock ticks of 10 ms
      table.set(Number(entry), { ppid: Number(f[1]), cpuS: (Number(f[11]) + Number(f[12])) / 100 });
    } catch {
      // the process ended while the table was read
    }
  }
  return table;
}

/** CPU seconds used so far by each group's processes and all their descendants (PostgreSQL's backends). */
function cpuByGroup(groups: Record<string, number[]>): Record<string, number> {
  const table = processTable();
  const children = new Map<number, number[]>();
  for (const [pid, p] of table) (children.get(p.ppid) ?? children.set(p.ppid, []).get(p.ppid)!).push(pid);
  const out: Record<string, number> = {};
  for (const [group, roots] of Object.entries(groups)) {
    let sum = 0;
    const todo = [...roots];
    for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
      sum += table.get(pid)?.cpuS ?? 0;
      todo.push(...(children.get(pid) ?? []));
    }
    out[group] = sum;
  }
  return out;
}

/** Temporal of one shape: its address, the pids whose memory it costs, and how to stop it. */
async function startTemporal(
  shape: Shape,
  dir: string,
  postgresUrl: string,
): Promise<{ address: string; pids: () => number[]; historyMetrics?: string; stop(): Promise<void> }> {
  if (shape === 'dev') {
    const dev = await startDevServer({
      port: await freePort(),
      dbFile: join(dir, 'temporal.sqlite'),
      pidFile: join(dir, 'temporal.pid'),
    });
    return { address: dev.address, pids: () => [dev.child.pid!], stop: () => dev.stop() };
  }
  const ports = await freeClusterPorts();
  const cluster = await startTemporalCluster({ dataDir: dir, ports, postgresAdminUrl: postgresUrl });
  return {
    address: cluster.address,
    pids: () => temporalServices.map((s) => cluster.process(s).pid!),
    historyMetrics: `http://127.0.0.1:${ports.metrics.history}/metrics`,
    stop: () => cluster.stop(),
  };
}

/**
 * The history service's own account of its user timers (Temporal Server's task latency histograms,
 * operation TimerActiveTaskUserTimer): cumulative bucket counts by upper bound in ms, summed over
 * the other labels, for each stage of a timer task: loaded from the database after its moment
 * (load), waiting in the scheduler (schedule), executed (processing), and all of it (queue).
 */
const timerStages = ['load', 'schedule', 'processing', 'queue'] as const;
type TimerBuckets = Record<(typeof timerStages)[number], Map<number, number>>;
async function scrapeTimerLatencies(url: string): Promise<TimerBuckets> {
  const text = await (await fetch(url)).text();
  const out = Object.fromEntries(timerStages.map((st) => [st, new Map<number, number>()])) as TimerBuckets;
  for (const line of text.split('\n')) {
    const m = /^task_latency_(load|schedule|processing|queue)_bucket\{(.*)\} (\S+)$/.exec(line);
    if (!m || !m[2]!.includes('operation="TimerActiveTaskUserTimer"')) continue;
    const le = /le="([^"]+)"/.exec(m[2]!)![1]!;
    const ms = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le) * 1000;
    const stage = m[1] as (typeof timerStages)[number];
    out[stage].set(ms, (out[stage].get(ms) ?? 0) + Number(m[3]));
  }
  return out;
}
/** The upper bound (ms) of the bucket holding the q-th quantile of what was counted between two scrapes. */
function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Number.POSITIVE_INFINITY) ?? 0) - (before.get(Number.POSITIVE_INFINITY) ?? 0);
  if (total <= 0) return Number.NaN;
  return bounds.find((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0) >= q * total) ?? Number.POSITIVE_INFINITY;
}

let stopCurrent: (() => Promise<void>) | undefined;
// Ctrl-C (or a timeout's SIGTERM) stops what the bench started instead of leaving it running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping the services`);
    void (stopCurrent?.() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

async function measureShape(shape: Shape, bundlePath: string): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), `suprovid-bench-${shape}-`));
  chmodSync(dir, 0o755);
  // PostgreSQL's checkpoints (logged by default) and its warnings are printed, so a stall of its
  // commits during a measure can be matched with them.
  const pg = await startPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    log: (line) => {
      if (/checkpoint|WARNING|ERROR|PANIC/.test(line)) say(`  [postgres] ${line}`);
    },
  });
  const temporal = await startTemporal(shape, dir, pg.url);
  const pool = new Pool({ connectionString: pg.url, max: 20 });
  await migrate(pool);
  say(
    shape === 'dev'
      ? 'PostgreSQL and the Temporal dev server are up'
      : 'PostgreSQL and Temporal Server on it (frontend, history, matching, worker) are up',
  );
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const taskQueue = 'bench';
  // The workers and the APIs run as production runs them (npm start): each its own process, with its
  // own settings from the environment. The bench process only generates the load and measures.
  const replicas = shape === 'dev' ? 1 : 2;
  // BENCH_WORKERS=1|2|... overrides the worker processes of the shape (issue 13: lateness with 1 and 2 workers).
  const workerCount = Number(process.env.BENCH_WORKERS ?? replicas);
  const apiPorts = await Promise.all(Array.from({ length: replicas }, () => freePort()));
  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    API_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_MAX: '20',
  };
  const startWorkers = () =>
    Array.from({ length: workerCount }, (_, i) => serviceProcess(`worker-${i + 1}`, 'worker/main.ts', env));
  let workers = startWorkers();
  const apiProcesses = apiPorts.map((port, i) =>
    serviceProcess(`api-${i + 1}`, 'api/main.ts', { ...env, API_PORT: String(port) }),
  );
  let stopped: Promise<void> | undefined;
  const stopAll = () =>
    (stopped ??= (async () => {
      await Promise.all(apiProcesses.map((p) => stopChild(p, 'SIGTERM', 20_000)));
      await Promise.all(workers.map((w) => stopChild(w, 'SIGTERM', 20_000)));
      await connection.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await temporal.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    })());
  stopCurrent = stopAll;
  const apis = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  const api = apis[0]!;
  for (const url of apis) await until('the API', async () => (await fetch(`${url}/healthz`)).ok, 60_000, 250);
  await until(
    'the worker',
    () =>
      client.workflow
        .execute('emptyWorkflow', {
          taskQueue,
          workflowId: `ready-${randomUUID()}`,
          workflowExecutionTimeout: '5 seconds',
        })
        .then(
          () => true,
          () => false,
        ),
    60_000,
    250,
  );
  const apiKeys = createApiKeyRepository(pool);
  const { key } = await apiKeys.issue({ name: 'bench', role: 'admin', subject: 'bench', createdBy: 'bench' });
  await createStaffRepository(pool).register(
    { staffId: 'cm-bench', name: 'Bench case manager', role: 'case_manager' },
    { kind: 'system', id: 'bench' },
  );
  let turn = 0;
  // Requests go to the API replicas in turn, as a load balancer would send them.
  // A 503 (Temporal or the worker did not answer in time) is retried with the same Idempotency-Key,
  // as the API asks a tool to do, when `retries` counts them; otherwise it fails the measure.
  const post = async (path: string, body: unknown, retries?: { count: number }) => {
    const idempotencyKey = randomUUID();
    for (;;) {
      const r = await fetch(apis[turn++ % apis.length]! + path, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify(body),
      });
      if (r.status === 503 && retries) {
        retries.count += 1;
        await r.body?.cancel();
        await sleep(1_000);
        continue;
      }
      if (r.status >= 300) throw new Error(`${path} answered ${r.status}`);
      return (await r.json()) as { caseId: string };
    }
  };
  const emptyRun = () =>
    rate(N.empty, 20, () =>
      client.workflow.execute('emptyWorkflow', { taskQueue, workflowId: `empty-${randomUUID()}` }),
    );
  /** The baseline rate: the median of three runs, as one run on a shared machine can be 15 % off either way. */
  const emptyRate = async () => {
    const runs = [await emptyRun(), await emptyRun(), await emptyRun()].sort((a, b) => a - b);
    return runs[1]!;
  };
  const results: Record<string, number> = {};
  let loading = false; // while true, cases are opened in the background

  try {
    // 1. Opening cases through the API, against empty workflows on the same server and worker.
    say(`warming up, then ${N.empty} empty workflows (baseline)`);
    await rate(100, 20, () =>
      client.workflow.execute('emptyWorkflow', { taskQueue, workflowId: `warm-${randomUUID()}` }),
    );
    await rate(60, 20, () => post('/v1/cases', { region: 'Kharkiv' })); // the API process's first requests compile code
    const empty = await emptyRate();
    say(`  ${empty.toFixed(1)} empty workflows/s; now ${N.cases} cases opened through the API`);
    const opened = await rate(N.cases, 20, () => post('/v1/cases', { region: 'Kharkiv' }));
    results.empty_workflows_per_s = empty;
    results.cases_opened_per_s = opened;
    results.case_start_ratio = opened / empty;
    say(`  ${opened.toFixed(1)} cases/s: case_start_ratio ${results.case_start_ratio.toFixed(2)}`);

    // 2. A lifecycle command's p95 at half the sustained open rate, against a no-op update with no load.
    if (measures('commands')) {
      const noopId = `noop-${randomUUID()}`;
      const noopHandle = await client.workflow.start('noopUpdateWorkflow', { taskQueue, workflowId: noopId });
      const noopLatencies: number[] = [];
      for (let i = 0; i < N.noop; i++) {
        const s = performance.now();
        await noopHandle.executeUpdate('noop', { args: [i] });
        noopLatencies.push(performance.now() - s);
      }
      await noopHandle.executeUpdate('finish');
      say(`  no-op update p95 ${percentile(noopLatencies, 95).toFixed(1)} ms; commands under load next`);
      const targets = await Promise.all(
        Array.from({ length: 10 }, () => post('/v1/cases', { region: 'Kharkiv', caseManagerId: 'cm-bench' })),
      );
      loading = true;
      const background = (async () => {
        const every = 1000 / (opened / 2);
        if (process.env.BENCH_NOLOAD) return;
        while (loading) {
          const s = Date.now();
          void post('/v1/cases', { region: 'Kharkiv' }).catch(() => undefined);
          await sleep(Math.max(0, every - (Date.now() - s)));
        }
      })();
      const commandLatencies: number[] = [];
      for (let i = 0; i < N.commands; i++) {
        const target = targets[i % targets.length]!;
        const s = performance.now();
        await post(`/v1/cases/${target.caseId}/commands/recordConsent`, {
          dataProcessing: true,
          shareWith: [`provider-${i}`],
        });
        commandLatencies.push(performance.now() - s);
      }
      loading = false;
      await background;
      results.noop_update_p95_ms = percentile(noopLatencies, 95);
      results.command_p95_ms = percentile(commandLatencies, 95);
      results.command_p95_ratio = results.command_p95_ms / results.noop_update_p95_ms;
      say(
        `  command p95 ${results.command_p95_ms.toFixed(1)} ms: command_p95_ratio ${results.command_p95_ratio.toFixed(2)}`,
      );
    }

    // 2b. Capacity: commands a second the workers sustain before p95 passes 250 ms, and per core of
    // worker CPU. An open-loop ramp (commands sent at a rate, not one after another, as many tools
    // would), 1.4 times faster each step until p95 passes 250 ms or the rate is not reached; the worker processes' CPU
    // time over each step says how many cores they used for it.
    if (measures('capacity')) {
      const lanes = await Promise.all(
        Array.from({ length: 50 }, () => post('/v1/cases', { region: 'Kharkiv', caseManagerId: 'cm-bench' })),
      );
      const cpuSeconds = () => cpuByGroup({ workers: workers.map((w) => w.pid!) }).workers!;
      let sustained = 0;
      let coresAtSustained = 0;
      for (let target = small ? 5 : 10; target <= 640; target = Math.round(target * 1.4)) {
        const stepS = small ? 5 : 15;
        const latencies: number[] = [];
        const inFlight: Promise<void>[] = [];
        const cpu0 = cpuSeconds();
        const started = performance.now();
        for (let i = 0; i < target * stepS; i++) {
          const due = started + (i * 1000) / target;
          const wait = due - performance.now();
          if (wait > 0) await sleep(wait);
          const lane = lanes[i % lanes.length]!;
          const s = performance.now();
          inFlight.push(
            post(`/v1/cases/${lane.caseId}/commands/recordConsent`, {
              dataProcessing: true,
              shareWith: [`p-${i}`],
            }).then(
              () => void latencies.push(performance.now() - s),
              () => void latencies.push(Number.POSITIVE_INFINITY),
            ),
          );
        }
        await Promise.all(inFlight);
        const elapsedS = (performance.now() - started) / 1000;
        const achieved = latencies.length / elapsedS;
        const p95 = percentile(latencies, 95);
        const cores = (cpuSeconds() - cpu0) / elapsedS;
        say(
          `  capacity: ${target}/s asked, ${achieved.toFixed(1)}/s done, p95 ${p95.toFixed(0)} ms, workers on ${cores.toFixed(2)} cores`,
        );
        if (p95 > 250 || achieved < target * 0.95) break;
        sustained = achieved;
        coresAtSustained = cores;
      }
      results.capacity_commands_per_s = sustained;
      results.capacity_worker_cores = coresAtSustained;
      results.capacity_commands_per_worker_core = coresAtSustained > 0 ? sustained / coresAtSustained : 0;
      say(
        `  sustained ${sustained.toFixed(1)} commands/s at p95 <= 250 ms: ${results.capacity_commands_per_worker_core.toFixed(1)} a worker core`,
      );
    }

    // 3. Throughput with many idle cases waiting on their timers, and what they cost in memory.
    if (measures('idle')) {
      // The rate without them, measured just before (next to the rate with them, not minutes apart).
      const emptyBeforeIdle = await emptyRate();
      results.empty_workflows_per_s_before_idle = emptyBeforeIdle;
      const rss = (pids: number[]) => pids.reduce((sum, pid) => sum + rssOf(pid), 0);
      const serverRssBefore = rss(temporal.pids());
      const workerRssBefore = rss(workers.map((w) => w.pid!));
      say(
        `  ${emptyBeforeIdle.toFixed(1)} empty workflows/s before; starting ${N.idle} idle cases (each waits on one timer)`,
      );
      let done = 0;
      await rate(N.idle, 50, async () => {
        const input = benchCase('Idle', new Date().toISOString(), defaultPolicy);
        const caseId = input.caseId;
        await client.workflow.start('caseWorkflow', { taskQueue, workflowId: caseWorkflowId(caseId), args: [input] });
        if (++done % 1000 === 0) say(`  ${done} idle cases`);
      });
      for (;;) {
        const n = (await pool.query(`SELECT count(*)::int AS n FROM cases WHERE region = 'Idle'`)).rows[0].n as number;
        if (n >= N.idle) break;
        await sleep(1_000);
      }
      await sleep(2_000);
      results.server_rss_mb_per_1000_idle = ((rss(temporal.pids()) - serverRssBefore) / 1e6 / N.idle) * 1000;
      results.worker_rss_mb_per_1000_idle = ((rss(workers.map((w) => w.pid!)) - workerRssBefore) / 1e6 / N.idle) * 1000;
      const emptyWithIdle = await emptyRate();
      results.empty_workflows_per_s_with_idle = emptyWithIdle;
      results.idle_throughput_ratio = emptyWithIdle / emptyBeforeIdle;
      say(
        `  ${emptyWithIdle.toFixed(1)} empty workflows/s with ${N.idle} idle cases: idle_throughput_ratio ${results.idle_throughput_ratio.toFixed(2)}`,
      );
    }

    // 4. Reminders of many cases whose deadlines fall due at the same moment (a day's cases due at
    // the same end of day), spread over the policy's reminder window, under load: how late each is
    // against its own planned moment, and none lost or doubled.
    if (measures('timers')) {
      const lead = N.timerLeadS;
      const seconds = (n: number) => ({ hours: n / 3600 });
      // The bench's window is 1 minute (a quarter of the lead at most, as the policy rule has it); the
      // shipped one is 15. BENCH_REMINDER_WINDOW_MIN=0 puts every reminder in the same second (the herd).
      const windowMin = Number(process.env.BENCH_REMINDER_WINDOW_MIN ?? 1);
      const quick: Policy = {
        ...defaultPolicy,
        version: 'bench-timers',
        firstContact: { routine: seconds(2 * lead), urgent: seconds(2 * lead), crisis: seconds(2 * lead) },
        reminderBefore: seconds(lead),
        reminderWindowMinutes: windowMin,
      };
      const openedAt = new Date(Date.now() + 5_000).toISOString();
      const remindAt = Date.parse(openedAt) + lead * 1000;
      const planned = new Map<string, number>();
      say(
        `starting ${N.timers} cases whose reminders fall due by ${new Date(remindAt).toISOString()}, spread over the ${windowMin} min before`,
      );
      await rate(N.timers, 50, async () => {
        const input = benchCase('Timers', openedAt, quick);
        const caseId = input.caseId;
        // The moment the workflow itself plans (the same domain code), so lateness is against each case's own.
        planned.set(
          caseId,
          Date.parse(openDeadlines(newCaseState(input)).find((d) => d.kind === 'first_contact')!.remindAt!),
        );
        await client.workflow.start('caseWorkflow', { taskQueue, workflowId: caseWorkflowId(caseId), args: [input] });
      });
      const timerCases = [...planned.keys()];
      const firstPlanned = Math.min(...planned.values());
      if (Date.now() > firstPlanned)
        say('  (the machine was too slow to start them all before the first moment; lateness includes that)');
      const timersBefore = temporal.historyMetrics ? await scrapeTimerLatencies(temporal.historyMetrics) : undefined;
      loading = true;
      const load = (async () => {
        while (loading) await post('/v1/cases', { region: 'Kharkiv' }).catch(() => undefined);
      })();
      await sleep(Math.max(0, remindAt - Date.now()) + 15_000);
      loading = false;
      await load;
      // Stragglers are late, not lost: wait (without the load) up to two minutes for every reminder.
      const recorded = () =>
        pool.query<{ case_id: string; n: number; first_at: Date }>(
          `SELECT case_id, count(*)::int AS n, min(recorded_at) AS first_at FROM case_events WHERE case_id = ANY($1) AND type = 'reminder' GROUP BY case_id`,
          [timerCases],
        );
      let reminders = await recorded();
      for (let waited = 0; reminders.rows.length < timerCases.length && waited < 120; waited += 5) {
        await sleep(5_000);
        reminders = await recorded();
      }
      const lateness = reminders.rows.map((r) => r.first_at.getTime() - planned.get(r.case_id)!);
      results.timer_lateness_p99_ms = percentile(lateness, 99);
      results.timer_lateness_p50_ms = percentile(lateness, 50);
      results.reminders_lost = timerCases.length - reminders.rows.length;
      results.reminders_sent_twice = reminders.rows.filter((r) => r.n > 1).length;
      say(
        `  reminder lateness p50 ${results.timer_lateness_p50_ms} ms, p99 ${results.timer_lateness_p99_ms} ms (recorded in Postgres, against each planned moment); lost ${results.reminders_lost}, twice ${results.reminders_sent_twice}`,
      );
      // Where the time went, from a sample of the histories: the server firing the timer, then a worker starting the task.
      const fired: number[] = [];
      const taskStarted: number[] = [];
      const setLate: number[] = [];
      let stickyTimeouts = 0;
      for (const caseId of timerCases.slice(0, 200)) {
        const events = (await client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory()).events ?? [];
        // A task that waited out the sticky queue's schedule-to-start timeout, then replayed elsewhere.
        stickyTimeouts += events.filter(
          (e) => e.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
        ).length;
        const i = events.findIndex((e) => e.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_TIMER_FIRED);
        const j = events.findIndex(
          (e, k) => k > i && e.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
        );
        if (i < 0 || j < 0) continue;
        fired.push(tsToMs(events[i]!.eventTime) - planned.get(caseId)!);
        taskStarted.push(tsToMs(events[j]!.eventTime) - planned.get(caseId)!);
        // A timer runs from when the server records it (its task's completion), while the workflow
        // measured its duration from its task's start (the workflow clock): the task's time in the
        // worker moves the moment later by as much.
        const startedId = Number(events[i]!.timerFiredEventAttributes?.startedEventId ?? 0);
        const t = events.findIndex((e) => Number(e.eventId) === startedId);
        const taskOfTimer = events
          .slice(0, Math.max(t, 0))
          .reverse()
          .find((e) => e.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
        if (taskOfTimer) setLate.push(tsToMs(events[t]!.eventTime) - tsToMs(taskOfTimer.eventTime));
      }
      if (temporal.historyMetrics && timersBefore) {
        // Where the server's share goes, by its own histograms (bucket bounds, so coarse).
        const after = await scrapeTimerLatencies(temporal.historyMetrics);
        for (const st of timerStages) {
          results[`history_timer_${st}_p50_ms`] = bucketQuantile(timersBefore[st], after[st], 0.5);
          results[`history_timer_${st}_p99_ms`] = bucketQuantile(timersBefore[st], after[st], 0.99);
        }
        say(
          `  the history service's user timers (p50/p99 bucket bounds, ms): ${timerStages.map((st) => `${st} ${results[`history_timer_${st}_p50_ms`]}/${results[`history_timer_${st}_p99_ms`]}`).join(', ')}`,
        );
      }
      results.timer_fired_p99_ms = percentile(fired, 99);
      results.reminder_task_started_p99_ms = percentile(taskStarted, 99);
      results.timer_set_late_p50_ms = percentile(setLate, 50);
      results.timer_set_late_p99_ms = percentile(setLate, 99);
      results.reminder_task_timeouts_per_200 = stickyTimeouts;
      say(
        `  of which (p99 of ${fired.length} histories): timer fired by the server ${results.timer_fired_p99_ms} ms late, its workflow task started ${results.reminder_task_started_p99_ms} ms late; ${stickyTimeouts} workflow tasks timed out; the timers were set ${results.timer_set_late_p50_ms}/${results.timer_set_late_p99_ms} ms (p50/p99) after their task began`,
      );
    }

    // 4b. The recovery burst: deadlines of many cases fall due while no worker runs (an outage);
    // how long the workers take to drain them once back, against as many empty workflows' timers
    // drained the same way on the same server. Escalations are not spread: they come at the moment.
    if (measures('burst')) {
      const n = N.burst;
      /** Starts the workflows, waits until each has done its first task, stops the workers over the moment, and times the drain after they are back. */
      const outage = async (
        what: string,
        start: (due: number) => Promise<void>,
        underWay: () => Promise<boolean>,
        drained: () => Promise<boolean>,
      ): Promise<number> => {
        const due = Date.now() + 60_000;
        await start(due);
        await until(`${what} to be under way`, underWay, 300_000, 500);
        await Promise.all(workers.map((w) => stopChild(w, 'SIGTERM', 20_000)));
        if (Date.now() > due - 5_000)
          say(`  (${what}: the workers stopped late; the burst is smaller than it should be)`);
        await sleep(Math.max(0, due - Date.now()) + 5_000);
        const restarted = Date.now();
        workers = startWorkers();
        await until(`${what} to drain`, drained, 600_000, 100);
        return (Date.now() - restarted) / 1000;
      };
      say(`recovery burst: ${n} empty workflows' timers fall due while the workers are stopped (baseline)`);
      const timerTag = randomUUID().slice(0, 8);
      const timerIds = Array.from({ length: n }, (_, i) => `burst-${timerTag}-${i}`);
      const timerDrain = await outage(
        'the timers',
        async (due) =>
          void (await rate(n, 50, (i) =>
            client.workflow.start('timerWorkflow', { taskQueue, workflowId: timerIds[i]!, args: [due] }),
          )),
        // Tasks are taken about in order: once the last ones started have set their timers, all have.
        async () => {
          for (const id of timerIds.slice(-5)) {
            const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
            if (!events.some((e) => e.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED))
              return false;
          }
          return true;
        },
        // Visibility counts the completed ones in one call.
        async () =>
          (await client.workflow.count(`WorkflowType = 'timerWorkflow' AND ExecutionStatus = 'Completed'`)).count >= n,
      );
      say(
        `  drained in ${timerDrain.toFixed(1)} s; now ${n} cases whose first-contact deadlines fall due while the workers are stopped`,
      );
      const s1 = (x: number) => ({ hours: x / 3600 });
      const burstCases: string[] = [];
      const burstCount = async (type: string) =>
        (
          await pool.query<{ n: number }>(
            `SELECT count(DISTINCT case_id)::int AS n FROM case_events WHERE case_id = ANY($1) AND type = $2`,
            [burstCases, type],
          )
        ).rows[0]!.n;
      const caseDrain = await outage(
        'the deadlines',
        async (due) => {
          const openedAt = new Date().toISOString();
          const lead = (due - Date.parse(openedAt)) / 1000;
          const policy: Policy = {
            ...defaultPolicy,
            version: 'bench-burst',
            firstContact: { routine: s1(lead), urgent: s1(lead), crisis: s1(lead) },
            reminderBefore: s1(0.5),
          };
          await rate(n, 50, async () => {
            const input = benchCase('Burst', openedAt, policy);
            burstCases.push(input.caseId);
            await client.workflow.start('caseWorkflow', {
              taskQueue,
              workflowId: caseWorkflowId(input.caseId),
              args: [input],
            });
          });
        },
        async () => (await burstCount('case_opened')) >= n,
        async () => (await burstCount('escalation_opened')) >= n,
      );
      const twice = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM (SELECT case_id FROM case_events WHERE case_id = ANY($1) AND type = 'escalation_opened' GROUP BY case_id HAVING count(*) > 1) t`,
        [burstCases],
      );
      results.burst_timers_drain_s = timerDrain;
      results.burst_deadlines_drain_s = caseDrain;
      results.burst_drain_ratio = caseDrain / timerDrain;
      results.burst_escalations_sent_twice = twice.rows[0]!.n;
      say(
        `  drained in ${caseDrain.toFixed(1)} s: burst_drain_ratio ${results.burst_drain_ratio.toFixed(2)}; sent twice ${results.burst_escalations_sent_twice}`,
      );
    }

    // 4c. A tool's real traffic at 24 requests in flight: each case opened, taken through its stages
    // with several services and closed, alongside one-off contacts; against no-op updates at the
    // same concurrency on the same server (one workflow per lane, as each case is its own).
    if (measures('mixed')) {
      const lanes = 24;
      const journeys = small ? lanes : 5 * lanes;
      const inLanes = async (work: (lane: number) => Promise<number>) => {
        const started = Date.now();
        const counts = await Promise.all(Array.from({ length: lanes }, (_, lane) => work(lane)));
        return counts.reduce((a, b) => a + b, 0) / ((Date.now() - started) / 1000);
      };
      const noopHandles = await Promise.all(
        Array.from({ length: lanes }, () =>
          client.workflow.start('noopUpdateWorkflow', { taskQueue, workflowId: `noop-mixed-${randomUUID()}` }),
        ),
      );
      const perLane = small ? 20 : 60;
      // Where the cores go: CPU time of each part over each phase, per request (the bench's own
      // process included), so the ratio can be read against what a request costs each part.
      const cpuNow = () => {
        const own = process.cpuUsage();
        return {
          ...cpuByGroup({
            temporal: temporal.pids(),
            worker: workers.map((w) => w.pid!),
            api: apiProcesses.map((p) => p.pid!),
            postgres: [pg.child.pid!],
          }),
          bench: (own.user + own.system) / 1e6,
        };
      };
      const cpuPerRequest = (before: Record<string, number>, requests: number) => {
        const after = cpuNow();
        return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, ((v - before[k]!) * 1000) / requests]));
      };
      const describeCpu = (ms: Record<string, number>) =>
        Object.entries(ms)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ');
      const noopCpu0 = cpuNow();
      const noopRate = await inLanes(async (lane) => {
        for (let i = 0; i < perLane; i++) await noopHandles[lane]!.executeUpdate('noop', { args: [i] });
        return perLane;
      });
      const noopCpu = cpuPerRequest(noopCpu0, lanes * perLane);
      await Promise.all(noopHandles.map((h) => h.executeUpdate('finish')));
      say(`  mixed load: ${noopRate.toFixed(1)} no-op updates/s at ${lanes} in flight; now ${journeys} case journeys`);
      say(`  CPU ms a no-op update: ${describeCpu(noopCpu)}`);
      const byRoute = new Map<string, number[]>();
      const retried = { count: 0 };
      const timed = async (route: string, path: string, body: unknown) => {
        const s = performance.now();
        const r = await post(path, body, retried);
        const times = byRoute.get(route) ?? byRoute.set(route, []).get(route)!;
        times.push(performance.now() - s);
        return r;
      };
      let next = 0;
      const mixedCpu0 = cpuNow();
      const mixedRate = await inLanes(async () => {
        let requests = 0;
        while (next < journeys) {
          const j = next++;
          const { caseId } = await timed('open', '/v1/cases', { region: 'Kharkiv', caseManagerId: 'cm-bench' });
          const cmd = (name: string, body: unknown) => timed(name, `/v1/cases/${caseId}/commands/${name}`, body);
          await cmd('recordContact', { channel: 'phone' });
          await timed('oneOffContact', '/v1/one-off-contacts', {
            region: 'Kharkiv',
            services: [{ category: 'information' }],
          });
          await cmd('recordConsent', { dataProcessing: true });
          await cmd('screen', { decision: 'open_case' });
          await cmd('submitAssessment', { needs: [{ domain: 'housing', level: 'high' }] });
          await cmd('submitPlan', {
            goals: [{ goalId: 'g1', description: 'Stable housing', domain: 'housing', actions: [] }],
            clientAgreement: { agreedAt: new Date().toISOString(), form: 'verbal' },
          });
          await cmd('approvePlan', {});
          for (let k = 0; k < 3; k++) {
            await cmd('recordServices', {
              services: [
                { serviceId: `m-${j}-${k}-a`, category: 'material' },
                { serviceId: `m-${j}-${k}-b`, category: 'legal' },
              ],
            });
          }
          await timed('oneOffContact', '/v1/one-off-contacts', {
            region: 'Kharkiv',
            services: [{ category: 'legal' }],
          });
          await cmd('recordReview', {
            outcome: 'propose_closure',
            closure: { reason: 'goals_achieved', outcome: 'positive' },
          });
          await cmd('approveClosure', {});
          requests += 14;
        }
        return requests;
      });
      const mixedCpu = cpuPerRequest(mixedCpu0, journeys * 14);
      say(`  CPU ms a journey request: ${describeCpu(mixedCpu)}`);
      for (const [part, ms] of Object.entries(noopCpu)) results[`noop_cpu_ms_${part}`] = ms;
      for (const [part, ms] of Object.entries(mixedCpu)) results[`mixed_cpu_ms_${part}`] = ms;
      results.noop_updates_per_s_24 = noopRate;
      results.mixed_requests_per_s = mixedRate;
      results.mixed_load_ratio = mixedRate / noopRate;
      results.mixed_retried_503 = retried.count;
      for (const [route, ms] of byRoute) results[`mixed_p95_ms_${route}`] = percentile(ms, 95);
      say(
        `  ${mixedRate.toFixed(1)} requests/s: mixed_load_ratio ${results.mixed_load_ratio.toFixed(2)}; p95 open ${results.mixed_p95_ms_open!.toFixed(0)} ms, recordServices ${results.mixed_p95_ms_recordServices!.toFixed(0)} ms, one-off ${results.mixed_p95_ms_oneOffContact!.toFixed(0)} ms`,
      );
    }

    // 5. The regional report over many cases and services, against the SQL aggregate it wraps.
    if (measures('report')) {
      say(`generating ${N.reportCases} cases and ${N.reportServices} services for the report`);
      await pool.query(
        `INSERT INTO cases (case_id, workflow_id, seq, stage, priority, region, hromada, case_manager_id, source, policy_version, opened_at, updated_at, state, closed_at, closure_reason, closure_outcome)
       SELECT gen_random_uuid(), 'gen-' || i, 1, 'closed', 'routine', 'R' || (i % 24), 'H' || (i % 7), 'cm-' || (i % 400), 'walk_in', 'gen',
              timestamptz '2026-01-01' + (i % 300) * interval '1 day', now(), '{}', timestamptz '2026-01-01' + (i % 300 + 40) * interval '1 day', 'goals_achieved', 'positive'
         FROM generate_series(1, $1::int) i`,
        [N.reportCases],
      );
      await pool.query(
        `INSERT INTO case_events (case_id, seq, type, actor_kind, actor_id, at, data)
       SELECT case_id, 2, 'case_opened_for_management', 'person', case_manager_id, opened_at + interval '2 days', '{}' FROM cases WHERE policy_version = 'gen'`,
      );
      await pool.query(
        `INSERT INTO case_closures (case_id, closed_at, reason, outcome, region, hromada, case_manager_id, opened_at, cycles, services, referrals)
       SELECT case_id, closed_at, 'goals_achieved', 'positive', region, hromada, case_manager_id, opened_at, 1, '{}', 0 FROM cases WHERE policy_version = 'gen'`,
      );
      await pool.query(
        `INSERT INTO case_services (case_id, service_id, kind, category, delivered_at, region, hromada)
       SELECT gen_random_uuid(), 's' || i, 'case', (ARRAY['information','material','psychological','educational','housing','medical','legal','protection','employment','other'])[1 + i % 10],
              timestamptz '2026-01-01' + (i % 330) * interval '1 day', 'R' || (i % 24), 'H' || (i % 7)
         FROM generate_series(1, $1::int) i`,
        [N.reportServices],
      );
      await pool.query('ANALYZE');
      const query = { from: '2026-01-01', to: '2027-01-01', regions: ['R5'], byHromada: false };
      const sqlTimes: number[] = [];
      const apiTimes: number[] = [];
      for (let i = 0; i < N.reportRuns + 2; i++) {
        let s = performance.now();
        await regionalReport(pool, query);
        if (i >= 2) sqlTimes.push(performance.now() - s);
        s = performance.now();
        const r = await fetch(`${api}/v1/reports/regional?from=2026-01-01&to=2027-01-01&region=R5`, {
          headers: { authorization: `Bearer ${key}` },
        });
        await r.json();
        if (i >= 2) apiTimes.push(performance.now() - s);
      }
      results.report_sql_p95_ms = percentile(sqlTimes, 95);
      results.report_api_p95_ms = percentile(apiTimes, 95);
      results.report_p95_ratio = results.report_api_p95_ms / results.report_sql_p95_ms;
      const size = await pool.query(`SELECT pg_database_size(current_database()) AS b`);
      results.database_mb = Number(size.rows[0].b) / 1e6;
      if (shape === 'server') {
        // Temporal's own persistence and visibility, on the same PostgreSQL, after every case of the run.
        const t = await pool.query(
          `SELECT pg_database_size('temporal') AS p, pg_database_size('temporal_visibility') AS v`,
        );
        results.temporal_db_mb = Number(t.rows[0].p) / 1e6;
        results.temporal_visibility_db_mb = Number(t.rows[0].v) / 1e6;
        const cases = await pool.query(`SELECT count(*)::int AS n FROM cases WHERE policy_version <> 'gen'`);
        results.temporal_db_kb_per_case = (results.temporal_db_mb * 1000) / Math.max(1, cases.rows[0].n as number);
      }
      say(
        `  report p95 ${results.report_api_p95_ms.toFixed(1)} ms vs SQL ${results.report_sql_p95_ms.toFixed(1)} ms: report_p95_ratio ${results.report_p95_ratio.toFixed(2)}`,
      );
    }

    // 6. Importing a caseload (POST /v1/imports): rows accepted, then cases started by the job, until every case is in PostgreSQL.
    if (measures('import')) {
      const stages = ['intake', 'assessment', 'planning', 'intervention', 'monitoring'] as const;
      const day = 86_400_000;
      const rows = Array.from({ length: N.importRows }, (_, i) => {
        const stage = stages[i % stages.length]!;
        return {
          externalId: `bench-import-${i}`,
          region: `R${i % 24}`,
          caseManagerId: `cm-${i % 400}`,
          supervisorId: `sup-${i % 40}`,
          stage,
          openedAt: new Date(Date.now() - (30 + (i % 200)) * day).toISOString(),
          ...(stage === 'intake' ? {} : { consent: { dataProcessing: true } }),
          deadlines:
            stage === 'intervention' || stage === 'monitoring'
              ? [{ kind: 'review', dueAt: new Date(Date.now() + (1 + (i % 30)) * day).toISOString() }]
              : [],
          services:
            stage === 'intake'
              ? []
              : [
                  {
                    serviceId: `bench-import-${i}-s1`,
                    category: 'legal',
                    deliveredAt: new Date(Date.now() - 20 * day).toISOString(),
                  },
                ],
          client: { fullName: `Bench Client ${i}` },
        };
      });
      say(`importing ${rows.length} cases (POST /v1/imports, one job)`);
      const started = performance.now();
      const sent = await fetch(`${api}/v1/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(rows),
      });
      if (sent.status !== 202) throw new Error(`POST /v1/imports answered ${sent.status}`);
      const { importId } = (await sent.json()) as { importId: string };
      results.import_accept_s = (performance.now() - started) / 1000;
      say(
        `  accepted in ${results.import_accept_s.toFixed(1)} s (rows checked, people written); cases now started by the job`,
      );
      let progress = { status: 'running', counts: { imported: 0, failed: 0 } };
      while (progress.status !== 'completed') {
        await sleep(1_000);
        progress = (await (
          await fetch(`${api}/v1/imports/${importId}`, { headers: { authorization: `Bearer ${key}` } })
        ).json()) as typeof progress;
      }
      if (progress.counts.failed) throw new Error(`${progress.counts.failed} import rows failed`);
      await until(
        'the imported cases in PostgreSQL',
        async () =>
          ((await pool.query(`SELECT count(*)::int AS n FROM cases WHERE external_ref LIKE 'bench-import-%'`)).rows[0]
            .n as number) >= rows.length,
        3_600_000,
        500,
      );
      const seconds = (performance.now() - started) / 1000;
      results.import_cases = rows.length;
      results.import_seconds = seconds;
      results.import_cases_per_s = rows.length / seconds;
      say(
        `  ${rows.length} cases imported in ${seconds.toFixed(1)} s: ${results.import_cases_per_s.toFixed(1)} cases/s (opened one by one through the API: ${opened.toFixed(1)}/s)`,
      );
    }
  } finally {
    await stopAll();
  }
  return results;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  say(`scale: ${small ? 'small' : 'full'}; Temporal shapes: ${shapes.join(', ')}`);
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    logger: new DefaultLogger('ERROR'),
  });
  const bundleDir = mkdtempSync(join(tmpdir(), 'suprovid-bench-bundle-'));
  const bundlePath = join(bundleDir, 'bench-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  const byShape: Partial<Record<Shape, Record<string, number>>> = {};
  for (const shape of shapes) {
    say(
      `=== ${shape === 'dev' ? 'the dev server (SQLite), 1 worker, 1 API' : 'Temporal Server on PostgreSQL (4 services, 4 shards), 2 workers, 2 APIs'}`,
    );
    byShape[shape] = await measureShape(shape, bundlePath);
  }
  rmSync(bundleDir, { recursive: true, force: true });

  // 6. Temporal actions of a typical case-year, counted from its history: the same on every shape.
  const year: Record<string, number> = {};
  if (measures('year')) {
    say('a typical case-year on the time-skipping server');
    const env = await startTimeSkippingEnv();
    try {
      const y = await simulateTypicalYear(env, bundle);
      year.actions_per_case_year = y.totalActions;
      year.history_events_per_case_year = y.totalEvents;
    } finally {
      await env.teardown();
    }
  }

  const goals: [string, string, (v: number) => boolean][] = [
    ['case_start_ratio', '>= 0.6', (v) => v >= 0.6],
    ['command_p95_ratio', '<= 3', (v) => v <= 3],
    ['idle_throughput_ratio', '>= 0.95', (v) => v >= 0.95],
    ['timer_lateness_p99_ms', '<= 2000', (v) => v <= 2000],
    ['reminders_lost', '= 0', (v) => v === 0],
    ['reminders_sent_twice', '= 0', (v) => v === 0],
    ['burst_drain_ratio', '<= 2', (v) => v <= 2],
    ['burst_escalations_sent_twice', '= 0', (v) => v === 0],
    ['mixed_load_ratio', '>= 0.5', (v) => v >= 0.5],
    ['mixed_p95_ms_open', '< 1000', (v) => v < 1000],
    ['report_p95_ratio', '<= 1.2', (v) => v <= 1.2],
    ['actions_per_case_year', '<= 120', (v) => v <= 120],
  ];
  // One column per shape; the case-year is counted once and shown in both.
  const columns = shapes.map((shape) => ({ ...byShape[shape], ...year }));
  const cell = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(2)).padStart(12);
  const verdict = (v: number | undefined, ok: (v: number) => boolean) =>
    v === undefined ? '' : ok(v) ? 'met' : 'NOT MET';
  process.stdout.write(`\n${'measure'.padEnd(32)}${shapes.map((s) => s.padStart(12)).join('')}  goal\n`);
  for (const [name, goal, ok] of goals.filter(([n]) => columns.some((c) => n in c))) {
    process.stdout.write(
      `${name.padEnd(32)}${columns.map((c) => cell(c[name])).join('')}  ${goal} ${columns.map((c) => verdict(c[name], ok)).join(' / ')}\n`,
    );
  }
  const others = [...new Set(columns.flatMap((c) => Object.keys(c)))].filter((k) => !goals.some(([g]) => g === k));
  for (const name of others) process.stdout.write(`${name.padEnd(32)}${columns.map((c) => cell(c[name])).join('')}\n`);
  const out = resolve(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  const file = only.size ? 'partial.json' : 'latest.json';
  const results = Object.fromEntries(shapes.map((shape, i) => [shape, columns[i]]));
  writeFileSync(
    join(out, file),
    JSON.stringify(
      {
        measuredAt: new Date().toISOString(),
        scale: small ? 'small' : 'full',
        seconds: Math.round((Date.now() - t0) / 1000),
        ...results,
      },
      null,
      2,
    ) + '\n',
  );
  say(`wrote bench/results/${file}`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
