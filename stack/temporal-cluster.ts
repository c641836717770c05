import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { Client } from 'pg';
import { ensureNamespace, ensureSearchAttributes } from '../platform/temporal-namespace';
import { createLogger } from '../platform/logger';
import { freePort, pipeLines, spawnManaged, stopChild, stopOrphan, waitFor } from './processes';
import { toolPath } from './temporal';

/**
 * Temporal Server as its users deploy it: the frontend, history, matching and internal-worker
 * services as four processes on PostgreSQL (persistence and visibility databases), each of which can
 * be stopped and started on its own, plus the Web UI (ui-server). The config is the one file
 * docker-compose.yml mounts too: stack/temporal-server/config/suprovid.yaml, filled in from the
 * environment set here.
 */
export const temporalServices = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof temporalServices)[number];

export const serverConfigRoot = resolve(__dirname, 'temporal-server');
export const dynamicConfigFile = join(serverConfigRoot, 'config', 'dynamicconfig.yaml');

export interface ClusterPorts {
  grpc: Record<TemporalService, number>;
  membership: Record<TemporalService, number>;
  metrics: Record<TemporalService, number>;
  frontendHttp: number;
}

/** Temporal's own port layout around a frontend port (7233: history 7234, matching 7235, worker 7239; membership 6933…; metrics 8000…). */
export function clusterPortsFrom(frontend: number): ClusterPorts {
  const offset: Record<TemporalService, number> = { frontend: 0, history: 1, matching: 2, worker: 6 };
  const each = (shift: number) =>
    Object.fromEntries(temporalServices.map((s) => [s, frontend + shift + offset[s]])) as Record<
      TemporalService,
      number
    >;
  return { grpc: each(0), membership: each(-300), metrics: each(767), frontendHttp: frontend + 10 };
}

/** A free port below 32768: Temporal keeps membership ports in a PostgreSQL smallint. */
async function freeLowPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((ok) => {
      const srv = createServer();
      srv.once('error', () => ok(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
    });
    if (free) return port;
  }
}

/** Free ports for every listener of a cluster, so tests on one machine never meet. */
export async function freeClusterPorts(): Promise<ClusterPorts> {
  const each = async (pick: () => Promise<number>) => {
    const out: Partial<Record<TemporalService, number>> = {};
    for (const s of temporalServices) out[s] = await pick();
    return out as Record<TemporalService, number>;
  };
  return {
    grpc: await each(freePort),
    membership: await each(freeLowPort),
    metrics: await each(freePort),
    frontendHttp: await freePort(),
  };
}

export interface ClusterOptions {
  /** Pid files of the server processes. */
  dataDir: string;
  ports: ClusterPorts;
  /** Web UI port; no UI when omitted. */
  uiPort?: number;
  /** An administrator's connection to the PostgreSQL Temporal persists to (to create its role). */
  postgresAdminUrl: string;
  dbPassword?: string;
  namespace?: string;
  retentionDays?: number;
  /** Set only for a new cluster: the shard count can never change after the first start. */
  historyShards?: number;
  log?: (service: string, line: string) => void;
}

export interface TemporalCluster {
  address: string;
  uiUrl?: string;
  namespace: string;
  /** The running process of one service. */
  process(service: TemporalService): ChildProcess;
  /** Stops one service (SIGTERM, or `signal`); it stays down until `startService`. */
  stopService(service: TemporalService, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped service; resolves once it listens. */
  startService(service: TemporalService): Promise<void>;
  /** `stopService` then `startService`. */
  restart(service: TemporalService, signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

function listening(port: number): Promise<void> {
  return new Promise((ok, fail) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      ok();
    });
    socket.once('error', fail);
  });
}

async function ensureTemporalRole(adminUrl: string, password: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const exists = await c.query("SELECT 1 FROM pg_roles WHERE rolname = 'temporal'");
    if (exists.rowCount === 0)
      await c.query(`CREATE ROLE temporal LOGIN CREATEDB PASSWORD ${c.escapeLiteral(password)}`);
    // Temporal logs its own failed statements (and expects some, e.g. probing for its schema):
    // keep them out of PostgreSQL's log, where they would read like Suprovid's errors.
    await c.query("ALTER ROLE temporal SET log_min_messages = 'fatal'");
  } finally {
    await c.end();
  }
}

/** Runs stack/temporal-server/setup-schema.sh (the same script docker-compose.yml's schema job runs). */
function setupSchema(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn('sh', [join(serverConfigRoot, 'setup-schema.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    pipeLines(child, (line) => {
      output += line + '\n';
      log(line);
    });
    child.once('error', (err) => fail(new Error(`could not run setup-schema.sh: ${err.message}`)));
    child.once('exit', (code) =>
      code === 0 ? ok() : fail(new Error(`setup-schema.sh exited ${code}: ${output.slice(-2000)}`)),
    );
  });
}

/**
 * Everything config/suprovid.yaml and setup-schema.sh read, for a cluster on loopback; docker-compose.yml
 * sets the same names for its containers (test/cluster/config-agreement.test.ts renders both).
 */
export function clusterEnv(c: {
  ports: ClusterPorts;
  dbHost: string;
  dbPort: number;
  dbPassword: string;
  historyShards?: number;
}): Record<string, string> {
  const env: Record<string, string> = {
    TEMPORAL_DB_HOST: c.dbHost,
    TEMPORAL_DB_PORT: String(c.dbPort),
    TEMPORAL_DB_USER: 'temporal',
    TEMPORAL_DB_PASSWORD: c.dbPassword,
    TEMPORAL_BIND_ADDRESS: '127.0.0.1',
    TEMPORAL_FRONTEND_ADDRESS: `127.0.0.1:${c.ports.grpc.frontend}`,
    TEMPORAL_FRONTEND_HTTP_PORT: String(c.ports.frontendHttp),
    TEMPORAL_DYNAMIC_CONFIG_FILE: dynamicConfigFile,
    ...(c.historyShards ? { TEMPORAL_NUM_HISTORY_SHARDS: String(c.historyShards) } : {}),
  };
  for (const s of temporalServices) {
    env[`TEMPORAL_${s.toUpperCase()}_PORT`] = String(c.ports.grpc[s]);
    env[`TEMPORAL_${s.toUpperCase()}_MEMBERSHIP_PORT`] = String(c.ports.membership[s]);
  }
  return env;
}

export async function startTemporalCluster(opts: ClusterOptions): Promise<TemporalCluster> {
  const server = toolPath('temporal-server');
  const namespace = opts.namespace ?? 'default';
  const log = opts.log ?? (() => undefined);
  const dbUrl = new URL(opts.postgresAdminUrl);
  const password = opts.dbPassword ?? 'temporal';
  const { ports } = opts;
  const address = `127.0.0.1:${ports.grpc.frontend}`;
  mkdirSync(opts.dataDir, { recursive: true });

  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...clusterEnv({
      ports,
      dbHost: dbUrl.hostname,
      dbPort: Number(dbUrl.port || 5432),
      dbPassword: password,
      historyShards: opts.historyShards,
    }),
    TEMPORAL_SQL_TOOL: toolPath('temporal-sql-tool'),
  };

  await ensureTemporalRole(opts.postgresAdminUrl, password);
  await setupSchema(baseEnv, (line) => log('schema', line));

  const children = new Map<TemporalService, ChildProcess>();
  const stopped = new Set<TemporalService>();
  let stopping = false;
  const pidFile = (s: string) => join(opts.dataDir, `temporal-${s}.pid`);
  const startService = async (s: TemporalService): Promise<void> => {
    stopped.delete(s);
    await stopOrphan(pidFile(s), 'temporal-server');
    const child = spawnManaged(
      server,
      [
        '--root',
        serverConfigRoot,
        '--config',
        'config',
        '--env',
        'suprovid',
        '--allow-no-auth',
        'start',
        '--service',
        s,
      ],
      pidFile(s),
      { env: { ...baseEnv, TEMPORAL_METRICS_PORT: String(ports.metrics[s]) } },
    );
    pipeLines(child, (line) => log(s, line));
    children.set(s, child);
    // A service that dies unasked is started again, as systemd or Kubernetes would.
    child.once('exit', (code, signal) => {
      if (stopping || stopped.has(s) || children.get(s) !== child) return;
      log(s, `temporal ${s} exited (code ${code}, signal ${signal}); restarting in 2 s`);
      setTimeout(() => {
        if (!stopping && !stopped.has(s) && children.get(s) === child)
          startService(s).catch((err: Error) => log(s, `restart failed: ${err.message}`));
      }, 2_000);
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) =>
        reject(new Error(`temporal ${s} exited during start (code ${code}, signal ${signal})`)),
      ),
    );
    exited.catch(() => undefined);
    // The internal worker serves no gRPC; its membership (ringpop) port shows it has started.
    const port = s === 'worker' ? ports.membership[s] : ports.grpc[s];
    await Promise.race([exited, waitFor(`temporal ${s}`, () => listening(port), 120_000, 200)]);
  };
  const stopService = async (s: TemporalService, signal: NodeJS.Signals = 'SIGTERM') => {
    stopped.add(s);
    const child = children.get(s);
    if (child) await stopChild(child, signal, 20_000);
  };

  let ui: ChildProcess | undefined;
  const stopAll = async () => {
    stopping = true;
    if (ui) await stopChild(ui, 'SIGTERM', 10_000);
    // Frontend first (no new requests), then the rest together.
    await stopService('frontend');
    await Promise.all(temporalServices.filter((s) => s !== 'frontend').map((s) => stopService(s)));
  };

  try {
    for (const s of temporalServices) await startService(s);
    const connection = await waitFor(
      'Temporal frontend',
      async () => {
        const c = await Connection.connect({ address, connectTimeout: 1_000 });
        try {
          await c.workflowService.getSystemInfo({});
          return c;
        } catch (err) {
          await c.close();
          throw err;
        }
      },
      120_000,
      250,
    );
    try {
      const setupLog = createLogger('error');
      await waitFor(
        'namespace registration',
        () => ensureNamespace(connection, namespace, opts.retentionDays ?? 30, setupLog),
        60_000,
        500,
      );
      await waitFor(
        'search attributes',
        () => ensureSearchAttributes(connection, namespace, setupLog, { required: true }),
        60_000,
        500,
      );
      // A new namespace reaches every service's cache within seconds; until then its calls fail.
      await waitFor(
        'namespace in every service',
        () => connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 }),
        60_000,
        500,
      );
    } finally {
      await connection.close();
    }
    if (opts.uiPort) {
      const uiPid = join(opts.dataDir, 'temporal-ui.pid');
      await stopOrphan(uiPid, 'temporal-ui-server');
      ui = spawnManaged(
        toolPath('temporal-ui-server'),
        ['--root', join(serverConfigRoot, 'ui'), '--config', '.', '--env', 'suprovid', 'start'],
        uiPid,
        {
          env: {
            ...process.env,
            TEMPORAL_ADDRESS: address,
            TEMPORAL_UI_PORT: String(opts.uiPort),
            TEMPORAL_DEFAULT_NAMESPACE: namespace,
          },
        },
      );
      pipeLines(ui, (line) => log('ui', line));
      await waitFor(
        'Temporal Web UI',
        async () => {
          const r = await fetch(`http://127.0.0.1:${opts.uiPort}/`);
          if (!r.ok) throw new Error(`UI answered ${r.status}`);
        },
        60_000,
        250,
      );
    }
  } catch (err) {
    await stopAll();
    throw err;
  }

  return {
    address,
    namespace,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    process: (s) => children.get(s)!,
    stopService,
    startService,
    restart: async (s, signal) => {
      await stopService(s, signal);
      await startService(s);
    },
    stop: stopAll,
  };
}
