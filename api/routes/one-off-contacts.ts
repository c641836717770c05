import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { serviceCategories } from '../../domain/vocabulary';
import { authorizeWrite, principalOf } from '../auth';
import { contactRecorders } from '../authorization';
import { deterministicId } from '../case-ids';
import type { ApiDeps } from '../deps';
import { claimIdempotencyKey } from '../idempotency';
import { personSchema } from '../people-schemas';
import { hromadaCodeAt, regionCodeAt } from '../reference-checks';
import { defineRoute, type AnyRoute } from '../route';

/** A person served once, without a case (counted in the regional report: routes/reports.ts). */
export function oneOffContactRoutes(deps: ApiDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/one-off-contacts',
      operationId: 'recordOneOffContact',
      summary: 'A person served once (information, a consultation) without opening a case',
      tags: ['cases'],
      access: contactRecorders,
      headers: z.object({
        'idempotency-key': z
          .string()
          .min(8)
          .max(200)
          .optional()
          .describe('A retry with the same key records nothing twice; unique per caller (another body with it: 422)'),
      }),
      body: z.object({
        region: z
          .string()
          .trim()
          .min(1)
          .max(120)
          .describe('ISO 3166-2:UA code, or the region’s name in English or Ukrainian; kept as the code'),
        hromada: z.string().trim().min(1).max(120).optional().describe('KATOTTG code of a hromada of the region'),
        at: z.iso
          .datetime({ offset: true })
          .optional()
          .describe('When the person was served (default: when it is recorded)'),
        services: z
          .array(z.object({ category: z.enum(serviceCategories), description: z.string().max(2000).optional() }))
          .min(1)
          .max(20),
        client: personSchema.optional().describe('The person, if known: the same fields and checks as a case’s client'),
      }),
      responses: {
        201: { description: 'Recorded (200 for a retry)', schema: z.object({ contactId: z.uuid() }) },
        403: { description: 'The role may not record contacts, or the region is outside your scope' },
        422: { description: 'The Idempotency-Key was sent before with another request' },
      },
      handle: async ({ headers, body }, _req, res) => {
        const { actor } = principalOf(res);
        const key = headers['idempotency-key'];
        body.region = await regionCodeAt(deps, 'region', body.region);
        if (body.hromada !== undefined) body.hromada = await hromadaCodeAt(deps, 'hromada', body.hromada, body.region);
        authorizeWrite(res, { region: body.region });
        await claimIdempotencyKey(deps.idempotencyKeys, key, { operation: 'recordOneOffContact', actor, body });
        const contactId = key ? deterministicId(`${actor.kind}:${actor.id}:one-off:${key}`) : randomUUID();
        const added = await deps.oneOff.record({
          contactId,
          region: body.region,
          hromada: body.hromada,
          at: body.at ?? (deps.clock?.() ?? new Date()).toISOString(),
          services: body.services,
          person: body.client && { ...body.client, role: 'client', personId: deterministicId(`${contactId}:person`) },
          recordedBy: actor.id,
        });
        res.status(added ? 201 : 200).json({ contactId });
      },
    }),
  ];
}
