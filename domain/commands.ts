import { z } from 'zod';
import {
  actorSchema,
  clientAgreementSchema,
  extensionSchema,
  closureReasons,
  goalSchema,
  id,
  instant,
  needSchema,
  priorities,
  serviceCategories,
  serviceSchema,
  teamModels,
  text,
} from './case';
import type { ScopedWrite } from './principal';
import {
  checkInOutcomes,
  closureOutcomes,
  commandNames,
  contactChannels,
  escalationAnswers,
  reassessStages,
  referralAnswers,
  reviewOutcomes,
  screeningDecisions,
  type CommandName,
} from './vocabulary';

/**
 * Every command a case accepts. Each carries a `commandId` (the same id applied twice has one
 * effect) and the actor the API authenticated. The workflow declares one update per command
 * (workflows/case.ts), named as here.
 */
export const envelopeSchema = z.object({
  commandId: z.string().min(8).max(200).describe('Unique per command; a retry with the same id is applied once'),
  actor: actorSchema,
});

/**
 * When something happened, for commands that record it later (field work recorded from paper or an
 * offline device). One rule for every such command (checkOccurredAt in domain/case-machine.ts): not
 * in the future (5 minutes of clock skew allowed), not before the case opened, not older than the
 * policy's `backdatingLimitDays`. Without it, it happened when it is recorded.
 */
const occurred = {
  occurredAt: instant
    .optional()
    .describe(
      'When it happened, if before now: not in the future, not before the case opened, not older than the policy allows (backdatingLimitDays)',
    ),
};

/** A service delivered; `deliveredAt` is the older name of `occurredAt`, still accepted. */
const serviceCommand = serviceSchema.extend({
  deliveredAt: instant.optional().describe('Older name of occurredAt, still accepted'),
  ...occurred,
});

const closureRequest = z.object({
  reason: z.enum(closureReasons),
  outcome: z.enum(closureOutcomes).describe('Whether the needs found at assessment were met'),
  summary: text.optional(),
});

export const commandPayloads = {
  recordContact: z.object({
    channel: z.enum(contactChannels),
    ...occurred,
    contactedAt: instant.optional().describe('Older name of occurredAt, still accepted'),
  }),
  recordConsent: z.object({
    dataProcessing: z.boolean().describe('Consent to process personal data'),
    shareWith: z.array(id).max(50).default([]).describe('Providers the person agrees their data may be shared with'),
    withdrawSharing: z.array(id).max(50).default([]),
    ...occurred,
  }),
  screen: z.object({
    decision: z.enum(screeningDecisions),
    priority: z.enum(priorities).optional(),
    services: z
      .array(z.object({ category: z.enum(serviceCategories), description: text.optional() }))
      .max(20)
      .default([]),
    ...occurred,
  }),
  submitAssessment: z.object({
    needs: z.array(needSchema).min(1).max(50),
    strengths: z.array(text).max(50).default([]),
    resources: z.array(text).max(50).default([]),
    ...occurred,
  }),
  submitPlan: z.object({
    goals: z.array(goalSchema).min(1).max(30),
    clientAgreement: clientAgreementSchema,
    ...occurred,
  }),
  approvePlan: z.object({ note: text.optional(), ...occurred }),
  returnPlan: z.object({ comments: text }),
  sendReferral: z.object({
    referralId: id,
    providerId: id,
    category: z.enum(serviceCategories),
    reason: text.optional(),
    ...occurred,
  }),
  answerReferral: z.object({
    referralId: id,
    answer: z.enum(referralAnswers),
    note: text.optional(),
    ...occurred,
  }),
  recordService: serviceCommand,
  recordReview: z.object({
    outcome: z.enum(reviewOutcomes),
    reassessFrom: z
      .enum(reassessStages)
      .optional()
      .describe('Where the reassessment loop goes back to (default: assessment)'),
    progress: text.optional(),
    closure: closureRequest.optional().describe('Required when the outcome is propose_closure'),
    ...occurred,
  }),
  requestClosure: closureRequest.extend(occurred),
  approveClosure: z.object({ note: text.optional(), ...occurred }),
  returnClosure: z.object({ comments: text }),
  recordCheckIn: z.object({ outcome: z.enum(checkInOutcomes), note: text.optional(), ...occurred }),
  reopen: z.object({ reason: text }),
  assignTeam: z.object({
    caseManagerId: id.optional(),
    supervisorId: id.optional(),
    model: z.enum(teamModels).optional(),
    members: z
      .array(z.object({ staffId: id, role: id }))
      .max(30)
      .optional(),
    reason: text.optional(),
  }),
  extendDeadline: z.object({
    deadlineId: z.string().min(1).max(200).describe('An open deadline of the case (state.deadlines[].deadlineId)'),
    extension: extensionSchema,
    reason: text,
  }),
  answerEscalation: z.object({
    escalationId: id,
    answer: z.enum(escalationAnswers),
    reason: text.optional(),
    extension: extensionSchema.optional(),
    caseManagerId: id.optional(),
    conferenceAt: instant.optional(),
  }),
  recordServices: z
    .object({
      services: z
        .array(serviceCommand)
        .min(1)
        .max(20)
        .describe('The services of one visit, each with its own serviceId; applied all or none'),
      ...occurred,
    })
    .describe('occurredAt here is the time of each service that gives none of its own')
    .meta({
      examples: [
        {
          occurredAt: '2026-11-24T10:00:00+02:00',
          services: [
            { serviceId: 'v-1124-food', category: 'material', description: 'Food kit' },
            { serviceId: 'v-1124-talk', category: 'psychological' },
          ],
        },
      ],
    }),
} as const satisfies Record<CommandName, z.ZodObject>;

export { commandNames, type CommandName } from './vocabulary';

export type CommandPayload<N extends CommandName> = z.output<(typeof commandPayloads)[N]>;
export type Envelope = z.output<typeof envelopeSchema>;
export type Command<N extends CommandName = CommandName> = Envelope & CommandPayload<N>;
/** What a caller sends: defaults not yet applied. */
export type CommandInput<N extends CommandName = CommandName> = z.input<typeof envelopeSchema> &
  z.input<(typeof commandPayloads)[N]>;

/**
 * What a command sets of the case's team, which the caller's scope must reach (writeOutOfScope in
 * domain/principal.ts); nothing for most. A referral's provider is not limited by scope (keys name
 * no providers), so sendReferral sets nothing here.
 */
export function teamSetBy(name: CommandName, payload: unknown): ScopedWrite {
  if (name === 'assignTeam') {
    const c = payload as CommandPayload<'assignTeam'>;
    return { caseManagerId: c.caseManagerId, supervisorId: c.supervisorId, members: c.members?.map((m) => m.staffId) };
  }
  // An escalation answered by reassigning names the new case manager.
  if (name === 'answerEscalation')
    return { caseManagerId: (payload as CommandPayload<'answerEscalation'>).caseManagerId };
  return {};
}

const commandSchemas = Object.fromEntries(
  commandNames.map((n) => [n, envelopeSchema.extend(commandPayloads[n].shape)]),
) as unknown as {
  [N in CommandName]: z.ZodType<Command<N>, CommandInput<N>>;
};

export function commandSchema<N extends CommandName>(name: N): z.ZodType<Command<N>, CommandInput<N>> {
  return commandSchemas[name];
}

/** Signals from providers (a referral's answer) carry an event id instead of a command id. */
export const providerEventSchema = z.object({
  eventId: z.string().min(8).max(200),
  providerId: id,
  referralId: id,
  answer: z.enum(referralAnswers),
  note: text.optional(),
});
export type ProviderEvent = z.infer<typeof providerEventSchema>;
