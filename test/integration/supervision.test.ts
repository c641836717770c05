import { randomUUID } from 'node:crypto';
import type { CaseWorkflowInput } from '../../domain/case';
import { caseWorkflowId } from '../../domain/ids';
import { defaultPolicy, type Policy } from '../../domain/policy';
import type { QueueItem } from '../../db/escalations';
import { caseWorkflow } from '../../workflows/case';
import { eventually, startSystem, type RunningSystem } from '../support/system';

/** The supervisor's escalation queue and bulk reassignment, on the real stack. */
let sys: RunningSystem;
const tag = randomUUID().slice(0, 6);
const supervisorId = `sup-${tag}`;
let sup: string;
beforeAll(async () => {
  sys = await startSystem();
  sup = await sys.issueKey('supervisor', supervisorId);
}, 120_000);
afterAll(async () => sys?.stop());

const api = async (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

it('queues a missed deadline for its supervisor with how late it is, and takes the answer', async () => {
  // This case's own policy gives seconds, not days, so the real server escalates it while we watch.
  const seconds = (n: number) => ({ hours: n / 3600 });
  const quick: Policy = {
    ...defaultPolicy,
    version: 'test-seconds',
    firstContact: { routine: seconds(2), urgent: seconds(2), crisis: seconds(2) },
    screeningDecision: { routine: seconds(600), urgent: seconds(600), crisis: seconds(600) },
    supervisorResponse: { routine: seconds(600), urgent: seconds(600), crisis: seconds(600) },
  };
  const caseId = randomUUID();
  const input: CaseWorkflowInput = {
    caseId,
    open: { priority: 'routine', region: `Region-${tag}`, source: 'hotline', caseManagerId: `cm-${tag}`, supervisorId },
    openedBy: { kind: 'tool', id: 'hotline' },
    openedAt: new Date().toISOString(),
    policy: quick,
  };
  await sys.temporal.workflow.start(caseWorkflow, {
    taskQueue: sys.taskQueue,
    workflowId: caseWorkflowId(caseId),
    args: [input],
  });

  const item = await eventually(async () => {
    const q = await api(sup, 'GET', '/v1/escalations');
    return (q.body.escalations as QueueItem[]).find((e) => e.caseId === caseId);
  }, 20_000);
  expect(item).toMatchObject({
    reason: 'first_contact',
    level: 'supervisor',
    status: 'open',
    caseManagerId: `cm-${tag}`,
  });
  expect(item.overdueSeconds).toBeGreaterThanOrEqual(0);
  expect(Date.parse(item.respondBy)).toBeGreaterThan(Date.parse(item.openedAt));

  const other = await sys.issueKey('supervisor', `sup-other-${tag}`);
  expect(
    ((await api(other, 'GET', '/v1/escalations')).body.escalations as QueueItem[]).some((e) => e.caseId === caseId),
  ).toBe(false);

  const answered = await api(sup, 'POST', `/v1/cases/${caseId}/commands/answerEscalation`, {
    escalationId: item.escalationId,
    answer: 'acknowledge',
  });
  expect(answered.status).toBe(200);
  const after = await api(sup, 'GET', '/v1/escalations?status=acknowledged');
  expect((after.body.escalations as QueueItem[]).find((e) => e.caseId === caseId)?.status).toBe('acknowledged');
  await sys.temporal.workflow.getHandle(caseWorkflowId(caseId)).terminate('test over');
}, 60_000);

it('moves every open case of a leaving case manager, reports each, and can be retried', async () => {
  const hotline = await sys.issueKey('integration', `hotline-${tag}`);
  const leaving = `cm-leaving-${tag}`;
  await sys.registerStaff([leaving, `cm-stays-${tag}`, `cm-new-${tag}`]);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++)
    ids.push(
      (await api(hotline, 'POST', '/v1/cases', { region: 'Cherkasy', caseManagerId: leaving, supervisorId })).body
        .caseId as string,
    );
  const untouched = (
    await api(hotline, 'POST', '/v1/cases', { region: 'Cherkasy', caseManagerId: `cm-stays-${tag}`, supervisorId })
  ).body.caseId as string;

  const request = { fromCaseManagerId: leaving, toCaseManagerId: `cm-new-${tag}`, reason: 'Left the service' };
  const first = await api(sup, 'POST', '/v1/reassignments', request, { 'idempotency-key': `offboard-${tag}` });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ reassigned: 3, failed: 0 });
  expect((first.body.results as { caseId: string }[]).map((r) => r.caseId).sort()).toEqual([...ids].sort());

  const rows = await sys.pool.query('SELECT case_id, case_manager_id FROM cases WHERE case_id = ANY($1)', [
    [...ids, untouched],
  ]);
  expect(
    Object.fromEntries(
      rows.rows.map((r: { case_id: string; case_manager_id: string }) => [r.case_id, r.case_manager_id]),
    ),
  ).toEqual({
    ...Object.fromEntries(ids.map((id) => [id, `cm-new-${tag}`])),
    [untouched]: `cm-stays-${tag}`,
  });

  // The retry finds nothing left to move; the cases' histories keep one change each.
  const retry = await api(sup, 'POST', '/v1/reassignments', request, { 'idempotency-key': `offboard-${tag}` });
  expect(retry.body).toMatchObject({ reassigned: 0, failed: 0 });
  const changes = await sys.pool.query(
    `SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY($1) AND type = 'team_changed'`,
    [ids],
  );
  expect(changes.rows[0].n).toBe(3);
  expect(
    (
      await api(
        sup,
        'POST',
        '/v1/reassignments',
        { ...request, toCaseManagerId: leaving },
        { 'idempotency-key': `bad-${tag}-1` },
      )
    ).status,
  ).toBe(400);
});
