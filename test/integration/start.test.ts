import { mkdtempSync, readFileSync, rmSync, statSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { freePort } from '../../stack/processes';
import { startStack as start, stopStack as stop } from '../support/npm-start';

/**
 * What `npm start` runs (scripts/start.ts), exactly as a newcomer would, on free ports and a fresh
 * data folder: PostgreSQL, the Temporal dev server with its Web UI, migrations, the worker and the
 * API. Stopped with SIGTERM and started again, it keeps its cases and its admin key.
 */
jest.setTimeout(240_000);

const portOpen = (port: number) =>
  fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );

describe('npm start', () => {
  it('stops at once, naming the port, when one it needs is taken (it would say "ready" for another program)', async () => {
    const taken = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const port = (taken.address() as { port: number }).port;
    const busyDir = mkdtempSync(join(tmpdir(), 'suprovid-busy-'));
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        SUPROVID_DATA_DIR: busyDir,
        API_PORT: String(port),
        POSTGRES_PORT: String(await freePort()),
        TEMPORAL_PORT: String(await freePort()),
        TEMPORAL_UI_PORT: String(await freePort()),
        WORKER_METRICS_PORT: String(await freePort()),
      };
      delete env.DATABASE_URL;
      delete env.TEMPORAL_ADDRESS;
      await expect(start(env, 60_000)).rejects.toThrow(
        new RegExp(`start exited with 1:[\\s\\S]*port ${port} \\(API_PORT\\) already in use`),
      );
    } finally {
      taken.close();
      rmSync(busyDir, { recursive: true, force: true });
    }
  });

  const dataDir = mkdtempSync(join(tmpdir(), 'suprovid-start-'));
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs the whole system, stops cleanly on SIGTERM, and keeps every case across a restart', async () => {
    const [pg, temporal, ui, api, workerMetrics] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SUPROVID_DATA_DIR: dataDir,
      POSTGRES_PORT: String(pg),
      TEMPORAL_PORT: String(temporal),
      TEMPORAL_UI_PORT: String(ui),
      API_PORT: String(api),
      WORKER_METRICS_PORT: String(workerMetrics),
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
    const base = `http://127.0.0.1:${api}`;

    const first = await start(env);
    const keyFile = join(dataDir, 'admin.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(first.output.join('')).toContain(key); // printed once, at the first start

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string };
    expect(doc.openapi).toBe('3.1.0');
    const webUi = await fetch(`http://127.0.0.1:${ui}/`);
    expect(webUi.status).toBe(200);
    expect(await webUi.text()).toMatch(/<html/i);

    // The worker may still be bundling when the API is ready: an opening it does not answer within
    // API_COMMAND_TIMEOUT_MS is a 503, and the retry with the same Idempotency-Key opens the case once.
    let opened: Response;
    for (let attempt = 1; ; attempt++) {
      opened = await fetch(`${base}/v1/cases`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': 'first-case-after-start',
        },
        body: JSON.stringify({ region: 'Poltava' }),
      });
      if (opened.status !== 503 || attempt === 6) break;
      await opened.arrayBuffer();
    }
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    const readBack = async () => {
      for (let i = 0; i < 100; i++) {
        const r = await fetch(`${base}/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${key}` } });
        if (r.status === 200) return ((await r.json()) as { case: { stage: string } }).case;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('case never projected');
    };
    expect((await readBack()).stage).toBe('intake');
    // The worker's own metrics (the Temporal SDK's exporter), on the port the banner shows.
    const workerMetricsUrl = `http://127.0.0.1:${workerMetrics}/metrics`;
    expect(first.output.join('')).toContain(`workers ${workerMetricsUrl}`);
    expect(await (await fetch(workerMetricsUrl)).text()).toMatch(
      /^temporal_workflow_task_schedule_to_start_latency_bucket\{/m,
    );

    expect(await stop(first)).toBe(0);
    expect(first.output.join('')).toContain('[suprovid] stopped');
    for (const port of [api, ui]) expect(await portOpen(port)).toBe(false);

    const second = await start(env);
    expect(second.output.join('')).not.toContain(key);
    expect((await readBack()).stage).toBe('intake');
    const described = await fetch(`${base}/readyz`);
    expect(described.status).toBe(200);
    expect(await stop(second)).toBe(0);
  });
});
