import { z } from 'zod';
import { policySchema } from '../../domain/policy';
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
      body: z.object({
        name: z.string().trim().min(1).max(200),
        role: z.enum(roles),
        subject: z.string().trim().min(1).max(200).describe("The staff member's id (a person's key: an active member of /v1/staff) or the tool's id: the actor of everything done with the key"),
        scope: scopeSchema.default({}).describe('regions: ISO 3166-2:UA codes or names (kept as codes); teams: staff ids of the registry'),
      }).meta({ examples: [{ name: 'Olena, Kharkiv', role: 'case_manager', subject: 'cm-olena', scope: { regions: ['UA-63'] } }] }),
      responses: {
        201: { description: 'The key; only its hash is kept', schema: z.object({ keyId: z.uuid(), key: z.string() }) },
        400: { description: 'A field does not parse, or names a region or staff member the reference data does not have (errors[] names it)' },
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
        if (!(await deps.apiKeys.revoke(params.keyId, principalOf(res).subject))) throw new HttpProblem(404, 'Not found', `No active key ${params.keyId}`);
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
      summary: 'Published policy versions',
      tags: ['policies'],
      access: anyRole,
      responses: { 200: { description: 'Newest first', schema: z.object({ versions: z.array(z.object({ version: z.string(), publishedAt: z.iso.datetime(), publishedBy: z.string() })) }) } },
      handle: async (_in, _req, res) => void res.json({ versions: await deps.policies.list() }),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/policies',
      operationId: 'publishPolicy',
      summary: 'Publish a new policy version (deadlines and holiday calendar); new cases follow it, running ones keep theirs',
      tags: ['policies'],
      access: adminOnly,
      body: policySchema,
      responses: { 201: { description: 'Published', schema: policySchema } },
      handle: async ({ body }, _req, res) => {
        const exists = (await deps.policies.list()).some((p) => p.version === body.version);
        if (exists) throw new HttpProblem(409, 'Version exists', `Policy version ${body.version} is published already; versions are never reused.`);
        await deps.policies.publish(body, principalOf(res).subject);
        res.status(201).json(body);
      },
    }),
  ];
}
