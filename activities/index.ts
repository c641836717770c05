import type { CaseEvent } from '../domain/case';
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
    /** Projects a change of the case into Postgres (event journal + case row), once per sequence. */
    async recordCaseEvent(event: CaseEvent): Promise<void> {
      await deps.cases.recordEvent(event);
    },
  };
}

export type CaseActivities = ReturnType<typeof createActivities>;
