import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { CaseActivities } from '../activities';

/** Where the workflow code is: the .ts source under tsx and jest, the .js build in production. */
export const workflowsPath = require.resolve('../workflows');

export interface CaseWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CaseActivities;
  /** A pre-built bundle (tests build one per suite); built from `workflowsPath` otherwise. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  identity?: string;
  /** Workflows kept in memory between tasks (WORKER_MAX_CACHED_WORKFLOWS). */
  maxCachedWorkflows?: number;
  /** Threads running workflow code (WORKER_WORKFLOW_THREADS). */
  workflowThreads?: number;
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
  });
}
