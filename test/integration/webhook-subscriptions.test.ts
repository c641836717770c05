import { randomUUID } from 'node:crypto';
import { verifyWebhook } from '../../activities/webhook-signature';
import { webhookDeliveryId } from '../../domain/ids';
import { pingEventSchema } from '../../domain/webhooks';
import { freePort } from '../../stack/processes';
import { eventually, startSystem, type RunningSystem } from '../support/system';
import { startReceiver } from '../support/webhook-receiver';

/**
 * Webhook subscriptions over HTTP, on the real dev server and PostgreSQL: what a tool and an
 * administrator may create, read, change and deactivate; the ping through the durable delivery
 * workflow to a real receiver that checks the signature; the delivery log, page by page.
 */
let sys: RunningSystem;
let admin: string;
let toolA: string;
let toolB: string;
let provider: string;
const regionA = `wh-a-${randomUUID().slice(0, 8)}`;
const regionB = `wh-b-${randomUUID().slice(0, 8)}`;
const providerId = `ngo-${randomUUID().slice(0, 8)}`;
// Every subscription here names a region or provider of this file only: other suites' cases, on the
// same database, are not its business. Receivers outside the loopback are in .invalid, never reached.

beforeAll(async () => {
  sys = await startSystem();
  await sys.registerRegions([regionA, regionB]);
  admin = await sys.issueKey('admin', 'admin-wh');
  toolA = await sys.issueKey('integration', 'registry-a', { regions: [regionA] });
  toolB = await sys.issueKey('integration', 'registry-b', { regions: [regionB] });
  provider = await sys.issueKey('integration', providerId);
}, 120_000);
afterAll(async () => sys?.stop());

interface Subscription {
  subscriptionId: string;
  name: string;
  url: string;
  eventTypes: string[];
  regions: string[];
  providerId?: string;
  owner: string;
  active: boolean;
  deactivatedAt?: string;
  secret?: string;
}
interface Problem {
  status: number;
  errors?: { location: string; path: string; code: string; message: string }[];
}
interface Attempt {
  eventKey: string;
  attempt: number;
  outcome: string;
  httpStatus?: number;
  error?: string;
  durationMs: number;
  at: string;
}

async function call<T = unknown>(
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; type: string }> {
  const res = await fetch(sys.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    type: res.headers.get('content-type') ?? '',
  };
}

const subscribe = async (key: string, body: Record<string, unknown>) => {
  const r = await call<Subscription>(key, 'POST', '/v1/webhook-subscriptions', {
    name: 'test',
    url: 'https://hooks.example.invalid/suprovid',
    ...body,
  });
  expect([r.status, r.body]).toEqual([201, expect.objectContaining({ subscriptionId: expect.any(String) })]);
  return r.body;
};

const adminEvents = async (subscriptionId: string) =>
  (
    await sys.pool.query<{ actor_kind: string; actor_id: string; action: string; details: Record<string, unknown> }>(
      'SELECT actor_kind, actor_id, action, details FROM admin_events WHERE subject = $1 ORDER BY event_id',
      [subscriptionId],
    )
  ).rows;

describe('subscriptions', () => {
  it("creates, reads, lists, changes and deactivates a tool's own subscription, each change attributed in admin_events", async () => {
    const created = await subscribe(toolA, { eventTypes: ['case_opened', 'case_closed'] });
    expect(created).toMatchObject({
      owner: 'registry-a',
      regions: [regionA],
      eventTypes: ['case_opened', 'case_closed'],
      active: true,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const path = `/v1/webhook-subscriptions/${created.subscriptionId}`;

    const read = await call<Subscription>(toolA, 'GET', path);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    const { secret: _shownOnce, ...withoutSecret } = created;
    expect(read.body).toEqual(withoutSecret);
    const listed = await call<{ subscriptions: Subscription[] }>(toolA, 'GET', '/v1/webhook-subscriptions');
    expect(listed.body.subscriptions.map((s) => s.subscriptionId)).toContain(created.subscriptionId);
    expect(listed.body.subscriptions.every((s) => s.owner === 'registry-a' && !('secret' in s))).toBe(true);

    const changed = await call<Subscription>(toolA, 'PATCH', path, {
      name: 'registry A',
      eventTypes: [],
      url: 'https://hooks.example.invalid/v2',
    });
    expect([changed.status, changed.body]).toEqual([
      200,
      expect.objectContaining({
        name: 'registry A',
        eventTypes: [],
        url: 'https://hooks.example.invalid/v2',
        regions: [regionA],
      }),
    ]);

    expect((await call(toolA, 'DELETE', path)).status).toBe(204);
    const after = await call<Subscription>(toolA, 'GET', path);
    expect(after.body).toMatchObject({ active: false, deactivatedAt: expect.any(String) });
    expect((await call(toolA, 'PATCH', path, { name: 'again' })).status).toBe(409);
    expect((await call(toolA, 'POST', `${path}/ping`)).status).toBe(409);
    expect((await call(toolA, 'DELETE', path)).status).toBe(404);

    const rows = await sys.pool.query('SELECT active FROM webhook_subscriptions WHERE subscription_id = $1', [
      created.subscriptionId,
    ]);
    expect(rows.rows).toEqual([{ active: false }]); // kept, not deleted
    expect(await adminEvents(created.subscriptionId)).toEqual([
      {
        actor_kind: 'tool',
        actor_id: 'registry-a',
        action: 'webhook_subscription_created',
        details: expect.objectContaining({ owner: 'registry-a', regions: [regionA] }),
      },
      {
        actor_kind: 'tool',
        actor_id: 'registry-a',
        action: 'webhook_subscription_updated',
        details: { name: 'registry A', eventTypes: [], url: 'https://hooks.example.invalid/v2' },
      },
      { actor_kind: 'tool', actor_id: 'registry-a', action: 'webhook_subscription_deactivated', details: {} },
    ]);
  });

  it("keeps a tool to its own: another tool's subscription is not found, on every route; an administrator sees and changes all", async () => {
    const mine = await subscribe(toolA, {});
    const path = `/v1/webhook-subscriptions/${mine.subscriptionId}`;
    for (const [method, p, body] of [
      ['GET', path, undefined],
      ['PATCH', path, { name: 'taken over' }],
      ['DELETE', path, undefined],
      ['POST', `${path}/ping`, undefined],
      ['POST', `${path}/rotate-secret`, undefined],
      ['GET', `${path}/deliveries`, undefined],
    ] as const) {
      const r = await call<Problem>(toolB, method, p, body);
      expect([method, p, r.status, r.type]).toEqual([
        method,
        p,
        404,
        expect.stringContaining('application/problem+json'),
      ]);
    }
    const listedB = await call<{ subscriptions: Subscription[] }>(toolB, 'GET', '/v1/webhook-subscriptions');
    expect(listedB.body.subscriptions.map((s) => s.subscriptionId)).not.toContain(mine.subscriptionId);
    expect((await call<Subscription>(toolA, 'GET', path)).body.name).toBe('test'); // unchanged

    const all = await call<{ subscriptions: Subscription[] }>(admin, 'GET', '/v1/webhook-subscriptions');
    expect(all.body.subscriptions.map((s) => s.subscriptionId)).toContain(mine.subscriptionId);
    const byAdmin = await call<Subscription>(admin, 'PATCH', path, { regions: [regionA, regionB] });
    expect([byAdmin.status, byAdmin.body.regions]).toEqual([200, [regionA, regionB]]);
    expect((await adminEvents(mine.subscriptionId)).at(-1)).toMatchObject({
      actor_kind: 'person',
      actor_id: 'admin-wh',
      action: 'webhook_subscription_updated',
    });

    // An administrator may make one for a tool, which then manages it.
    const forB = await subscribe(admin, { owner: 'registry-b', providerId });
    expect(forB.owner).toBe('registry-b');
    expect((await call(toolB, 'GET', `/v1/webhook-subscriptions/${forB.subscriptionId}`)).status).toBe(200);
  });

  it("refuses filters that reach outside the tool's scope, naming each field (403)", async () => {
    const refused = async (key: string, body: Record<string, unknown>) => {
      const r = await call<Problem>(key, 'POST', '/v1/webhook-subscriptions', {
        name: 'x',
        url: 'https://hooks.example.invalid/x',
        ...body,
      });
      expect(r.status).toBe(403);
      return r.body.errors?.map((e) => `${e.path}:${e.code}`);
    };
    expect(await refused(toolA, { regions: [regionA, regionB] })).toEqual(['regions[1]:outside_scope']);
    expect(await refused(toolA, { providerId })).toEqual(['providerId:outside_scope']);
    expect(await refused(toolA, { owner: 'registry-b' })).toEqual(['owner:outside_scope']);
    // A tool with no regions in scope hears only about referrals addressed to it.
    expect(await refused(provider, {})).toEqual(['regions:outside_scope']);
    const own = await subscribe(provider, { providerId });
    expect(own).toMatchObject({ providerId, regions: [], owner: providerId });
    const widened = await call<Problem>(provider, 'PATCH', `/v1/webhook-subscriptions/${own.subscriptionId}`, {
      providerId: null,
    });
    expect([widened.status, widened.body.errors?.map((e) => e.path)]).toEqual([403, ['regions']]);
  });

  it('validates the body with zod and names the failing fields (400); http only to the loopback, no private networks', async () => {
    const invalid = async (body: Record<string, unknown>) => {
      const r = await call<Problem>(admin, 'POST', '/v1/webhook-subscriptions', {
        name: 'x',
        url: 'https://hooks.example.invalid/x',
        regions: [regionB],
        ...body,
      });
      expect([r.status, r.type]).toEqual([400, expect.stringContaining('application/problem+json')]);
      return r.body.errors?.map((e) => e.path);
    };
    expect(await invalid({ url: 'http://hooks.example.invalid/x' })).toEqual(['url']);
    expect(await invalid({ url: 'ftp://hooks.example.invalid/x' })).toEqual(['url']);
    expect(await invalid({ url: 'https://user:pass@hooks.example.invalid/x' })).toEqual(['url']);
    expect(await invalid({ eventTypes: ['case_opened', 'case_exploded'] })).toEqual(['eventTypes[1]']);
    expect(await invalid({ eventTypes: ['ping'] })).toEqual(['eventTypes[0]']);
    expect(await invalid({ active: false })).toEqual(['active']);
    expect(await invalid({ name: '' })).toEqual(['name']);
    expect(await invalid({ url: 'not a url' })).toEqual(['url']);
    for (const url of ['http://127.0.0.1:9/hooks', 'http://localhost:9/hooks', 'http://[::1]:9/hooks'])
      await subscribe(admin, { url, regions: [regionB] });
    // Private and reserved networks are refused (the test system allows loopback only, as the default),
    // here where the URL shows it and by the workers at every connection (test/unit/network.test.ts).
    for (const url of ['https://169.254.169.254/latest/meta-data', 'https://10.0.0.5/hooks', 'https://[fd00::1]/x']) {
      const r = await call<Problem>(admin, 'POST', '/v1/webhook-subscriptions', { name: 'x', url, regions: [regionB] });
      expect([r.status, r.body.errors]).toEqual([
        400,
        [expect.objectContaining({ path: 'url', code: 'address_not_permitted' })],
      ]);
    }
    const moved = await call<Problem>(
      admin,
      'PATCH',
      `/v1/webhook-subscriptions/${(await subscribe(admin, { regions: [regionB] })).subscriptionId}`,
      {
        url: 'https://192.168.0.10/hooks',
      },
    );
    expect([moved.status, moved.body.errors?.map((e) => e.code)]).toEqual([400, ['address_not_permitted']]);
    const sub = await subscribe(admin, { regions: [regionB] });
    const nothing = await call<Problem>(admin, 'PATCH', `/v1/webhook-subscriptions/${sub.subscriptionId}`, {});
    expect(nothing.status).toBe(400);
    expect((await call(admin, 'GET', '/v1/webhook-subscriptions/not-a-uuid')).status).toBe(400);
    expect((await call(admin, 'GET', `/v1/webhook-subscriptions/${randomUUID()}`)).status).toBe(404);
  });
});

describe('ping and the delivery log', () => {
  it('sends one signed ping through the durable delivery workflow, answers 202 with its key, and logs the attempt', async () => {
    const receiver = await startReceiver();
    try {
      const sub = await subscribe(toolA, { url: receiver.url, eventTypes: ['case_closed'] });
      const ping = await call<{ eventKey: string; links: { deliveries: string } }>(
        toolA,
        'POST',
        `/v1/webhook-subscriptions/${sub.subscriptionId}/ping`,
      );
      expect(ping.status).toBe(202);
      const { eventKey } = ping.body;
      expect(ping.body.links.deliveries).toBe(`/v1/webhook-subscriptions/${sub.subscriptionId}/deliveries`);

      // The same workflow as case events: one per subscription and key.
      const result = await sys.temporal.workflow.getHandle(webhookDeliveryId(sub.subscriptionId, eventKey)).result();
      expect(result).toBe('delivered');
      expect(receiver.of(eventKey)).toHaveLength(1);
      const [got] = receiver.of(eventKey);
      expect([got!.key, got!.eventId]).toEqual([eventKey, eventKey]);
      expect(verifyWebhook(sub.secret!, got!.body, got!.signature, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifyWebhook(sub.secret!, `${got!.body} `, got!.signature, Math.floor(Date.now() / 1000))).toBe(false);
      const payload = pingEventSchema.parse(JSON.parse(got!.body));
      expect(payload).toMatchObject({
        eventId: eventKey,
        type: 'ping',
        actor: { kind: 'tool', id: 'registry-a' },
        data: { subscriptionId: sub.subscriptionId },
      });

      const log = await call<{ deliveries: Attempt[]; nextCursor?: string }>(toolA, 'GET', ping.body.links.deliveries);
      expect(log.status).toBe(200);
      expect(log.body.deliveries).toEqual([
        {
          eventKey,
          attempt: 1,
          outcome: 'delivered',
          httpStatus: 204,
          durationMs: expect.any(Number),
          at: expect.any(String),
        },
      ]);
      expect(log.body.nextCursor).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });

  it('rotates the secret: shown once, the next delivery is signed with the new one only', async () => {
    const receiver = await startReceiver();
    try {
      const sub = await subscribe(toolA, { url: receiver.url });
      const rotated = await call<{ secret: string }>(
        toolA,
        'POST',
        `/v1/webhook-subscriptions/${sub.subscriptionId}/rotate-secret`,
      );
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(sub.secret);
      const { body } = await call<{ eventKey: string }>(
        toolA,
        'POST',
        `/v1/webhook-subscriptions/${sub.subscriptionId}/ping`,
      );
      await sys.temporal.workflow.getHandle(webhookDeliveryId(sub.subscriptionId, body.eventKey)).result();
      const now = Math.floor(Date.now() / 1000);
      const [got] = receiver.of(body.eventKey);
      expect(verifyWebhook(rotated.body.secret, got!.body, got!.signature, now)).toBe(true);
      expect(verifyWebhook(sub.secret!, got!.body, got!.signature, now)).toBe(false);
      expect((await adminEvents(sub.subscriptionId)).map((e) => e.action)).toEqual([
        'webhook_subscription_created',
        'webhook_secret_rotated',
      ]);
      expect(JSON.stringify(await adminEvents(sub.subscriptionId))).not.toContain('whsec_');
    } finally {
      await receiver.close();
    }
  });

  it('lists every attempt, newest first, in pages with a keyset cursor', async () => {
    // Two refusals a retry may cure, then the receiver takes it: three attempts of one ping.
    const receiver = await startReceiver({ answer: (n) => (n <= 2 ? 503 : 200) });
    try {
      const sub = await subscribe(admin, { url: receiver.url, regions: [regionB] });
      const deliveries = `/v1/webhook-subscriptions/${sub.subscriptionId}/deliveries`;
      const { body } = await call<{ eventKey: string }>(
        admin,
        'POST',
        `/v1/webhook-subscriptions/${sub.subscriptionId}/ping`,
      );
      expect(await sys.temporal.workflow.getHandle(webhookDeliveryId(sub.subscriptionId, body.eventKey)).result()).toBe(
        'delivered',
      );

      const first = await call<{ deliveries: Attempt[]; nextCursor?: string }>(admin, 'GET', `${deliveries}?limit=2`);
      expect(first.body.deliveries.map((d) => [d.attempt, d.outcome, d.httpStatus])).toEqual([
        [3, 'delivered', 200],
        [2, 'failed', 503],
      ]);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await call<{ deliveries: Attempt[]; nextCursor?: string }>(
        admin,
        'GET',
        `${deliveries}?limit=2&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.deliveries.map((d) => [d.attempt, d.outcome, d.httpStatus])).toEqual([[1, 'failed', 503]]);
      expect(second.body.nextCursor).toBeUndefined();
      const all = [...first.body.deliveries, ...second.body.deliveries];
      expect(all.every((d) => d.eventKey === body.eventKey && d.durationMs >= 0)).toBe(true);
      expect(all.map((d) => d.at)).toEqual([...all.map((d) => d.at)].sort().reverse());

      const bad = await call<Problem>(admin, 'GET', `${deliveries}?cursor=nonsense`);
      expect([bad.status, bad.body.errors?.map((e) => e.path)]).toEqual([400, ['cursor']]);
      expect((await call<Problem>(admin, 'GET', `${deliveries}?limit=0`)).body.errors?.map((e) => e.path)).toEqual([
        'limit',
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('logs a receiver that cannot be reached with the kind of error, and a deactivated subscription stops its deliveries in flight', async () => {
    const port = await freePort(); // nothing listens here yet
    const sub = await subscribe(toolA, { url: `http://127.0.0.1:${port}/hooks` });
    const path = `/v1/webhook-subscriptions/${sub.subscriptionId}`;
    const { body: ping } = await call<{ eventKey: string }>(toolA, 'POST', `${path}/ping`);
    const failed = await eventually(async () => {
      const log = await call<{ deliveries: Attempt[] }>(toolA, 'GET', `${path}/deliveries`);
      return log.body.deliveries.length >= 2 ? log.body.deliveries : undefined;
    });
    expect(
      failed.every((d) => d.outcome === 'failed' && d.httpStatus === undefined && typeof d.error === 'string'),
    ).toBe(true);

    expect((await call(toolA, 'DELETE', path)).status).toBe(204);
    const receiver = await startReceiver({ port });
    try {
      await new Promise((r) => setTimeout(r, 3_000)); // retries back off to 1 s here: any would have arrived
      expect(receiver.of(ping.eventKey)).toEqual([]);
      const log = await call<{ deliveries: Attempt[] }>(toolA, 'GET', `${path}/deliveries`);
      expect(log.body.deliveries.some((d) => d.outcome === 'delivered')).toBe(false);
    } finally {
      await receiver.close();
    }
  });
});
