import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { CaseActivities } from '../../activities';
import type { CaseEvent, CaseState, CaseWorkflowInput } from '../../domain/case';
import type { CommandInput, CommandName } from '../../domain/commands';
import { caseWorkflowId } from '../../domain/ids';
import { caseStartAttributes, CaseNextDeadline, CaseStage } from '../../domain/search-attributes';
import { caseWorkflow, commandUpdates, getState, providerEvent } from '../../workflows/case';
import { assessment, caseInput, command, plan, supervisor } from '../support/case-fixtures';
import { bundleWorkflows, timeSkippingEnv } from '../support/servers';

/**
 * The case workflow on the Java time-skipping test server: deadlines are reached by skipping time.
 * Activities here record what the workflow asks for; the real ones are tested against PostgreSQL.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  [env, bundle] = await Promise.all([timeSkippingEnv(), bundleWorkflows()]);
}, 120_000);
afterAll(async () => {
  await env?.teardown();
});

interface Harness {
  handle: WorkflowHandle<typeof caseWorkflow>;
  events: CaseEvent[];
  send<N extends CommandName>(
    name: N,
    payload: Omit<CommandInput<N>, 'commandId' | 'actor'>,
    opts?: { actor?: CommandInput['actor']; commandId?: string },
  ): Promise<CaseState>;
  types(): string[];
  state(): Promise<CaseState>;
}

/** A case opened now, by the test server's clock (which earlier tests have moved on). */
async function opened(overrides: Partial<CaseWorkflowInput> = {}): Promise<CaseWorkflowInput> {
  return caseInput(overrides, new Date(await env.currentTimeMs()).toISOString());
}

async function withCase(
  input: CaseWorkflowInput,
  body: (h: Harness) => Promise<void>,
  activities?: Partial<CaseActivities>,
): Promise<void> {
  const events: CaseEvent[] = [];
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: {
      recordCaseEvents: async ({ events: batch }) => void events.push(...batch),
      ...activities,
    } satisfies Partial<CaseActivities>,
  });
  await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(caseWorkflow, {
      taskQueue,
      workflowId: caseWorkflowId(input.caseId),
      args: [input],
      typedSearchAttributes: caseStartAttributes(input), // as the API starts a case
    });
    const send: Harness['send'] = (name, payload, opts = {}) => {
      const cmd = command(name, payload, opts.actor, opts.commandId);
      return handle.executeUpdate(commandUpdates[name], { args: [cmd] as never, updateId: cmd.commandId });
    };
    await body({ handle, events, send, types: () => events.map((e) => e.type), state: () => handle.query(getState) });
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') await handle.terminate('test over');
  });
}

async function rejectionOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type ?? undefined;
  }
}

/** Intake through to an approved plan. */
async function toIntervention(h: Harness): Promise<void> {
  await h.send('recordContact', { channel: 'phone' });
  await h.send('recordConsent', { dataProcessing: true, shareWith: ['ngo-pravo', 'clinic-9', 'housing-fund'] });
  await h.send('screen', { decision: 'open_case' });
  await h.send('submitAssessment', assessment);
  await h.send('submitPlan', plan);
  await h.send('approvePlan', {}, { actor: supervisor });
}

describe('caseWorkflow', () => {
  it('lives a six-month case: reminders, referrals, services, monthly reviews, support limit, returned closure, reopen', async () => {
    await withCase(await opened(), async (h) => {
      await toIntervention(h);
      await h.send('sendReferral', { referralId: 'r-legal', providerId: 'ngo-pravo', category: 'legal' });
      await h.send('sendReferral', { referralId: 'r-med', providerId: 'clinic-9', category: 'medical' });
      await h.handle.signal(providerEvent, {
        eventId: 'prov-evt-0001',
        providerId: 'ngo-pravo',
        referralId: 'r-legal',
        answer: 'accepted',
      });
      await h.handle.signal(providerEvent, {
        eventId: 'prov-evt-0001',
        providerId: 'ngo-pravo',
        referralId: 'r-legal',
        answer: 'accepted',
      });
      // Nobody at the clinic answers: after 5 working days the referral goes stale, back to the case manager.
      await env.sleep('8 days');
      let s = await h.state();
      expect(s.referrals.map((r) => [r.referralId, r.status])).toEqual([
        ['r-legal', 'accepted'],
        ['r-med', 'stale'],
      ]);
      expect(h.types().filter((t) => t === 'referral_accepted')).toHaveLength(1);

      // Six months of work: a service and a review each month, each review done after its reminder
      // (reviews are due 30 days apart; the reminder comes a working day before).
      for (let month = 1; month <= 6; month++) {
        await h.send('recordService', {
          serviceId: `svc-${month}`,
          category: month % 2 ? 'psychological' : 'material',
          deliveredAt: new Date(await env.currentTimeMs()).toISOString(),
        });
        await env.sleep('29 days');
        await h.send('recordReview', { outcome: 'continue', progress: `month ${month}` });
      }
      s = await h.state();
      expect(s.reviews).toHaveLength(6);
      expect(s.services).toHaveLength(6);
      expect(h.types().filter((t) => t === 'reminder').length).toBeGreaterThanOrEqual(6);

      // The six-month limit of social support: the supervisor is asked to extend or close.
      await env.sleep('30 days');
      s = await h.state();
      const limit = s.escalations.find((e) => e.reason === 'support_limit')!;
      expect(limit).toMatchObject({ level: 'head', status: 'open' });
      await h.send(
        'answerEscalation',
        {
          escalationId: limit.escalationId,
          answer: 'extend',
          reason: 'Complex case: housing pending',
          extension: { by: { months: 3 } },
        },
        { actor: supervisor },
      );

      // Closure asked, returned by the supervisor, asked again, approved.
      await h.send('requestClosure', { reason: 'goals_achieved', outcome: 'positive' });
      await h.send('returnClosure', { comments: 'Confirm the housing contract first' }, { actor: supervisor });
      expect((await h.state()).stage).toBe('monitoring');
      await h.send('recordReview', {
        outcome: 'propose_closure',
        closure: { reason: 'goals_achieved', outcome: 'positive' },
      });
      s = await h.send('approveClosure', {}, { actor: supervisor });
      expect(s.stage).toBe('closed');
      expect(s.closures[0]?.returnedComments).toBe('Confirm the housing contract first');

      // The post-closure check-in falls due and the case manager is told; then the case is reopened, history kept.
      await env.sleep('95 days');
      expect(h.types()).toContain('check_in_due');
      s = await h.send('reopen', { reason: 'Lost the flat again' });
      expect(s).toMatchObject({ stage: 'assessment', cycle: 2 });
      expect(s.closures).toHaveLength(2);
      expect(s.assessments).toHaveLength(1);
      expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));
    });
  });

  it('escalates a missed assessment to the supervisor and then to the head, and takes the answer', async () => {
    await withCase(
      await opened({
        open: { priority: 'urgent', region: 'Sumy', source: 'registry', caseManagerId: 'cm-1', supervisorId: 'sup-1' },
      }),
      async (h) => {
        await h.send('recordContact', { channel: 'in_person' });
        await h.send('recordConsent', { dataProcessing: true });
        await h.send('screen', { decision: 'open_case' });
        await env.sleep('30 days');
        const s = await h.state();
        expect(h.types()).toEqual(expect.arrayContaining(['reminder', 'escalation_opened', 'escalation_raised']));
        expect(s.escalations).toHaveLength(1);
        expect(s.escalations[0]).toMatchObject({ reason: 'assessment', level: 'head', status: 'open' });
        expect(s.overdue).toBe(true);
        const answered = await h.send(
          'answerEscalation',
          { escalationId: 'esc-1', answer: 'schedule_conference', conferenceAt: '2026-12-20T10:00:00.000Z' },
          { actor: { kind: 'person', id: 'head-1' } },
        );
        expect(answered.escalations[0]!.status).toBe('acknowledged');
        expect(answered.conferences).toHaveLength(1);
        const reassigned = await h.send(
          'answerEscalation',
          { escalationId: 'esc-1', answer: 'reassign', caseManagerId: 'cm-2', reason: 'cm-1 left' },
          { actor: supervisor },
        );
        expect(reassigned.team.caseManagerId).toBe('cm-2');
        expect(
          reassigned.team.history.filter((a) => a.role === 'case_manager').map((a) => [a.staffId, Boolean(a.to)]),
        ).toEqual([
          ['cm-1', true],
          ['cm-2', false],
        ]);
      },
    );
  });

  it('goes round the reassessment loop three times', async () => {
    await withCase(await opened(), async (h) => {
      await toIntervention(h);
      for (let loop = 0; loop < 3; loop++) {
        await env.sleep('10 days');
        await h.send('recordReview', { outcome: 'reassess' });
        await h.send('submitAssessment', assessment);
        await h.send('submitPlan', plan);
        await h.send('approvePlan', {}, { actor: supervisor });
      }
      const s = await h.state();
      expect(s).toMatchObject({ stage: 'intervention', cycle: 4 });
      expect(s.assessments.map((a) => a.cycle)).toEqual([1, 2, 3, 4]);
      expect(s.plans.map((p) => p.status)).toEqual(['approved', 'approved', 'approved', 'approved']);
    });
  });

  it('rejects a command the stage does not allow, with a typed error, and changes nothing', async () => {
    await withCase(await opened(), async (h) => {
      const before = await h.state();
      expect(await rejectionOf(h.send('approveClosure', {}, { actor: supervisor }))).toBe('WRONG_STAGE');
      expect(await rejectionOf(h.send('screen', { decision: 'open_case' }))).toBe('WRONG_STAGE'); // no contact yet
      await h.send('recordContact', { channel: 'phone' });
      expect(await rejectionOf(h.send('screen', { decision: 'open_case' }))).toBe('CONSENT_REQUIRED');
      expect(await rejectionOf(h.send('recordContact', { channel: 'carrier pigeon' } as never))).toBe('INVALID');
      const after = await h.state();
      expect(after.seq).toBe(before.seq + 1);
      expect(after.stage).toBe('intake');
    });
  });

  it('applies a repeated command once', async () => {
    await withCase(await opened(), async (h) => {
      await toIntervention(h);
      const payload = { serviceId: 'svc-1', category: 'information' as const };
      const first = await h.send('recordService', payload, { commandId: 'client-retry-0001' });
      const again = await h.send('recordService', payload, { commandId: 'client-retry-0001' });
      expect(again.seq).toBe(first.seq);
      expect((await h.state()).services).toHaveLength(1);
      expect(h.types().filter((t) => t === 'service_recorded')).toHaveLength(1);
    });
  });

  it('continues as new at a safe point, losing nothing, and still knows the commands it applied', async () => {
    await withCase(await opened({ continueAsNewAfterEvents: 40 }), async (h) => {
      const firstRun = (await h.handle.describe()).runId;
      await toIntervention(h);
      for (let i = 1; i <= 12; i++) {
        await h.send(
          'recordService',
          { serviceId: `svc-${i}`, category: 'material' },
          { commandId: `svc-command-${i}` },
        );
      }
      await env.sleep('2 days');
      const latest = h.handle.client.getHandle(h.handle.workflowId);
      const { runId } = await latest.describe();
      expect(runId).not.toBe(firstRun);
      const s = await latest.query(getState);
      expect(s.services).toHaveLength(12);
      expect(s.stage).toBe('intervention');
      // A retry that reaches the new run is still recognised.
      const retried = await latest.executeUpdate(commandUpdates.recordService, {
        args: [command('recordService', { serviceId: 'svc-1', category: 'material' }, undefined, 'svc-command-1')],
      });
      expect(retried.services).toHaveLength(12);
      expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));
    });
  });

  it('continues as new after 500 events when the case names no threshold (continue-as-new-at-500)', async () => {
    await withCase(await opened(), async (h) => {
      const firstRun = (await h.handle.describe()).runId;
      // Contacts in intake, each its own command, until the run has passed 500 events.
      let sent = 0;
      while ((await h.handle.client.getHandle(h.handle.workflowId).describe()).runId === firstRun && sent < 120) {
        sent += 1;
        await h.send('recordContact', { channel: 'phone' });
      }
      const first = await h.handle.client.getHandle(h.handle.workflowId, firstRun).fetchHistory();
      expect(first.events!.length).toBeGreaterThanOrEqual(500);
      expect(first.events!.length).toBeLessThan(600);
      expect(sent).toBeLessThan(120);
      const latest = h.handle.client.getHandle(h.handle.workflowId);
      const s = await latest.query(getState);
      expect(s.stage).toBe('intake');
      expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));
    });
  }, 120_000);

  it('upserts its search attributes only when the stage, team, region or overdue flag change, without CaseNextDeadline (lean-search-attributes)', async () => {
    await withCase(await opened(), async (h) => {
      const upserts = async () => {
        const { events } = await h.handle.fetchHistory();
        return (events ?? [])
          .map((e) =>
            Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}),
          )
          .filter((keys) => keys.some((k) => k !== 'TemporalChangeVersion')); // a patch's own upsert is not ours
      };
      await h.send('recordContact', { channel: 'phone' });
      // Opened with its search attributes (as the API opens it), still in intake: nothing to upsert.
      expect(await upserts()).toEqual([]);
      await toIntervention(h); // intake -> assessment -> planning -> intervention
      const made = await upserts();
      expect(made).toHaveLength(3);
      for (const keys of made) expect(keys).toContain('CaseStage');
      const { typedSearchAttributes } = await h.handle.describe();
      expect(typedSearchAttributes.get(CaseStage)).toBe('intervention');
      expect(typedSearchAttributes.get(CaseNextDeadline)).toBeUndefined();
      expect((await h.state()).nextDeadlineAt).toBeDefined(); // the projection has it
    });
  });

  it('gives a one-off service and completes without opening a case', async () => {
    await withCase(await opened(), async (h) => {
      await h.send('screen', {
        decision: 'one_off_service',
        services: [{ category: 'information' }, { category: 'legal' }],
      });
      const result = await h.handle.result();
      expect(result).toMatchObject({ stage: 'closed', closure: { reason: 'one_off_service' } });
      expect(result.oneOffServices).toHaveLength(2);
    });
  });

  it("applies a backdated command at the time it happened, judged by the workflow's clock, behind its patch", async () => {
    await withCase(await opened(), async (h) => {
      await env.sleep('3 days');
      const wfNow = await env.currentTimeMs();
      const iso = (ms: number) => new Date(ms).toISOString();
      // In the future by the workflow's clock (the test server's, days ahead of this machine's): refused.
      expect(await rejectionOf(h.send('recordContact', { channel: 'phone', occurredAt: iso(wfNow + 3_600_000) }))).toBe(
        'INVALID',
      );
      expect(
        await rejectionOf(h.send('recordContact', { channel: 'phone', occurredAt: iso(wfNow - 4 * 86_400_000) })),
      ).toBe('INVALID'); // before opening
      const contacted = iso(wfNow - 2 * 86_400_000);
      let s = await h.send('recordContact', { channel: 'phone', occurredAt: contacted });
      expect(s.contact?.at).toBe(contacted);
      await h.send('recordConsent', { dataProcessing: true });
      s = await h.send('screen', { decision: 'open_case', occurredAt: iso(wfNow - 86_400_000) });
      expect(s.supportStartedAt).toBe(iso(wfNow - 86_400_000));
      expect(h.events.find((e) => e.type === 'contact_recorded')).toMatchObject({ occurredAt: contacted });
      expect(h.events.find((e) => e.type === 'consent_recorded')?.occurredAt).toBeUndefined();
      const history = await h.handle.fetchHistory();
      const markers = (history.events ?? []).filter(
        (e) =>
          e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_MARKER_RECORDED &&
          e.markerRecordedEventAttributes?.markerName === 'core_patch',
      );
      expect(markers.length).toBeGreaterThanOrEqual(2); // the projection's patch and the backdating one
    });
  });

  it('writes the projection in the workflow task (a local activity), and falls back to a regular activity when that fails', async () => {
    const paths: string[] = [];
    const events: CaseEvent[] = [];
    let refuseLocal = false;
    await withCase(
      await opened(),
      async (h) => {
        await h.send('recordContact', { channel: 'phone' });
        refuseLocal = true;
        const state = await h.send('recordConsent', { dataProcessing: true });
        expect(state.consent?.dataProcessing).toBe(true);
        expect(events.map((e) => e.type)).toEqual(['case_opened', 'contact_recorded', 'consent_recorded']);
        const history = await h.handle.fetchHistory();
        const kinds = (history.events ?? []).map((e) => e.eventType);
        expect(kinds).toContain(temporal.api.enums.v1.EventType.EVENT_TYPE_MARKER_RECORDED);
        expect(
          kinds.filter((k) => k === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
        ).toHaveLength(1);
      },
      {
        recordCaseEvents: async ({ events: batch }) => {
          const { isLocal } = Context.current().info;
          paths.push(`${refuseLocal ? 'refused' : 'fine'}:${isLocal ? 'local' : 'regular'}`);
          if (isLocal && refuseLocal) throw Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' });
          events.push(...batch);
        },
      },
    );
    // The opening and the contact went the fast path (in one batch or two, as the update and the
    // start happened to meet); the consent failed there five times and went the durable one.
    const before = paths.filter((p) => p.startsWith('fine:'));
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(new Set(before)).toEqual(new Set(['fine:local']));
    expect(paths.filter((p) => p.startsWith('refused:'))).toEqual([
      ...Array<string>(5).fill('refused:local'),
      'refused:regular',
    ]);
  });

  it('waits while the projection fails, and records every change once it is back', async () => {
    let failures = 0;
    const events: CaseEvent[] = [];
    await withCase(
      await opened(),
      async (h) => {
        await h.send('recordContact', { channel: 'phone' });
        expect(failures).toBeGreaterThanOrEqual(2);
        expect(events.map((e) => e.type)).toEqual(['case_opened', 'contact_recorded']);
      },
      {
        recordCaseEvents: async ({ events: batch }) => {
          if (failures < 2) {
            failures += 1;
            throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
          }
          events.push(...batch);
        },
      },
    );
  });
});
