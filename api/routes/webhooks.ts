import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { z } from 'zod';
import { decodeAttemptCursor, type SubscriptionView } from '../../db/webhooks';
import { subscriptionFor, type Principal, type SubscriptionRequest } from '../../domain/principal';
import { caseEventTypes, deliveryOutcomes } from '../../domain/vocabulary';
import { pingPayload } from '../../domain/webhooks';
import { defaultReceiverNetworks, receiverAddressPolicy } from '../../platform/network';
import { principalOf } from '../auth';
import { subscribers } from '../authorization';
import type { ApiDeps } from '../deps';
import { regionCodesAt } from '../reference-checks';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';

/** http is for a receiver on the same machine (development); anything else must be https. */
const isLoopback = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
function receiverUrlProblem(u: string): string | undefined {
  if (!URL.canParse(u)) return undefined; // z.url has said so
  const url = new URL(u);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname)))
    return 'must be https (http only to localhost, 127.0.0.1 or [::1], for development)';
  if (url.username || url.password) return 'must not hold credentials: verify the signature instead';
  return undefined;
}
const receiverUrl = z
  .url()
  .max(2_000)
  .superRefine((u, ctx) => {
    const message = receiverUrlProblem(u);
    if (message) ctx.addIssue({ code: 'custom', message });
  })
  .describe('Where events are POSTed: https, or http to localhost/127.0.0.1/[::1] for development');
const staffId = z.string().trim().min(1).max(120);
const filterFields = {
  eventTypes: z
    .array(z.enum(caseEventTypes))
    .max(caseEventTypes.length)
    .describe('The event types it wants (none: all); the catalogue is in the webhooks section'),
  regions: z
    .array(staffId)
    .max(50)
    .describe(
      "The cases' regions it wants (none: all), by ISO 3166-2:UA code or name (kept as codes). A tool's default: the regions of its key's scope",
    ),
  providerId: staffId.describe("Only events about referrals addressed to this provider; a tool's own subject"),
};
const createBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    url: receiverUrl,
    eventTypes: filterFields.eventTypes.default([]),
    regions: filterFields.regions.optional(),
    providerId: filterFields.providerId.optional(),
    owner: staffId
      .optional()
      .describe("The tool that manages it (an administrator only; default: the caller's subject)"),
  })
  .strict()
  .meta({
    examples: [
      {
        name: 'Kharkiv registry',
        url: 'https://registry.example.org/suprovid/events',
        eventTypes: ['case_opened', 'case_closed'],
        regions: ['UA-63'],
      },
    ],
  });
const updateBody = z
  .object({
    name: createBody.shape.name.optional(),
    url: receiverUrl.optional(),
    eventTypes: filterFields.eventTypes.optional(),
    regions: filterFields.regions.optional(),
    providerId: filterFields.providerId.nullable().optional().describe('null: no longer limited to one provider'),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'Nothing to change')
  .meta({ examples: [{ url: 'https://registry.example.org/suprovid/v2', eventTypes: [] }] });

const subscriptionView = z.object({
  subscriptionId: z.uuid(),
  name: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  regions: z.array(z.string()),
  providerId: z.string().optional(),
  owner: z.string(),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  updatedAt: z.iso.datetime(),
  deactivatedAt: z.iso.datetime().optional(),
});
const secretField = {
  secret: z.string().describe('The signing secret, shown only here: keep it to verify Suprovid-Signature'),
};
const deliveryView = z.object({
  eventKey: z.string(),
  attempt: z.number().int().describe('1 for the first try; 0 for the row that records giving up'),
  outcome: z.enum(deliveryOutcomes),
  httpStatus: z.number().int().optional(),
  error: z
    .string()
    .optional()
    .describe('The kind of network error (TimeoutError, TypeError, …), when there was no answer'),
  durationMs: z.number().int(),
  at: z.iso.datetime(),
});
const idParams = z.object({ subscriptionId: z.uuid() });

/** An administrator sees every subscription; a tool only its own. */
const ownerOf = (p: Principal) => (p.role === 'admin' ? undefined : p.subject);
const notFound = (id: string) => new HttpProblem(404, 'Not found', `No webhook subscription ${id}`);

async function activeSubscription(deps: ApiDeps, res: Response, id: string): Promise<SubscriptionView> {
  const sub = await deps.webhooks.find(id, ownerOf(principalOf(res)));
  if (!sub) throw notFound(id);
  if (!sub.active)
    throw new HttpProblem(
      409,
      'Deactivated',
      `Webhook subscription ${id} was deactivated on ${sub.deactivatedAt}; create a new one.`,
    );
  return sub;
}

/** The filters a caller may have, or 403 naming each field that reaches outside its scope. */
function scoped(p: Principal, r: SubscriptionRequest) {
  const decided = subscriptionFor(p, r);
  if (Array.isArray(decided)) {
    throw new HttpProblem(403, 'Forbidden', 'The subscription would hear about cases outside your scope.', {
      errors: decided.map((e) => ({ location: 'body', path: e.path, message: e.message, code: 'outside_scope' })),
    });
  }
  return decided;
}

/** Webhook subscriptions: an administrator manages any, a tool (integration key) its own. */
export function webhookRoutes(deps: ApiDeps): AnyRoute[] {
  const now = deps.clock ?? (() => new Date());
  const tags = ['webhooks'];
  // What the workers check at every connection, said at once where the URL alone shows it.
  const addresses = deps.receiverAddresses ?? receiverAddressPolicy(defaultReceiverNetworks);
  const reachable = (url: string | undefined) => {
    const message = url === undefined ? undefined : addresses.problemWithUrl(url);
    if (message)
      throw new HttpProblem(400, 'Invalid request', `url: ${message}`, {
        errors: [{ location: 'body', path: 'url', message, code: 'address_not_permitted' }],
      });
  };
  return [
    defineRoute({
      method: 'post',
      path: '/v1/webhook-subscriptions',
      operationId: 'createWebhookSubscription',
      summary: 'Subscribe a URL to case events (the signing secret is shown once)',
      description:
        'A tool subscribes for itself, to the regions of its scope or to referrals addressed to it; an administrator to anything, for any owner.',
      tags,
      access: subscribers,
      body: createBody,
      responses: {
        201: {
          description: 'Subscribed; events start with the next change of a case',
          schema: subscriptionView.extend(secretField),
        },
      },
      handle: async ({ body: { name, url, eventTypes, ...asked } }, _req, res) => {
        reachable(url);
        const p = principalOf(res);
        if (asked.regions)
          asked.regions = await regionCodesAt(
            deps,
            asked.regions.map((value, i) => ({ path: `regions[${i}]`, value })),
          );
        const sub = await deps.webhooks.subscribe({ name, url, eventTypes, ...scoped(p, asked) }, p.actor);
        res.status(201).location(`/v1/webhook-subscriptions/${sub.subscriptionId}`).json(sub);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhook-subscriptions',
      operationId: 'listWebhookSubscriptions',
      summary: 'Your webhook subscriptions (an administrator: all), deactivated ones too',
      tags,
      access: subscribers,
      responses: {
        200: { description: 'Oldest first', schema: z.object({ subscriptions: z.array(subscriptionView) }) },
      },
      handle: async (_in, _req, res) =>
        void res.json({ subscriptions: await deps.webhooks.list(ownerOf(principalOf(res))) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhook-subscriptions/:subscriptionId',
      operationId: 'getWebhookSubscription',
      summary: 'One webhook subscription (never its secret)',
      tags,
      access: subscribers,
      params: idParams,
      responses: { 200: { description: 'The subscription', schema: subscriptionView } },
      handle: async ({ params }, _req, res) => {
        const sub = await deps.webhooks.find(params.subscriptionId, ownerOf(principalOf(res)));
        if (!sub) throw notFound(params.subscriptionId);
        res.json(sub);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/webhook-subscriptions/:subscriptionId',
      operationId: 'updateWebhookSubscription',
      summary: 'Change a subscription’s name, URL or filters',
      description: 'Fields not sent are kept. The next attempt of every delivery in flight goes to the new URL.',
      tags,
      access: subscribers,
      params: idParams,
      body: updateBody,
      responses: { 200: { description: 'The subscription as changed', schema: subscriptionView } },
      handle: async ({ params, body: { providerId: newProvider, ...body } }, _req, res) => {
        reachable(body.url);
        const p = principalOf(res);
        const current = await activeSubscription(deps, res, params.subscriptionId);
        if (body.regions)
          body.regions = await regionCodesAt(
            deps,
            body.regions.map((value, i) => ({ path: `regions[${i}]`, value })),
          );
        // The subscription as it would be, checked as a new one is.
        const { providerId } = scoped(p, {
          owner: current.owner,
          regions: body.regions ?? current.regions,
          providerId: newProvider === undefined ? current.providerId : (newProvider ?? undefined),
        });
        const changes = { ...body, ...(newProvider !== undefined ? { providerId } : {}) };
        const updated = await deps.webhooks.update(params.subscriptionId, ownerOf(p), changes, p.actor);
        if (!updated) throw notFound(params.subscriptionId);
        res.json(updated);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/webhook-subscriptions/:subscriptionId',
      operationId: 'deactivateWebhookSubscription',
      summary: 'Unsubscribe: deactivates the subscription (kept with its delivery log); deliveries in flight stop',
      tags,
      access: subscribers,
      params: idParams,
      responses: { 204: { description: 'Deactivated' } },
      handle: async ({ params }, _req, res) => {
        const p = principalOf(res);
        if (!(await deps.webhooks.deactivate(params.subscriptionId, ownerOf(p), p.actor))) {
          throw new HttpProblem(404, 'Not found', `No active webhook subscription ${params.subscriptionId}`);
        }
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-subscriptions/:subscriptionId/rotate-secret',
      operationId: 'rotateWebhookSecret',
      summary: 'Replace the signing secret (shown once); the old one stops at once',
      tags,
      access: subscribers,
      params: idParams,
      responses: {
        200: {
          description: 'The new secret; the next attempt of every delivery is signed with it',
          schema: z.object(secretField),
        },
      },
      handle: async ({ params }, _req, res) => {
        const p = principalOf(res);
        await activeSubscription(deps, res, params.subscriptionId);
        const secret = await deps.webhooks.rotateSecret(params.subscriptionId, ownerOf(p), p.actor);
        if (!secret) throw notFound(params.subscriptionId);
        res.json({ secret });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/webhook-subscriptions/:subscriptionId/ping',
      operationId: 'pingWebhookSubscription',
      summary: 'Send one signed ping event to the URL, through the same durable delivery as case events',
      description:
        'Whatever the filters. The attempts show in the delivery log under the returned eventKey; retried like any event.',
      tags,
      access: subscribers,
      params: idParams,
      responses: {
        202: {
          description: 'The delivery is started',
          schema: z.object({ eventKey: z.string(), links: z.object({ deliveries: z.string() }) }),
        },
      },
      handle: async ({ params }, _req, res) => {
        const sub = await activeSubscription(deps, res, params.subscriptionId);
        const eventKey = `ping-${randomUUID()}`;
        const body = JSON.stringify(pingPayload(eventKey, sub.subscriptionId, principalOf(res).actor, now()));
        await deps.startDelivery({ subscriptionId: sub.subscriptionId, eventKey, body, retry: deps.deliveryRetry });
        res
          .status(202)
          .json({ eventKey, links: { deliveries: `/v1/webhook-subscriptions/${sub.subscriptionId}/deliveries` } });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/webhook-subscriptions/:subscriptionId/deliveries',
      operationId: 'listWebhookDeliveries',
      summary: 'The delivery log: every attempt, newest first',
      description: 'In pages: pass nextCursor as cursor for the next one.',
      tags,
      access: subscribers,
      params: idParams,
      query: z.object({
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
      }),
      responses: {
        200: {
          description: 'A page of attempts',
          schema: z.object({ deliveries: z.array(deliveryView), nextCursor: z.string().optional() }),
        },
      },
      handle: async ({ params, query: { limit, cursor } }, _req, res) => {
        const after = cursor ? decodeAttemptCursor(cursor) : undefined;
        if (cursor && !after)
          throw new HttpProblem(400, 'Invalid request', 'The cursor is not one this API gave.', {
            errors: [{ location: 'query', path: 'cursor', message: 'unknown cursor', code: 'custom' }],
          });
        if (!(await deps.webhooks.find(params.subscriptionId, ownerOf(principalOf(res)))))
          throw notFound(params.subscriptionId);
        res.json(await deps.webhooks.deliveries(params.subscriptionId, { limit, after }));
      },
    }),
  ];
}
