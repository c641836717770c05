import { condition, defineQuery, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseActivities } from '../activities';
import type { CaseEvent, CaseState, CaseWorkflowInput } from '../domain/case';

/** The full state of a case, for the consistency check and the Web UI (read paths use Postgres). */
export const getState = defineQuery<CaseState>('getState');

const { recordCaseEvent } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  // No attempt limit: while Postgres is down the case waits, and the projection catches up after.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** One case, from first contact to closure. */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseState> {
  const state: CaseState = {
    caseId: input.caseId,
    stage: 'intake',
    priority: input.open.priority,
    region: input.open.region,
    hromada: input.open.hromada,
    caseManagerId: input.open.caseManagerId,
    supervisorId: input.open.supervisorId,
    source: input.open.source,
    externalRef: input.open.externalRef,
    openedAt: input.openedAt,
    openedBy: input.openedBy,
    seq: 1,
  };
  setHandler(getState, () => state);

  const opened: CaseEvent = { caseId: state.caseId, seq: state.seq, type: 'case_opened', actor: input.openedBy, at: input.openedAt, state };
  await recordCaseEvent(opened);

  await condition(() => state.stage === 'closed');
  return state;
}
