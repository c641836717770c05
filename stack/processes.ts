import { spawn, type ChildProcess, type ChildProcessByStdio, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

/** A free TCP port on loopback, so parallel runs on one machine do not collide. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Whether something listens on this loopback port already (it cannot be bound). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(true));
    srv.listen(port, host, () => srv.close(() => resolve(false)));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Retries `probe` until it resolves or `timeoutMs` passes; the last error explains a time-out. */
export async function waitFor<T>(what: string, probe: () => Promise<T>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what} not ready after ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`,
      );
    }
    await sleep(everyMs);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves when the child has exited; sends SIGKILL if it has not done so within `graceMs`. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * A managed server process in its own process group (so a terminal's Ctrl-C reaches only the
 * supervisor, which stops the children in order), with a pid file so that a server orphaned by a
 * supervisor killed outright is found and stopped at the next start (`stopOrphan`).
 */
export function spawnManaged(
  command: string,
  args: string[],
  pidFile: string,
  options: SpawnOptions = {},
): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options });
  if (child.pid) writeFileSync(pidFile, String(child.pid));
  child.once('exit', () => {
    try {
      if (existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(child.pid)) unlinkSync(pidFile);
    } catch {
      /* the pid file is advisory */
    }
  });
  return child;
}

/**
 * One of Suprovid's own services (worker/main.ts, api/main.ts) run as `npm start` runs it: Node with
 * tsx, from the repository's root, output piped. `nodeArgs` go before the entry (e.g. --cpu-prof).
 */
export function spawnService(
  entry: string,
  env: NodeJS.ProcessEnv,
  options: { nodeArgs?: string[]; detached?: boolean } = {},
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], {
    cwd: resolve(__dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
}

/**
 * Stops a process recorded in `pidFile` by an earlier run, if it is still the same program: `signal`
 * to its process group first, SIGKILL if it has not gone within `graceMs`.
 */
export async function stopOrphan(
  pidFile: string,
  program: string,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 15_000,
): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  unlinkSync(pidFile);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!cmdline.includes(program)) return;
  process.kill(-pid, signal);
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
}

/** Forwards a child's output line by line with a prefix. */
export function pipeLines(child: ChildProcess, sink: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buf = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        sink(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
  }
}
