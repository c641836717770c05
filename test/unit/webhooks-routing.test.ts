import type { CaseEvent } from '../../domain/case';
import { newCaseState } from '../../domain/case-machine';
import { eventKey, subscribed, webhookPayload } from '../../domain/webhooks';
import { caseInput } from '../support/case-fixtures';

const state = newCaseState(caseInput());
const ev = (type: CaseEvent['type'], data: Record<string, unknown> = {}): CaseEvent => ({
  caseId: state.caseId,
  seq: 7,
  type,
  actor: { kind: 'person', id: 'cm' },
  at: '2026-11-02T10:00:00.000Z',
  data,
});

describe('webhook routing', () => {
  it('filters by event type and region, none listed meaning all', () => {
    expect(subscribed({ eventTypes: [], regions: [] }, ev('case_opened'), state)).toBe(true);
    expect(subscribed({ eventTypes: ['case_closed'], regions: [] }, ev('case_opened'), state)).toBe(false);
    expect(subscribed({ eventTypes: [], regions: ['Lviv'] }, ev('case_opened'), state)).toBe(false);
    expect(subscribed({ eventTypes: [], regions: ['Kharkiv'] }, ev('case_opened'), state)).toBe(true);
  });

  it('tells a provider only about referrals addressed to it', () => {
    const sub = { eventTypes: [], regions: [], providerId: 'ngo-pravo' };
    expect(subscribed(sub, ev('referral_sent', { providerId: 'ngo-pravo' }), state)).toBe(true);
    expect(subscribed(sub, ev('referral_sent', { providerId: 'clinic-9' }), state)).toBe(false);
    expect(subscribed(sub, ev('case_opened'), state)).toBe(false);
  });

  it('carries the event key and no personal data', () => {
    const p = webhookPayload(ev('case_opened'), state);
    expect(p.eventId).toBe(eventKey({ caseId: state.caseId, seq: 7 }));
    expect(Object.keys(p.case).sort()).toEqual([
      'caseId',
      'caseManagerId',
      'hromada',
      'nextDeadlineAt',
      'overdue',
      'priority',
      'region',
      'seq',
      'stage',
      'supervisorId',
    ]);
  });
});
