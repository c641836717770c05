import { z } from 'zod';
import {
  actorSchema,
  caseStateSchema,
  closureSchema,
  deadlineSchema,
  id,
  instant,
  type CaseEvent,
  type CaseState,
} from './case';
import { commandPayloads } from './commands';
import {
  caseEventTypes,
  escalationLevels,
  escalationStatuses,
  importStages,
  needDomains,
  priorities,
  serviceCategories,
  stages,
  teamModels,
  type CaseEventType,
} from './vocabulary';

/**
 * What each event of the catalogue (domain/vocabulary.ts) carries in `data`, as the case machine
 * records it. No personal data: ids, categories, stages and times only. `satisfies` keeps this to
 * exactly the catalogue's types.
 */
const referral = { referralId: id, providerId: id };
const escalationId = id;
const level = z.enum(escalationLevels);
export const webhookEventData = {
  case_opened: z.object({
    priority: z.enum(priorities),
    region: z.string(),
    source: caseStateSchema.shape.source,
    imported: z
      .object({ importId: z.uuid(), externalId: z.string(), stage: z.enum(importStages) })
      .optional()
      .describe('Set when the case was imported (POST /v1/imports)'),
  }),
  contact_recorded: z.object({ channel: commandPayloads.recordContact.shape.channel }),
  consent_recorded: z.object({
    dataProcessing: z.boolean(),
    sharingWith: z.array(id).describe('Providers the person agreed their data may be shared with'),
  }),
  one_off_service_given: z.object({ services: z.array(z.enum(serviceCategories)) }),
  case_opened_for_management: z.object({ priority: z.enum(priorities) }),
  assessment_submitted: z.object({ version: z.number().int(), domains: z.array(z.enum(needDomains)) }),
  plan_submitted: z.object({ version: z.number().int(), goals: z.number().int(), approvalRequired: z.boolean() }),
  plan_approved: z.object({ version: z.number().int() }),
  plan_returned: z.object({ version: z.number().int() }),
  referral_sent: z.object({ ...referral, category: z.enum(serviceCategories) }),
  referral_accepted: z.object(referral),
  referral_declined: z.object(referral),
  referral_completed: z.object(referral),
  referral_stale: z.object({ ...referral, to: z.literal('case_manager') }),
  service_recorded: z.object({ serviceId: id, category: z.enum(serviceCategories) }),
  review_recorded: z.object({ number: z.number().int(), outcome: commandPayloads.recordReview.shape.outcome }),
  reassessment_started: z.object({ cycle: z.number().int(), from: z.enum(stages) }),
  closure_requested: z.object({ reason: closureSchema.shape.reason, outcome: closureSchema.shape.outcome }),
  case_closed: z.object({
    reason: closureSchema.shape.reason,
    outcome: closureSchema.shape.outcome,
    checkInDue: instant.nullable(),
  }),
  closure_returned: z.object({ to: z.enum(stages) }),
  post_closure_check_in: z.object({ outcome: commandPayloads.recordCheckIn.shape.outcome }),
  check_in_due: z.object({ to: z.literal('case_manager') }),
  case_reopened: z.object({ cycle: z.number().int() }),
  team_changed: z
    .object({
      caseManagerId: id.nullable(),
      supervisorId: id.nullable().optional(),
      model: z.enum(teamModels).nullable().optional(),
    })
    .describe('The team after the change (a reassignment after an escalation names only the case manager)'),
  deadline_extended: z.object({ deadlineId: z.string(), until: instant }),
  reminder: z.object({
    deadlineId: z.string(),
    kind: deadlineSchema.shape.kind,
    dueAt: instant,
    to: deadlineSchema.shape.owner,
  }),
  escalation_opened: z.object({
    escalationId,
    deadlineId: z.string(),
    kind: deadlineSchema.shape.kind,
    level,
    respondBy: instant,
  }),
  escalation_raised: z.object({ escalationId, level: z.literal('head'), respondBy: instant }),
  escalation_answered: z.object({
    escalationId,
    answer: commandPayloads.answerEscalation.shape.answer,
    status: z.enum(escalationStatuses),
  }),
  escalation_resolved: z.object({ escalationId, deadlineId: z.string() }),
  escalation_unanswered: z.object({ escalationId, level: z.literal('head') }),
} as const satisfies Record<CaseEventType, z.ZodObject>;

/** The case as a webhook shows it: its public status, never its people. */
const webhookCase = z.object({
  caseId: z.uuid(),
  stage: z.enum(stages),
  priority: z.enum(priorities),
  region: z.string(),
  hromada: z.string().optional(),
  seq: z.number().int().describe('The order of events of one case: deliveries may arrive out of order'),
  overdue: z.boolean(),
  nextDeadlineAt: instant.optional(),
  caseManagerId: z.string().optional(),
  supervisorId: z.string().optional(),
});

const envelope = {
  eventId: z.string().describe('The event key: the same on every attempt, and in the Idempotency-Key header'),
  at: instant.describe('When the change was recorded'),
  occurredAt: instant.optional().describe('When it happened, if the command said it was earlier (backdated)'),
  actor: actorSchema,
};

/** The body a subscriber receives for an event of each type. */
export function webhookEventSchema(type: CaseEventType) {
  return z.object({ ...envelope, type: z.literal(type), data: webhookEventData[type], case: webhookCase });
}

/** A test event, sent only when asked for (POST /v1/webhook-subscriptions/{id}/ping), whatever the subscription's filters. */
export const pingEventSchema = z.object({
  ...envelope,
  type: z.literal('ping'),
  data: z.object({ subscriptionId: z.uuid() }),
});

/** Every event a subscriber can receive: the case events, then the ping. */
export const webhookEventTypes = [...caseEventTypes, 'ping'] as const;

export type WebhookPayload = z.infer<ReturnType<typeof webhookEventSchema>>;
export type PingPayload = z.infer<typeof pingEventSchema>;

/** How hard a delivery tries: backoff from `initialMs` up to `maxMs`, giving up after `giveUpAfterMs` (at least a day). */
export interface DeliveryRetry {
  initialMs: number;
  maxMs: number;
  giveUpAfterMs: number;
}

/** One event to one subscriber (workflows/webhook-delivery.ts), as the activities and the API start it. */
export interface WebhookDeliveryInput {
  subscriptionId: string;
  eventKey: string;
  /** The exact bytes to send (and sign), as JSON text. */
  body: string;
  retry: DeliveryRetry;
}

/** The idempotency key of an event: the same for every delivery attempt of it. */
export const eventKey = (e: Pick<CaseEvent, 'caseId' | 'seq'>) => `${e.caseId}:${e.seq}`;

export function webhookPayload(e: CaseEvent, s: CaseState): WebhookPayload {
  return {
    eventId: eventKey(e),
    type: e.type,
    at: e.at,
    ...(e.occurredAt ? { occurredAt: e.occurredAt } : {}),
    actor: e.actor,
    data: e.data,
    case: {
      caseId: s.caseId,
      stage: s.stage,
      priority: s.priority,
      region: s.region,
      hromada: s.hromada,
      seq: e.seq,
      overdue: s.overdue,
      nextDeadlineAt: s.nextDeadlineAt,
      caseManagerId: s.team.caseManagerId,
      supervisorId: s.team.supervisorId,
    },
  } as WebhookPayload;
}

export function pingPayload(
  eventId: string,
  subscriptionId: string,
  actor: PingPayload['actor'],
  at: Date,
): PingPayload {
  return { eventId, type: 'ping', at: at.toISOString(), actor, data: { subscriptionId } };
}

/**
 * Whether a subscription wants an event: by type (none listed: all) and by region (none listed:
 * all). A provider's subscription hears only about referrals addressed to that provider.
 */
export function subscribed(
  sub: { eventTypes: string[]; regions: string[]; providerId?: string },
  e: CaseEvent,
  s: CaseState,
): boolean {
  if (sub.providerId && e.data.providerId !== sub.providerId) return false;
  return (
    (sub.eventTypes.length === 0 || sub.eventTypes.includes(e.type)) &&
    (sub.regions.length === 0 || sub.regions.includes(s.region))
  );
}
