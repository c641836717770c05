import { newCaseId } from '../../api/case-ids';
import { caseWorkflowId } from '../../domain/ids';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('case ids', () => {
  it('maps one idempotency key to one case, always', () => {
    expect(newCaseId('tool:hotline:req-1')).toBe(newCaseId('tool:hotline:req-1'));
    expect(newCaseId('tool:hotline:req-1')).not.toBe(newCaseId('tool:hotline:req-2'));
  });

  it('makes UUID-shaped ids with or without a key', () => {
    expect(newCaseId('k')).toMatch(uuid);
    expect(newCaseId()).toMatch(uuid);
    expect(newCaseId()).not.toBe(newCaseId());
  });

  it('derives the workflow id from the case id', () => {
    expect(caseWorkflowId('abc')).toBe('case-abc');
  });
});
