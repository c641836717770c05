import { teamSetBy } from '../../domain/commands';
import {
  actorFor,
  canAccessCase,
  newCase,
  writeOutOfScope,
  type CaseAccess,
  type Principal,
  type Role,
  type Scope,
  type ScopedWrite,
} from '../../domain/principal';

const kase: CaseAccess = {
  region: 'Kharkiv',
  caseManagerId: 'cm-1',
  supervisorId: 'sup-1',
  members: ['psy-1'],
  openedBy: 'hotline-1',
  providers: ['ngo-1'],
};
const who = (role: Role, subject: string, scope: Scope = {}): Principal => ({
  keyId: 'k',
  role,
  subject,
  scope,
  actor: actorFor(role, subject),
});

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

describe("what of a write is outside the caller's scope", () => {
  const kharkiv: Scope = { regions: ['Kharkiv'] };
  it.each([
    // opening: the case as opened must be one the caller may then act on
    ['case_manager', 'cm-1', kharkiv, { region: 'Kharkiv', caseManagerId: 'cm-1' }, 'new', []],
    ['case_manager', 'cm-1', kharkiv, { region: 'Kyiv', caseManagerId: 'cm-1' }, 'new', ['region Kyiv']],
    ['case_manager', 'cm-1', kharkiv, { region: 'Kharkiv', caseManagerId: 'cm-2' }, 'new', ['caseManagerId cm-2']],
    [
      'supervisor',
      'sup-1',
      { ...kharkiv, teams: ['cm-1'] },
      { region: 'Kharkiv', caseManagerId: 'cm-1', supervisorId: 'sup-9' },
      'new',
      [],
    ],
    [
      'supervisor',
      'sup-1',
      { ...kharkiv, teams: ['cm-1'] },
      { region: 'Kharkiv', caseManagerId: 'cm-9', supervisorId: 'sup-9' },
      'new',
      ['caseManagerId cm-9', 'supervisorId sup-9'],
    ],
    [
      'supervisor',
      'sup-1',
      {},
      { region: 'Kharkiv' },
      'new',
      ['the team: nobody in your scope would lead or supervise the case'],
    ],
    ['integration', 'tool-1', {}, { region: 'Lviv', caseManagerId: 'cm-9' }, 'new', []],
    ['integration', 'tool-1', kharkiv, { region: 'Lviv' }, 'new', ['region Lviv']],
    ['admin', 'root', kharkiv, { region: 'Lviv', caseManagerId: 'cm-9' }, 'new', []],
    // a one-off contact: only its region
    ['case_manager', 'cm-1', kharkiv, { region: 'Lviv' }, 'none', ['region Lviv']],
    ['head', 'head-1', kharkiv, { region: 'Kharkiv' }, 'none', []],
    // changing the team of the case (Kharkiv, cm-1, sup-1, psy-1)
    ['supervisor', 'sup-2', { ...kharkiv, teams: ['cm-1', 'cm-3'] }, { caseManagerId: 'cm-3' }, 'case', []],
    ['supervisor', 'sup-2', { ...kharkiv, teams: ['cm-1'] }, { caseManagerId: 'cm-3' }, 'case', ['caseManagerId cm-3']],
    ['supervisor', 'sup-1', kharkiv, { caseManagerId: 'cm-3' }, 'case', []],
    [
      'supervisor',
      'sup-1',
      kharkiv,
      { supervisorId: 'sup-9', members: ['psy-9'] },
      'case',
      ['supervisorId sup-9', 'members psy-9'],
    ],
    ['head', 'head-1', kharkiv, { caseManagerId: 'cm-9', supervisorId: 'sup-9' }, 'case', []],
  ] as const)('%s %s (scope %j) writing %j on %s → %j', (role, subject, scope, write, on, expected) => {
    const p = who(role, subject, scope as Scope);
    const before = on === 'new' ? newCase(p, (write as ScopedWrite).region!) : on === 'case' ? kase : undefined;
    expect(writeOutOfScope(p, write as ScopedWrite, before)).toEqual(expected);
  });

  it('knows which commands set the team', () => {
    expect(
      teamSetBy('assignTeam', { caseManagerId: 'cm-2', members: [{ staffId: 'psy-2', role: 'psychologist' }] }),
    ).toEqual({ caseManagerId: 'cm-2', supervisorId: undefined, members: ['psy-2'] });
    expect(teamSetBy('answerEscalation', { escalationId: 'e1', answer: 'reassign', caseManagerId: 'cm-2' })).toEqual({
      caseManagerId: 'cm-2',
    });
    expect(teamSetBy('sendReferral', { referralId: 'r1', providerId: 'ngo-1', category: 'legal' })).toEqual({});
  });
});
