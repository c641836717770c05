import { randomUUID } from 'node:crypto';
import { verifyWebhook } from '../../activities/webhook-signature';
import { webhookEventSchema } from '../../domain/webhooks';
import type { CaseEventType } from '../../domain/vocabulary';
import { freePort } from '../../stack/processes';
import { eventually, startSystem, type RunningSystem } from '../support/system';
import { startReceiver } from '../support/webhook-receiver';

/**
 * Webhooks on the real dev server and PostgreSQL: a tool subscribes over the API; a receiver that
 * is down while a case moves gets every event once it is back, each signed with the subscription's
 * secret, each once per key, each shaped as the catalogue (OpenAPI's webhooks section) says; every
 * attempt is in the delivery log. (Retries here back off from 200 ms; in production from 10 s to
 * 10 min, for two days.)
 */
let sys: RunningSystem;
let key: string;
let caseManager: string;
let region: string;
beforeAll(async () => {
  sys = await startSystem();
  region = `webhook-test-${randomUUID().slice(0, 8)}`;
  await sys.registerRegions([region]);
  key = await sys.issueKey('integration', 'registry-7', { regions: [region] });
  caseManager = await sys.issueKey('case_manager', 'cm-webhooks');
}, 120_000);
afterAll(async () => sys?.stop());

it('delivers every event to a receiver that was down, signed, once per key', async () => {
  const port = await freePort();
  const post = (as: string, path: string, body: unknown) =>
    fetch(sys.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${as}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  // The tool's subscription defaults to the regions of its key's scope.
  const created = await post(key, '/v1/webhook-subscriptions', {
    name: 'registry',
    url: `http://127.0.0.1:${port}/hooks`,
  });
  expect(created.status).toBe(201);
  const sub = (await created.json()) as { subscriptionId: string; secret: string; regions: string[] };
  expect(sub.regions).toEqual([region]);

  const opened = (await (await post(key, '/v1/cases', { region, caseManagerId: 'cm-webhooks' })).json()) as {
    caseId: string;
  };
  for (const [name, body] of [
    ['recordContact', { channel: 'phone' }],
    ['recordConsent', { dataProcessing: true }],
    ['screen', { decision: 'open_case' }],
  ] as const) {
    expect((await post(caseManager, `/v1/cases/${opened.caseId}/commands/${name}`, body)).status).toBe(200);
  }

  // The receiver is down: attempts fail and are logged.
  await eventually(async () => {
    const r = await sys.pool.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 AND outcome = 'failed'`,
      [sub.subscriptionId],
    );
    return r.rows[0].n >= 4 ? true : undefined;
  });

  const { got, close } = await startReceiver({ port });
  try {
    const events = (
      await sys.pool.query<{ seq: number }>('SELECT seq FROM case_events WHERE case_id = $1 ORDER BY seq', [
        opened.caseId,
      ])
    ).rows;
    const expected = events.map((e) => `${opened.caseId}:${e.seq}`);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    await eventually(async () => (new Set(got.map((g) => g.key)).size === expected.length ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 1_500)); // anything sent twice would arrive by now

    expect(got.map((g) => g.key).sort()).toEqual([...expected].sort());
    const now = Math.floor(Date.now() / 1000);
    for (const g of got) {
      expect(verifyWebhook(sub.secret, g.body, g.signature, now)).toBe(true);
      expect(verifyWebhook('whsec_wrong', g.body, g.signature, now)).toBe(false);
      const payload = JSON.parse(g.body) as { eventId: string; type: CaseEventType; case: { region: string } };
      expect(webhookEventSchema(payload.type).safeParse(payload).error).toBeUndefined();
      expect(payload.eventId).toBe(g.key);
      expect(payload.case.region).toBe(region);
    }
    const log = await sys.pool.query(
      `SELECT outcome, count(*)::int AS n FROM webhook_deliveries WHERE subscription_id = $1 GROUP BY outcome`,
      [sub.subscriptionId],
    );
    const byOutcome = Object.fromEntries(log.rows.map((r: { outcome: string; n: number }) => [r.outcome, r.n]));
    expect(byOutcome.delivered).toBe(expected.length);
    expect(byOutcome.failed).toBeGreaterThanOrEqual(4);
  } finally {
    await close();
  }
});
