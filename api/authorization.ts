import type { CommandName } from '../domain/commands';
import type { Role } from '../domain/principal';
import { staffRoles } from '../domain/staff';

/**
 * Which roles may call what. Routes name one of these; a case-level check (canAccessCase) then
 * limits each caller to the cases in their scope.
 */
export const anyRole: readonly Role[] = ['case_manager', 'supervisor', 'head', 'integration', 'admin'];
export const openers: readonly Role[] = ['case_manager', 'supervisor', 'integration', 'admin'];
export const adminOnly: readonly Role[] = ['admin'];
/** People, not tools: the roles of the staff registry (inboxes, console sessions). */
export const people = staffRoles;
/** Imports of a caseload (POST /v1/imports): tools moving a service's cases over, and administrators; each sees its own jobs (admins all). */
export const importers: readonly Role[] = ['integration', 'admin'];
/** Webhook subscriptions: an administrator's (any), or a tool's (its own). */
export const subscribers: readonly Role[] = ['integration', 'admin'];
/** Prometheus scrapes (/metrics): a tool's key, or an administrator. */
export const scrapers: readonly Role[] = ['integration', 'admin'];
/** Supervision (escalation queues, reassignments), the reports, and reading the staff registry. */
export const supervisors: readonly Role[] = ['supervisor', 'head', 'admin'];
/** Reading people on cases: everyone on a case but tools (lists show tools no names either). */
export const peopleReaders: readonly Role[] = ['case_manager', 'supervisor', 'head', 'admin'];
/** Changing people on a case: its case managers and supervisors. */
export const peopleWriters: readonly Role[] = ['case_manager', 'supervisor', 'admin'];
/** Deciding whether two records are one person. */
export const duplicateDeciders: readonly Role[] = ['supervisor', 'admin'];
/** One-off contacts (a person served once, no case): those who record intake, people or tools. */
export const contactRecorders: readonly Role[] = ['case_manager', 'supervisor', 'integration', 'admin'];

const caseWork: readonly Role[] = ['case_manager', 'supervisor', 'admin'];
const decisions: readonly Role[] = ['supervisor', 'head', 'admin'];
const intakeByTools: readonly Role[] = ['case_manager', 'supervisor', 'integration', 'admin'];

/** Case work is the case manager's (and their supervisor's); approvals, extensions and escalation answers the supervisor's and the head's; tools may record intake, services and a provider's answer. */
export const commandRoles: Record<CommandName, readonly Role[]> = {
  recordContact: intakeByTools,
  recordConsent: intakeByTools,
  screen: caseWork,
  submitAssessment: caseWork,
  submitPlan: caseWork,
  approvePlan: decisions,
  returnPlan: decisions,
  sendReferral: caseWork,
  answerReferral: intakeByTools,
  recordService: intakeByTools,
  recordServices: intakeByTools,
  recordReview: caseWork,
  requestClosure: caseWork,
  approveClosure: decisions,
  returnClosure: decisions,
  recordCheckIn: caseWork,
  reopen: caseWork,
  assignTeam: decisions,
  extendDeadline: decisions,
  answerEscalation: decisions,
};
