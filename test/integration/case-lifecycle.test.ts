import {
  CaseManager,
  CaseNextDeadline,
  CaseOverdue,
  CaseRegion,
  CaseStage,
  CaseSupervisor,
} from '../../domain/search-attributes';
import type { CaseState } from '../../domain/case';
import type { CaseView } from '../../api/case-view';
import { caseWorkflowId } from '../../domain/ids';
import { apiCall } from '../support/http';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * A case's life through the HTTP API, as another tool would drive it, on the real dev server and
 * PostgreSQL: every command answers once its change is in Postgres, the journal names every actor,
 * and the search attributes the Temporal Web UI shows follow the case.
 */
let sys: RunningSystem;
let hotline: string;
let worker: string;
let lead: string;

beforeAll(async () => {
  sys = await startSystem();
  [hotline, worker, lead] = await Promise.all([
    sys.issueKey('integration', 'hotline-1547'),
    sys.issueKey('case_manager', 'cm-olena'),
    sys.issueKey('supervisor', 'sup-taras'),
  ]);
}, 120_000);
afterAll(async () => sys?.stop());

const call = (key: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  apiCall(sys.baseUrl, key, path, body, headers);

const command = async (key: string, caseId: string, name: string, body: unknown, idempotencyKey?: string) =>
  call(key, `/v1/cases/${caseId}/commands/${name}`, body, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});

it('walks a case from the hotline call to its closure', async () => {
  const opened = await call(hotline, '/v1/cases', {
    region: 'Mykolaiv',
    priority: 'urgent',
    source: 'hotline',
    caseManagerId: 'cm-olena',
    supervisorId: 'sup-taras',
  });
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  const ok = async (key: string, name: string, body: unknown) => {
    const r = await command(key, caseId, name, body);
    expect([name, r.status, r.body]).toEqual([name, 200, expect.anything()]);
    return (r.body as { case: CaseView }).case;
  };

  await ok(worker, 'recordContact', { channel: 'phone' });
  await ok(worker, 'recordConsent', { dataProcessing: true, shareWith: ['ngo-pravo'] });
  let s = await ok(worker, 'screen', { decision: 'open_case' });
  expect(s.stage).toBe('assessment');

  // The projection is written before the command answers: read-your-writes from Postgres.
  const read = await call(worker, `/v1/cases/${caseId}`);
  expect((read.body.case as CaseState).stage).toBe('assessment');
  const row = await sys.pool.query(
    'SELECT stage, priority, case_manager_id, overdue, next_deadline_at, policy_version FROM cases WHERE case_id = $1',
    [caseId],
  );
  expect(row.rows[0]).toMatchObject({
    stage: 'assessment',
    priority: 'urgent',
    case_manager_id: 'cm-olena',
    overdue: false,
    policy_version: s.policyVersion,
  });
  expect(row.rows[0].next_deadline_at).toBeInstanceOf(Date);

  await ok(worker, 'submitAssessment', {
    needs: [{ domain: 'housing', level: 'high' }],
    strengths: ['works part-time'],
  });
  await ok(worker, 'submitPlan', {
    goals: [
      {
        goalId: 'g1',
        description: 'Stable housing',
        domain: 'housing',
        actions: [{ actionId: 'a1', description: 'Apply', responsible: 'cm-olena', dueDate: '2027-01-31' }],
      },
    ],
    clientAgreement: { agreedAt: new Date().toISOString(), form: 'signed_agreement' },
  });
  await ok(lead, 'approvePlan', {});
  await ok(worker, 'sendReferral', { referralId: 'ref-1', providerId: 'ngo-pravo', category: 'legal' });
  await ok(hotline, 'answerReferral', { referralId: 'ref-1', answer: 'accepted' });
  await ok(worker, 'recordService', {
    serviceId: 'svc-1',
    category: 'legal',
    deliveredAt: new Date().toISOString(),
    referralId: 'ref-1',
  });
  await ok(worker, 'recordReview', {
    outcome: 'propose_closure',
    closure: { reason: 'goals_achieved', outcome: 'positive' },
  });
  s = await ok(lead, 'approveClosure', {});
  expect(s.stage).toBe('closed');
  const summary = await sys.pool.query(
    'SELECT reason, outcome, region, services, referrals, cycles FROM case_closures WHERE case_id = $1',
    [caseId],
  );
  expect(summary.rows).toEqual([
    { reason: 'goals_achieved', outcome: 'positive', region: 'UA-48', services: { legal: 1 }, referrals: 1, cycles: 1 },
  ]);
  const detail = await sys.pool.query('SELECT category, kind FROM case_services WHERE case_id = $1', [caseId]);
  expect(detail.rows).toEqual([{ category: 'legal', kind: 'case' }]);

  const journal = await sys.pool.query<{ seq: number; type: string; actor_id: string }>(
    'SELECT seq, type, actor_id FROM case_events WHERE case_id = $1 ORDER BY seq',
    [caseId],
  );
  expect(journal.rows.map((r) => r.seq)).toEqual(journal.rows.map((_, i) => i + 1));
  const byType = Object.fromEntries(journal.rows.map((r) => [r.type, r.actor_id]));
  expect(byType).toMatchObject({
    case_opened: 'hotline-1547',
    contact_recorded: 'cm-olena',
    plan_approved: 'sup-taras',
    referral_accepted: 'hotline-1547',
    case_closed: 'sup-taras',
  });

  const { typedSearchAttributes } = await sys.temporal.workflow.getHandle(caseWorkflowId(caseId)).describe();
  expect(typedSearchAttributes.get(CaseStage)).toBe('closed');
  expect(typedSearchAttributes.get(CaseRegion)).toBe('UA-48');
  expect(typedSearchAttributes.get(CaseManager)).toBe('cm-olena');
  expect(typedSearchAttributes.get(CaseSupervisor)).toBe('sup-taras');
  expect(typedSearchAttributes.get(CaseOverdue)).toBe(false);
  // Not kept since the lean-search-attributes patch (an upsert whenever it came earlier); the
  // projection has it: the post-closure check-in.
  expect(typedSearchAttributes.get(CaseNextDeadline)).toBeUndefined();
});

it('refuses a command the stage does not allow with 409 and the reason, and applies a retried command once', async () => {
  const opened = await call(hotline, '/v1/cases', { region: 'Odesa', caseManagerId: 'cm-olena' });
  const caseId = opened.body.caseId as string;

  expect((await command(worker, caseId, 'approveClosure', {})).status).toBe(403); // not a case manager's decision
  const wrong = await command(worker, caseId, 'recordReview', { outcome: 'continue' });
  expect(wrong.status).toBe(409);
  expect(wrong.type).toMatch(/^application\/problem\+json/);
  expect(wrong.body).toMatchObject({ code: 'WRONG_STAGE', detail: expect.stringContaining('intake') });

  await command(worker, caseId, 'recordContact', { channel: 'phone' });
  const noConsent = await command(worker, caseId, 'screen', { decision: 'open_case' });
  expect(noConsent).toMatchObject({ status: 409, body: { code: 'CONSENT_REQUIRED' } });

  const first = await command(worker, caseId, 'recordConsent', { dataProcessing: true }, 'consent-call-000001');
  const retry = await command(worker, caseId, 'recordConsent', { dataProcessing: true }, 'consent-call-000001');
  expect(retry.status).toBe(200);
  expect((retry.body.case as CaseState).seq).toBe((first.body.case as CaseState).seq);
  const consents = await sys.pool.query(
    `SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND type = 'consent_recorded'`,
    [caseId],
  );
  expect(consents.rows[0].n).toBe(1);

  const invalid = await command(worker, caseId, 'screen', { decision: 'maybe' });
  expect(invalid.status).toBe(400);
  expect(
    await command(worker, '00000000-0000-4000-8000-000000000000', 'recordContact', { channel: 'phone' }),
  ).toMatchObject({ status: 404 });
});
