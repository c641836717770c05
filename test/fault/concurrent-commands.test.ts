import { randomUUID } from 'node:crypto';
import type { CaseState } from '../../domain/case';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Load on the real stack: 1,000 concurrent commands on 100 cases, each sent twice (a client retry
 * racing its first attempt). Every command is applied exactly once, and every case's history is one
 * gapless sequence.
 */
jest.setTimeout(300_000);
let sys: RunningSystem;
beforeAll(async () => {
  sys = await startSystem();
}, 120_000);
afterAll(async () => sys?.stop());

/** Runs `tasks` with at most `limit` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

it('applies 1,000 concurrent commands on 100 cases exactly once each, in a valid order', async () => {
  const tag = randomUUID().slice(0, 6);
  const key = await sys.issueKey('case_manager', `cm-load-${tag}`);
  await sys.registerRegions([`Load-${tag}`]);
  // As docs/API.md tells a client: a 503 (the case did not answer within API_COMMAND_TIMEOUT_MS on a
  // loaded machine) or a dropped connection is retried with the same key, and applied once.
  let retried = 0;
  const post = async (path: string, body: unknown, idempotencyKey: string) => {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(sys.baseUrl + path, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify(body),
      }).catch((err: unknown) => {
        if (attempt >= 20) throw err;
        return undefined;
      });
      if ((!res || res.status === 503) && attempt < 20) {
        retried += 1;
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      return { status: res!.status, body: (await res!.json()) as { caseId?: string; case?: CaseState } };
    }
  };

  const cases = await pool(
    Array.from(
      { length: 100 },
      (_, i) => async () => (await post('/v1/cases', { region: `Load-${tag}` }, `load-${tag}-open-${i}`)).body.caseId!,
    ),
    20,
  );
  expect(new Set(cases).size).toBe(100);

  // Ten consents per case, each naming another provider, each sent twice at once.
  const commands = cases.flatMap((caseId) =>
    Array.from({ length: 10 }, (_, j) => ({
      caseId,
      provider: `provider-${j}`,
      idempotencyKey: `load-${tag}-${caseId}-${j}`,
    })),
  );
  const sends = commands
    .flatMap((c) => [c, c])
    .map(
      (c) => () =>
        post(
          `/v1/cases/${c.caseId}/commands/recordConsent`,
          { dataProcessing: true, shareWith: [c.provider] },
          c.idempotencyKey,
        ),
    );
  const answers = await pool(
    sends.sort(() => Math.random() - 0.5),
    50,
  );
  expect(answers.filter((a) => a.status !== 200)).toEqual([]);

  const journal = await sys.pool.query<{ case_id: string; seqs: number[]; consents: number }>(
    `SELECT case_id, array_agg(seq ORDER BY seq) AS seqs, count(*) FILTER (WHERE type = 'consent_recorded')::int AS consents
       FROM case_events WHERE case_id = ANY($1) GROUP BY case_id`,
    [cases],
  );
  expect(journal.rows).toHaveLength(100);
  for (const row of journal.rows) {
    expect(row.consents).toBe(10);
    expect(row.seqs).toEqual(row.seqs.map((_, i) => i + 1));
  }
  const states = await sys.pool.query<{ sharing: string[] }>(
    `SELECT state->'consent'->'sharingWith' AS sharing FROM cases WHERE case_id = ANY($1)`,
    [cases],
  );
  for (const s of states.rows) expect(s.sharing).toHaveLength(10);
  // Retries are the contract, not the norm: far fewer than the 2,100 requests.
  expect(retried).toBeLessThan(500);
});
