import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import type { Config } from './config';

/**
 * Tracing with OpenTelemetry, off unless OTEL_EXPORTER_OTLP_ENDPOINT names a collector. One trace
 * follows a request from the API (http) through the Temporal client (start, update), the workflow
 * (the SDK's interceptors), its activities and their SQL (pg).
 *
 * The API's and the worker's entry points import this module before any other: the http and pg
 * instrumentations patch those modules as they are loaded, so they are registered here, at load.
 * They write to the global tracer provider, which startTracing sets once the config is parsed.
 */
const enabled = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
if (enabled) {
  registerInstrumentations({
    instrumentations: [
      // Health probes and scrapes would be most of the traces and tell nothing.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? ''),
      }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
}

export interface Tracing {
  /** Where the workflow's spans go (they leave the workflow sandbox through a sink). */
  processor: SpanProcessor;
  resource: Resource;
  /** Sends what is buffered; call before the process exits. */
  shutdown(): Promise<void>;
}

/** Spans dropped: where a bundle built for tracing sends them on a worker that does not trace. */
export const noTracing: Tracing = {
  processor: new NoopSpanProcessor(),
  resource: Resource.empty(),
  shutdown: async () => undefined,
};

/** Tracing, if OTEL_EXPORTER_OTLP_ENDPOINT is set: spans are batched and sent to `<endpoint>/v1/traces`. */
export function startTracing(
  service: 'suprovid-api' | 'suprovid-worker',
  config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT'>,
): Tracing | undefined {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT || !enabled) return undefined;
  const resource = new Resource({ 'service.name': service });
  const processor = new BatchSpanProcessor(
    new OTLPTraceExporter({ url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  return { processor, resource, shutdown: () => provider.shutdown() };
}

/** The Temporal client's half: the current trace context goes with every start, update and signal, in their headers. */
export function tracingClientInterceptors(): ClientInterceptors {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}
