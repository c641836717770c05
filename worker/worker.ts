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
}

export function createCaseWorker(opts: CaseWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    ...(opts.identity ? { identity: opts.identity } : {}),
    // Idle cases cost nothing here: a case waiting on its timer is not in the worker's cache.
    maxCachedWorkflows: 1_000,
  });
}
