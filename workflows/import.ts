import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';

/**
 * One import job (POST /v1/imports): its rows wait in PostgreSQL; this workflow has them started
 * chunk by chunk by an activity that heartbeats, until none is pending. A worker killed mid-chunk
 * is noticed by the heartbeat timeout and the chunk is retried elsewhere from the rows still
 * pending; the API or the whole stack stopped, the workflow resumes where Temporal left it.
 */
const { importChunk } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    nonRetryableErrorTypes: ['IMPORT_NOT_FOUND'],
  },
});

export async function importCaseload(importId: string): Promise<void> {
  for (;;) {
    const { remaining } = await importChunk({ importId });
    if (remaining === 0) return;
    // A few events per chunk; a very large import starts a fresh run now and then.
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 5_000)
      await continueAsNew<typeof importCaseload>(importId);
  }
}
