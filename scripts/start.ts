/**
 * `npm start`: the whole system on embedded defaults, in one terminal, as one process that
 * receives the signals itself (no shell in between).
 *   PostgreSQL (data in .data/postgres)
 *   Temporal: the dev server + Web UI (.data/temporal.sqlite), or with SUPROVID_TEMPORAL=server,
 *     Temporal Server on that PostgreSQL as four service processes + the Web UI (data in .data-server)
 *   migrations, the first admin API key (<data dir>/admin.key)
 *   workers and APIs (one each, or two each in server mode), restarted if they die
 * DATABASE_URL or TEMPORAL_ADDRESS point at servers of your own instead. Ctrl-C or SIGTERM stops
 * the APIs, then the workers, then Temporal, then PostgreSQL; the next start keeps every case.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { DefaultLogger } from '@temporalio/worker';
import { z } from 'zod';
import { randomBytes } from 'node:crypto';
import { createApiKeyRepository } from '../db/api-keys';
import { createStaffRepository } from '../db/staff';
import { createStaffAccountRepository } from '../db/staff-accounts';
import { ensureConsoleBuilt } from '../stack/console-build';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { ConfigError, configSchema, loadConfig, type Config } from '../platform/config';
import { temporalConnectionOptions, workflowPollersSince } from '../platform/temporal';
import { defaultDataDir, recordEmbeddedStack } from '../platform/embedded-stack';
import { pipeLines, portInUse, spawnService, stopChild, waitFor } from '../stack/processes';
import { startPostgres, type PostgresServer } from '../stack/postgres';
import { startDevServer } from '../stack/temporal';
import { bundleCaseWorkflows } from '../worker/worker';
import { clusterPortsFrom, startTemporalCluster } from '../stack/temporal-cluster';

const root = resolve(__dirname, '..');
const port = z.coerce.number().int().min(1).max(65_535);
const replicas = z.coerce.number().int().min(1).max(8);
const stackSchema = z.object({
  /** Which Temporal runs: the CLI's dev server (SQLite), or Temporal Server on PostgreSQL as production runs it. */
  SUPROVID_TEMPORAL: z.enum(['dev', 'server']).default('dev'),
  SUPROVID_DATA_DIR: z.string().min(1).optional(),
  WORKER_REPLICAS: replicas.optional(),
  API_REPLICAS: replicas.optional(),
  TEMPORAL_NAMESPACE_RETENTION_DAYS: configSchema.shape.TEMPORAL_NAMESPACE_RETENTION_DAYS,
  POSTGRES_PORT: port.default(5433),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  API_PORT: port.default(3000),
  /** The first worker's Prometheus metrics port; replica n serves on this port + n - 1. */
  WORKER_METRICS_PORT: port.default(9464),
  DATABASE_URL: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
});

const say = (line: string) => process.stdout.write(`[suprovid] ${line}\n`);
const prefixed = (name: string) => (line: string) => process.stdout.write(`[${name}] ${line}\n`);

class Supervisor {
  private stopping = false;
  private readonly children = new Map<string, ChildProcess>();
  postgres?: PostgresServer;
  temporal?: { address: string; uiUrl?: string; stop(): Promise<void> };

  /** Runs one of our own services (an API or a worker replica) under tsx; restarts it if it dies unasked. */
  run(name: string, entry: string, env: NodeJS.ProcessEnv): void {
    const child = spawnService(entry, env, { detached: true });
    this.children.set(name, child);
    pipeLines(child, prefixed(name));
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      say(`${name} exited (code ${code}, signal ${signal}); restarting in 2 s`);
      setTimeout(() => !this.stopping && this.run(name, entry, env), 2_000);
    });
  }

  async stop(signal: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    say(`${signal}: stopping the APIs, the workers, temporal, postgres`);
    for (const kind of ['api', 'worker']) {
      const group = [...this.children].filter(([name]) => name.startsWith(kind)).map(([, child]) => child);
      await Promise.all(group.map((child) => stopChild(child, 'SIGTERM', 20_000)));
    }
    await this.temporal?.stop();
    await this.postgres?.stop();
    say('stopped');
  }
}

async function main(): Promise<void> {
  const parsed = stackSchema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const stack = parsed.data;
  const serverMode = stack.SUPROVID_TEMPORAL === 'server';
  // The two modes keep their data apart: a case lives in the Temporal it was opened on.
  const dataDir = defaultDataDir(process.env);
  mkdirSync(dataDir, { recursive: true });
  const workerReplicas = stack.WORKER_REPLICAS ?? (serverMode ? 2 : 1);
  const apiReplicas = stack.API_REPLICAS ?? (serverMode ? 2 : 1);

  // The pinned tools of this mode: built once per machine, reused after.
  if (!stack.TEMPORAL_ADDRESS) {
    const provision = spawnSync('bash', [join(root, 'scripts/provision.sh'), stack.SUPROVID_TEMPORAL], {
      stdio: 'inherit',
    });
    if (provision.status !== 0) throw new Error('provisioning the Temporal tools failed (see above)');
  }

  // Every port this start listens on, checked first: with one taken (another npm start, say), the
  // readiness checks below would ask the other program and say "ready" for it.
  const ports: [number, string][] = [
    ...Array.from({ length: apiReplicas }, (_, i): [number, string] => [stack.API_PORT + i, 'API_PORT']),
    ...Array.from({ length: workerReplicas }, (_, i): [number, string] => [
      stack.WORKER_METRICS_PORT + i,
      'WORKER_METRICS_PORT',
    ]),
    ...(stack.DATABASE_URL ? [] : [[stack.POSTGRES_PORT, 'POSTGRES_PORT'] as [number, string]]),
    ...(stack.TEMPORAL_ADDRESS
      ? []
      : ([
          [stack.TEMPORAL_PORT, 'TEMPORAL_PORT'],
          [stack.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT'],
        ] as [number, string][])),
  ];
  const busy = (
    await Promise.all(ports.map(async ([p, name]) => ((await portInUse(p)) ? `${p} (${name})` : undefined)))
  ).filter(Boolean);
  if (busy.length) {
    throw new Error(
      `port${busy.length > 1 ? 's' : ''} ${busy.join(', ')} already in use on 127.0.0.1: is another npm start running? Stop it, or choose other ports with the variables named`,
    );
  }

  const sup = new Supervisor();
  let shuttingDown: Promise<void> | undefined;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      shuttingDown ??= sup.stop(sig).then(() => process.exit(0));
    });
  }

  try {
    const env: NodeJS.ProcessEnv = { ...process.env, API_PORT: String(stack.API_PORT) };
    if (!stack.DATABASE_URL) {
      say(`starting PostgreSQL on 127.0.0.1:${stack.POSTGRES_PORT} (data in ${join(dataDir, 'postgres')})`);
      sup.postgres = await startPostgres({
        dataDir: join(dataDir, 'postgres'),
        port: stack.POSTGRES_PORT,
        log: (l) => /ERROR|FATAL|PANIC|WARNING/.test(l) && prefixed('postgres')(l),
      });
      env.DATABASE_URL = sup.postgres.url;
    }
    if (!stack.TEMPORAL_ADDRESS && serverMode) {
      if (!sup.postgres)
        throw new ConfigError([
          'SUPROVID_TEMPORAL=server runs Temporal Server on the embedded PostgreSQL: unset DATABASE_URL, or set TEMPORAL_ADDRESS to a cluster of your own',
        ]);
      say(
        `starting Temporal Server on PostgreSQL: frontend, history, matching, worker (frontend 127.0.0.1:${stack.TEMPORAL_PORT})`,
      );
      sup.temporal = await startTemporalCluster({
        dataDir,
        ports: clusterPortsFrom(stack.TEMPORAL_PORT),
        uiPort: stack.TEMPORAL_UI_PORT,
        postgresAdminUrl: sup.postgres.url,
        retentionDays: stack.TEMPORAL_NAMESPACE_RETENTION_DAYS,
        log: serverLog(join(dataDir, 'logs')),
      });
      say(`  Temporal Server logs in ${join(dataDir, 'logs')} (fatal errors are shown here)`);
      env.TEMPORAL_ADDRESS = sup.temporal.address;
    }
    if (!stack.TEMPORAL_ADDRESS && !serverMode) {
      say(
        `starting Temporal dev server on 127.0.0.1:${stack.TEMPORAL_PORT} (history in ${join(dataDir, 'temporal.sqlite')})`,
      );
      sup.temporal = await startDevServer({
        port: stack.TEMPORAL_PORT,
        uiPort: stack.TEMPORAL_UI_PORT,
        dbFile: join(dataDir, 'temporal.sqlite'),
        pidFile: join(dataDir, 'temporal.pid'),
        log: prefixed('temporal'),
      });
      env.TEMPORAL_ADDRESS = sup.temporal.address;
    }
    // Fail fast, naming the variable, before any child starts.
    const config = loadConfig(env);
    recordEmbeddedStack(dataDir, {
      DATABASE_URL: config.DATABASE_URL,
      TEMPORAL_ADDRESS: config.TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    });

    const pool = createPool(config, 'suprovid-start');
    try {
      const applied = await migrate(pool);
      say(applied.length ? `applied migrations ${applied.join(', ')}` : 'database schema is up to date');
      await bootstrapAdminKey(pool, join(dataDir, 'admin.key'));
      await bootstrapConsoleAdmin(pool, join(dataDir, 'admin.password'));
    } finally {
      await pool.end();
    }

    // The web console, built when console/ changed since its last build (its output is not committed).
    await ensureConsoleBuilt(say);

    // The workflow code bundled once for every worker replica (each would otherwise bundle it at start).
    if (!env.WORKFLOW_BUNDLE_PATH) {
      say('bundling the workflow code for the workers');
      env.WORKFLOW_BUNDLE_PATH = join(dataDir, 'workflow-bundle.js');
      writeFileSync(
        env.WORKFLOW_BUNDLE_PATH,
        (
          await bundleCaseWorkflows({
            logger: new DefaultLogger('WARN'),
            tracing: config.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined,
          })
        ).code,
      );
    }
    // "ready" only once every worker polls the task queue: before that a new case would wait.
    const workersStarted = new Date();
    const workerMetrics = Array.from({ length: workerReplicas }, (_, i) => stack.WORKER_METRICS_PORT + i);
    workerMetrics.forEach((metricsPort, i) =>
      sup.run(`worker-${i + 1}`, 'worker/main.ts', { ...env, WORKER_METRICS_PORT: String(metricsPort) }),
    );
    // API replicas listen on consecutive ports; production puts a load balancer in front (docs/DEPLOYMENT.md).
    const apis = Array.from({ length: apiReplicas }, (_, i) => `http://127.0.0.1:${config.API_PORT + i}`);
    apis.forEach((_, i) => sup.run(`api-${i + 1}`, 'api/main.ts', { ...env, API_PORT: String(config.API_PORT + i) }));
    const api = apis[0]!;
    const probeAll = (path: string, timeoutMs: number) =>
      Promise.all(
        apis.map((url) =>
          waitFor(
            `API ${path}`,
            async () => {
              const r = await fetch(`${url}${path}`);
              if (!r.ok) throw new Error(`${path} ${r.status}`);
            },
            timeoutMs,
            300,
          ),
        ),
      );
    await probeAll('/healthz', 120_000);
    say(`waiting for ${workerReplicas === 1 ? 'the worker' : `the ${workerReplicas} workers`} to poll the task queue`);
    await waitForPollers(config, workerReplicas, workersStarted);
    // /readyz also waits for a worker, so a load balancer sends nothing before one polls.
    await probeAll('/readyz', 60_000);

    say('ready');
    say(`  API            ${api}   (health ${api}/healthz, readiness ${api}/readyz)`);
    if (apis.length > 1) say(`  API replicas   ${apis.join(', ')} (the same API; any of them serves any request)`);
    if (workerReplicas > 1)
      say(`  Workers        ${workerReplicas} processes on task queue ${config.TEMPORAL_TASK_QUEUE}`);
    say(
      `  Console        ${api}/console/   (first sign-in: login admin, password in ${join(dataDir, 'admin.password')}; then choose your own)`,
    );
    say(`  API docs       ${api}/docs   (OpenAPI ${api}/openapi.json)`);
    say(
      `  Metrics        ${api}/metrics (integration key)${apis.length > 1 ? ', on each API replica' : ''}; workers ${workerMetrics.map((p) => `http://${config.WORKER_METRICS_HOST}:${p}/metrics`).join(', ')}`,
    );
    say(
      `  Temporal       ${config.TEMPORAL_ADDRESS}, namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE}`,
    );
    if (sup.temporal?.uiUrl) say(`  Temporal UI    ${sup.temporal.uiUrl}`);
    say(
      `  PostgreSQL     ${sup.postgres ? `127.0.0.1:${stack.POSTGRES_PORT}, database suprovid` : 'external (DATABASE_URL)'}`,
    );
    say(`  Admin API key  ${join(dataDir, 'admin.key')}`);
    say('Ctrl-C stops everything; the next start keeps all cases.');
  } catch (err) {
    say(`start failed: ${(err as Error).message}`);
    await sup.stop('failure');
    process.exit(1);
  }
}

/**
 * Waits until `count` worker processes poll the task queue, as Temporal itself sees them (pollers
 * seen since `since`, so those of an earlier run do not count), whatever the workers log.
 */
async function waitForPollers(config: Config, count: number, since: Date): Promise<void> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    await waitFor(
      'the workers',
      async () => {
        const fresh = await workflowPollersSince(
          connection.workflowService,
          config.TEMPORAL_NAMESPACE,
          config.TEMPORAL_TASK_QUEUE,
          since.getTime(),
        );
        if (fresh.size < count) throw new Error(`${fresh.size} of ${count} polling`);
      },
      600_000,
      500,
    );
  } finally {
    await connection.close();
  }
}

/**
 * Temporal Server's services log JSON lines: each to its own file (logs/temporal-<service>.log), and
 * to the terminal only when one is about to die.
 */
function serverLog(dir: string): (service: string, line: string) => void {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, WriteStream>();
  return (service, line) => {
    let file = files.get(service);
    if (!file) files.set(service, (file = createWriteStream(join(dir, `temporal-${service}.log`), { flags: 'a' })));
    file.write(line + '\n');
    if (/"level":"(fatal|panic|dpanic)"|^panic:/.test(line)) prefixed(`temporal-${service}`)(line);
  };
}

/**
 * The first administrator, `admin`, in the staff registry (once): the first key and the first console
 * account are theirs (a person's key and account belong to a member of staff, docs/API.md).
 */
async function registerFirstAdmin(pool: ReturnType<typeof createPool>): Promise<void> {
  await createStaffRepository(pool).register(
    { staffId: 'admin', name: 'First administrator (npm start)', role: 'admin' },
    { kind: 'system', id: 'npm start' },
  );
}

/** The first start issues an admin key, prints it once and keeps it in a file only its owner can read. */
async function bootstrapAdminKey(pool: ReturnType<typeof createPool>, file: string): Promise<void> {
  const keys = createApiKeyRepository(pool);
  if ((await keys.countActiveAdmins()) > 0) {
    if (!existsSync(file)) say(`an admin key exists already; ${file} is missing, so it is not shown again`);
    return;
  }
  await registerFirstAdmin(pool);
  const { key } = await keys.issue({
    name: 'first admin (npm start)',
    role: 'admin',
    subject: 'admin',
    createdBy: 'npm start',
  });
  writeFileSync(file, key + '\n', { mode: 0o600 });
  say(`created the first admin API key (shown once; kept in ${file}, mode 600):`);
  say(`  ${key}`);
}

/**
 * The first start also gives the console its first person: the staff member `admin` with the login
 * `admin` and a random password, printed once and kept in a file only its owner can read. They must
 * choose their own password at the first sign-in, then create the other staff accounts.
 */
async function bootstrapConsoleAdmin(pool: ReturnType<typeof createPool>, file: string): Promise<void> {
  const r = await pool.query(
    `SELECT 1 FROM staff_accounts a JOIN staff s USING (staff_id) WHERE s.role = 'admin' AND s.active LIMIT 1`,
  );
  if (r.rowCount) {
    if (!existsSync(file)) say(`a console administrator exists already; ${file} is missing, so no password is shown`);
    return;
  }
  await registerFirstAdmin(pool);
  const password = randomBytes(15).toString('base64url');
  const policy = { sessionTtlMs: 0, maxFailures: 1, lockoutMs: 0 }; // not used to sign in here
  await createStaffAccountRepository(pool, policy).setByAdmin('admin', 'admin', password, {
    kind: 'system',
    id: 'npm start',
  });
  writeFileSync(file, password + '\n', { mode: 0o600 });
  say(`created the console's first administrator: login admin, password (shown once; kept in ${file}, mode 600):`);
  say(`  ${password}`);
}

main().catch((err) => {
  process.stderr.write(`suprovid start: ${(err as Error).message}\n`);
  process.exit(1);
});
