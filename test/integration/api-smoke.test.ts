import { caseWorkflowId } from '../../domain/ids';
import { eventually, startSystem, type RunningSystem } from '../support/system';

/**
 * End to end on the real dev server and PostgreSQL: the API starts a case workflow, a worker runs
 * it, the workflow's activity projects it, and the API reads it back.
 */
let sys: RunningSystem;
let key: string;

beforeAll(async () => {
  sys = await startSystem();
  key = await sys.issueKey('integration', 'hotline-1547');
}, 120_000);
afterAll(async () => sys?.stop());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(sys.baseUrl + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const get = (path: string, auth = true) =>
  fetch(sys.baseUrl + path, { headers: auth ? { authorization: `Bearer ${key}` } : {} });

describe('the API, the worker and the case workflow together', () => {
  it('opens a case, runs its workflow and reads it back from the projection', async () => {
    const res = await post('/v1/cases', {
      region: 'Kharkiv',
      hromada: 'UA63040090000021240',
      priority: 'urgent',
      source: 'hotline',
    });
    expect(res.status).toBe(201);
    const opened = (await res.json()) as { caseId: string; workflowId: string; links: { self: string } };
    expect(res.headers.get('location')).toBe(`/v1/cases/${opened.caseId}`);
    expect(opened.workflowId).toBe(caseWorkflowId(opened.caseId));

    const view = await eventually(async () => {
      const r = await get(opened.links.self);
      return r.status === 200 ? ((await r.json()) as { case: Record<string, unknown> }) : undefined;
    });
    expect(view.case).toMatchObject({
      caseId: opened.caseId,
      stage: 'intake',
      region: 'UA-63', // sent as its name, kept as its code
      hromada: 'UA63040090000021240',
      priority: 'urgent',
      openedBy: { kind: 'tool', id: 'hotline-1547' },
    });

    const description = await sys.temporal.workflow.getHandle(opened.workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.taskQueue).toBe(sys.taskQueue);
    const journal = await sys.pool.query('SELECT seq, type, actor_id FROM case_events WHERE case_id = $1', [
      opened.caseId,
    ]);
    expect(journal.rows).toEqual([{ seq: 1, type: 'case_opened', actor_id: 'hotline-1547' }]);
  });

  it('returns the same case for a retried open with the same Idempotency-Key', async () => {
    const body = { region: 'Kharkiv' };
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const [a, b] = await Promise.all([post('/v1/cases', body, headers), post('/v1/cases', body, headers)]);
    const c = await post('/v1/cases', body, headers);
    const ids = await Promise.all([a, b, c].map(async (r) => ((await r.json()) as { caseId: string }).caseId));
    expect(new Set(ids).size).toBe(1);
    const runs = sys.temporal.workflow.list({ query: `WorkflowId = '${caseWorkflowId(ids[0]!)}'` });
    let count = 0;
    for await (const _ of runs) count++;
    expect(count).toBe(1);
  });

  it('answers probes without a key and everything else only with one', async () => {
    expect((await get('/healthz', false)).status).toBe(200);
    const ready = await get('/readyz', false);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { temporal: { status: 'up' }, postgres: { status: 'up' }, workers: { status: 'up' } },
    });
    expect((await get('/openapi.json', false)).status).toBe(200);

    const anonymous = await get('/v1/cases/00000000-0000-4000-8000-000000000000', false);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const badKey = await fetch(`${sys.baseUrl}/v1/cases/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: 'Bearer spv_nope' },
    });
    expect(badKey.status).toBe(401);
  });

  it('answers bad input with problem+json naming the failing fields, and starts nothing', async () => {
    const invalid = await post('/v1/cases', { region: '', priority: 'someday' });
    expect(invalid.status).toBe(400);
    const problem = (await invalid.json()) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['priority', 'region']);

    const malformed = await post('/v1/cases', '{"region": ');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { title: string }).title).toBe('Malformed JSON');

    const huge = await post('/v1/cases', { region: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);

    const notJson = await fetch(`${sys.baseUrl}/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(notJson.status).toBe(415);

    expect((await get('/v1/cases/not-a-uuid')).status).toBe(400);
    expect((await get('/v1/cases/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await get('/v1/nowhere')).status).toBe(404);
  });

  it('serves Prometheus metrics to a scraping tool, and a docs page with nothing from the internet', async () => {
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toMatch(/suprovid_http_requests_total\{method="POST",route="\/v1\/cases",status="201"\} \d+/);
    expect(text).toContain('suprovid_http_request_duration_seconds_bucket');
    // prom-client's default process metrics come with them.
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toMatch(new RegExp(`^${name} \\d`, 'm'));
    }
    expect((await get('/metrics', false)).status).toBe(401);

    const docs = await fetch(`${sys.baseUrl}/docs`);
    expect(docs.headers.get('content-type')).toMatch(/text\/html/);
    const html = await docs.text();
    expect(html).toContain("fetch('/openapi.json')");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});
