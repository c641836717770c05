import type { ChildProcess } from 'node:child_process';
import { spawnService } from '../../stack/processes';
import { testDatabaseUrl, testTemporalAddress } from './servers';

/** A real worker process (worker/main.ts), as production runs it, on its own task queue; resolves once it polls. */
export function startWorkerProcess(taskQueue: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  const child = spawnService(
    'worker/main.ts',
    { ...process.env, DATABASE_URL: testDatabaseUrl(), TEMPORAL_ADDRESS: testTemporalAddress(), TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'info', ...env },
    { detached: true },
  );
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('worker polling')) ok(child);
    });
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => fail(new Error(`worker exited ${code}: ${out.slice(-2000)}`)));
  });
}

/** SIGKILL to the worker's process group: no shutdown, no goodbye. */
export async function killWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}
