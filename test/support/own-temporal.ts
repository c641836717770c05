import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../stack/processes';
import { startDevServer, type DevServer } from '../../stack/temporal';
import { startSystem, type RunningSystem } from './system';

/**
 * For tests that stop Temporal on purpose: a dev server of their own (file persistence, fixed port,
 * so it can be stopped and started again) with the API and a worker on it, set up and torn down by
 * the suite's hooks.
 */
export function useOwnTemporal(
  prefix: string,
  opts: { serverLogLevel?: 'info' | 'warn' | 'error' } = {},
): {
  readonly sys: RunningSystem;
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  /** The server's log lines (at `serverLogLevel`, default error) received since `sinceMs`, each with its arrival time. */
  serverLog(sinceMs: number): string[];
} {
  let dir = '';
  let port = 0;
  let server: DevServer | undefined;
  let sys: RunningSystem | undefined;
  const lines: { at: number; line: string }[] = [];
  const startServer = async () => {
    server = await startDevServer({
      port,
      dbFile: join(dir, 'temporal.sqlite'),
      pidFile: join(dir, 'temporal.pid'),
      logLevel: opts.serverLogLevel,
      log: (line) => {
        lines.push({ at: Date.now(), line });
        if (lines.length > 5_000) lines.splice(0, lines.length - 5_000);
      },
    });
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `suprovid-${prefix}-`));
    chmodSync(dir, 0o755);
    port = await freePort();
    await startServer();
    sys = await startSystem({ temporalAddress: server!.address });
  });
  afterAll(async () => {
    await sys?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get sys() {
      return sys!;
    },
    stopServer: async () => server?.stop(),
    startServer,
    serverLog: (sinceMs) => lines.filter((l) => l.at >= sinceMs).map((l) => `${l.at - sinceMs} ms ${l.line}`),
  };
}
