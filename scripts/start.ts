/**
 * `npm start`: the whole system on embedded defaults, in one terminal, as one process that
 * receives the signals itself (no shell in between).
 *   PostgreSQL (data in .data/postgres)  ─┐
 *   Temporal dev server + Web UI (.data/temporal.sqlite)
 *   migrations, the first admin API key (.data/admin.key)
 *   worker and API, restarted if they die
 * DATABASE_URL or TEMPORAL_ADDRESS point at servers of your own instead. Ctrl-C or SIGTERM stops
 * the API, then the worker, then Temporal, then PostgreSQL; the next start keeps every case.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { createApiKeyRepository } from '../db/api-keys';
import { migrate } from '../db/migrate';
import { createPool } from '../db/pool';
import { ConfigError, loadConfig } from '../platform/config';
import { pipeLines, spawnService, stopChild, waitFor } from '../stack/processes';
import { startPostgres, type PostgresServer } from '../stack/postgres';
import { startDevServer, type DevServer } from '../stack/temporal';

const root = resolve(__dirname, '..');
const port = z.coerce.number().int().min(1).max(65_535);
const stackSchema = z.object({
  SUPROVID_DATA_DIR: z.string().min(1).default(join(root, '.data')),
  POSTGRES_PORT: port.default(5433),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  API_PORT: port.default(3000),
  DATABASE_URL: z.string().min(1).optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
});

const say = (line: string) => process.stdout.write(`[suprovid] ${line}\n`);
const prefixed = (name: string) => (line: string) => process.stdout.write(`[${name}] ${line}\n`);

class Supervisor {
  private stopping = false;
  private readonly children = new Map<string, ChildProcess>();
  postgres?: PostgresServer;
  temporal?: DevServer;

  /** Runs one of our own services (api, worker) under tsx; restarts it if it dies unasked. */
  run(name: 'api' | 'worker', entry: string, env: NodeJS.ProcessEnv): void {
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
    say(`${signal}: stopping api, worker, temporal, postgres`);
    for (const name of ['api', 'worker']) {
      const child = this.children.get(name);
      if (child) await stopChild(child, 'SIGTERM', 20_000);
    }
    await this.temporal?.stop();
    await this.postgres?.stop();
    say('stopped');
  }
}

async function main(): Promise<void> {
  // The pinned Temporal CLI and test server: built once per machine, reused after.
  const provision = spawnSync('bash', [join(root, 'scripts/provision.sh')], { stdio: 'inherit' });
  if (provision.status !== 0) throw new Error('provisioning the Temporal CLI failed (see above)');

  const parsed = stackSchema.safeParse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const stack = parsed.data;
  const dataDir = resolve(stack.SUPROVID_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

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
    if (!stack.TEMPORAL_ADDRESS) {
      say(`starting Temporal dev server on 127.0.0.1:${stack.TEMPORAL_PORT} (history in ${join(dataDir, 'temporal.sqlite')})`);
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

    const pool = createPool(config, 'suprovid-start');
    try {
      const applied = await migrate(pool);
      say(applied.length ? `applied migrations ${applied.join(', ')}` : 'database schema is up to date');
      await bootstrapAdminKey(pool, join(dataDir, 'admin.key'));
    } finally {
      await pool.end();
    }

    sup.run('worker', 'worker/main.ts', env);
    sup.run('api', 'api/main.ts', env);
    const api = `http://127.0.0.1:${config.API_PORT}`;
    await waitFor('API', async () => {
      const r = await fetch(`${api}/readyz`);
      if (!r.ok) throw new Error(`readyz ${r.status}`);
    }, 120_000, 300);

    say('ready');
    say(`  API            ${api}   (health ${api}/healthz, readiness ${api}/readyz)`);
    say(`  OpenAPI        ${api}/openapi.json`);
    say(`  Temporal       ${config.TEMPORAL_ADDRESS}, namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE}`);
    if (sup.temporal?.uiUrl) say(`  Temporal UI    ${sup.temporal.uiUrl}`);
    say(`  PostgreSQL     ${sup.postgres ? `127.0.0.1:${stack.POSTGRES_PORT}, database suprovid` : 'external (DATABASE_URL)'}`);
    say(`  Admin API key  ${join(dataDir, 'admin.key')}`);
    say('Ctrl-C stops everything; the next start keeps all cases.');
  } catch (err) {
    say(`start failed: ${(err as Error).message}`);
    await sup.stop('failure');
    process.exit(1);
  }
}

/** The first start issues an admin key, prints it once and keeps it in a file only its owner can read. */
async function bootstrapAdminKey(pool: ReturnType<typeof createPool>, file: string): Promise<void> {
  const keys = createApiKeyRepository(pool);
  if ((await keys.countActiveAdmins()) > 0) {
    if (!existsSync(file)) say(`an admin key exists already; ${file} is missing, so it is not shown again`);
    return;
  }
  const { key } = await keys.issue({ name: 'first admin (npm start)', role: 'admin', subject: 'admin', createdBy: 'npm start' });
  writeFileSync(file, key + '\n', { mode: 0o600 });
  say(`created the first admin API key (shown once; kept in ${file}, mode 600):`);
  say(`  ${key}`);
}

main().catch((err) => {
  process.stderr.write(`suprovid start: ${(err as Error).message}\n`);
  process.exit(1);
});
