import type { ChildProcess } from 'node:child_process';
import { spawnService } from '../../stack/processes';
import { testDatabaseUrl, testTemporalAddress } from './servers';

/** One of our services as a real process, with everything it has written to stdout and stderr so far. */
export interface ServiceProcess {
  child: ChildProcess;
  output: string[];
}

/** Starts `entry` (api/main.ts, worker/main.ts) against this run's servers; resolves once its output holds `ready`. */
export function startServiceProcess(
  entry: string,
  ready: string,
  env: NodeJS.ProcessEnv = {},
): Promise<ServiceProcess> {
  const child = spawnService(
    entry,
    {
      ...process.env,
      DATABASE_URL: testDatabaseUrl(),
      TEMPORAL_ADDRESS: testTemporalAddress(),
      LOG_LEVEL: 'info',
      ...env,
    },
    { detached: true },
  );
  const output: string[] = [];
  return new Promise((ok, fail) => {
    const onData = (c: Buffer) => {
      output.push(c.toString());
      if (output.join('').includes(ready)) ok({ child, output });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${entry} exited ${code}: ${output.join('').slice(-2000)}`)));
  });
}

/** A real worker process (worker/main.ts), as production runs it, on its own task queue; resolves once it polls. */
export async function startWorkerProcess(taskQueue: string, env: NodeJS.ProcessEnv = {}): Promise<ChildProcess> {
  return (await startServiceProcess('worker/main.ts', 'worker polling', { TEMPORAL_TASK_QUEUE: taskQueue, ...env }))
    .child;
}

/** SIGKILL to the worker's process group: no shutdown, no goodbye. */
export async function killWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}
