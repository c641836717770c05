// A change to the case workflow made WITHOUT patched(): a new timer before anything else.
// The replay test proves that committed histories catch it.
import { sleep } from '@temporalio/workflow';
import type { CaseWorkflowInput } from '../../domain/case';
import { caseWorkflow as current } from '../../workflows/case';

export async function caseWorkflow(input: CaseWorkflowInput): ReturnType<typeof current> {
  await sleep('1 minute');
  return current(input);
}
