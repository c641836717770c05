import { z } from 'zod';
import { replayToleranceSeconds } from '../activities/webhook-signature';
import { pingEventSchema, webhookEventSchema, webhookEventTypes } from '../domain/webhooks';
import { bodyMediaTypes, edgeSchemas, type AnyRoute } from './route';

/** The OpenAPI 3.1 document, generated from the same route declarations and zod schemas the API runs. */
const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z
    .array(z.object({ location: z.string(), path: z.string(), message: z.string(), code: z.string() }))
    .optional()
    .describe(
      'The failing fields of a request that did not parse; an unknown field has code unrecognized_keys, a union names the shapes it accepts in message',
    ),
  outOfScope: z
    .array(z.string())
    .optional()
    .describe('A write outside your scope (403): each field and value that is out of it'),
  idempotencyKey: z.string().optional().describe('The Idempotency-Key sent before with another request (422)'),
  commands: z.array(z.string()).optional().describe('An unknown command (404): the commands there are'),
});

export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** Express's /a/:b becomes OpenAPI's /a/{b}. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parameters(route: AnyRoute): unknown[] {
  const out: unknown[] = [];
  const add = (where: 'path' | 'query' | 'header', schema: z.ZodType | undefined) => {
    if (!schema) return;
    const js = jsonSchema(schema, 'input') as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      const { description, ...s } = prop;
      out.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        description,
        schema: s,
      });
    }
  };
  add('path', route.params);
  add('query', route.query);
  add('header', route.headers);
  return out;
}

/** How a receiver knows a webhook is Suprovid's, and fresh (activities/webhook-signature.ts does both sides). */
export const webhookSignatureScheme = [
  "Each event is POSTed as JSON to the subscription's URL with these headers:",
  '',
  '- `Idempotency-Key` and `Suprovid-Event-Id`: the event key, the same on every attempt: store it and ignore repeats;',
  "- `Suprovid-Signature: t=<unix seconds>,v1=<hex>`, where `v1` is the HMAC-SHA256 of the string `<t>.<raw body>` keyed with the subscription's secret (`whsec_…`, shown at creation and on rotation).",
  '',
  `To verify: split the header at commas into \`t\` and \`v1\`; compute HMAC-SHA256 over \`\${t}.\${rawBody}\` (the bytes as received, before any JSON parsing) with the secret; compare with \`v1\` in constant time; refuse a \`t\` more than ${replayToleranceSeconds} seconds from your clock (the replay window).`,
  '',
  'Answer 2xx when the event is taken. 408, 429, 5xx and network errors are retried with backoff (for two days by default); other 4xx answers are final. Events of one case may arrive out of order: order them by `case.seq`.',
].join('\n');

function webhookSection(): Record<string, unknown> {
  const header = (name: string, description: string) => ({
    name,
    in: 'header',
    required: true,
    description,
    schema: { type: 'string' },
  });
  const entry = (type: string, schema: z.ZodType) => ({
    post: {
      operationId: `webhook_${type}`,
      summary: type === 'ping' ? 'A test event, sent on request' : `The case event ${type}`,
      description: webhookSignatureScheme,
      tags: ['webhooks'],
      parameters: [
        header('idempotency-key', 'The event key: the same on every attempt'),
        header('suprovid-event-id', 'The event key'),
        header('suprovid-signature', 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">'),
      ],
      requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(schema, 'output') } } },
      responses: { '2XX': { description: 'Taken; any other answer is retried or (other 4xx) final' } },
    },
  });
  return Object.fromEntries(
    webhookEventTypes.map((t) => [t, entry(t, t === 'ping' ? pingEventSchema : webhookEventSchema(t))]),
  );
}

export function openApiDocument(routes: AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      const content: Record<string, unknown> = {};
      if (r.schema) content['application/json'] = { schema: jsonSchema(r.schema, 'output') };
      // An error a route declares (to say when it happens) has the shape of every error.
      else if (Number(status) >= 400)
        content['application/problem+json'] = { schema: { $ref: '#/components/schemas/Problem' } };
      for (const ct of r.contentTypes ?? []) content[ct] = { schema: { type: 'string' } };
      responses[status] = { description: r.description, ...(Object.keys(content).length ? { content } : {}) };
    }
    responses.default = {
      description: 'An error, as RFC 9457 problem details',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
    const op: Record<string, unknown> = {
      operationId: route.operationId,
      summary: route.summary,
      description: route.description,
      tags: route.tags,
      parameters: parameters(route),
      responses,
      security: route.access === 'public' ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }],
      'x-roles': route.access === 'public' ? undefined : route.access,
    };
    if (route.body) {
      // As the edge parses it: strict, so `additionalProperties: false` tells a client what is refused.
      const example = route.bodyExample === undefined ? {} : { example: route.bodyExample };
      const media = bodyMediaTypes[route.bodyType ?? 'json'];
      const schema = jsonSchema(edgeSchemas(route).body, 'input');
      op.requestBody = { required: true, content: Object.fromEntries(media.map((m) => [m, { schema, ...example }])) };
    }
    (paths[openApiPath(route.path)] ??= {})[route.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Suprovid API',
      version,
      description:
        'Open, steer and read social-service cases. Every case is a durable Temporal workflow. What tools subscribed at /v1/webhook-subscriptions receive, and how to verify its signature, is in the `webhooks` section.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    paths,
    webhooks: webhookSection(),
    components: {
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key issued by an administrator (tools)' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'suprovid_session',
          description:
            'A person signed in to the web console (POST /v1/sessions); every change also sends X-CSRF-Token',
        },
      },
    },
  };
}
