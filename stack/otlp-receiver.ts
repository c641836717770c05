import { createServer, type Server } from 'node:http';

/** A span as an OTLP/HTTP receiver gets it, with its service, flattened attributes and times in milliseconds. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  attributes: Record<string, unknown>;
  startMs: number;
  endMs: number;
}

type Attr = { key: string; value: Record<string, unknown> };
type Nanos = string | number | { low: number; high: number };
interface OtlpDocument {
  resourceSpans: {
    resource: { attributes: Attr[] };
    scopeSpans: {
      spans: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        attributes?: Attr[];
        startTimeUnixNano: Nanos;
        endTimeUnixNano: Nanos;
      }[];
    }[];
  }[];
}

const flat = (attrs: Attr[] = []) => Object.fromEntries(attrs.map((a) => [a.key, Object.values(a.value)[0]]));
const ms = (n: Nanos) =>
  typeof n === 'object' ? (n.high * 2 ** 32 + (n.low >>> 0)) / 1e6 : Number(BigInt(n) / 1000n) / 1000;

/**
 * A minimal OTLP/HTTP trace receiver (JSON, as @opentelemetry/exporter-trace-otlp-http sends it),
 * for the tests and the bench that read the spans the API and the workers send: not a collector
 * for production (docs/OBSERVABILITY.md names real ones).
 */
export function startOtlpReceiver(
  port: number,
): Promise<{ spans: ReceivedSpan[]; url: string; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      try {
        const doc = JSON.parse(body) as OtlpDocument;
        for (const rs of doc.resourceSpans ?? []) {
          const service = String(flat(rs.resource.attributes)['service.name']);
          for (const ss of rs.scopeSpans ?? [])
            for (const s of ss.spans ?? [])
              spans.push({
                traceId: s.traceId,
                spanId: s.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                service,
                attributes: flat(s.attributes),
                startMs: ms(s.startTimeUnixNano),
                endMs: ms(s.endTimeUnixNano),
              });
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{}');
      }
    });
  });
  return new Promise((ok) =>
    server.listen(port, '127.0.0.1', () =>
      ok({
        spans,
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}
