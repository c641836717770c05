import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

/** `npm start` (scripts/start.ts) as a newcomer runs it, with its output kept. */
export interface Started {
  child: ChildProcess;
  output: string[];
}

const root = resolve(__dirname, '..', '..');

/** Starts it and resolves once it has printed "ready" and the banner after it (rejects if it exits first or takes longer than `timeoutMs`). */
export function startStack(env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`not ready in time:\n${output.join('')}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      // The banner's last line: the addresses above it have all been printed (they may come in a later chunk than "ready").
      if (output.join('').includes('[suprovid] Ctrl-C stops everything')) {
        clearTimeout(timer);
        ok({ child, output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`start exited with ${code}:\n${output.join('')}`));
    });
  });
}

/** SIGTERM, as Ctrl-C; resolves with its exit code. */
export function stopStack(s: Started): Promise<number | null> {
  return new Promise((ok) => {
    s.child.removeAllListeners('exit');
    s.child.once('exit', (code) => ok(code));
    s.child.kill('SIGTERM');
  });
}
