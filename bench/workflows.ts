// The bench's workflow bundle: Suprovid's own workflows, plus the baselines they are measured against.
import { condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

export { caseWorkflow, importCaseload, webhookDelivery } from '../workflows';

/** Baseline: a workflow that does nothing. */
export async function emptyWorkflow(): Promise<void> {}

/** Baseline of the burst: a workflow that waits until a moment (one timer) and ends. */
export async function timerWorkflow(untilMs: number): Promise<void> {
  await sleep(Math.max(1, untilMs - Date.now()));
}

export const noop = defineUpdate<number, [number]>('noop');
export const finish = defineUpdate<void>('finish');

/** Baseline: a workflow answering an update that does nothing. */
export async function noopUpdateWorkflow(): Promise<void> {
  let done = false;
  setHandler(noop, (n) => n);
  setHandler(finish, () => void (done = true));
  await condition(() => done);
}
