import {
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  makeWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry/lib/worker';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type BundleOptions,
  type WorkerOptions,
} from '@temporalio/worker';
import type { CaseActivities } from '../activities';
import { noTracing, type Tracing } from '../platform/tracing';

/** Where the workflow code is: the .ts source under tsx and jest, the .js build in production. */
export const workflowsPath = require.resolve('../workflows');

/**
 * The workflow side of tracing (the SDK's OpenTelemetry interceptors): spans of the workflow and its
 * updates, and the trace context passed on to its activities. Only in a bundle built for tracing:
 * they make every workflow task about a fifth slower (docs/OBSERVABILITY.md), spans kept or not.
 */
const tracingModules = [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')];

/**
 * The case workflows bundled as a worker runs them (npm start, npm run build:bundle, the tests), with
 * the tracing interceptors if `tracing`; `workflowsPath` for a bundle of more (the bench's baselines).
 */
export function bundleCaseWorkflows(
  opts: Partial<Pick<BundleOptions, 'logger' | 'workflowsPath'>> & { tracing?: boolean } = {},
): ReturnType<typeof bundleWorkflowCode> {
  return bundleWorkflowCode({
    workflowsPath: opts.workflowsPath ?? workflowsPath,
    workflowInterceptorModules: opts.tracing ? tracingModules : [],
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
}

/** Whether a bundle's code has the tracing interceptors (a worker that traces warns about one without). */
export function bundleTraces(code: string): boolean {
  return code.includes('interceptors-opentelemetry/lib/workflow-interceptors');
}

/** The sink the workflow interceptors send their spans through: registered with tracing off too, so that a bundle built for tracing runs (its spans dropped) instead of logging an error at each span. */
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
  /** How long a task waits on this worker's sticky queue (WORKER_STICKY_QUEUE_TIMEOUT_MS). */
  stickyQueueTimeoutMs?: number;
  /** Workflow tasks this worker takes at once (WORKER_MAX_CONCURRENT_WORKFLOW_TASKS; the SDK's default is 40). */
  maxConcurrentWorkflowTasks?: number;
  /** Tracing on (platform/tracing.ts): the workflow's and the activities' spans go there. Off by default. */
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
    ...(opts.stickyQueueTimeoutMs ? { stickyQueueScheduleToStartTimeout: opts.stickyQueueTimeoutMs } : {}),
    ...(opts.maxConcurrentWorkflowTasks
      ? { maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTasks }
      : {}),
    ...(opts.tracing
      ? {
          interceptors: {
            // A pre-built bundle has them, or not, already (bundleCaseWorkflows).
            ...(opts.workflowBundle ? {} : { workflowModules: tracingModules }),
            activity: [
              (ctx) => ({
                inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
                outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
              }),
            ],
          },
        }
      : {}),
    sinks: tracingSinks(opts.tracing),
  });
}
