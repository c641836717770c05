/**
 * `npm run record:histories`: runs cases through the paths that matter on the time-skipping server
 * and writes their histories to test/histories/, where the replay test (test/workflow/replay.test.ts)
 * replays them against the current workflow code. Record anew only for a new path; a change to the
 * workflow must replay the histories already committed (use patched() where it would not).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { simulateTypicalYear } from '../bench/case-year';
import type { Actor, CaseWorkflowInput } from '../domain/case';
import type { CommandInput, CommandName } from '../domain/commands';
import { caseWorkflowId } from '../domain/ids';
import { defaultPolicy } from '../domain/policy';
import { caseStartAttributes } from '../domain/search-attributes';
import { startTimeSkippingEnv } from '../stack/test-server';
import { caseWorkflow, commandUpdates } from '../workflows/case';
import { workflowsPath } from '../worker/worker';

/**
 * Each set of histories is kept in its own folder, named for the workflow version that wrote it
 * (v1: the projection as a regular activity; v2: as a local activity behind the
 * `projection-local-activity` patch; v3: commands that say when they happened, behind
 * `command-occurred-at`, and imported cases; v4: a timer kept when its moment moves later, behind
 * `keep-earlier-timer`; v5: runs continued as new at 500 events, behind `continue-as-new-at-500`;
 * v6: search attributes without `CaseNextDeadline` and no upsert of what a run started with, behind
 * `lean-search-attributes`; cases started with their opening search attributes, as the API starts them).
 * Name a new folder when a patch changes what histories look like.
 */
const HISTORY_SET = 'v6-lean-search-attributes';
const out = join(__dirname, '..', 'test', 'histories', HISTORY_SET);
const DAY = 86_400_000;
/** Histories are kept as the server keeps them: binary protobuf (temporal.api.history.v1.History). */
const save = (name: string, history: temporal.api.history.v1.IHistory) => {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${name}.binpb`), temporal.api.history.v1.History.encode(history).finish());
  process.stdout.write(`wrote test/histories/${HISTORY_SET}/${name}.binpb (${history.events?.length} events)\n`);
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const [env, bundle] = await Promise.all([
    startTimeSkippingEnv(),
    bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('ERROR') }),
  ]);
  try {
    const year = await simulateTypicalYear(env, bundle);
    year.histories.forEach((h, i) => save(`typical-year-run${i + 1}`, h));

    const taskQueue = `record-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: { recordCaseEvents: async () => undefined },
    });
    await worker.runUntil(async () => {
      const start = async (
        continueAsNewAfterEvents?: number,
        opened: { daysAgo?: number; imported?: CaseWorkflowInput['imported'] } = {},
      ) => {
        const caseId = randomUUID();
        const openedAt = new Date((await env.currentTimeMs()) - (opened.daysAgo ?? 0) * DAY).toISOString();
        const input: CaseWorkflowInput = {
          caseId,
          open: {
            priority: 'urgent',
            region: 'Sumy',
            source: 'registry',
            caseManagerId: 'cm-1',
            supervisorId: 'sup-1',
          },
          openedBy: { kind: 'tool', id: 'registry' },
          openedAt,
          policy: defaultPolicy,
          continueAsNewAfterEvents,
          imported: opened.imported,
        };
        const handle = await env.client.workflow.start(caseWorkflow, {
          taskQueue,
          workflowId: caseWorkflowId(caseId),
          args: [input],
          typedSearchAttributes: caseStartAttributes(input),
        });
        let n = 0;
        const send = <N extends CommandName>(
          name: N,
          payload: Omit<CommandInput<N>, 'commandId' | 'actor'>,
          actor: Actor = { kind: 'person', id: 'cm-1' },
        ) =>
          handle.executeUpdate(commandUpdates[name], {
            args: [{ commandId: `${name}-${++n}-${caseId}`, actor, ...payload } as never],
          });
        return { handle, send };
      };

      // Missed deadlines: escalation to the supervisor and the head, answers, closure from assessment, check-in, reopen.
      const late = await start();
      await late.send('recordContact', { channel: 'in_person' });
      await late.send('recordConsent', { dataProcessing: true });
      await late.send('screen', { decision: 'open_case' });
      await env.sleep('30 days');
      await late.send(
        'answerEscalation',
        {
          escalationId: 'esc-1',
          answer: 'schedule_conference',
          conferenceAt: new Date(await env.currentTimeMs()).toISOString(),
        },
        { kind: 'person', id: 'head-1' },
      );
      await late.send(
        'answerEscalation',
        { escalationId: 'esc-1', answer: 'reassign', caseManagerId: 'cm-2', reason: 'cm-1 left' },
        { kind: 'person', id: 'sup-1' },
      );
      await late.send('requestClosure', { reason: 'client_declined', outcome: 'none' }, { kind: 'person', id: 'cm-2' });
      await late.send('approveClosure', {}, { kind: 'person', id: 'sup-1' });
      await env.sleep('100 days');
      await late.send('reopen', { reason: 'Came back' }, { kind: 'person', id: 'cm-2' });
      await late.handle.terminate('recorded');
      save('missed-deadlines-closure-reopen', await late.handle.fetchHistory());

      // Continue-as-new: the first run ends in ContinuedAsNew with the state carried.
      const long = await start(30);
      const firstRunId = (await long.handle.describe()).runId;
      await long.send('recordContact', { channel: 'phone' });
      await long.send('recordConsent', { dataProcessing: true });
      await long.send('screen', { decision: 'open_case' });
      for (let i = 0; i < 6; i++)
        await long.send('assignTeam', { members: [{ staffId: `psy-${i}`, role: 'psychologist' }] });
      await env.sleep('1 day');
      save(
        'continue-as-new-run1',
        await env.client.workflow.getHandle(long.handle.workflowId, firstRunId).fetchHistory(),
      );
      await env.client.workflow.getHandle(long.handle.workflowId).terminate('recorded');

      // A run past 500 events with no threshold of its own: it continues as new (continue-as-new-at-500).
      const busy = await start();
      const busyRunId = (await busy.handle.describe()).runId;
      for (let i = 0; i < 120; i++) {
        if ((await env.client.workflow.getHandle(busy.handle.workflowId).describe()).runId !== busyRunId) break;
        await busy.send('recordContact', { channel: 'phone' });
      }
      save(
        'continue-as-new-at-500-run1',
        await env.client.workflow.getHandle(busy.handle.workflowId, busyRunId).fetchHistory(),
      );
      await env.client.workflow.getHandle(busy.handle.workflowId).terminate('recorded');

      // Backdating: a case recorded days after it was opened and worked, a visit's services in one command.
      const ago = async (days: number) => new Date((await env.currentTimeMs()) - days * DAY).toISOString();
      const paper = await start(undefined, { daysAgo: 5 });
      await paper.send('recordContact', { channel: 'in_person', occurredAt: await ago(4.9) });
      await paper.send('recordConsent', { dataProcessing: true, occurredAt: await ago(4.9) });
      await paper.send('screen', { decision: 'open_case', occurredAt: await ago(4.8) });
      await paper.send('submitAssessment', { needs: [{ domain: 'housing', level: 'high' }], occurredAt: await ago(4) });
      await paper.send('submitPlan', {
        goals: [{ goalId: 'g1', description: 'Housing', domain: 'housing' }],
        clientAgreement: { agreedAt: await ago(3), form: 'verbal' },
        occurredAt: await ago(3),
      });
      await paper.send('approvePlan', { occurredAt: await ago(3) }, { kind: 'person', id: 'sup-1' });
      await paper.send('recordServices', {
        occurredAt: await ago(1),
        services: [
          { serviceId: 's1', category: 'material' },
          { serviceId: 's2', category: 'legal', occurredAt: await ago(0.9) },
        ],
      });
      await env.sleep('2 days');
      await paper.handle.terminate('recorded');
      save('backdated-visit', await paper.handle.fetchHistory());

      // An imported case: opened two months ago elsewhere, in intervention with its review deadline; the review is missed, then done.
      const moved = await start(undefined, {
        daysAgo: 60,
        imported: {
          importId: randomUUID(),
          externalId: 'xls-1',
          stage: 'intervention',
          consent: { dataProcessing: true, sharingWith: ['ngo-pravo'] },
          deadlines: [{ kind: 'review', dueAt: new Date((await env.currentTimeMs()) + 5 * DAY).toISOString() }],
          services: [{ serviceId: 'xls-1-s1', category: 'legal', deliveredAt: await ago(30) }],
        },
      });
      await env.sleep('8 days');
      await moved.send('recordReview', { outcome: 'continue' });
      await moved.handle.terminate('recorded');
      save('imported-intervention', await moved.handle.fetchHistory());
    });
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  process.stderr.write(`recording failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
