import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiCall } from '../support/http';
import { bundleWorkflows } from '../support/servers';
import { startSystem, type RunningSystem } from '../support/system';
import { killWorker, startWorkerProcess } from '../support/worker-process';

/**
 * An import whose worker process is killed (SIGKILL) in the middle of a chunk: the job carries on
 * when a worker is back (the chunk's heartbeat times out and it is retried from the rows still
 * pending), every row ends done, and every case is opened exactly once.
 */
jest.setTimeout(300_000);

const ROWS = 1_000;
let sys: RunningSystem;
afterAll(async () => sys?.stop());

it('finishes an import whose worker was killed mid-chunk, opening every case once', async () => {
  sys = await startSystem({ worker: false });
  const tag = randomUUID().slice(0, 6);
  await sys.registerRegions([`Kill-${tag}`]);
  const key = await sys.issueKey('integration', `kill-import-${tag}`);
  const bundleFile = join(process.env.SUPROVID_TEST_DIR ?? tmpdir(), `bundle-${sys.taskQueue}.js`);
  writeFileSync(bundleFile, (await bundleWorkflows()).code);
  const env = { WORKFLOW_BUNDLE_PATH: bundleFile };
  let worker: ChildProcess = await startWorkerProcess(sys.taskQueue, env);

  const rows = Array.from({ length: ROWS }, (_, i) => ({
    externalId: `${tag}-${i}`,
    region: `Kill-${tag}`,
    stage: 'intake',
    openedAt: new Date().toISOString(),
  }));
  const sent = await apiCall(sys.baseUrl, key, '/v1/imports', rows);
  expect(sent.status).toBe(202);
  const importId = sent.body.importId as string;
  const progress = async () =>
    (await apiCall(sys.baseUrl, key, `/v1/imports/${importId}`)).body as {
      status: string;
      counts: Record<string, number>;
    };

  // Kill it once some rows are done and most are not.
  for (let p = await progress(); p.counts.imported === 0; p = await progress()) {
    if (p.status === 'completed')
      throw new Error(`the import finished before any row was imported: ${JSON.stringify(p.counts)}`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  await killWorker(worker);
  const atKill = await progress();
  expect(atKill.counts.pending).toBeGreaterThan(0);

  worker = await startWorkerProcess(sys.taskQueue, env);
  try {
    let done = await progress();
    for (let i = 0; i < 240 && done.status !== 'completed'; i++, done = await progress())
      await new Promise((ok) => setTimeout(ok, 500));
    expect(done.counts.pending).toBe(0);
    expect(done.counts.imported! + done.counts.existing!).toBe(ROWS);
    // One workflow, one opening, per row: nothing started twice.
    let opened = 0;
    for (let i = 0; i < 100 && opened < ROWS; i++) {
      opened = (
        await sys.pool.query(
          `SELECT count(*)::int AS n FROM case_events e JOIN cases c USING (case_id) WHERE c.region = $1 AND e.type = 'case_opened'`,
          [`Kill-${tag}`],
        )
      ).rows[0].n as number;
      if (opened < ROWS) await new Promise((ok) => setTimeout(ok, 300));
    }
    expect(opened).toBe(ROWS);
  } finally {
    await killWorker(worker);
  }
});
