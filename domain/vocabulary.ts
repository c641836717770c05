import type { Actor } from './case';

/**
 * The case's vocabulary as plain constants, with no zod: the workflow bundle imports this module
 * at the top, while the schemas built from it (domain/case.ts, commands.ts, policy.ts) are loaded
 * only when a workflow parses something. Temporal evaluates a workflow bundle's modules once per
 * workflow instance, and building zod and its schemas was the largest cost of starting or
 * replaying a case (docs/PERFORMANCE.md).
 */
export const stages = [
  'intake',
  'assessment',
  'planning',
  'intervention',
  'monitoring',
  'closure_requested',
  'closed',
] as const;
export type Stage = (typeof stages)[number];
/** Stages in which the case is being worked (not intake, not closing or closed). */
export const activeStages: readonly Stage[] = ['assessment', 'planning', 'intervention', 'monitoring'];

/** Stages a case can be imported in (POST /v1/imports): intake or in case management; a closed case is not a caseload. */
export const importStages = [
  'intake',
  'assessment',
  'planning',
  'intervention',
  'monitoring',
] as const satisfies readonly Stage[];
export type ImportStage = (typeof importStages)[number];

export const priorities = ['routine', 'urgent', 'crisis'] as const;
export type Priority = (typeof priorities)[number];

export function forPriority<T>(value: { routine: T; urgent: T; crisis: T }, priority: Priority): T {
  return value[priority];
}

/**
 * A need's domain (assessment, plan goals). Where a need and a service are about the same thing they
 * share its word with the service categories below: `legal` (restoring documents is legal help), `protection`.
 */
export const needDomains = [
  'material',
  'housing',
  'health',
  'legal',
  'psychological',
  'education',
  'employment',
  'protection',
  'family',
] as const;
export type NeedDomain = (typeof needDomains)[number];
/**
 * Words renamed since they were first stored (docs/API.md, "One word per concept"): still accepted on
 * input and in the payloads of old workflow histories, always stored and emitted as the new word.
 * Migration 010 rewrote the stored rows.
 */
export const renamedNeedDomains = {
  legal_documents: 'legal',
  protection_safety: 'protection',
} as const satisfies Record<string, NeedDomain>;
export const currentNeedDomain = (word: string): string => (renamedNeedDomains as Record<string, string>)[word] ?? word;
export const serviceCategories = [
  'information',
  'material',
  'psychological',
  'educational',
  'housing',
  'medical',
  'legal',
  'protection',
  'employment',
  'other',
] as const;
export const closureReasons = ['goals_achieved', 'client_declined', 'moved', 'transferred', 'died', 'other'] as const;
export const teamModels = ['multidisciplinary', 'transdisciplinary', 'interdisciplinary'] as const;

export const systemActor: Actor = { kind: 'system', id: 'suprovid' };

/** Every command a case accepts (their payloads are in domain/commands.ts, which checks it has exactly these). */
export const commandNames = [
  'recordContact',
  'recordConsent',
  'screen',
  'submitAssessment',
  'submitPlan',
  'approvePlan',
  'returnPlan',
  'sendReferral',
  'answerReferral',
  'recordService',
  'recordReview',
  'requestClosure',
  'approveClosure',
  'returnClosure',
  'recordCheckIn',
  'reopen',
  'assignTeam',
  'extendDeadline',
  'answerEscalation',
  'recordServices',
] as const;
export type CommandName = (typeof commandNames)[number];

/**
 * The commands that record something that happened, and so may say when (`occurredAt`, backdating:
 * docs/CASE-WORKFLOW.md). The others are decisions taken in the system (returning a plan or a
 * closure, reopening, the team, extensions, escalation answers): they happen when they are recorded.
 */
export const backdatableCommands = [
  'recordContact',
  'recordConsent',
  'screen',
  'submitAssessment',
  'submitPlan',
  'approvePlan',
  'sendReferral',
  'answerReferral',
  'recordService',
  'recordServices',
  'recordReview',
  'requestClosure',
  'approveClosure',
  'recordCheckIn',
] as const satisfies readonly CommandName[];
export type BackdatableCommand = (typeof backdatableCommands)[number];

/** How far a recorded time may run ahead of the workflow's clock (devices' clocks drift). */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** The backdating limit of policies published before it was one of their fields. */
export const DEFAULT_BACKDATING_LIMIT_DAYS = 30;

/**
 * Every change a case records, by type: the one catalogue of events for the audit trail and for
 * webhooks (the case machine's changes are typed by it; domain/webhooks.ts gives each its payload).
 */
export const caseEventTypes = [
  'case_opened',
  'contact_recorded',
  'consent_recorded',
  'one_off_service_given',
  'case_opened_for_management',
  'assessment_submitted',
  'plan_submitted',
  'plan_approved',
  'plan_returned',
  'referral_sent',
  'referral_accepted',
  'referral_declined',
  'referral_completed',
  'referral_stale',
  'service_recorded',
  'review_recorded',
  'reassessment_started',
  'closure_requested',
  'case_closed',
  'closure_returned',
  'post_closure_check_in',
  'check_in_due',
  'case_reopened',
  'team_changed',
  'deadline_extended',
  'reminder',
  'escalation_opened',
  'escalation_raised',
  'escalation_answered',
  'escalation_resolved',
  'escalation_unanswered',
] as const;
export type CaseEventType = (typeof caseEventTypes)[number];

/** A hromada (territorial community) is urban (міська), a settlement's (селищна) or rural (сільська). */
export const hromadaKinds = ['urban', 'settlement', 'rural'] as const;
export type HromadaKind = (typeof hromadaKinds)[number];

// ---- short value lists: each written once here, used by the schemas (domain/case.ts, commands.ts),
// the case machine, notifications and the API. Their types are the schemas' (z.infer), except
// where code without zod needs one. ----------------------------------------------------------------

/** Where a case comes from. */
export const caseSources = ['walk_in', 'hotline', 'registry', 'partner', 'outreach', 'other'] as const;

/** How the first contact was made. */
export const contactChannels = ['phone', 'in_person', 'online', 'outreach'] as const;

/** What screening decides: a case, or a one-off service and no case. */
export const screeningDecisions = ['open_case', 'one_off_service'] as const;

/** How great a need found at assessment is. */
export const needLevels = ['low', 'medium', 'high'] as const;

/** How the person agreed to their plan. */
export const agreementForms = ['signed_agreement', 'verbal', 'electronic'] as const;

/** Where a plan is: waiting for the supervisor, approved, or returned with comments. */
export const planStatuses = ['pending_approval', 'approved', 'returned'] as const;

/** A referral's answer, by the case manager (answerReferral) or by the provider (its signal). */
export const referralAnswers = ['accepted', 'declined', 'completed'] as const;
export type ReferralAnswer = (typeof referralAnswers)[number];
/** Where a referral is: sent, answered, or gone stale unanswered. */
export const referralStatuses = ['sent', ...referralAnswers, 'stale'] as const;
export type ReferralStatus = (typeof referralStatuses)[number];

/** What a monitoring review decides. */
export const reviewOutcomes = ['continue', 'reassess', 'propose_closure'] as const;
/** The stages a reassessment loop may go back to. */
export const reassessStages = ['assessment', 'planning'] as const satisfies readonly Stage[];

/** Whether the needs found at assessment were met, when a case closes. */
export const closureOutcomes = ['positive', 'partial', 'none'] as const;

/** How the person is after a post-closure check-in. */
export const checkInOutcomes = ['stable', 'needs_support'] as const;

/** The deadlines a case is measured against (domain/case-machine.ts, openDeadlines). */
export const deadlineKinds = [
  'first_contact',
  'screening',
  'assessment',
  'plan',
  'plan_approval',
  'referral_ack',
  'review',
  'support_limit',
  'closure_approval',
  'escalation_response',
  'post_closure_check_in',
] as const;
export type DeadlineKind = (typeof deadlineKinds)[number];
/** Who must act on a deadline (and who a reminder goes to): the case manager, or the supervisor or head. */
export const deadlineOwners = ['case_manager', 'supervisor', 'head'] as const;
export type DeadlineOwner = (typeof deadlineOwners)[number];

/** Who an escalation is with: the supervisor first, then the head of the service. */
export const escalationLevels = ['supervisor', 'head'] as const satisfies readonly DeadlineOwner[];
export const escalationStatuses = ['open', 'acknowledged', 'resolved'] as const;
/** How a supervisor or head answers an escalation. */
export const escalationAnswers = ['acknowledge', 'extend', 'reassign', 'schedule_conference'] as const;

/** A person's displacement status. */
export const displacementStatuses = ['idp', 'returnee', 'host_community', 'other'] as const;
export type DisplacementStatus = (typeof displacementStatuses)[number];
/** A person's part in a case. */
export const personRoles = ['client', 'household_member'] as const;
export type PersonRole = (typeof personRoles)[number];
/** An entry of a case's audit trail: a change of the case, or someone reading it. */
export const auditKinds = ['change', 'read'] as const;
export type AuditKind = (typeof auditKinds)[number];
/** Where a row of an import is (POST /v1/imports); existing: the case was there already. */
export const importRowStatuses = ['pending', 'imported', 'existing', 'failed'] as const;
export type ImportRowStatus = (typeof importRowStatuses)[number];
export const importJobStatuses = ['running', 'completed'] as const;
export type ImportJobStatus = (typeof importJobStatuses)[number];
/** What one delivery attempt of a webhook came to. */
export const deliveryOutcomes = ['delivered', 'failed', 'gave_up'] as const;
export type DeliveryOutcome = (typeof deliveryOutcomes)[number];
/** The languages people read Suprovid in: Ukrainian, and English (notifications, the report's CSV headers). */
export const languages = ['uk', 'en'] as const;
export type Language = (typeof languages)[number];
