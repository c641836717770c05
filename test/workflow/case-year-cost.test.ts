import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { simulateTypicalYear } from '../../bench/case-year';
import { bundleWorkflows, timeSkippingEnv } from '../support/servers';

/**
 * The cost budget of a case, counted from its history as Temporal Cloud bills it (deterministic, not
 * a timing): a typical year stays within 125 actions (122 now) and no run of the workflow grows past 2,000 events.
 * `npm run bench:case-year` prints the same figures in full.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
}, 120_000);
afterAll(async () => env?.teardown());

it('keeps a typical case-year within 125 actions and every run under 2,000 events', async () => {
  const r = await simulateTypicalYear(env, bundle);
  expect(r.commands).toBeGreaterThanOrEqual(40);
  expect(r.totalActions).toBeLessThanOrEqual(125);
  expect(Math.max(...r.eventsPerRun)).toBeLessThan(2_000);
  // One local activity per workflow task that wrote the projection: the opening and each command.
  expect(r.actions['local activity']).toBe(r.commands + 1);
  // A timer is set again when its moment comes (or moves earlier), not each time a command pushes it
  // later: the year's 44 commands move it 30 times, and the case sets 18 timers.
  expect(r.actions.timer).toBeLessThanOrEqual(20);
  // Search attributes change with the stage (14 times in the year), not with the next deadline, and
  // not at the opening, which starts with them (lean-search-attributes).
  expect(r.actions['search attributes']).toBeLessThanOrEqual(14);
  // Patch markers and their TemporalChangeVersion upserts are recorded but not billed.
  expect(r.unbilled['patch marker']).toBe(r.unbilled['TemporalChangeVersion upsert']);
});
