import { z } from 'zod';
import { workflowPollersSince } from '../../platform/temporal';
import type { ApiDeps } from '../deps';
import { scrapers } from '../authorization';
import { docsPage } from '../docs-page';
import type { Metrics } from '../metrics';
import { defineRoute, type AnyRoute } from '../route';

const checkSchema = z.object({ status: z.enum(['up', 'down']), latencyMs: z.number(), error: z.string().optional() });
const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    temporal: checkSchema,
    postgres: checkSchema,
    workers: checkSchema.describe('A worker polls the task queue (seen by Temporal in the last two minutes)'),
  }),
});

/** A poll lasts up to about a minute; a worker not seen for two has stopped polling. */
const POLLER_FRESH_MS = 120_000;

async function check(probe: () => Promise<unknown>, timeoutMs: number): Promise<z.infer<typeof checkSchema>> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)),
      ),
    ]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (err) {
    return {
      status: 'down',
      latencyMs: Date.now() - started,
      error: (err as Error).name === 'Error' ? (err as Error).message : (err as Error).name,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Probes for orchestrators and load balancers, and the API's own description. */
export function systemRoutes(deps: ApiDeps, document: () => unknown, metrics: Metrics): AnyRoute[] {
  // Not ready until a worker has polled once: before that a command would wait for one (the first
  // opening after start took 22 s). Later, a moment with no worker (a rolling restart) is reported
  // in `checks.workers` but keeps the API ready: reads are served from PostgreSQL, and a command
  // answers 503 with Retry-After if no worker takes it in time.
  let workerSeen = false;
  const workersPoll = async () => {
    const pollers = await workflowPollersSince(
      deps.temporal.workflowService,
      deps.temporal.options.namespace,
      deps.taskQueue,
      Date.now() - POLLER_FRESH_MS,
    );
    if (pollers.size === 0) throw new Error(`no worker polls task queue ${deps.taskQueue}`);
    workerSeen = true;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'The process is alive',
      tags: ['system'],
      access: 'public',
      responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
      handle: (_in, _req, res) => void res.json({ status: 'ok' }),
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      operationId: 'readiness',
      summary: 'Temporal and PostgreSQL are reachable, and a worker has polled the task queue',
      tags: ['system'],
      access: 'public',
      responses: {
        200: { description: 'Ready to serve', schema: readinessSchema },
        503: { description: 'A dependency is unreachable, or no worker has polled yet', schema: readinessSchema },
      },
      handle: async (_in, _req, res) => {
        const [temporal, postgres, workers] = await Promise.all([
          check(() => deps.temporal.workflowService.getSystemInfo({}), 2_000),
          check(() => deps.database.ping(), 2_000),
          check(workersPoll, 2_000),
        ]);
        const ready = temporal.status === 'up' && postgres.status === 'up' && workerSeen;
        if (!ready) res.setHeader('Retry-After', '5');
        res
          .status(ready ? 200 : 503)
          .json({ status: ready ? 'ready' : 'not_ready', checks: { temporal, postgres, workers } });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openApi',
      summary: 'This API, as an OpenAPI 3.1 document',
      tags: ['system'],
      access: 'public',
      responses: { 200: { description: 'The OpenAPI document' } },
      handle: (_in, _req, res) => void res.json(document()),
    }),
    defineRoute({
      method: 'get',
      path: '/docs',
      operationId: 'docsPage',
      summary: 'This API, as a page to read (served from here, nothing from the internet)',
      tags: ['system'],
      access: 'public',
      responses: { 200: { description: 'HTML', contentTypes: ['text/html'] } },
      handle: (_in, _req, res) => void res.type('html').send(docsPage),
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics (scrape with an integration key)',
      tags: ['system'],
      access: scrapers,
      responses: { 200: { description: 'Prometheus text format', contentTypes: ['text/plain'] } },
      handle: async (_in, _req, res) => {
        // Counted across every worker, from PostgreSQL; a scrape while it is away still gets the rest.
        const quarantinedBatches = await deps.cases.quarantine.countOpen().catch(() => undefined);
        res.type(metrics.contentType).send(await metrics.render({ quarantinedBatches }));
      },
    }),
  ];
}
