import type { CaseEvent, CaseState } from '../domain/case';
import type { CaseRepository } from '../db/cases';

export interface ActivityDeps {
  cases: CaseRepository;
}

/**
 * Every side effect of a case is an activity built here from its dependencies, so the worker wires
 * the real ones and the tests pass their own. Each one is idempotent: Temporal may run it again.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    /**
     * Records a batch of a case's changes: each event once (by case id and sequence) in the journal,
     * and the case's projection, only ever forward.
     */
    async recordCaseEvents(batch: { events: CaseEvent[]; state: CaseState }): Promise<void> {
      await deps.cases.recordEvents(batch.events, batch.state);
    },
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
