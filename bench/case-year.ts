import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { CaseActivities } from '../activities';
import type { Actor, CaseState, CaseWorkflowInput } from '../domain/case';
import type { CommandInput, CommandName } from '../domain/commands';
import { caseWorkflowId } from '../domain/ids';
import { defaultPolicy } from '../domain/policy';
import { caseStartAttributes } from '../domain/search-attributes';
import { caseWorkflow, commandUpdates } from '../workflows/case';

/**
 * A typical year of one case, as the case-workflow issue defines it: intake, assessment and an
 * approved plan, 2 reassessments, 3 referrals (accepted, then completed), 10 services, monthly
 * reviews (each done before its reminder), the 6-month support limit extended by the supervisor at the sixth review. Run on the time-skipping server,
 * then its history is read back to count events and billable Temporal actions.
 */

/**
 * History event types that Temporal Cloud bills as actions, as its documentation counts them
 * (docs.temporal.io/cloud/actions): a start, an accepted update, a signal, an activity scheduled, a
 * timer started, a search-attribute upsert, a child workflow; and the local activities of one
 * workflow task together as one action.
 */
const billable: Record<string, string> = {
  EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: 'workflow started',
  EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW: 'continue-as-new',
  EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: 'update',
  EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: 'signal',
  EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: 'activity',
  EVENT_TYPE_TIMER_STARTED: 'timer',
  EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: 'search attributes',
  EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED: 'child workflow',
  EVENT_TYPE_MARKER_RECORDED: 'local activity',
};

/**
 * Recorded but not billed, and counted apart so the history still accounts for them: the marker
 * `patched()` writes once per run and patch, and the `TemporalChangeVersion` upsert that goes with
 * it ("exempt from Action counting", in the same documentation).
 */
function actionOf(e: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const name = billable[String(eventTypeName(e.eventType))];
  if (name === 'local activity' && e.markerRecordedEventAttributes?.markerName === 'core_patch') return 'patch marker';
  const upserted = Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {});
  if (name === 'search attributes' && upserted.length === 1 && upserted[0] === 'TemporalChangeVersion') {
    return 'TemporalChangeVersion upsert';
  }
  return name;
}

/** What is recorded but not billed (above). */
const unbilled = new Set(['patch marker', 'TemporalChangeVersion upsert']);

export interface CaseYearResult {
  /** Each run's history, oldest first (for replay tests). */
  histories: temporal.api.history.v1.IHistory[];
  runs: number;
  eventsPerRun: number[];
  totalEvents: number;
  /** Billed actions by kind (local activities: one per workflow task that ran any). */
  actions: Record<string, number>;
  /** Recorded in the history but not billed: patch markers and their TemporalChangeVersion upserts. */
  unbilled: Record<string, number>;
  totalActions: number;
  commands: number;
}

const HALF_A_DAY_MS = 12 * 3_600_000;

const cm: Actor = { kind: 'person', id: 'cm-bench' };
const sup: Actor = { kind: 'person', id: 'sup-bench' };
const provider: Actor = { kind: 'tool', id: 'provider-bench' };

export async function simulateTypicalYear(
  env: TestWorkflowEnvironment,
  workflowBundle: WorkflowBundleWithSourceMap,
): Promise<CaseYearResult> {
  const taskQueue = `bench-${randomUUID()}`;
  const activities: Pick<CaseActivities, 'recordCaseEvents'> = { recordCaseEvents: async () => undefined };
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  return worker.runUntil(async () => {
    const caseId = randomUUID();
    const openedAt = new Date(await env.currentTimeMs()).toISOString();
    const input: CaseWorkflowInput = {
      caseId,
      open: { priority: 'routine', region: 'Kharkiv', source: 'hotline', caseManagerId: cm.id, supervisorId: sup.id },
      openedBy: provider,
      openedAt,
      policy: defaultPolicy,
    };
    // Started as the API starts a case: with the search attributes it opens with (not billed).
    const handle: WorkflowHandle<typeof caseWorkflow> = await env.client.workflow.start(caseWorkflow, {
      taskQueue,
      workflowId: caseWorkflowId(caseId),
      args: [input],
      typedSearchAttributes: caseStartAttributes(input),
    });
    let commands = 0;
    let latest: CaseState | undefined;
    const send = async <N extends CommandName>(
      name: N,
      payload: Omit<CommandInput<N>, 'commandId' | 'actor'>,
      actor: Actor = cm,
    ) => {
      commands += 1;
      const commandId = `${name}-${commands}-${caseId}`;
      latest = await handle.executeUpdate(commandUpdates[name], {
        args: [{ commandId, actor, ...payload } as never],
        updateId: commandId,
      });
      return latest;
    };
    // The case manager reviews half a day before the review's reminder would come. A fixed month
    // (28 days) put the review within seconds of the reminder on some start dates, so whether the
    // reminder fired first depended on the date and on how loaded the machine was: the count moved.
    const untilBeforeReviewReminder = async () => {
      const review = latest?.deadlines.find((d) => d.kind === 'review');
      if (!review) throw new Error('the case has no review deadline to work towards');
      const at = Date.parse(review.remindAt ?? review.dueAt) - HALF_A_DAY_MS;
      await env.sleep(Math.max(1, at - (await env.currentTimeMs())));
    };
    const now = async () => new Date(await env.currentTimeMs()).toISOString();
    const assessment = {
      needs: [{ domain: 'housing' as const, level: 'high' as const }],
      strengths: ['family support'],
      resources: [],
    };
    const plan = async () => ({
      goals: [{ goalId: `g-${commands}`, description: 'Stable housing', domain: 'housing' as const, actions: [] }],
      clientAgreement: { agreedAt: await now(), form: 'signed_agreement' as const },
    });

    await send('recordContact', { channel: 'phone' });
    await send('recordConsent', { dataProcessing: true, shareWith: ['p1', 'p2', 'p3'] });
    await send('screen', { decision: 'open_case' });
    await env.sleep('2 days');
    await send('submitAssessment', assessment);
    await send('submitPlan', await plan());
    await send('approvePlan', {}, sup);

    let services = 0;
    let referrals = 0;
    for (let month = 1; month <= 12; month++) {
      if (services < 10) {
        services += 1;
        await send('recordService', { serviceId: `s${services}`, category: 'psychological', deliveredAt: await now() });
      }
      if (month === 2 || month === 5 || month === 9) {
        referrals += 1;
        const referralId = `r${referrals}`;
        await send('sendReferral', { referralId, providerId: `p${referrals}`, category: 'legal' });
        await env.sleep('2 days');
        await send('answerReferral', { referralId, answer: 'accepted' }, provider);
        await env.sleep('10 days');
        await send('answerReferral', { referralId, answer: 'completed' }, provider);
      }
      await untilBeforeReviewReminder();
      if (month === 6) {
        // The 6-month limit of social support is near: at this review the supervisor extends it.
        const state = await send('recordReview', { outcome: 'continue' });
        const limit = state.deadlines.find((d) => d.kind === 'support_limit')!;
        await send(
          'extendDeadline',
          { deadlineId: limit.deadlineId, extension: { by: { months: 6 } }, reason: 'Complex case: housing pending' },
          sup,
        );
        continue;
      }
      if (month === 4 || month === 8) {
        await send('recordReview', { outcome: 'reassess' });
        await send('submitAssessment', assessment);
        await send('submitPlan', await plan());
        await send('approvePlan', {}, sup);
      } else {
        await send('recordReview', { outcome: 'continue' });
      }
    }

    // Read every run of the case back (continue-as-new may have started more than one).
    const result: CaseYearResult = {
      histories: [],
      runs: 0,
      eventsPerRun: [],
      totalEvents: 0,
      actions: {},
      unbilled: {},
      totalActions: 0,
      commands,
    };
    let runId: string | undefined = (await handle.describe()).runId;
    const seenRuns: string[] = [];
    // Walk back from the latest run through each run's predecessor.
    for (;;) {
      if (!runId) break;
      seenRuns.push(runId);
      const history: temporal.api.history.v1.IHistory = await env.client.workflow
        .getHandle(handle.workflowId, runId)
        .fetchHistory();
      const events: temporal.api.history.v1.IHistoryEvent[] = history.events ?? [];
      result.eventsPerRun.unshift(events.length);
      result.histories.unshift(history);
      if (process.env.BENCH_TRACE) {
        process.stdout.write(
          events
            .map((e) => actionOf(e) ?? '')
            .filter(Boolean)
            .map(
              (n) =>
                ({
                  update: 'U',
                  activity: 'A',
                  'local activity': 'L',
                  timer: 'T',
                  'search attributes': 'S',
                  'workflow started': 'W',
                  signal: 'G',
                  'patch marker': 'P',
                  'TemporalChangeVersion upsert': 'V',
                })[n] ?? '?',
            )
            .join('') + '\n',
        );
      }
      // The local activities a workflow task ran are recorded as markers after its completion event.
      let localActivitiesInTask = 0;
      for (const e of events) {
        if (eventTypeName(e.eventType) === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED') localActivitiesInTask = 0;
        const name = actionOf(e);
        if (!name) continue;
        const into = unbilled.has(name) ? result.unbilled : result.actions;
        if (name === 'local activity' && localActivitiesInTask++ > 0) continue;
        into[name] = (into[name] ?? 0) + 1;
      }
      const started: temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes | null | undefined =
        events[0]?.workflowExecutionStartedEventAttributes;
      runId = started?.continuedExecutionRunId || undefined;
    }
    result.runs = seenRuns.length;
    result.totalEvents = result.eventsPerRun.reduce((a, b) => a + b, 0);
    result.totalActions = Object.values(result.actions).reduce((a, b) => a + b, 0);
    await handle.terminate('benchmark over');
    return result;
  });
}

function eventTypeName(t: unknown): string {
  // fetchHistory gives the enum's numbers.
  return typeof t === 'number' ? (temporal.api.enums.v1.EventType[t] ?? String(t)) : String(t);
}
