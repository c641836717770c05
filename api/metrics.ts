import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one API process, kept by prom-client: requests by method, route template
 * and status, their durations, the projection batches in quarantine, and prom-client's default
 * process metrics (CPU, memory, event-loop lag, GC, handles; `process_*` and `nodejs_*`). Each
 * process has its own registry: an API replica answers for itself, Prometheus sums the replicas.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'suprovid_http_requests_total',
    help: 'HTTP requests answered.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'suprovid_http_request_duration_seconds',
    help: 'Time to answer HTTP requests.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // In a registry of its own: shown only when it could be read.
  const scrapeTime = new Registry();
  const quarantined = new Gauge({
    name: 'suprovid_projection_quarantined_batches',
    help: 'Projection batches PostgreSQL refused, set aside and not yet repaired (npm run check:consistency lists them).',
    registers: [scrapeTime],
  });
  return {
    observe(method: string, route: string, status: number, seconds: number): void {
      requests.inc({ method, route, status: String(status) });
      durations.observe({ method, route }, seconds);
    },
    /**
     * The text exposition. `quarantinedBatches` is read from PostgreSQL at scrape time (counted
     * across every worker); when it could not be read the gauge is left out rather than shown as 0.
     */
    async render(current: { quarantinedBatches?: number } = {}): Promise<string> {
      const always = await registry.metrics();
      if (current.quarantinedBatches === undefined) return always;
      quarantined.set(current.quarantinedBatches);
      return always + (await scrapeTime.metrics());
    },
    contentType: registry.contentType,
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
