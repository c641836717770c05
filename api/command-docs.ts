import { commandStages } from '../domain/case-machine';
import { stages } from '../domain/vocabulary';
import type { CommandInput, CommandName } from '../domain/commands';
import { commandRoles } from './authorization';

/**
 * What each command is for, in the words of the field, with an example body an integrator can send
 * as it is. The stages and the roles in each description are not written here: they come from the
 * rules the case and the API enforce (commandStages in domain/case-machine.ts, commandRoles in
 * api/authorization.ts). test/unit/command-docs.test.ts parses every example with its command's schema.
 */
type Example<N extends CommandName> = Omit<CommandInput<N>, 'commandId' | 'actor'>;
export const commandDocs: { [N in CommandName]: { summary: string; description: string; example: Example<N> } } = {
  recordContact: {
    summary: 'Record a contact with the person during intake',
    description:
      'The first contact settles the first-contact deadline. Each call with a new Idempotency-Key is a contact of its own (a case manager who calls twice records two); `contact` on the case shows the latest.',
    example: { channel: 'phone', contactedAt: '2026-03-02T09:30:00+02:00' },
  },
  recordConsent: {
    summary: "Record the person's consent to process their data, and the providers they agree to share it with",
    description:
      'Needed before the case is opened for case management, and before a referral to a provider. `withdrawSharing` takes providers off the list.',
    example: { dataProcessing: true, shareWith: ['ngo-pravo'] },
  },
  screen: {
    summary: 'Decide: take the case into case management, or serve the person once',
    description:
      '`open_case` (needs a contact and consent) moves the case to assessment; `one_off_service` with the services given closes it without a case.',
    example: { decision: 'open_case', priority: 'urgent' },
  },
  submitAssessment: {
    summary: 'Submit the needs assessment: needs by domain with their levels, strengths and resources',
    description:
      'Moves the case to planning. Due within 5 working days of the application under the default policy (law No. 2671-VIII art. 20(2)).',
    example: {
      needs: [
        { domain: 'housing', level: 'high' },
        { domain: 'legal', level: 'medium', description: 'IDP certificate to renew' },
      ],
      strengths: ['supportive sister'],
      resources: ['savings for 1 month'],
    },
  },
  submitPlan: {
    summary: "Submit the individual plan, drawn up with the client: goals with actions, and the client's agreement",
    description:
      'Waits for the supervisor where the policy asks for approval, otherwise the case goes to intervention.',
    example: {
      goals: [
        {
          goalId: 'g1',
          description: 'Stable housing',
          domain: 'housing',
          actions: [
            { actionId: 'a1', description: 'Apply for social housing', responsible: 'cm-olena', dueDate: '2026-04-30' },
          ],
        },
      ],
      clientAgreement: { agreedAt: '2026-03-10T12:00:00+02:00', form: 'signed_agreement' },
    },
  },
  approvePlan: {
    summary: 'Approve the plan waiting for approval',
    description: 'The case goes to intervention.',
    example: { note: 'Agreed in supervision' },
  },
  returnPlan: {
    summary: 'Return the plan waiting for approval, with comments',
    description: 'The case manager resubmits it.',
    example: { comments: 'Add an action for the school enrolment' },
  },
  sendReferral: {
    summary: 'Refer the person to a provider',
    description:
      'Only to a provider the person agreed to share their data with (else 409 CONSENT_REQUIRED). The answer is due by the policy; unanswered, the referral goes stale.',
    example: { referralId: 'r1', providerId: 'ngo-pravo', category: 'legal', reason: 'Restore the internal passport' },
  },
  answerReferral: {
    summary: "Record a provider's answer to a referral: accepted, declined, then completed",
    description:
      "For the referral named, whatever the stage. A provider's own system may send the same answer as the `providerEvent` signal.",
    example: { referralId: 'r1', answer: 'accepted', note: 'Appointment on Monday' },
  },
  recordService: {
    summary: 'Record a service delivered, with its category (the categories of the regional report)',
    description: '`serviceId` is yours and unique on the case.',
    example: {
      serviceId: 's1',
      category: 'legal',
      deliveredAt: '2026-03-20T15:00:00+02:00',
      description: 'Consultation on documents',
    },
  },
  recordServices: {
    summary: 'Record the services of one visit in one command (1 to 20), all or none',
    description:
      "Each service has its own `serviceId` (unique on the case) and may have its own `occurredAt`; otherwise the batch's `occurredAt`, or now. One repeated id refuses the whole batch (409).",
    example: {
      occurredAt: '2026-11-24T10:00:00+02:00',
      services: [
        { serviceId: 'v-1124-food', category: 'material', description: 'Food kit' },
        { serviceId: 'v-1124-talk', category: 'psychological' },
      ],
    },
  },
  recordReview: {
    summary: 'Record a monitoring review: continue, reassess, or propose closure',
    description:
      '`reassess` starts the reassessment loop (back to assessment, or planning with `reassessFrom`); `propose_closure` needs `closure` with its reason and outcome.',
    example: { outcome: 'continue', progress: 'Housing found; school enrolment next' },
  },
  requestClosure: {
    summary: 'Ask the supervisor to close the case, with the reason and the outcome',
    description: 'The supervisor approves or returns it.',
    example: { reason: 'goals_achieved', outcome: 'positive', summary: 'Family housed, documents restored' },
  },
  approveClosure: {
    summary: 'Approve the closure asked for',
    description: 'Closes the case and sets the post-closure check-in where the policy has one.',
    example: { note: 'Plan done' },
  },
  returnClosure: {
    summary: 'Return the closure asked for, with comments',
    description: 'The case goes back to the stage it came from.',
    example: { comments: 'Check the school enrolment first' },
  },
  recordCheckIn: {
    summary: 'Record the post-closure check-in',
    description: 'Only while a check-in is pending.',
    example: { outcome: 'stable', note: 'Called the family' },
  },
  reopen: {
    summary: 'Reopen a closed case (not a one-off service)',
    description: 'Back to assessment, as a new cycle; the earlier closure is kept.',
    example: { reason: 'The family lost its housing again' },
  },
  assignTeam: {
    summary: 'Change the team: lead case manager, supervisor, team model, members',
    description:
      'Every assignment keeps its history. The case managers and supervisor named must be within your scope.',
    example: {
      caseManagerId: 'cm-olena',
      supervisorId: 'sup-taras',
      model: 'multidisciplinary',
      reason: 'New caseload',
    },
  },
  extendDeadline: {
    summary: 'Move an open deadline, for example the 6-month support limit, with a reason',
    description:
      'Works on any open deadline of the case (`deadlines[].deadlineId`). `extension` is either `{ "until": <date-time> }` or `{ "by": <duration> }`, a duration being one of `{ "workingDays" }`, `{ "hours" }`, `{ "days" }`, `{ "months" }`.',
    example: {
      deadlineId: 'support_limit:2026-03-05T08:00:00.000Z',
      extension: { by: { months: 3 } },
      reason: 'Complex case: housing pending',
    },
  },
  answerEscalation: {
    summary: 'Answer an escalation: acknowledge, extend, reassign, or schedule a case conference',
    description:
      '`extend` needs `extension` and `reason`, `reassign` a `caseManagerId`, `schedule_conference` a `conferenceAt`.',
    example: {
      escalationId: 'esc-1',
      answer: 'extend',
      extension: { by: { workingDays: 2 } },
      reason: 'Client in hospital',
    },
  },
};

const roleNames = {
  case_manager: 'case managers',
  supervisor: 'supervisors',
  head: 'heads of service',
  integration: 'tools (integration keys)',
  admin: 'administrators',
} as const;

/** Where a command fits the case: its stages, from the case's rules. */
export function allowedStagesText(name: CommandName): string {
  const allowed = commandStages[name];
  return allowed.length === stages.length ? 'any stage' : allowed.map((s) => `\`${s}\``).join(', ');
}

/** The description of a command's route: what it does, where it fits, who may send it. */
export function commandDescription(name: CommandName): string {
  const doc = commandDocs[name];
  return [
    `${doc.summary}. ${doc.description}`,
    '',
    `**Allowed in:** ${allowedStagesText(name)} (otherwise 409 WRONG_STAGE).`,
    `**Who may send it:** ${commandRoles[name].map((r) => roleNames[r]).join(', ')}.`,
    '',
    'Applied once per Idempotency-Key; the key sent again with another command or body answers 422. Answers with the case as it is after the command, once the change is recorded.',
  ].join('\n');
}
