import type { ChildProcessByStdio } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { createApiKeyRepository } from '../../db/api-keys';
import { createStaffRepository } from '../../db/staff';
import { migrate } from '../../db/migrate';
import type { Role } from '../../domain/principal';
import { freePort, spawnService, stopChild, waitFor } from '../../stack/processes';
import { startPostgres, type PostgresServer } from '../../stack/postgres';
import { freeClusterPorts, startTemporalCluster, type TemporalCluster } from '../../stack/temporal-cluster';
import { bundleWorkflows } from '../support/servers';

type Service = ChildProcessByStdio<null, Readable, Readable>;

/**
 * The production shape on one machine, as `SUPROVID_TEMPORAL=server npm start` runs it: PostgreSQL,
 * Temporal Server on it as four service processes, two worker processes and two API processes
 * (api/main.ts, worker/main.ts), all on free ports in a temporary folder.
 */
export interface ClusterSystem {
  dir: string;
  /** The workflow bundle the worker processes run. */
  bundleFile: string;
  /** Suprovid's database on the PostgreSQL server Temporal persists to (its own databases are beside it). */
  postgresUrl: string;
  cluster: TemporalCluster;
  apis: string[];
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  issueKey(role: Role, subject: string): Promise<string>;
  /** SIGKILL to worker `i` (0 or 1): no shutdown, no goodbye. */
  killWorker(i: number): Promise<void>;
  startWorker(i: number): Promise<void>;
  /** Stops the PostgreSQL that Temporal (and Suprovid) persist to; `startPostgres` brings it back on the same port and data. */
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stop(): Promise<void>;
}

const quiet = process.env.SUPROVID_TEST_CLUSTER_LOG !== '1';

function waitForLine(child: Service, pattern: RegExp, what: string): Promise<void> {
  return new Promise((ok, fail) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (!quiet) process.stdout.write(c);
      if (pattern.test(out)) ok();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => fail(new Error(`${what} exited ${code}: ${out.slice(-2000)}`)));
  });
}

export async function startClusterSystem(): Promise<ClusterSystem> {
  const dir = mkdtempSync(join(tmpdir(), 'suprovid-cluster-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user
  const pgPort = await freePort();
  const pgOptions = { dataDir: join(dir, 'postgres'), port: pgPort };
  let postgres: PostgresServer = await startPostgres(pgOptions);
  const pool = new Pool({ connectionString: postgres.url, max: 5 });
  pool.on('error', () => undefined); // PostgreSQL is stopped on purpose
  await migrate(pool);

  const log = quiet
    ? undefined
    : (service: string, line: string) => process.stdout.write(`[temporal-${service}] ${line}\n`);
  const cluster = await startTemporalCluster({
    dataDir: dir,
    ports: await freeClusterPorts(),
    postgresAdminUrl: postgres.url,
    log,
  });
  const taskQueue = 'suprovid-cases';
  const bundleFile = join(dir, 'workflow-bundle.js');
  writeFileSync(bundleFile, (await bundleWorkflows()).code);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: postgres.url,
    TEMPORAL_ADDRESS: cluster.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundleFile,
    LOG_LEVEL: 'info',
  };

  const workers: (Service | undefined)[] = [undefined, undefined];
  const startWorker = async (i: number) => {
    const child = spawnService('worker/main.ts', env, { detached: true });
    workers[i] = child;
    await waitForLine(child, /worker polling/, `worker ${i}`);
  };
  const killWorker = async (i: number) => {
    const child = workers[i];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  };
  await Promise.all([startWorker(0), startWorker(1)]);

  const apiPorts = [await freePort(), await freePort()];
  const apiProcesses = apiPorts.map((port) => spawnService('api/main.ts', { ...env, API_PORT: String(port) }));
  const apis = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  await Promise.all(
    apis.map((url) =>
      waitFor(
        'API replica',
        async () => {
          const r = await fetch(`${url}/readyz`);
          if (!r.ok) throw new Error(`readyz ${r.status}`);
        },
        60_000,
        250,
      ),
    ),
  );

  const connection = await Connection.connect({ address: cluster.address });
  const temporal = new Client({ connection, namespace: cluster.namespace });
  const apiKeys = createApiKeyRepository(pool);
  const staff = createStaffRepository(pool);

  return {
    dir,
    bundleFile,
    postgresUrl: postgres.url,
    cluster,
    apis,
    pool,
    temporal,
    taskQueue,
    issueKey: async (role, subject) => {
      // A person's key belongs to a member of the staff registry, as through the API.
      if (role !== 'integration')
        await staff.register({ staffId: subject, name: `Test ${subject}`, role }, { kind: 'system', id: 'test' });
      return (await apiKeys.issue({ name: `cluster test ${role}`, role, subject, createdBy: 'test' })).key;
    },
    killWorker,
    startWorker,
    stopPostgres: () => postgres.stop(),
    startPostgres: async () => {
      postgres = await startPostgres(pgOptions);
    },
    stop: async () => {
      await Promise.all(apiProcesses.map((p) => stopChild(p, 'SIGTERM', 10_000)));
      await Promise.all(workers.map((w) => (w ? stopChild(w, 'SIGTERM', 15_000) : Promise.resolve())));
      await connection.close();
      await pool.end();
      await cluster.stop();
      await postgres.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
