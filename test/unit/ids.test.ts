import { deterministicId } from '../../api/case-ids';
import { caseIdOfWorkflow, caseWorkflowId, importWorkflowId } from '../../domain/ids';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('case ids', () => {
  it('maps one idempotency key to one case, always', () => {
    expect(deterministicId('tool:hotline:req-1')).toBe(deterministicId('tool:hotline:req-1'));
    expect(deterministicId('tool:hotline:req-1')).not.toBe(deterministicId('tool:hotline:req-2'));
  });

  it('makes UUID-shaped ids with or without a key', () => {
    expect(deterministicId('k')).toMatch(uuid);
    expect(deterministicId()).toMatch(uuid);
    expect(deterministicId()).not.toBe(deterministicId());
  });

  it('derives the workflow id from the case id', () => {
    expect(caseWorkflowId('abc')).toBe('case-abc');
  });

  it('reads the case back from its workflow id, and no case from another workflow', () => {
    const id = deterministicId();
    expect(caseIdOfWorkflow(caseWorkflowId(id))).toBe(id);
    expect(caseIdOfWorkflow(importWorkflowId(id))).toBeUndefined();
  });
});
