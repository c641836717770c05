import { randomUUID } from 'node:crypto';
import type { Actor, CaseWorkflowInput } from '../../domain/case';
import type { CommandInput, CommandName } from '../../domain/commands';
import { defaultPolicy } from '../../domain/policy';

export const caseManager: Actor = { kind: 'person', id: 'cm-olena' };
export const supervisor: Actor = { kind: 'person', id: 'sup-taras' };

let counter = 0;
/** A command as a caller sends it, with a fresh command id unless one is given. */
export function command<N extends CommandName>(
  name: N,
  payload: Omit<CommandInput<N>, 'commandId' | 'actor'>,
  actor: Actor = caseManager,
  commandId?: string,
): CommandInput<N> {
  counter += 1;
  return { commandId: commandId ?? `${name}-${counter}-${randomUUID()}`, actor, ...payload } as CommandInput<N>;
}

export function caseInput(
  overrides: Partial<CaseWorkflowInput> = {},
  openedAt = '2026-11-02T07:00:00.000Z',
): CaseWorkflowInput {
  return {
    caseId: randomUUID(),
    open: {
      priority: 'routine',
      region: 'Kharkiv',
      source: 'hotline',
      caseManagerId: 'cm-olena',
      supervisorId: 'sup-taras',
    },
    openedBy: { kind: 'tool', id: 'hotline-1547' },
    openedAt,
    policy: defaultPolicy,
    ...overrides,
  };
}

export const assessment = {
  needs: [
    { domain: 'housing' as const, level: 'high' as const },
    { domain: 'legal_documents' as const, level: 'medium' as const },
  ],
  strengths: ['supportive sister'],
  resources: ['savings for 1 month'],
};
export const plan = {
  goals: [
    {
      goalId: 'g1',
      description: 'Stable housing',
      domain: 'housing' as const,
      actions: [{ actionId: 'a1', description: 'Apply for housing', responsible: 'cm-olena', dueDate: '2027-01-15' }],
    },
  ],
  clientAgreement: { agreedAt: '2026-11-10T10:00:00.000Z', form: 'signed_agreement' as const },
};
