import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry/lib/worker';
import { bundleWorkflowCode, NativeConnection, Worker, type BundleOptions, type WorkerOptions } from '@temporalio/worker';
import type { CaseActivities } from '../activities';
import { noTracing, type Tracing } from '../platform/tracing';

/** Where the workflow code is: the .ts source under tsx and jest, the .js build in production. */
export const workflowsPath = require.resolve('../workflows');

/**
 * The workflow side of tracing (the SDK's OpenTelemetry interceptors), in every bundle a worker
 * runs: spans of the workflow and its updates, and the trace context passed on to its activities.
 * With tracing off they still run and their spans are dropped at the sink, so one bundle serves both.
 */
export const workflowInterceptorModules = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

/** The case workflows bundled as a worker runs them (npm start, npm run build:bundle, the tests). */
export function bundleCaseWorkflows(opts: Pick<BundleOptions, 'logger'> = {}): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, ...opts });
}

/** The sink the workflow interceptors send their spans through (registered even with tracing off, or the SDK logs an error at each span). */
export function tracingSinks(tracing: Tracing = noTracing): NonNullable<WorkerOptions['sinks']> {
  return { exporter: makeWorkflowExporter(tracing.processor, tracing.resource) };
}

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CaseActivities;
  /** A pre-built bundle (bundleCaseWorkflows; tests build one per suite); built from `workflowsPath` otherwise. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  identity?: string;
  /** Workflows kept in memory between tasks (WORKER_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows?: number;
  /** Threads running workflow code (WORKER_WORKFLOW_THREADS). */
  workflowThreads?: number;
  /** Where the workflow's spans go (platform/tracing.ts); dropped by default. */
  tracing?: Tracing;
}

export function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    ...(opts.identity ? { identity: opts.identity } : {}),
    // A cached case answers without replaying its history; one evicted while it waits costs nothing here.
    maxCachedWorkflows: opts.maxCachedWorkflows ?? 1_000,
    workflowThreadPoolSize: opts.workflowThreads ?? 1,
    interceptors: {
      // A pre-built bundle has them already (bundleCaseWorkflows).
      ...(opts.workflowBundle ? {} : { workflowModules: workflowInterceptorModules }),
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: tracingSinks(opts.tracing),
  });
}
