import { z } from 'zod';
import { defaultPolicy, policySchema } from '../../domain/policy';
import { roles, scopeSchema } from '../../domain/principal';
import { principalOf } from '../auth';
import { adminOnly, anyRole } from '../authorization';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { checkKeyRequest } from '../reference-checks';
import { defineRoute, type AnyRoute } from '../route';

const keyView = z.object({
  keyId: z.uuid(),
  name: z.string(),
  role: z.enum(roles),
  subject: z.string(),
  scope: scopeSchema,
  createdAt: z.iso.datetime(),
  createdBy: z.string(),
  revokedAt: z.iso.datetime().optional(),
});

/** Administration: API keys and deadline policies (with their holiday calendars). */
export function adminRoutes(deps: ApiDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/api-keys',
      operationId: 'issueApiKey',
      summary: 'Issue an API key (shown once)',
      tags: ['admin'],
      access: adminOnly,
      body: z
        .object({
          name: z.string().trim().min(1).max(200),
          role: z.enum(roles),
          subject: z
            .string()
            .trim()
            .min(1)
            .max(200)
            .describe(
              "The staff member's id (a person's key: an active member of /v1/staff) or the tool's id: the actor of everything done with the key",
            ),
          scope: scopeSchema
            .default({})
            .describe('regions: ISO 3166-2:UA codes or names (kept as codes); teams: staff ids of the registry'),
        })
        .meta({
          examples: [
            { name: 'Olena, Kharkiv', role: 'case_manager', subject: 'cm-olena', scope: { regions: ['UA-63'] } },
          ],
        }),
      responses: {
        201: { description: 'The key; only its hash is kept', schema: z.object({ keyId: z.uuid(), key: z.string() }) },
        400: {
          description:
            'A field does not parse, or names a region or staff member the reference data does not have (errors[] names it)',
        },
      },
      handle: async ({ body }, _req, res) => {
        const scope = await checkKeyRequest(deps, body);
        const issued = await deps.apiKeys.issue({ ...body, scope, createdBy: principalOf(res).subject });
        res.status(201).json(issued);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/api-keys',
      operationId: 'listApiKeys',
      summary: 'List API keys (never the keys themselves)',
      tags: ['admin'],
      access: adminOnly,
      responses: { 200: { description: 'Every key, revoked ones too', schema: z.object({ keys: z.array(keyView) }) } },
      handle: async (_in, _req, res) => void res.json({ keys: await deps.apiKeys.list() }),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/api-keys/:keyId',
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      tags: ['admin'],
      access: adminOnly,
      params: z.object({ keyId: z.uuid() }),
      responses: { 204: { description: 'Revoked' } },
      handle: async ({ params }, _req, res) => {
        if (!(await deps.apiKeys.revoke(params.keyId, principalOf(res).subject)))
          throw new HttpProblem(404, 'Not found', `No active key ${params.keyId}`);
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/policies/current',
      operationId: 'currentPolicy',
      summary: 'The deadline policy new cases are opened under',
      tags: ['policies'],
      access: anyRole,
      responses: { 200: { description: 'The newest published policy, or the shipped defaults', schema: policySchema } },
      handle: async (_in, _req, res) => void res.json(await deps.policies.current()),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/policies',
      operationId: 'listPolicies',
      summary: 'Policy versions, and which one new cases are opened under',
      description:
        'Newest first; the shipped defaults are listed too (published by `suprovid`, with no date) until a published version replaces them. A case names its version in `policyVersion`.',
      tags: ['policies'],
      access: anyRole,
      responses: {
        200: {
          description: 'The current version and every version',
          schema: z
            .object({
              current: z.string().describe('The version new cases are opened under'),
              versions: z.array(
                z.object({
                  version: z.string(),
                  current: z.boolean(),
                  publishedAt: z.iso.datetime().optional(),
                  publishedBy: z.string(),
                }),
              ),
            })
            .meta({
              examples: [
                {
                  current: 'ua-2026.2',
                  versions: [
                    {
                      version: 'ua-2026.2',
                      current: true,
                      publishedAt: '2026-02-01T09:00:00.000Z',
                      publishedBy: 'admin-olha',
                    },
                    { version: 'ua-2026.1', current: false, publishedBy: 'suprovid' },
                  ],
                },
              ],
            }),
        },
      },
      handle: async (_in, _req, res) => {
        const [current, published] = await Promise.all([deps.policies.current(), deps.policies.list()]);
        const shipped = published.some((p) => p.version === defaultPolicy.version)
          ? []
          : [{ version: defaultPolicy.version, publishedBy: 'suprovid' }];
        const versions = [...published, ...shipped].map((p) => ({ ...p, current: p.version === current.version }));
        res.json({ current: current.version, versions });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/policies/:version',
      operationId: 'getPolicy',
      summary: 'One policy version, whole: its deadlines and holiday calendar',
      description: 'The version a case follows is its `policyVersion`.',
      tags: ['policies'],
      access: anyRole,
      params: z.object({ version: z.string().min(1).max(50).describe('A policy version, e.g. ua-2026.1') }),
      responses: { 200: { description: 'The policy', schema: policySchema }, 404: { description: 'No such version' } },
      handle: async ({ params }, _req, res) => {
        const policy = await deps.policies.get(params.version);
        if (!policy) throw new HttpProblem(404, 'Not found', `No policy version ${params.version}`);
        res.json(policy);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/policies',
      operationId: 'publishPolicy',
      summary:
        'Publish a new policy version (deadlines and holiday calendar); new cases follow it, running ones keep theirs',
      tags: ['policies'],
      access: adminOnly,
      body: policySchema,
      responses: { 201: { description: 'Published', schema: policySchema } },
      handle: async ({ body }, _req, res) => {
        // GET /v1/policies/current names the current policy, so no version may be called that.
        if (body.version === 'current')
          throw new HttpProblem(400, 'Invalid request', 'A policy version may not be called "current".', {
            errors: [{ location: 'body', path: 'version', message: 'reserved', code: 'custom' }],
          });
        const exists = (await deps.policies.list()).some((p) => p.version === body.version);
        if (exists)
          throw new HttpProblem(
            409,
            'Version exists',
            `Policy version ${body.version} is published already; versions are never reused.`,
          );
        await deps.policies.publish(body, principalOf(res).subject);
        res.status(201).json(body);
      },
    }),
  ];
}
