// The same change made the right way: behind patched(), so cases started before it replay unchanged.
import { patched, sleep } from '@temporalio/workflow';
import type { CaseWorkflowInput } from '../../domain/case';
import { caseWorkflow as current } from '../../workflows/case';

export async function caseWorkflow(input: CaseWorkflowInput): ReturnType<typeof current> {
  if (patched('welcome-delay')) await sleep('1 minute');
  return current(input);
}
