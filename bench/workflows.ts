// The bench's workflow bundle: Suprovid's own workflows, plus the baselines they are measured against.
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export { caseWorkflow, importCaseload, webhookDelivery } from '../workflows';

/** Baseline: a workflow that does nothing. */
export async function emptyWorkflow(): Promise<void> {}

export const noop = defineUpdate<number, [number]>('noop');
export const finish = defineUpdate<void>('finish');

/** Baseline: a workflow answering an update that does nothing. */
export async function noopUpdateWorkflow(): Promise<void> {
  let done = false;
  setHandler(noop, (n) => n);
  setHandler(finish, () => void (done = true));
  await condition(() => done);
}
