import type { CaseState } from '../../domain/case';
import {
  CommandRejected,
  applyCommand,
  applyProviderAnswer,
  checkOccurredAt,
  openDeadlineKinds,
  nextWakeUp,
  newCaseState,
  openDeadlines,
  refreshDeadlines,
  reminderSpread,
  tick,
} from '../../domain/case-machine';
import { commandSchema, type CommandName } from '../../domain/commands';
import { assessment, caseInput, command, plan, supervisor } from '../support/case-fixtures';

const DAY = 86_400_000;
const t0 = Date.parse('2026-11-02T07:00:00.000Z'); // Monday, 09:00 in Kyiv

function run<N extends CommandName>(
  s: CaseState,
  name: N,
  payload: Parameters<typeof command<N>>[1],
  now: number,
  actor = command(name, payload).actor,
) {
  return applyCommand(s, name, commandSchema(name).parse(command(name, payload, actor)), now);
}

function openedCase(): CaseState {
  const s = newCaseState(caseInput());
  run(s, 'recordContact', { channel: 'phone' }, t0 + 3600_000);
  run(s, 'recordConsent', { dataProcessing: true, shareWith: ['ngo-pravo'] }, t0 + 3600_000);
  run(s, 'screen', { decision: 'open_case' }, t0 + 2 * 3600_000);
  return s;
}

describe('reminders spread over the policy window', () => {
  const windowed = (caseId: string, minutes: number | undefined) => {
    const s = newCaseState({
      ...caseInput(),
      caseId,
      policy: { ...caseInput().policy, reminderWindowMinutes: minutes },
    });
    refreshDeadlines(s, t0);
    return s;
  };
  const ids = Array.from({ length: 1_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const firstContact = (s: CaseState) => openDeadlines(s).find((d) => d.kind === 'first_contact')!;

  it('places each case at its own moment in the window before the reminder, the same on every call, never later', () => {
    const planned = Date.parse(firstContact(windowed(ids[0]!, undefined)).remindAt!);
    const moments = ids.map((id) => Date.parse(firstContact(windowed(id, 15)).remindAt!));
    for (const [i, m] of moments.entries()) {
      expect(m).toBeLessThanOrEqual(planned);
      expect(m).toBeGreaterThanOrEqual(planned - 15 * 60_000);
      expect(m % 1000).toBe(0);
      expect(Date.parse(firstContact(windowed(ids[i]!, 15)).remindAt!)).toBe(m); // deterministic
    }
    // Even enough: every minute of the window holds some, none more than three times its share.
    const perMinute = new Array(15).fill(0) as number[];
    for (const m of moments) perMinute[Math.min(14, Math.floor((planned - m) / 60_000))]! += 1;
    expect(Math.min(...perMinute)).toBeGreaterThan(0);
    expect(Math.max(...perMinute)).toBeLessThan((3 * 1_000) / 15);
  });

  it('changes nothing for a policy without a window (cases opened under it keep their moments)', () => {
    for (const id of ids.slice(0, 20)) {
      const s = windowed(id, undefined);
      expect(reminderSpread(s, 'first_contact', 3_600_000)).toBe(0);
      expect(firstContact(s).remindAt).toBe(firstContact(windowed(ids[0]!, 0)).remindAt);
    }
  });

  it('spreads at most a quarter of the lead for deadlines only a short time away', () => {
    const s = windowed(ids[1]!, 15);
    for (const id of ids.slice(0, 100))
      expect(reminderSpread({ ...s, caseId: id }, 'first_contact', 40_000)).toBeLessThanOrEqual(10_000);
  });
});

describe('backdating', () => {
  const policyDays = (days: number) => ({ ...caseInput().policy, backdatingLimitDays: days });
  it('holds every time a command gives to one rule: not ahead of the clock beyond the skew, not before opening, not older than the policy allows', () => {
    const s = openedCase();
    const now = t0 + 40 * DAY;
    const check = (name: CommandName, payload: object) => {
      try {
        checkOccurredAt(s, name, commandSchema(name).parse(command(name, payload as never)), now);
        return 'ok';
      } catch (err) {
        return (err as CommandRejected).field;
      }
    };
    expect(check('recordReview', { outcome: 'continue', occurredAt: new Date(now + 4 * 60_000).toISOString() })).toBe(
      'ok',
    ); // clock skew
    expect(check('recordReview', { outcome: 'continue', occurredAt: new Date(now + 6 * 60_000).toISOString() })).toBe(
      'occurredAt',
    );
    expect(check('recordReview', { outcome: 'continue', occurredAt: new Date(now - 29 * DAY).toISOString() })).toBe(
      'ok',
    );
    expect(check('recordReview', { outcome: 'continue', occurredAt: new Date(now - 31 * DAY).toISOString() })).toBe(
      'occurredAt',
    );
    expect(check('recordService', { serviceId: 'x', category: 'legal', deliveredAt: '2099-01-01T00:00:00Z' })).toBe(
      'deliveredAt',
    );
    expect(
      check('recordServices', {
        services: [
          { serviceId: 'x', category: 'legal' },
          { serviceId: 'y', category: 'legal', occurredAt: new Date(t0 - DAY).toISOString() },
        ],
      }),
    ).toBe('services[1].occurredAt');
    s.policy = policyDays(45);
    expect(check('recordReview', { outcome: 'continue', occurredAt: new Date(now - 31 * DAY).toISOString() })).toBe(
      'ok',
    );
    // A case that pinned a policy from before the limit existed gets the default, 30 days.
    delete (s.policy as Partial<CaseState['policy']>).backdatingLimitDays;
    expect(check('recordReview', { outcome: 'continue', occurredAt: new Date(now - 31 * DAY).toISOString() })).toBe(
      'occurredAt',
    );
  });

  it('applies a command at the time it happened only behind the patch, and keeps the older field names', () => {
    const s = newCaseState(caseInput());
    const contactedAt = new Date(t0 + 3600_000).toISOString();
    const cmd = commandSchema('recordContact').parse(command('recordContact', { channel: 'phone', contactedAt }));
    expect(applyCommand(s, 'recordContact', cmd, t0 + DAY)).toEqual([
      expect.not.objectContaining({ occurredAt: expect.anything() }),
    ]);
    expect(s.contact?.at).toBe(contactedAt);
    const later = newCaseState(caseInput());
    const occurredAt = new Date(t0 + 7200_000).toISOString();
    const withTime = commandSchema('recordContact').parse(command('recordContact', { channel: 'phone', occurredAt }));
    applyCommand(later, 'recordContact', withTime, t0 + DAY); // a history from before: the field is not read
    expect(later.contact?.at).toBe(new Date(t0 + DAY).toISOString());
    const now = newCaseState(caseInput());
    expect(applyCommand(now, 'recordContact', withTime, t0 + DAY, true)).toEqual([
      expect.objectContaining({ occurredAt }),
    ]);
    expect(now.contact?.at).toBe(occurredAt);
  });
});

describe('imported cases', () => {
  const imported = (
    stage: 'intake' | 'planning' | 'intervention',
    deadlines: { kind: 'review' | 'plan' | 'support_limit'; dueAt: string }[] = [],
  ) =>
    caseInput({
      imported: {
        importId: 'a9b8c7d6-0000-4000-8000-000000000001',
        externalId: 'xls-1',
        stage,
        consent: { dataProcessing: true, sharingWith: ['ngo-b', 'ngo-a'] },
        deadlines,
        services: [],
      },
    });

  it("starts in its stage, past intake with contact, consent and screening as of its opening, each deadline it brings replacing the policy's", () => {
    const dueAt = new Date(t0 + 40 * DAY).toISOString();
    const s = newCaseState(imported('intervention', [{ kind: 'review', dueAt }]));
    expect(s).toMatchObject({
      stage: 'intervention',
      contact: { at: s.openedAt },
      screening: { decision: 'open_case' },
      supportStartedAt: s.openedAt,
      consent: { dataProcessing: true, sharingWith: ['ngo-a', 'ngo-b'] },
    });
    const deadlines = openDeadlines(s);
    expect(deadlines.find((d) => d.kind === 'review')?.dueAt).toBe(dueAt);
    expect(deadlines.find((d) => d.kind === 'support_limit')?.dueAt).not.toBe(dueAt);
    // A case at intake stays as a new one would be.
    const intake = newCaseState(imported('intake'));
    expect([intake.stage, intake.contact, intake.supportStartedAt]).toEqual(['intake', undefined, undefined]);
  });

  it('names the deadline kinds a stage has open, which is what an import may bring', () => {
    expect(openDeadlineKinds(imported('planning')).sort()).toEqual(['plan', 'support_limit']);
    expect(openDeadlineKinds(imported('intake')).sort()).toEqual(['first_contact', 'screening']);
  });
});

describe('case rules', () => {
  it('rejects a command the stage does not allow, changing nothing', () => {
    const s = newCaseState(caseInput());
    const before = JSON.stringify(s);
    expect(() => run(s, 'submitPlan', plan, t0)).toThrow(CommandRejected);
    try {
      run(s, 'approveClosure', {}, t0);
    } catch (err) {
      expect((err as CommandRejected).code).toBe('WRONG_STAGE');
    }
    expect(JSON.stringify(s)).toBe(before);
  });

  it('opens a case only with first contact and consent to process data', () => {
    const s = newCaseState(caseInput());
    run(s, 'recordContact', { channel: 'in_person' }, t0);
    expect(() => run(s, 'screen', { decision: 'open_case' }, t0)).toThrow(
      expect.objectContaining({ code: 'CONSENT_REQUIRED' }),
    );
    run(s, 'recordConsent', { dataProcessing: true }, t0);
    run(s, 'screen', { decision: 'open_case' }, t0);
    expect(s.stage).toBe('assessment');
  });

  it('closes a one-off service at intake without opening a case', () => {
    const s = newCaseState(caseInput());
    const changes = run(s, 'screen', { decision: 'one_off_service', services: [{ category: 'information' }] }, t0);
    expect(s.stage).toBe('closed');
    expect(s.closure?.reason).toBe('one_off_service');
    expect(changes.map((c) => c.type)).toEqual(['one_off_service_given']);
    expect(() => run(s, 'reopen', { reason: 'again' }, t0)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('walks assessment → planning → approval → intervention → monitoring, and loops back to reassess', () => {
    const s = openedCase();
    run(s, 'submitAssessment', assessment, t0 + DAY);
    expect(s.stage).toBe('planning');
    run(s, 'submitPlan', plan, t0 + 2 * DAY);
    expect(s.plans[0]!.status).toBe('pending_approval');
    run(s, 'returnPlan', { comments: 'Add a legal goal' }, t0 + 3 * DAY, supervisor);
    expect(s.stage).toBe('planning');
    run(s, 'submitPlan', plan, t0 + 4 * DAY);
    run(s, 'approvePlan', {}, t0 + 5 * DAY, supervisor);
    expect(s.stage).toBe('intervention');
    run(s, 'recordReview', { outcome: 'continue' }, t0 + 20 * DAY);
    expect(s.stage).toBe('monitoring');
    run(s, 'recordReview', { outcome: 'reassess', reassessFrom: 'planning' }, t0 + 40 * DAY);
    expect(s).toMatchObject({ stage: 'planning', cycle: 2 });
  });

  it('sends a referral only with consent to share with that provider', () => {
    const s = openedCase();
    run(s, 'submitAssessment', assessment, t0 + DAY);
    run(s, 'submitPlan', plan, t0 + DAY);
    run(s, 'approvePlan', {}, t0 + DAY, supervisor);
    expect(() =>
      run(s, 'sendReferral', { referralId: 'r1', providerId: 'clinic-9', category: 'medical' }, t0 + DAY),
    ).toThrow(expect.objectContaining({ code: 'CONSENT_REQUIRED' }));
    run(s, 'sendReferral', { referralId: 'r1', providerId: 'ngo-pravo', category: 'legal' }, t0 + DAY);
    expect(s.referrals[0]!.status).toBe('sent');
    expect(
      applyProviderAnswer(s, { providerId: 'someone-else', referralId: 'r1', answer: 'accepted' }, t0 + DAY),
    ).toEqual([]);
    expect(
      applyProviderAnswer(s, { providerId: 'ngo-pravo', referralId: 'r1', answer: 'accepted' }, t0 + DAY),
    ).toHaveLength(1);
    expect(s.referrals[0]!.status).toBe('accepted');
  });

  it('reminds before a deadline, escalates to the supervisor at it, and to the head when unanswered', () => {
    const s = openedCase(); // assessment due 5 working days after opening: Monday 9 Nov, 18:00 Kyiv
    refreshDeadlines(s, t0);
    const due = Date.parse(openDeadlines(s).find((d) => d.kind === 'assessment')!.dueAt);
    expect(new Date(due).toISOString()).toBe('2026-11-09T16:00:00.000Z');

    const remindAt = nextWakeUp(s, t0 + 2 * 3600_000)!;
    expect(remindAt).toBeLessThan(due);
    expect(tick(s, remindAt).map((c) => c.type)).toEqual(['reminder']);
    expect(tick(s, remindAt)).toEqual([]); // once

    const escalated = tick(s, due);
    expect(escalated).toEqual([
      expect.objectContaining({ type: 'escalation_opened', data: expect.objectContaining({ level: 'supervisor' }) }),
    ]);
    refreshDeadlines(s, due);
    expect(s.overdue).toBe(true);

    const respondBy = Date.parse(s.escalations[0]!.respondBy);
    const raised = tick(s, respondBy);
    expect(raised.map((c) => c.type)).toContain('escalation_raised');
    expect(s.escalations[0]!.level).toBe('head');

    // The supervisor extends the deadline: the escalation is settled and the new date gets its own reminder.
    run(
      s,
      'answerEscalation',
      { escalationId: 'esc-1', answer: 'extend', reason: 'Interpreter needed', extension: { by: { workingDays: 3 } } },
      respondBy,
      supervisor,
    );
    expect(s.escalations[0]!.status).toBe('resolved');
    refreshDeadlines(s, respondBy);
    expect(s.overdue).toBe(false);
    // Doing the work settles what is left.
    run(s, 'submitAssessment', assessment, respondBy + 3600_000);
    expect(openDeadlines(s).map((d) => d.kind)).toEqual(expect.arrayContaining(['plan', 'support_limit']));
  });

  it('lets an unacknowledged referral go stale and hands it back to the case manager', () => {
    const s = openedCase();
    run(s, 'submitAssessment', assessment, t0 + DAY);
    run(s, 'submitPlan', plan, t0 + DAY);
    run(s, 'approvePlan', {}, t0 + DAY, supervisor);
    run(s, 'sendReferral', { referralId: 'r1', providerId: 'ngo-pravo', category: 'legal' }, t0 + DAY);
    const changes = tick(s, Date.parse(s.referrals[0]!.acknowledgeBy));
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'referral_stale', data: expect.objectContaining({ to: 'case_manager' }) }),
      ]),
    );
    expect(s.referrals[0]!.status).toBe('stale');
    expect(s.escalations).toEqual([]);
  });

  it('escalates a late approval straight to the head of the service', () => {
    const s = openedCase();
    run(s, 'submitAssessment', assessment, t0 + DAY);
    run(s, 'submitPlan', plan, t0 + DAY);
    const due = Date.parse(openDeadlines(s).find((d) => d.kind === 'plan_approval')!.dueAt);
    tick(s, due);
    expect(s.escalations[0]).toMatchObject({ reason: 'plan_approval', level: 'head' });
    run(s, 'approvePlan', {}, due + 1000, supervisor);
    tick(s, due + 2000);
    expect(s.escalations[0]!.status).toBe('resolved');
  });

  it('lets a supervisor extend an open deadline before it is missed, and settles escalations about it', () => {
    const s = openedCase();
    const limit = openDeadlines(s).find((d) => d.kind === 'support_limit')!;
    expect(() =>
      run(s, 'extendDeadline', { deadlineId: 'no-such', extension: { by: { days: 1 } }, reason: 'x' }, t0, supervisor),
    ).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    run(
      s,
      'extendDeadline',
      { deadlineId: limit.deadlineId, extension: { by: { months: 3 } }, reason: 'Complex case' },
      t0 + DAY,
      supervisor,
    );
    const extended = openDeadlines(s).find((d) => d.kind === 'support_limit')!;
    expect(Date.parse(extended.dueAt)).toBeGreaterThan(t0 + 80 * DAY);
    // a missed assessment escalates; extending it settles that escalation
    const due = Date.parse(openDeadlines(s).find((d) => d.kind === 'assessment')!.dueAt);
    tick(s, due);
    expect(s.escalations[0]!.status).toBe('open');
    run(
      s,
      'extendDeadline',
      { deadlineId: s.escalations[0]!.deadlineId, extension: { by: { workingDays: 2 } }, reason: 'Illness' },
      due + 1,
      supervisor,
    );
    expect(s.escalations[0]!.status).toBe('resolved');
  });
});
