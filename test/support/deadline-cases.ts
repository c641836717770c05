import type { Client } from '@temporalio/client';
import type { CaseWorkflowInput } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import type { Policy } from '../../domain/policy';
import { caseWorkflow } from '../../workflows/case';

/** A policy's duration of `n` seconds, and the same for every priority: deadlines a test can wait for. */
export const seconds = (n: number) => ({ hours: n / 3600 });
export const everyPriority = (n: number) => ({ routine: seconds(n), urgent: seconds(n), crisis: seconds(n) });

/**
 * Starts hotline cases straight on the case workflow (no API), opened at `openedAt` under `policy`,
 * with `staff` as their case manager (cm-…) and supervisor (sup-…), in the region "Restart".
 */
export async function startHotlineCases(
  sys: { temporal: Client; taskQueue: string },
  ids: string[],
  policy: Policy,
  opts: { openedAt: Date; staff: string },
): Promise<void> {
  await Promise.all(
    ids.map((caseId) => {
      const input: CaseWorkflowInput = {
        caseId,
        open: {
          priority: 'routine',
          region: 'Restart',
          source: 'hotline',
          caseManagerId: `cm-${opts.staff}`,
          supervisorId: `sup-${opts.staff}`,
        },
        openedBy: { kind: 'tool', id: 'hotline' },
        openedAt: opts.openedAt.toISOString(),
        policy,
      };
      return sys.temporal.workflow.start(caseWorkflow, {
        taskQueue: sys.taskQueue,
        workflowId: caseWorkflowId(caseId),
        args: [input],
      });
    }),
  );
}
