import type { CaseEvent, CaseState } from './case';

/**
 * What other tools receive about a case change: the event and the case's public status. No
 * personal data: tools that need it ask the API with their own key (and the read is audited).
 */
export interface WebhookPayload {
  eventId: string;
  type: string;
  at: string;
  actor: CaseEvent['actor'];
  data: Record<string, unknown>;
  case: Pick<CaseState, 'caseId' | 'stage' | 'priority' | 'region' | 'hromada' | 'seq' | 'overdue' | 'nextDeadlineAt'> & {
    caseManagerId?: string;
    supervisorId?: string;
  };
}

/** The idempotency key of an event: the same for every delivery attempt of it. */
export const eventKey = (e: Pick<CaseEvent, 'caseId' | 'seq'>) => `${e.caseId}:${e.seq}`;

export function webhookPayload(e: CaseEvent, s: CaseState): WebhookPayload {
  return {
    eventId: eventKey(e),
    type: e.type,
    at: e.at,
    actor: e.actor,
    data: e.data,
    case: {
      caseId: s.caseId, stage: s.stage, priority: s.priority, region: s.region, hromada: s.hromada, seq: e.seq,
      overdue: s.overdue, nextDeadlineAt: s.nextDeadlineAt, caseManagerId: s.team.caseManagerId, supervisorId: s.team.supervisorId,
    },
  };
}

/**
 * Whether a subscription wants an event: by type (none listed: all) and by region (none listed:
 * all). A provider's subscription hears only about referrals addressed to that provider.
 */
export function subscribed(sub: { eventTypes: string[]; regions: string[]; providerId?: string }, e: CaseEvent, s: CaseState): boolean {
  if (sub.providerId && e.data.providerId !== sub.providerId) return false;
  return (sub.eventTypes.length === 0 || sub.eventTypes.includes(e.type)) && (sub.regions.length === 0 || sub.regions.includes(s.region));
}
