import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { cliSearchAttributeFlags } from '../domain/search-attributes';
import { pipeLines, spawnManaged, stopChild, stopOrphan, waitFor } from './processes';

/** Tools provisioned by scripts/provision.sh (`npm start` and `npm test` run it first). */
export const toolsDir = resolve(__dirname, '..', '.tools');

export type Tool =
  'temporal' | 'temporal-test-server' | 'temporal-server' | 'temporal-sql-tool' | 'temporal-ui-server' | 'chromium';

export function toolPath(name: Tool): string {
  const p = join(toolsDir, name);
  if (!existsSync(p))
    throw new Error(
      `${p} is missing: run bash scripts/provision.sh (with the tools of your mode: dev, server or test)`,
    );
  return p;
}

export interface DevServerOptions {
  port: number;
  /** Web UI port; no UI when omitted. */
  uiPort?: number;
  /** SQLite file; in memory when omitted. */
  dbFile?: string;
  namespace?: string;
  pidFile: string;
  log?: (line: string) => void;
  /** The server's own log level (default error). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The real Temporal server that `temporal server start-dev` runs: SQLite persistence (WAL, as the
 * SDK's own stress tests run it), the case search attributes registered, loopback only.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const binary = toolPath('temporal');
  const namespace = opts.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', namespace];
  args.push('--log-level', opts.logLevel ?? 'error', '--log-format', 'json');
  if (opts.uiPort) args.push('--ui-ip', '127.0.0.1', '--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    mkdirSync(dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  args.push(...cliSearchAttributeFlags());

  await stopOrphan(opts.pidFile, 'temporal');
  const child = spawnManaged(binary, args, opts.pidFile);
  pipeLines(child, opts.log ?? (() => undefined));
  const address = `127.0.0.1:${opts.port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(new Error(`temporal dev server exited during start (code ${code}, signal ${signal})`)),
    ),
  );
  exited.catch(() => undefined);
  await Promise.race([
    exited,
    waitFor(
      'Temporal dev server',
      async () => {
        const connection = await Connection.connect({ address, connectTimeout: 1_000 });
        try {
          await connection.workflowService.describeNamespace({ namespace });
        } finally {
          await connection.close();
        }
      },
      120_000,
      250,
    ),
  ]);
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    child,
    stop: () => stopChild(child, 'SIGTERM', 20_000),
  };
}
