import { addDuration, subtractDuration } from './calendar';
import type { Actor, CaseState, CaseWorkflowInput, Deadline } from './case';
import type { Command } from './commands';
import type { webhookEventData } from './webhooks';
import type { z } from 'zod';
import {
  CLOCK_SKEW_MS,
  DEFAULT_BACKDATING_LIMIT_DAYS,
  activeStages,
  forPriority,
  stages,
  systemActor,
  type CaseEventType,
  type CommandName,
  type ReferralAnswer,
  type ReferralStatus,
  type Stage,
} from './vocabulary';

/**
 * The rules of a case as a pure state machine: which command fits which stage, what it changes,
 * which deadlines are open, and what passing time does (reminders, escalations, stale referrals).
 * The workflow (workflows/case.ts) is a durable shell around it; everything here is deterministic
 * and unit-tested without Temporal.
 */

export type RejectionCode = 'WRONG_STAGE' | 'CONSENT_REQUIRED' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID';

/** A command that does not fit the case; it changes nothing. */
export class CommandRejected extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
    /** The field of the command at fault, as a JSON path (`occurredAt`, `services[1].occurredAt`), when one is. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CommandRejected';
  }
}

/**
 * A change, before the workflow gives it its sequence number and time. Its data has the shape the
 * event catalogue publishes for its type (domain/webhooks.ts; a type-only import, so no zod here).
 */
export type Change = {
  [T in CaseEventType]: { type: T; actor: Actor; data: z.input<(typeof webhookEventData)[T]> };
}[CaseEventType] & {
  /** When it happened, if the command said (backdating); otherwise when it is recorded. */
  occurredAt?: string;
};

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (s: string) => Date.parse(s);

function reject(code: RejectionCode, message: string, field?: string): never {
  throw new CommandRejected(code, message, field);
}

function requireStage(state: CaseState, allowed: readonly Stage[], what: string): void {
  if (!allowed.includes(state.stage)) {
    reject(
      'WRONG_STAGE',
      `${what} is not possible while the case is in ${state.stage} (allowed in: ${allowed.join(', ')})`,
    );
  }
}

export function newCaseState(input: CaseWorkflowInput): CaseState {
  // The policy arrives parsed (db/policies.ts parses it with its schema before a case starts), so
  // the workflow does not load zod to parse it again.
  const policy = input.policy;
  const history: CaseState['team']['history'] = [];
  if (input.open.caseManagerId)
    history.push({ role: 'case_manager', staffId: input.open.caseManagerId, from: input.openedAt });
  if (input.open.supervisorId)
    history.push({ role: 'supervisor', staffId: input.open.supervisorId, from: input.openedAt });
  const state: CaseState = {
    caseId: input.caseId,
    stage: 'intake',
    priority: input.open.priority,
    region: input.open.region,
    hromada: input.open.hromada,
    source: input.open.source,
    externalRef: input.open.externalRef,
    openedAt: input.openedAt,
    openedBy: input.openedBy,
    policy,
    team: { caseManagerId: input.open.caseManagerId, supervisorId: input.open.supervisorId, members: [], history },
    consent: { dataProcessing: false, sharingWith: [] },
    cycle: 1,
    cycleStartedAt: input.openedAt,
    extensions: {},
    assessments: [],
    plans: [],
    referrals: [],
    services: [],
    oneOffServices: [],
    reviews: [],
    escalations: [],
    conferences: [],
    closures: [],
    reminded: [],
    escalated: [],
    deadlines: [],
    overdue: false,
    seq: 0,
    updatedAt: input.openedAt,
  };
  if (input.imported) startImported(state, input.imported);
  return state;
}

/**
 * A case brought over from another system starts where it was: in its stage (past intake: contact,
 * consent and screening as of its opening), with its past services, and each open deadline it
 * brings replacing the due date the policy would give it (as an extension does). Deadlines it does
 * not bring count from its dates under the policy, and may be overdue at once.
 */
function startImported(state: CaseState, imported: NonNullable<CaseWorkflowInput['imported']>): void {
  state.stage = imported.stage;
  state.services = imported.services;
  if (imported.consent)
    state.consent = {
      dataProcessing: imported.consent.dataProcessing,
      recordedAt: state.openedAt,
      sharingWith: [...imported.consent.sharingWith].sort(),
    };
  if (imported.stage !== 'intake') {
    state.contact = { at: state.openedAt, channel: 'imported' };
    state.screening = { decision: 'open_case', at: state.openedAt };
    state.supportStartedAt = imported.supportStartedAt ?? state.openedAt;
    state.cycleStartedAt = state.supportStartedAt;
  }
  const open = openDeadlines(state);
  for (const d of imported.deadlines) {
    const match = open.find((o) => o.kind === d.kind);
    if (match) state.extensions[match.deadlineId] = d.dueAt;
  }
}

/** Deadline kinds a case in this stage has open, for checking what an import brings. */
export function openDeadlineKinds(input: CaseWorkflowInput): Deadline['kind'][] {
  return openDeadlines(
    newCaseState({ ...input, imported: input.imported && { ...input.imported, deadlines: [] } }),
  ).map((d) => d.kind);
}

// ---- commands ---------------------------------------------------------------------------------

type Handler<N extends CommandName> = {
  /** Throws CommandRejected when the command does not fit the case as it is. */
  check(state: CaseState, cmd: Command<N>): void;
  /** Applies a checked command at `now` (when it happened: `at`, the same instant as given); returns the changes to record. */
  apply(state: CaseState, cmd: Command<N>, now: number, at: string): Change[];
};

const currentPlan = (s: CaseState) => s.plans.filter((p) => p.cycle === s.cycle).at(-1);
const currentAssessment = (s: CaseState) => s.assessments.filter((a) => a.cycle === s.cycle).at(-1);
const openStages: readonly Stage[] = ['intake', ...activeStages, 'closure_requested'];

function assign(
  state: CaseState,
  role: 'case_manager' | 'supervisor',
  staffId: string,
  now: number,
  reason?: string,
): void {
  for (const a of state.team.history) if (a.role === role && !a.to) a.to = iso(now);
  state.team.history.push({ role, staffId, from: iso(now), reason });
  if (role === 'case_manager') state.team.caseManagerId = staffId;
  else state.team.supervisorId = staffId;
}

function startClosure(state: CaseState, cmd: Command<'requestClosure'>, now: number): Change[] {
  state.stageBeforeClosure = state.stage;
  state.stage = 'closure_requested';
  state.closure = {
    reason: cmd.reason,
    outcome: cmd.outcome,
    summary: cmd.summary,
    requestedAt: iso(now),
    requestedBy: cmd.actor,
  };
  return [{ type: 'closure_requested', actor: cmd.actor, data: { reason: cmd.reason, outcome: cmd.outcome } }];
}

/**
 * The stages in which each command fits the case: its handler below checks it, and the API's
 * description of each command (api/command-docs.ts) is written from it. The last three answer
 * what exists (a referral, a deadline, an escalation) in whatever stage it is.
 */
export const commandStages: { readonly [N in CommandName]: readonly Stage[] } = {
  recordContact: ['intake'],
  recordConsent: openStages,
  screen: ['intake'],
  submitAssessment: ['assessment'],
  submitPlan: ['planning'],
  approvePlan: ['planning'],
  returnPlan: ['planning'],
  sendReferral: ['intervention', 'monitoring'],
  recordService: ['intervention', 'monitoring'],
  recordServices: ['intervention', 'monitoring'],
  recordReview: ['intervention', 'monitoring'],
  requestClosure: activeStages,
  approveClosure: ['closure_requested'],
  returnClosure: ['closure_requested'],
  recordCheckIn: ['closed'],
  reopen: ['closed'],
  assignTeam: openStages,
  answerReferral: stages,
  extendDeadline: stages,
  answerEscalation: stages,
};

type ServiceInput = Command<'recordService'> | Command<'recordServices'>['services'][number];

function checkService(s: CaseState, c: ServiceInput, path?: string): void {
  const field = (f: string) => (path ? `${path}.${f}` : f);
  requireStage(s, commandStages.recordService, 'Recording a service');
  if (s.services.some((x) => x.serviceId === c.serviceId))
    reject('CONFLICT', `Service ${c.serviceId} is recorded already`, field('serviceId'));
  if (c.referralId && !s.referrals.some((r) => r.referralId === c.referralId))
    reject('NOT_FOUND', `No referral ${c.referralId}`, field('referralId'));
}

function addService(s: CaseState, c: ServiceInput, actor: Actor, deliveredAt: string): Change {
  s.services.push({
    serviceId: c.serviceId,
    category: c.category,
    deliveredAt,
    providerId: c.providerId,
    referralId: c.referralId,
    description: c.description,
  });
  return { type: 'service_recorded', actor, data: { serviceId: c.serviceId, category: c.category } };
}

const handlers: { [N in CommandName]: Handler<N> } = {
  recordContact: {
    check: (s) => requireStage(s, commandStages.recordContact, 'Recording the first contact'),
    apply: (s, c, _now, at) => {
      s.contact = { at, channel: c.channel };
      return [{ type: 'contact_recorded', actor: c.actor, data: { channel: c.channel } }];
    },
  },
  recordConsent: {
    check: (s) => requireStage(s, commandStages.recordConsent, 'Recording consent'),
    apply: (s, c, now) => {
      const sharing = new Set(s.consent.sharingWith);
      c.shareWith.forEach((p) => sharing.add(p));
      c.withdrawSharing.forEach((p) => sharing.delete(p));
      s.consent = { dataProcessing: c.dataProcessing, recordedAt: iso(now), sharingWith: [...sharing].sort() };
      return [
        {
          type: 'consent_recorded',
          actor: c.actor,
          data: { dataProcessing: c.dataProcessing, sharingWith: s.consent.sharingWith },
        },
      ];
    },
  },
  screen: {
    check: (s, c) => {
      requireStage(s, commandStages.screen, 'Screening');
      if (c.decision === 'open_case') {
        if (!s.contact) reject('WRONG_STAGE', 'Record the first contact before opening the case');
        if (!s.consent.dataProcessing)
          reject('CONSENT_REQUIRED', 'Consent to process personal data is needed to open a case');
      } else if (c.services.length === 0) {
        reject('INVALID', 'A one-off service names at least one service given');
      }
    },
    apply: (s, c, now) => {
      s.screening = { decision: c.decision, at: iso(now) };
      if (c.priority) s.priority = c.priority;
      if (c.decision === 'one_off_service') {
        s.oneOffServices = c.services;
        s.stage = 'closed';
        s.closure = {
          reason: 'one_off_service',
          outcome: 'positive',
          requestedAt: iso(now),
          requestedBy: c.actor,
          approvedAt: iso(now),
          approvedBy: c.actor,
        };
        return [
          { type: 'one_off_service_given', actor: c.actor, data: { services: c.services.map((x) => x.category) } },
        ];
      }
      s.stage = 'assessment';
      s.supportStartedAt = iso(now);
      s.cycleStartedAt = iso(now);
      return [{ type: 'case_opened_for_management', actor: c.actor, data: { priority: s.priority } }];
    },
  },
  submitAssessment: {
    check: (s) => requireStage(s, commandStages.submitAssessment, 'Submitting an assessment'),
    apply: (s, c, now) => {
      s.assessments.push({
        version: s.assessments.length + 1,
        cycle: s.cycle,
        needs: c.needs,
        strengths: c.strengths,
        resources: c.resources,
        submittedAt: iso(now),
        submittedBy: c.actor,
      });
      s.stage = 'planning';
      return [
        {
          type: 'assessment_submitted',
          actor: c.actor,
          data: { version: s.assessments.length, domains: c.needs.map((n) => n.domain) },
        },
      ];
    },
  },
  submitPlan: {
    check: (s) => {
      requireStage(s, commandStages.submitPlan, 'Submitting a plan');
      if (currentPlan(s)?.status === 'pending_approval') reject('CONFLICT', 'The plan is waiting for the supervisor');
    },
    apply: (s, c, now) => {
      const needsApproval = forPriority(s.policy.planApprovalRequired, s.priority);
      s.plans.push({
        version: s.plans.length + 1,
        cycle: s.cycle,
        goals: c.goals,
        clientAgreement: c.clientAgreement,
        status: needsApproval ? 'pending_approval' : 'approved',
        submittedAt: iso(now),
        submittedBy: c.actor,
        ...(needsApproval ? {} : { decidedAt: iso(now), decidedBy: c.actor }),
      });
      const changes: Change[] = [
        {
          type: 'plan_submitted',
          actor: c.actor,
          data: { version: s.plans.length, goals: c.goals.length, approvalRequired: needsApproval },
        },
      ];
      if (!needsApproval) s.stage = 'intervention';
      return changes;
    },
  },
  approvePlan: {
    check: (s) => {
      requireStage(s, commandStages.approvePlan, 'Approving a plan');
      if (currentPlan(s)?.status !== 'pending_approval') reject('CONFLICT', 'No plan is waiting for approval');
    },
    apply: (s, c, now) => {
      const plan = currentPlan(s)!;
      Object.assign(plan, { status: 'approved', decidedAt: iso(now), decidedBy: c.actor, comments: c.note });
      s.stage = 'intervention';
      return [{ type: 'plan_approved', actor: c.actor, data: { version: plan.version } }];
    },
  },
  returnPlan: {
    check: (s) => {
      requireStage(s, commandStages.returnPlan, 'Returning a plan');
      if (currentPlan(s)?.status !== 'pending_approval') reject('CONFLICT', 'No plan is waiting for approval');
    },
    apply: (s, c, now) => {
      const plan = currentPlan(s)!;
      Object.assign(plan, { status: 'returned', decidedAt: iso(now), decidedBy: c.actor, comments: c.comments });
      return [{ type: 'plan_returned', actor: c.actor, data: { version: plan.version } }];
    },
  },
  sendReferral: {
    check: (s, c) => {
      requireStage(s, commandStages.sendReferral, 'Sending a referral');
      if (s.referrals.some((r) => r.referralId === c.referralId))
        reject('CONFLICT', `Referral ${c.referralId} exists already`);
      if (!s.consent.dataProcessing || !s.consent.sharingWith.includes(c.providerId)) {
        reject('CONSENT_REQUIRED', `The person has not agreed to share their data with provider ${c.providerId}`);
      }
    },
    apply: (s, c, now) => {
      const acknowledgeBy = addDuration(
        now,
        forPriority(s.policy.referralAcknowledgement, s.priority),
        s.policy.calendar,
      );
      s.referrals.push({
        referralId: c.referralId,
        providerId: c.providerId,
        category: c.category,
        reason: c.reason,
        status: 'sent',
        sentAt: iso(now),
        acknowledgeBy: iso(acknowledgeBy),
      });
      s.stage = 'intervention';
      return [
        {
          type: 'referral_sent',
          actor: c.actor,
          data: { referralId: c.referralId, providerId: c.providerId, category: c.category },
        },
      ];
    },
  },
  answerReferral: {
    check: (s, c) => checkReferralAnswer(s, c.referralId, c.answer),
    apply: (s, c, now) => answerReferral(s, c.referralId, c.answer, c.note, c.actor, now),
  },
  recordService: {
    check: (s, c) => checkService(s, c),
    apply: (s, c, _now, at) => [addService(s, c, c.actor, at)],
  },
  recordServices: {
    check: (s, c) => {
      const seen = new Set<string>();
      c.services.forEach((x, i) => {
        checkService(s, x, `services[${i}]`);
        if (seen.has(x.serviceId))
          reject('CONFLICT', `Service ${x.serviceId} is twice in the batch`, `services[${i}].serviceId`);
        seen.add(x.serviceId);
      });
    },
    // All or none: every service is checked before any is added. Each has its own time, else the batch's.
    apply: (s, c, now) =>
      c.services.map((x) => {
        const at = x.occurredAt ?? x.deliveredAt ?? c.occurredAt;
        return { ...addService(s, x, c.actor, at ?? iso(now)), ...(at ? { occurredAt: at } : {}) };
      }),
  },
  recordReview: {
    check: (s, c) => {
      requireStage(s, commandStages.recordReview, 'Recording a review');
      if (c.outcome === 'propose_closure' && !c.closure)
        reject('INVALID', 'A review that proposes closure gives the closure reason and outcome');
    },
    apply: (s, c, now) => {
      s.reviews.push({
        number: s.reviews.length + 1,
        outcome: c.outcome,
        progress: c.progress,
        at: iso(now),
        by: c.actor,
      });
      s.lastReviewAt = iso(now);
      const changes: Change[] = [
        { type: 'review_recorded', actor: c.actor, data: { number: s.reviews.length, outcome: c.outcome } },
      ];
      if (c.outcome === 'continue') s.stage = 'monitoring';
      if (c.outcome === 'reassess') {
        s.cycle += 1;
        s.cycleStartedAt = iso(now);
        s.stage = c.reassessFrom ?? 'assessment';
        changes.push({ type: 'reassessment_started', actor: c.actor, data: { cycle: s.cycle, from: s.stage } });
      }
      if (c.outcome === 'propose_closure') changes.push(...startClosure(s, { ...c, ...c.closure! }, now));
      return changes;
    },
  },
  requestClosure: {
    check: (s) => requireStage(s, commandStages.requestClosure, 'Requesting closure'),
    apply: (s, c, now) => startClosure(s, c, now),
  },
  approveClosure: {
    check: (s) => requireStage(s, commandStages.approveClosure, 'Approving closure'),
    apply: (s, c, now) => {
      const closure = s.closure!;
      closure.approvedAt = iso(now);
      closure.approvedBy = c.actor;
      const checkIn = s.policy.postClosureCheckIn;
      if (checkIn) closure.checkIn = { dueAt: iso(addDuration(now, checkIn, s.policy.calendar)) };
      s.stage = 'closed';
      for (const r of s.referrals) if (r.status === 'sent') r.status = 'stale';
      return [
        {
          type: 'case_closed',
          actor: c.actor,
          data: { reason: closure.reason, outcome: closure.outcome, checkInDue: closure.checkIn?.dueAt ?? null },
        },
      ];
    },
  },
  returnClosure: {
    check: (s) => requireStage(s, commandStages.returnClosure, 'Returning a closure request'),
    apply: (s, c) => {
      s.closures.push({ ...s.closure!, returnedComments: c.comments });
      s.closure = undefined;
      s.stage = s.stageBeforeClosure ?? 'monitoring';
      s.stageBeforeClosure = undefined;
      return [{ type: 'closure_returned', actor: c.actor, data: { to: s.stage } }];
    },
  },
  recordCheckIn: {
    check: (s) => {
      requireStage(s, commandStages.recordCheckIn, 'A post-closure check-in');
      if (!s.closure?.checkIn || s.closure.checkIn.doneAt) reject('CONFLICT', 'No post-closure check-in is pending');
    },
    apply: (s, c, now) => {
      Object.assign(s.closure!.checkIn!, { doneAt: iso(now), outcome: c.outcome });
      return [{ type: 'post_closure_check_in', actor: c.actor, data: { outcome: c.outcome } }];
    },
  },
  reopen: {
    check: (s) => {
      requireStage(s, commandStages.reopen, 'Reopening');
      if (s.closure?.reason === 'one_off_service')
        reject('CONFLICT', 'A one-off service was never a case; open a new case instead');
    },
    apply: (s, c, now) => {
      s.closures.push(s.closure!);
      s.closure = undefined;
      s.cycle += 1;
      s.cycleStartedAt = iso(now);
      s.supportStartedAt = iso(now);
      s.stage = 'assessment';
      return [{ type: 'case_reopened', actor: c.actor, data: { cycle: s.cycle } }];
    },
  },
  assignTeam: {
    check: (s, c) => {
      requireStage(s, commandStages.assignTeam, 'Changing the team');
      if (!c.caseManagerId && !c.supervisorId && !c.model && !c.members) reject('INVALID', 'Nothing to change');
    },
    apply: (s, c, now) => {
      if (c.caseManagerId && c.caseManagerId !== s.team.caseManagerId)
        assign(s, 'case_manager', c.caseManagerId, now, c.reason);
      if (c.supervisorId && c.supervisorId !== s.team.supervisorId)
        assign(s, 'supervisor', c.supervisorId, now, c.reason);
      if (c.model) s.team.model = c.model;
      if (c.members) s.team.members = c.members;
      return [
        {
          type: 'team_changed',
          actor: c.actor,
          data: {
            caseManagerId: s.team.caseManagerId ?? null,
            supervisorId: s.team.supervisorId ?? null,
            model: s.team.model ?? null,
          },
        },
      ];
    },
  },
  extendDeadline: {
    check: (s, c) => {
      if (!openDeadlines(s).some((d) => d.deadlineId === c.deadlineId))
        reject('NOT_FOUND', `No open deadline ${c.deadlineId}`);
    },
    apply: (s, c, now) => [extend(s, c.deadlineId, c.extension, c.actor, now)],
  },
  answerEscalation: {
    check: (s, c) => {
      const e = s.escalations.find((x) => x.escalationId === c.escalationId);
      if (!e) reject('NOT_FOUND', `No escalation ${c.escalationId}`);
      if (e.status === 'resolved') reject('CONFLICT', `Escalation ${c.escalationId} is resolved already`);
      if (c.answer === 'extend' && (!c.extension || !c.reason))
        reject('INVALID', 'An extension gives the new deadline and a reason');
      if (c.answer === 'reassign' && !c.caseManagerId) reject('INVALID', 'A reassignment names the new case manager');
      if (c.answer === 'schedule_conference' && !c.conferenceAt) reject('INVALID', 'A case conference has a date');
    },
    apply: (s, c, now) => {
      const e = s.escalations.find((x) => x.escalationId === c.escalationId)!;
      e.answers.push({ answer: c.answer, at: iso(now), by: c.actor, detail: c.reason });
      const changes: Change[] = [];
      if (c.extension) changes.push(extend(s, e.deadlineId, c.extension, c.actor, now));
      if (c.caseManagerId) {
        assign(s, 'case_manager', c.caseManagerId, now, c.reason);
        changes.push({ type: 'team_changed', actor: c.actor, data: { caseManagerId: c.caseManagerId } });
      }
      if (c.conferenceAt)
        s.conferences.push({ at: c.conferenceAt, scheduledBy: c.actor, escalationId: e.escalationId });
      // Extending or reassigning settles the escalation; acknowledging (or planning a conference) stops it going higher.
      e.status = c.answer === 'extend' || c.answer === 'reassign' ? 'resolved' : 'acknowledged';
      changes.unshift({
        type: 'escalation_answered',
        actor: c.actor,
        data: { escalationId: e.escalationId, answer: c.answer, status: e.status },
      });
      return changes;
    },
  },
};

function extend(
  s: CaseState,
  deadlineId: string,
  extension: Command<'extendDeadline'>['extension'],
  actor: Actor,
  now: number,
): Change {
  const until = 'until' in extension ? ms(extension.until) : addDuration(now, extension.by, s.policy.calendar);
  s.extensions[deadlineId] = iso(until);
  for (const e of s.escalations) if (e.deadlineId === deadlineId) e.status = 'resolved';
  return { type: 'deadline_extended', actor, data: { deadlineId, until: iso(until) } };
}

function checkReferralAnswer(s: CaseState, referralId: string, answer: ReferralAnswer): void {
  const r = s.referrals.find((x) => x.referralId === referralId);
  if (!r) reject('NOT_FOUND', `No referral ${referralId}`);
  const allowed: Partial<Record<ReferralStatus, readonly ReferralAnswer[]>> = {
    sent: ['accepted', 'declined'],
    stale: ['accepted', 'declined'],
    accepted: ['completed', 'declined'],
  };
  if (!(allowed[r.status] ?? []).includes(answer))
    reject('CONFLICT', `Referral ${referralId} is ${r.status}; it cannot become ${answer}`);
}

function answerReferral(
  s: CaseState,
  referralId: string,
  answer: ReferralAnswer,
  note: string | undefined,
  actor: Actor,
  now: number,
): Change[] {
  const r = s.referrals.find((x) => x.referralId === referralId)!;
  Object.assign(r, { status: answer, answeredAt: iso(now), note });
  return [{ type: `referral_${answer}`, actor, data: { referralId, providerId: r.providerId } }];
}

/** Validates a command against the case (throws CommandRejected); changes nothing. */
export function checkCommand<N extends CommandName>(state: CaseState, name: N, cmd: Command<N>): void {
  (handlers[name] as Handler<N>).check(state, cmd);
}

/**
 * Applies a command: checks it, changes the state, and returns the changes to record. A command
 * that says when it happened is applied at that time, and its changes carry it (`occurredAt`);
 * `backdating` is false for histories from before commands could say so (workflows/case.ts).
 */
export function applyCommand<N extends CommandName>(
  state: CaseState,
  name: N,
  cmd: Command<N>,
  now: number,
  backdating = false,
): Change[] {
  const h = handlers[name] as Handler<N>;
  h.check(state, cmd);
  const said = occurredAtOf(name, cmd, backdating);
  const changes = h.apply(state, cmd, said ? ms(said) : now, said ?? iso(now));
  return backdating && said ? changes.map((c) => ({ occurredAt: said, ...c })) : changes;
}

/** When a command says it happened: `occurredAt`, or the older field recordContact and recordService had for it. */
function occurredAtOf(name: CommandName, cmd: Command, backdating: boolean): string | undefined {
  const c = cmd as { occurredAt?: string; contactedAt?: string; deliveredAt?: string };
  const older = name === 'recordContact' ? c.contactedAt : name === 'recordService' ? c.deliveredAt : undefined;
  return (backdating ? c.occurredAt : undefined) ?? older;
}

/**
 * The one backdating rule, for every time a command says something happened (the update's
 * validator runs it, on the workflow's clock, whoever sends the command): not in the future
 * (CLOCK_SKEW_MS allowed), not before the case opened, not older than the policy's
 * backdatingLimitDays. Throws CommandRejected('INVALID') naming the field.
 */
export function checkOccurredAt<N extends CommandName>(state: CaseState, name: N, cmd: Command<N>, now: number): void {
  const c = cmd as { occurredAt?: string; contactedAt?: string; deliveredAt?: string };
  const times: [string, string | undefined][] = [['occurredAt', c.occurredAt]];
  if (name === 'recordContact') times.push(['contactedAt', c.contactedAt]);
  if (name === 'recordService') times.push(['deliveredAt', c.deliveredAt]);
  if (name === 'recordServices') {
    (cmd as Command<'recordServices'>).services.forEach((x, i) =>
      times.push([`services[${i}].occurredAt`, x.occurredAt], [`services[${i}].deliveredAt`, x.deliveredAt]),
    );
  }
  // Policies published before the limit was one of their fields have none: the default applies.
  const limitDays =
    (state.policy as { backdatingLimitDays?: number }).backdatingLimitDays ?? DEFAULT_BACKDATING_LIMIT_DAYS;
  for (const [field, value] of times) {
    const problem = value === undefined ? undefined : occurredAtProblem(value, now, limitDays, state.openedAt);
    if (problem) reject('INVALID', `${field} ${problem}`, field);
  }
}

/** What is wrong with a time something is said to have happened at, if anything (the rule above; opening a case has no `openedAt` to compare with yet). */
export function occurredAtProblem(
  value: string,
  now: number,
  limitDays: number,
  openedAt?: string,
): string | undefined {
  const t = ms(value);
  if (t > now + CLOCK_SKEW_MS) return `${value} is in the future`;
  if (openedAt !== undefined && t < ms(openedAt)) return `${value} is before the case was opened (${openedAt})`;
  if (t < now - limitDays * 86_400_000)
    return `${value} is more than ${limitDays} days ago, the most the policy allows`;
  return undefined;
}

/** A provider's answer to a referral, arriving as a signal. Answers that no longer fit are ignored. */
export function applyProviderAnswer(
  state: CaseState,
  ev: { providerId: string; referralId: string; answer: ReferralAnswer; note?: string },
  now: number,
): Change[] {
  const r = state.referrals.find((x) => x.referralId === ev.referralId);
  if (!r || r.providerId !== ev.providerId) return [];
  try {
    checkReferralAnswer(state, ev.referralId, ev.answer);
  } catch {
    return [];
  }
  return answerReferral(state, ev.referralId, ev.answer, ev.note, { kind: 'tool', id: ev.providerId }, now);
}

// ---- deadlines --------------------------------------------------------------------------------

function deadline(
  state: CaseState,
  kind: Deadline['kind'],
  deadlineId: string,
  startMs: number,
  dueMs: number,
  owner: Deadline['owner'],
): Deadline {
  const extended = state.extensions[deadlineId];
  const due = extended ? ms(extended) : dueMs;
  // Remind `reminderBefore` ahead, but never earlier than half-way through the time given.
  const lead = Math.min(
    (due - startMs) / 2,
    due - subtractDuration(due, state.policy.reminderBefore, state.policy.calendar),
  );
  if (lead <= 0) return { deadlineId, kind, startAt: iso(startMs), dueAt: iso(due), remindAt: undefined, owner };
  const remindAt = Math.max(startMs, due - lead - reminderSpread(state, deadlineId, lead));
  return { deadlineId, kind, startAt: iso(startMs), dueAt: iso(due), remindAt: iso(remindAt), owner };
}

/**
 * How much earlier than its moment this case's reminder for `deadlineId` comes, within the policy's
 * reminder window (and within a quarter of the reminder's lead, for deadlines only hours away): the
 * same for the same case and deadline on every replay (a hash of the two, not a random number),
 * spread evenly over the window across cases. Whole seconds, so every process computes the same.
 */
export function reminderSpread(
  state: Pick<CaseState, 'caseId' | 'policy'>,
  deadlineId: string,
  leadMs: number,
): number {
  const windowS = Math.floor(Math.min((state.policy.reminderWindowMinutes ?? 0) * 60, leadMs / 4 / 1000));
  if (windowS <= 0) return 0;
  // FNV-1a, 32 bits: cheap, and even enough over case ids for spreading.
  let h = 0x811c9dc5;
  for (const ch of `${state.caseId}/${deadlineId}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return ((h >>> 0) % (windowS + 1)) * 1000;
}

/** Every deadline the case is measured against now, soonest first. */
export function openDeadlines(state: CaseState): Deadline[] {
  const p = state.policy;
  const cal = p.calendar;
  const prio = state.priority;
  const out: Deadline[] = [];
  const opened = ms(state.openedAt);
  const add = (
    kind: Deadline['kind'],
    id: string,
    start: number,
    duration: Parameters<typeof addDuration>[1],
    owner: Deadline['owner'] = 'case_manager',
  ) => out.push(deadline(state, kind, id, start, addDuration(start, duration, cal), owner));

  switch (state.stage) {
    case 'intake':
      if (!state.contact) add('first_contact', 'first_contact', opened, forPriority(p.firstContact, prio));
      add('screening', 'screening', opened, forPriority(p.screeningDecision, prio));
      break;
    case 'assessment':
      // The first assessment counts from the application (law: 5 working days); later ones from the loop's start.
      add(
        'assessment',
        `assessment:c${state.cycle}`,
        state.cycle === 1 ? opened : ms(state.cycleStartedAt),
        forPriority(p.assessment, prio),
      );
      break;
    case 'planning': {
      const plan = currentPlan(state);
      if (plan?.status === 'pending_approval') {
        add(
          'plan_approval',
          `plan_approval:v${plan.version}`,
          ms(plan.submittedAt),
          forPriority(p.supervisorResponse, prio),
          'supervisor',
        );
      } else {
        const from = currentAssessment(state)?.submittedAt ?? state.cycleStartedAt;
        add('plan', `plan:c${state.cycle}`, ms(from), forPriority(p.plan, prio));
      }
      break;
    }
    case 'intervention':
    case 'monitoring': {
      const approved = state.plans.filter((x) => x.status === 'approved').at(-1);
      const since = Math.max(
        ms(approved?.decidedAt ?? state.cycleStartedAt),
        state.lastReviewAt ? ms(state.lastReviewAt) : 0,
      );
      add('review', `review:${state.reviews.length + 1}`, since, p.monitoringInterval);
      for (const r of state.referrals) {
        if (r.status === 'sent')
          out.push(
            deadline(
              state,
              'referral_ack',
              `referral:${r.referralId}`,
              ms(r.sentAt),
              ms(r.acknowledgeBy),
              'case_manager',
            ),
          );
      }
      break;
    }
    case 'closure_requested':
      add(
        'closure_approval',
        `closure_approval:${state.closure!.requestedAt}`,
        ms(state.closure!.requestedAt),
        forPriority(p.supervisorResponse, prio),
        'supervisor',
      );
      break;
    case 'closed': {
      const checkIn = state.closure?.checkIn;
      if (checkIn && !checkIn.doneAt)
        out.push(
          deadline(
            state,
            'post_closure_check_in',
            'post_closure_check_in',
            ms(state.closure!.approvedAt!),
            ms(checkIn.dueAt),
            'case_manager',
          ),
        );
      break;
    }
  }
  if (activeStages.includes(state.stage) && state.supportStartedAt) {
    add(
      'support_limit',
      `support_limit:${state.supportStartedAt}`,
      ms(state.supportStartedAt),
      p.maxSupport,
      'supervisor',
    );
  }
  for (const e of state.escalations) {
    if (e.status === 'open')
      out.push({
        deadlineId: `escalation:${e.escalationId}:${e.level}`,
        kind: 'escalation_response',
        startAt: e.openedAt,
        dueAt: e.respondBy,
        owner: e.level,
      });
  }
  return out.sort((a, b) => ms(a.dueAt) - ms(b.dueAt) || a.deadlineId.localeCompare(b.deadlineId));
}

const key = (d: Deadline) => `${d.deadlineId}@${d.dueAt}`;

/**
 * What passing time does to the case at `now`: reminders before deadlines, escalations after them
 * (to the supervisor, then the head), referrals gone stale, escalations settled because the work
 * was done. Idempotent: reminded and escalated deadlines are remembered by id and due date, so an
 * extended deadline gets its own reminder and escalation again.
 */
export function tick(state: CaseState, now: number): Change[] {
  const changes: Change[] = [];
  const p = state.policy;
  const open = openDeadlines(state);
  const openIds = new Set(open.map((d) => d.deadlineId));

  for (const e of state.escalations) {
    if (e.status !== 'resolved' && !openIds.has(e.deadlineId)) {
      e.status = 'resolved';
      changes.push({
        type: 'escalation_resolved',
        actor: systemActor,
        data: { escalationId: e.escalationId, deadlineId: e.deadlineId },
      });
    }
  }

  for (const d of open) {
    const k = key(d);
    if (d.remindAt && now >= ms(d.remindAt) && now < ms(d.dueAt) && !state.reminded.includes(k)) {
      state.reminded.push(k);
      changes.push({
        type: 'reminder',
        actor: systemActor,
        data: { deadlineId: d.deadlineId, kind: d.kind, dueAt: d.dueAt, to: d.owner },
      });
    }
    if (now < ms(d.dueAt) || state.escalated.includes(k)) continue;
    state.escalated.push(k);
    switch (d.kind) {
      case 'referral_ack': {
        const r = state.referrals.find((x) => `referral:${x.referralId}` === d.deadlineId)!;
        r.status = 'stale';
        changes.push({
          type: 'referral_stale',
          actor: systemActor,
          data: { referralId: r.referralId, providerId: r.providerId, to: 'case_manager' },
        });
        break;
      }
      case 'post_closure_check_in':
        changes.push({ type: 'check_in_due', actor: systemActor, data: { to: 'case_manager' } });
        break;
      case 'escalation_response': {
        const e = state.escalations.find((x) => d.deadlineId === `escalation:${x.escalationId}:${x.level}`)!;
        if (e.level === 'supervisor') {
          e.level = 'head';
          e.respondBy = iso(addDuration(now, p.headResponse, p.calendar));
          changes.push({
            type: 'escalation_raised',
            actor: systemActor,
            data: { escalationId: e.escalationId, level: 'head', respondBy: e.respondBy },
          });
        } else {
          changes.push({
            type: 'escalation_unanswered',
            actor: systemActor,
            data: { escalationId: e.escalationId, level: 'head' },
          });
        }
        break;
      }
      default: {
        // The supervisor is late on an approval or on the support limit: straight to the head.
        const level = d.owner === 'supervisor' ? 'head' : 'supervisor';
        const respondBy =
          level === 'head'
            ? addDuration(now, p.headResponse, p.calendar)
            : addDuration(now, forPriority(p.supervisorResponse, state.priority), p.calendar);
        const escalationId = `esc-${state.escalations.length + 1}`;
        state.escalations.push({
          escalationId,
          deadlineId: d.deadlineId,
          reason: d.kind,
          level,
          status: 'open',
          openedAt: iso(now),
          respondBy: iso(respondBy),
          answers: [],
        });
        changes.push({
          type: 'escalation_opened',
          actor: systemActor,
          data: { escalationId, deadlineId: d.deadlineId, kind: d.kind, level, respondBy: iso(respondBy) },
        });
      }
    }
  }
  return changes;
}

/** Recomputes what the state shows about deadlines (after commands and ticks). */
export function refreshDeadlines(state: CaseState, now: number): void {
  const open = openDeadlines(state);
  state.deadlines = open;
  state.overdue = open.some((d) => ms(d.dueAt) <= now);
  const next = open.find((d) => ms(d.dueAt) > now);
  state.nextDeadlineAt = next?.dueAt;
}

/** The next instant after `now` at which time changes something: a reminder or deadline not yet handled, or the end of retention. */
export function nextWakeUp(state: CaseState, now: number): number | undefined {
  let next: number | undefined;
  const consider = (t: number) => {
    if (t > now) next = next === undefined ? t : Math.min(next, t);
  };
  for (const d of openDeadlines(state)) {
    const k = key(d);
    if (d.remindAt && !state.reminded.includes(k) && !state.escalated.includes(k)) consider(ms(d.remindAt));
    if (!state.escalated.includes(k)) consider(ms(d.dueAt));
  }
  const end = retentionEndsAt(state);
  if (end !== undefined) consider(end);
  return next;
}

/** When a closed case's workflow may complete: a one-off service at once; a case after retention and its check-in. */
export function retentionEndsAt(state: CaseState): number | undefined {
  if (state.stage !== 'closed' || !state.closure) return undefined;
  if (state.closure.reason === 'one_off_service') return ms(state.closure.approvedAt!);
  return addDuration(ms(state.closure.approvedAt!), state.policy.closedRetention, state.policy.calendar);
}

export function isFinished(state: CaseState, now: number): boolean {
  const end = retentionEndsAt(state);
  const checkIn = state.closure?.checkIn;
  const checkInPending = Boolean(checkIn && !checkIn.doneAt && now < ms(checkIn.dueAt));
  return end !== undefined && now >= end && !checkInPending;
}
