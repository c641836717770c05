import { eventually, startSystem, type RunningSystem } from '../support/system';

/**
 * No request hangs: with no worker for its case, opening a case and a command answer 503 with
 * Retry-After within API_COMMAND_TIMEOUT_MS; once a worker is back, the retry with the same
 * Idempotency-Key is applied once. Real dev server and PostgreSQL; the API on a task queue whose
 * worker this test starts and stops.
 */
jest.setTimeout(120_000);
const boundMs = 1_500;
let sys: RunningSystem;

beforeAll(async () => {
  sys = await startSystem({ commandTimeoutMs: boundMs, worker: false });
}, 120_000);
afterAll(async () => sys?.stop());

it('answers 503 with Retry-After within the bound while no worker runs the case, and applies the retry once', async () => {
  const cm = await sys.issueKey('case_manager', 'cm-timeout');
  const call = async (path: string, body: unknown, key: string) => {
    const started = Date.now();
    const res = await fetch(sys.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${cm}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    return { res, ms: Date.now() - started, body: (await res.json()) as Record<string, unknown> };
  };
  const timedOut = (r: Awaited<ReturnType<typeof call>>) => {
    expect({
      status: r.res.status,
      retryAfter: r.res.headers.get('retry-after'),
      type: r.res.headers.get('content-type'),
    }).toEqual({ status: 503, retryAfter: '5', type: expect.stringMatching(/problem\+json/) });
    expect(r.body.detail).toMatch(/did not answer within 1500 ms/);
    expect(r.ms).toBeGreaterThanOrEqual(boundMs - 100);
    expect(r.ms).toBeLessThan(boundMs + 2_500);
  };

  // Not ready while no worker has polled: a load balancer would send this opening nowhere useful.
  const readiness = async () => {
    const r = await fetch(`${sys.baseUrl}/readyz`);
    return {
      status: r.status,
      body: (await r.json()) as { status: string; checks: Record<string, { status: string; error?: string }> },
    };
  };
  const before = await readiness();
  expect(before.status).toBe(503);
  expect(before.body.status).toBe('not_ready');
  expect(before.body.checks.temporal!.status).toBe('up');
  expect(before.body.checks.workers).toMatchObject({
    status: 'down',
    error: `no worker polls task queue ${sys.taskQueue}`,
  });

  // Opening (update-with-start): the workflow starts, but nothing runs it.
  timedOut(await call('/v1/cases', { region: 'Poltava' }, 'open-while-no-worker'));
  await sys.startWorker();
  const after = await eventually(async () => {
    const r = await readiness();
    return r.status === 200 ? r : undefined;
  }, 30_000);
  expect(after.body.checks.workers!.status).toBe('up');
  const opened = await eventually(async () => {
    const r = await call('/v1/cases', { region: 'Poltava' }, 'open-while-no-worker');
    return r.res.status === 201 ? r : undefined;
  }, 30_000);
  const caseId = opened.body.caseId as string;

  // A command while the worker is away. The API stays ready (reads are served); the check says so.
  await sys.stopWorker();
  expect((await readiness()).status).toBe(200);
  timedOut(await call(`/v1/cases/${caseId}/commands/recordContact`, { channel: 'phone' }, 'contact-while-no-worker'));
  await sys.startWorker();
  try {
    await eventually(async () => {
      const r = await call(
        `/v1/cases/${caseId}/commands/recordContact`,
        { channel: 'phone' },
        'contact-while-no-worker',
      );
      return r.res.status === 200 ? r : undefined;
    }, 30_000);
  } finally {
    await sys.stopWorker();
  }
  const journal = await sys.pool.query<{ type: string }>(
    'SELECT type FROM case_events WHERE case_id = $1 ORDER BY seq',
    [caseId],
  );
  expect(journal.rows.map((r) => r.type)).toEqual(['case_opened', 'contact_recorded']);
});
