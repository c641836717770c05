import { z } from 'zod';
import { staffRoles } from '../../domain/staff';
import { principalOf } from '../auth';
import { adminOnly, supervisors } from '../authorization';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { regionCodeAt, regionQuery, requireStaff } from '../reference-checks';
import { defineRoute, type AnyRoute } from '../route';

const staffId = z.string().trim().min(1).max(120);
const staffView = z
  .object({
    staffId: z.string(),
    name: z.string().describe('Personal data: shown to administrators, supervisors and heads, never logged'),
    role: z.enum(staffRoles),
    region: z.string().optional().describe('ISO 3166-2:UA code'),
    supervisorId: z.string().optional(),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({
    examples: [
      {
        staffId: 'cm-olena',
        name: 'Олена Коваль',
        role: 'case_manager',
        region: 'UA-63',
        supervisorId: 'sup-taras',
        active: true,
        createdAt: '2026-12-01T09:00:00.000Z',
        updatedAt: '2026-12-01T09:00:00.000Z',
      },
    ],
  });
const example = {
  staffId: 'cm-olena',
  name: 'Олена Коваль',
  role: 'case_manager',
  region: 'UA-63',
  supervisorId: 'sup-taras',
};
const registerBody = z
  .object({
    staffId,
    name: z.string().trim().min(1).max(300),
    role: z.enum(staffRoles),
    region: z.string().trim().min(1).max(120).optional().describe('ISO 3166-2:UA code or name (kept as the code)'),
    supervisorId: staffId.optional().describe('Their supervisor: a registered, active staff member'),
    active: z.boolean().default(true),
  })
  .strict()
  .meta({ examples: [example] });
const changeBody = z
  .object({
    name: registerBody.shape.name.optional(),
    role: registerBody.shape.role.optional(),
    region: registerBody.shape.region.unwrap().nullable().optional().describe('null: no region'),
    supervisorId: staffId.nullable().optional().describe('null: no supervisor'),
    active: z.boolean().optional().describe('false: has left (their cases can still be reassigned from them)'),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'Nothing to change')
  .meta({ examples: [{ active: false }, { supervisorId: 'sup-iryna', region: 'UA-53' }] });
const params = z.object({ staffId });
const notFound = (id: string) => new HttpProblem(404, 'Not found', `No staff member ${id}`);

/**
 * The staff registry: who keys, teams and reassignments refer to. Administrators register and
 * change staff (each change an admin_events row naming the fields, never the name's value);
 * supervisors and heads read it to pick whom to assign. Nobody is deleted: a leaver is made inactive.
 */
export function staffRoutes(deps: ApiDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/staff',
      operationId: 'registerStaff',
      summary: 'Register a staff member',
      tags: ['staff'],
      access: adminOnly,
      body: registerBody,
      responses: {
        201: { description: 'Registered', schema: staffView },
        400: {
          description:
            'A field does not parse, or the region or supervisor is not in the reference data (errors[] names it)',
        },
        409: { description: 'The staff id is taken' },
      },
      handle: async ({ body }, _req, res) => {
        const region = body.region && (await regionCodeAt(deps, 'region', body.region));
        await requireStaff(deps, [{ path: 'supervisorId', value: body.supervisorId }]);
        const member = await deps.staff.register({ ...body, region }, principalOf(res).actor);
        if (!member) throw new HttpProblem(409, 'Conflict', `Staff id ${body.staffId} is taken.`);
        res.status(201).location(`/v1/staff/${member.staffId}`).json(member);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/staff',
      operationId: 'listStaff',
      summary: 'The staff registry, by id',
      tags: ['staff'],
      access: supervisors,
      query: z.object({
        role: z.enum(staffRoles).optional(),
        region: z.string().min(1).max(120).optional().describe('ISO 3166-2:UA code or name'),
        supervisorId: staffId.optional(),
        active: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: staffId.optional().describe('nextCursor of the previous page'),
      }),
      responses: {
        200: {
          description: 'A page of staff',
          schema: z.object({ staff: z.array(staffView), nextCursor: z.string().optional() }),
        },
      },
      handle: async ({ query: { limit, cursor, region, ...f } }, _req, res) => {
        const page = await deps.staff.list({
          ...f,
          region: region && (await regionQuery(deps, region)),
          limit: limit + 1,
          after: cursor,
        });
        const staff = page.slice(0, limit);
        res.json({ staff, nextCursor: page.length > limit ? staff.at(-1)!.staffId : undefined });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/staff/:staffId',
      operationId: 'getStaff',
      summary: 'One staff member',
      tags: ['staff'],
      access: supervisors,
      params,
      responses: {
        200: { description: 'The staff member', schema: staffView },
        404: { description: 'No such staff member' },
      },
      handle: async ({ params: { staffId: id } }, _req, res) => {
        const member = await deps.staff.get(id);
        if (!member) throw notFound(id);
        res.json(member);
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/staff/:staffId',
      operationId: 'changeStaff',
      summary: "Change a staff member's name, role, region, supervisor, or make them inactive (a leaver)",
      description:
        'Fields not sent are kept; null clears region or supervisor. Each change is an admin_events row naming the fields changed.',
      tags: ['staff'],
      access: adminOnly,
      params,
      body: changeBody,
      responses: {
        200: {
          description: 'As changed, with the fields that changed',
          schema: z.object({ member: staffView, changed: z.array(z.string()) }),
        },
        400: { description: 'A field does not parse, or the region or supervisor is not in the reference data' },
        404: { description: 'No such staff member' },
      },
      handle: async ({ params: { staffId: id }, body }, _req, res) => {
        const region = body.region && (await regionCodeAt(deps, 'region', body.region));
        if (body.supervisorId === id)
          throw new HttpProblem(400, 'Invalid request', 'Nobody supervises themselves.', {
            errors: [{ location: 'body', path: 'supervisorId', message: 'is the staff member', code: 'custom' }],
          });
        await requireStaff(deps, [{ path: 'supervisorId', value: body.supervisorId ?? undefined }]);
        const done = await deps.staff.update(
          id,
          { ...body, ...(region !== undefined ? { region } : {}) },
          principalOf(res).actor,
        );
        if (!done) throw notFound(id);
        res.json(done);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/staff/:staffId',
      operationId: 'deactivateStaff',
      summary:
        'A staff member leaves: made inactive (kept; nothing is deleted). Move their cases with POST /v1/reassignments',
      tags: ['staff'],
      access: adminOnly,
      params,
      responses: { 204: { description: 'Inactive' }, 404: { description: 'No such staff member' } },
      handle: async ({ params: { staffId: id } }, _req, res) => {
        if (!(await deps.staff.update(id, { active: false }, principalOf(res).actor))) throw notFound(id);
        res.status(204).end();
      },
    }),
  ];
}
