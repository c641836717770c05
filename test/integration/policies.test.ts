import { createPolicyRepository } from '../../db/policies';
import { defaultPolicy } from '../../domain/policy';
import type { CaseState } from '../../domain/case';
import { startSystem, type RunningSystem } from '../support/system';

/** A new policy version is a row, not a deploy: new cases follow it, running ones keep theirs. */
let sys: RunningSystem;
beforeAll(async () => {
  sys = await startSystem();
}, 120_000);
afterAll(async () => sys?.stop());

it('opens new cases under the newest published policy and keeps running cases on theirs', async () => {
  const key = await sys.issueKey('integration', 'hotline');
  const open = async () => {
    const res = await fetch(`${sys.baseUrl}/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ region: 'Volyn' }),
    });
    const { caseId } = (await res.json()) as { caseId: string };
    const state = await sys.temporal.workflow.getHandle(`case-${caseId}`).query<CaseState>('getState');
    return state.policy;
  };
  const repo = createPolicyRepository(sys.pool);
  const before = await open();
  const version = `test-${Date.now()}`;
  await repo.publish(
    {
      ...defaultPolicy,
      version,
      assessment: { routine: { workingDays: 7 }, urgent: { workingDays: 3 }, crisis: { hours: 24 } },
    },
    'admin-1',
  );
  const after = await open();
  expect(after.version).toBe(version);
  expect(after.assessment.routine).toEqual({ workingDays: 7 });
  expect(before.version).not.toBe(version);
  await expect(repo.publish({ ...defaultPolicy, version }, 'admin-1')).rejects.toThrow(/duplicate key/);
  const audit = await sys.pool.query(
    `SELECT actor_id FROM admin_events WHERE action = 'policy_published' AND subject = $1`,
    [version],
  );
  expect(audit.rows).toEqual([{ actor_id: 'admin-1' }]);
});
