import { randomUUID } from 'node:crypto';
import { createCaseRepository } from '../../db/cases';
import { checkConsistency } from '../../scripts/consistency';
import type { CaseEvent, CaseState } from '../../domain/case';
import { applyCommand, newCaseState } from '../../domain/case-machine';
import { commandSchema } from '../../domain/commands';
import { caseInput, command } from '../support/case-fixtures';
import { startSystem, type RunningSystem } from '../support/system';

/** The projection, the audit trail and the consistency check, on real PostgreSQL (and the dev server). */
let sys: RunningSystem;
beforeAll(async () => {
  sys = await startSystem();
}, 120_000);
afterAll(async () => sys?.stop());

const reader = { actor: { kind: 'person' as const, id: 'cm-reader' } };
const event = (s: CaseState, seq: number, type: CaseEvent['type']): CaseEvent => ({
  caseId: s.caseId,
  seq,
  type,
  actor: { kind: 'person', id: 'cm-olena' },
  at: new Date().toISOString(),
  data: {},
});

describe('the projection', () => {
  it('writes a retried batch once and never goes backwards', async () => {
    const cases = createCaseRepository(sys.pool);
    const s1 = newCaseState(caseInput());
    s1.seq = 1;
    await cases.recordEvents([event(s1, 1, 'case_opened')], s1);
    await cases.recordEvents([event(s1, 1, 'case_opened')], s1); // a retried activity

    const s2: CaseState = structuredClone(s1);
    applyCommand(
      s2,
      'recordContact',
      commandSchema('recordContact').parse(command('recordContact', { channel: 'phone' })),
      Date.now(),
    );
    applyCommand(
      s2,
      'recordConsent',
      commandSchema('recordConsent').parse(command('recordConsent', { dataProcessing: true })),
      Date.now(),
    );
    applyCommand(s2, 'screen', commandSchema('screen').parse(command('screen', { decision: 'open_case' })), Date.now());
    s2.seq = 4;
    const later = [
      event(s2, 2, 'contact_recorded'),
      event(s2, 3, 'consent_recorded'),
      event(s2, 4, 'case_opened_for_management'),
    ];
    await cases.recordEvents(later, s2);
    await cases.recordEvents([event(s1, 1, 'case_opened')], s1); // an old batch replayed late

    const journal = await sys.pool.query('SELECT seq FROM case_events WHERE case_id = $1 ORDER BY seq', [s1.caseId]);
    expect(journal.rows.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4]);
    const row = await cases.get(s1.caseId, reader);
    expect(row?.state).toMatchObject({ seq: 4, stage: 'assessment' });
  });

  it('keeps the audit trail append-only', async () => {
    const anyEvent = (await sys.pool.query('SELECT case_id, seq FROM case_events LIMIT 1')).rows[0] as {
      case_id: string;
      seq: number;
    };
    await expect(
      sys.pool.query(`UPDATE case_events SET type = 'forged' WHERE case_id = $1 AND seq = $2`, [
        anyEvent.case_id,
        anyEvent.seq,
      ]),
    ).rejects.toThrow(/append-only/);
    await expect(sys.pool.query('DELETE FROM case_events WHERE case_id = $1', [anyEvent.case_id])).rejects.toThrow(
      /append-only/,
    );
    await expect(sys.pool.query('DELETE FROM case_reads')).rejects.toThrow(/append-only/);
  });
});

describe('through the API', () => {
  let caseId: string;
  let key: string;
  const api = (path: string, body?: unknown) =>
    fetch(sys.baseUrl + path, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });

  beforeAll(async () => {
    key = await sys.issueKey('case_manager', 'cm-audit');
    caseId = ((await (await api('/v1/cases', { region: 'Chernihiv' })).json()) as { caseId: string }).caseId;
    expect((await api(`/v1/cases/${caseId}/commands/recordContact`, { channel: 'phone' })).status).toBe(200);
  });

  it('logs every read of a case with its reader, and shows changes and reads in the history', async () => {
    expect((await api(`/v1/cases/${caseId}`)).status).toBe(200);
    expect((await api(`/v1/cases/${caseId}`)).status).toBe(200);
    const history = (await (await api(`/v1/cases/${caseId}/history`)).json()) as {
      entries: { kind: string; action: string; actor: { id: string } }[];
    };
    expect(history.entries.filter((e) => e.kind === 'change').map((e) => e.action)).toEqual([
      'case_opened',
      'contact_recorded',
    ]);
    expect(history.entries.filter((e) => e.kind === 'read')).toEqual([
      expect.objectContaining({ action: 'case', actor: { kind: 'person', id: 'cm-audit' } }),
      expect.objectContaining({ action: 'case', actor: { kind: 'person', id: 'cm-audit' } }),
    ]);
    expect((await api(`/v1/cases/${randomUUID()}/history`)).status).toBe(404);
  });

  it('finds no drift in a consistent case, and finds a planted one', async () => {
    expect(await checkConsistency(sys.pool, sys.temporal, { caseIds: [caseId] })).toEqual([]);
    await sys.pool.query(`UPDATE cases SET stage = 'monitoring', case_manager_id = 'someone-else' WHERE case_id = $1`, [
      caseId,
    ]);
    const drift = await checkConsistency(sys.pool, sys.temporal, { caseIds: [caseId, randomUUID()], settleMs: 100 });
    expect(drift).toEqual(
      expect.arrayContaining([
        { caseId, field: 'stage', workflow: 'intake', projection: 'monitoring' },
        { caseId, field: 'caseManagerId', workflow: 'cm-audit', projection: 'someone-else' },
        expect.objectContaining({ field: 'row', projection: 'missing' }),
      ]),
    );
  });
});
