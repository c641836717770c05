import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { simulateTypicalYear } from '../../bench/case-year';
import { bundleWorkflows, timeSkippingEnv } from '../support/servers';

/**
 * The cost budget of a case, counted from its history (deterministic, not a timing): a typical year
 * stays within 150 Temporal actions and no run of the workflow grows past 2,000 events.
 * `npm run bench:case-year` prints the same figures in full.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
beforeAll(async () => {
  [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
}, 120_000);
afterAll(async () => env?.teardown());

it('keeps a typical case-year within 150 actions and every run under 2,000 events', async () => {
  const r = await simulateTypicalYear(env, bundle);
  expect(r.commands).toBeGreaterThanOrEqual(40);
  expect(r.totalActions).toBeLessThanOrEqual(150);
  expect(Math.max(...r.eventsPerRun)).toBeLessThan(2_000);
  // One timer for the next deadline: never more timers than commands plus the moments time acted.
  expect(r.actions.timer).toBeLessThanOrEqual(r.commands);
});
