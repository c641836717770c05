import { actorFor, canAccessCase, type CaseAccess, type Principal, type Role, type Scope } from '../../domain/principal';

const kase: CaseAccess = { region: 'Kharkiv', caseManagerId: 'cm-1', supervisorId: 'sup-1', members: ['psy-1'], openedBy: 'hotline-1', providers: ['ngo-1'] };
const who = (role: Role, subject: string, scope: Scope = {}): Principal => ({ keyId: 'k', role, subject, scope, actor: actorFor(role, subject) });

describe('who may act on a case', () => {
  it.each([
    ['admin', 'anyone', {}, true],
    ['head', 'head-1', {}, true],
    ['head', 'head-1', { regions: ['Kharkiv'] }, true],
    ['head', 'head-2', { regions: ['Lviv'] }, false],
    ['supervisor', 'sup-1', {}, true],
    ['supervisor', 'sup-2', {}, false],
    ['supervisor', 'sup-2', { teams: ['cm-1'] }, true],
    ['supervisor', 'sup-1', { regions: ['Lviv'] }, false],
    ['case_manager', 'cm-1', {}, true],
    ['case_manager', 'psy-1', {}, true],
    ['case_manager', 'cm-2', {}, false],
    ['integration', 'hotline-1', {}, true],
    ['integration', 'ngo-1', {}, true],
    ['integration', 'registry-1', {}, false],
    ['integration', 'registry-1', { regions: ['Kharkiv'] }, true],
  ] as const)('%s %s (scope %j) → %s', (role, subject, scope, allowed) => {
    expect(canAccessCase(who(role, subject, scope as Scope), kase)).toBe(allowed);
  });

  it('makes tools actors of kind tool and people of kind person', () => {
    expect(actorFor('integration', 'x')).toEqual({ kind: 'tool', id: 'x' });
    expect(actorFor('supervisor', 'y')).toEqual({ kind: 'person', id: 'y' });
  });
});
