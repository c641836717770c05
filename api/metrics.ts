/**
 * Prometheus metrics of the API, kept in memory and written in the text exposition format:
 * requests by method, route template and status, and their durations.
 */
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics() {
  const requests = new Map<string, number>();
  const durations = new Map<string, { counts: number[]; sum: number; count: number }>();
  const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return {
    observe(method: string, route: string, status: number, seconds: number): void {
      const key = `method="${label(method)}",route="${label(route)}",status="${status}"`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      const dk = `method="${label(method)}",route="${label(route)}"`;
      const d = durations.get(dk) ?? { counts: buckets.map(() => 0), sum: 0, count: 0 };
      buckets.forEach((b, i) => {
        if (seconds <= b) d.counts[i]! += 1;
      });
      d.sum += seconds;
      d.count += 1;
      durations.set(dk, d);
    },
    /** `quarantinedBatches`: projection batches set aside and not repaired (read from PostgreSQL at scrape time; left out if it could not be read). */
    render(current: { quarantinedBatches?: number } = {}): string {
      const out = ['# HELP suprovid_http_requests_total HTTP requests answered.', '# TYPE suprovid_http_requests_total counter'];
      for (const [k, v] of requests) out.push(`suprovid_http_requests_total{${k}} ${v}`);
      out.push('# HELP suprovid_http_request_duration_seconds Time to answer HTTP requests.', '# TYPE suprovid_http_request_duration_seconds histogram');
      for (const [k, d] of durations) {
        buckets.forEach((b, i) => out.push(`suprovid_http_request_duration_seconds_bucket{${k},le="${b}"} ${d.counts[i]}`));
        out.push(`suprovid_http_request_duration_seconds_bucket{${k},le="+Inf"} ${d.count}`);
        out.push(`suprovid_http_request_duration_seconds_sum{${k}} ${d.sum}`, `suprovid_http_request_duration_seconds_count{${k}} ${d.count}`);
      }
      if (current.quarantinedBatches !== undefined) {
        out.push(
          '# HELP suprovid_projection_quarantined_batches Projection batches PostgreSQL refused, set aside and not yet repaired (npm run check:consistency lists them).',
          '# TYPE suprovid_projection_quarantined_batches gauge',
          `suprovid_projection_quarantined_batches ${current.quarantinedBatches}`,
        );
      }
      const mem = process.memoryUsage();
      out.push('# HELP suprovid_process_resident_memory_bytes Resident memory of the API process.', '# TYPE suprovid_process_resident_memory_bytes gauge', `suprovid_process_resident_memory_bytes ${mem.rss}`);
      return out.join('\n') + '\n';
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
