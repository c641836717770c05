import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { serviceCategories } from '../../domain/case';
import { regionalReport, reportCsv, reportLanguages } from '../../db/reports';
import { deterministicId } from '../case-ids';
import { authorizeWrite, principalOf } from '../auth';
import { claimIdempotencyKey } from '../idempotency';
import { hromadaCodeAt, regionCodeAt, regionQuery } from '../reference-checks';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';

const names = z.object({ uk: z.string(), en: z.string() });
const reportRow = z.object({
  region: z.string().describe('ISO 3166-2:UA code (or, for rows stored before migration 008 with an unrecognised name, that text)'),
  regionName: names.optional().describe('The region’s names, when the code is in the register'),
  hromada: z.string().optional().describe('KATOTTG code (or older free text)'),
  hromadaName: names.optional().describe('The hromada’s names, when the code is in the register'),
  approached: z.number().int(),
  oneOffContacts: z.number().int(),
  casesOpened: z.number().int(),
  activeCases: z.number().int(),
  caseManagers: z.number().int(),
  casesPerCaseManager: z.number(),
  casesClosed: z.number().int(),
  closedPositive: z.number().int(),
  services: z.record(z.enum(serviceCategories), z.number().int()),
});

/** The regional report for heads of services and funders, and one-off contacts that feed it. */
export function reportRoutes(deps: ApiDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/reports/regional',
      operationId: 'regionalReport',
      summary: 'People who approached, cases opened, cases per case manager, closed (positive), services by category',
      description: 'Per region (or hromada) for the period [from, to), Kyiv dates. JSON, or CSV with Accept: text/csv (UTF-8 with a byte-order mark; Ukrainian headers with lang=uk). Limited to the regions of your scope.',
      tags: ['reports'],
      access: ['supervisor', 'head', 'admin'],
      query: z
        .object({
          from: z.iso.date(),
          to: z.iso.date(),
          region: z.string().min(1).max(120).optional().describe('ISO 3166-2:UA code, or the region’s name in English or Ukrainian'),
          groupBy: z.enum(['region', 'hromada']).default('region'),
          lang: z.enum(reportLanguages).default('en').describe('CSV headers: machine names (en) or Ukrainian (uk)'),
          format: z.enum(['json', 'csv']).optional().describe('csv: the CSV whatever Accept says (a download link in a browser)'),
        })
        .refine((q) => q.from < q.to, { message: 'from must be before to', path: ['to'] }),
      responses: { 200: { description: 'The report', schema: z.object({ from: z.string(), to: z.string(), rows: z.array(reportRow) }), contentTypes: ['text/csv'] } },
      handle: async ({ query }, req, res) => {
        const scope = principalOf(res).scope.regions;
        const region = query.region && (await regionQuery(deps, query.region));
        if (region && scope?.length && !scope.includes(region)) throw new HttpProblem(403, 'Forbidden', `Region ${region} is outside your scope.`);
        const regions = region ? [region] : scope?.length ? scope : undefined;
        const rows = await regionalReport(deps.pool, { from: query.from, to: query.to, regions, byHromada: query.groupBy === 'hromada' });
        if (query.format === 'csv' || (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv')) {
          res.type('text/csv; charset=utf-8').attachment(`suprovid-report-${query.from}-${query.to}.csv`).send(reportCsv(rows, query.lang));
          return;
        }
        res.json({ from: query.from, to: query.to, rows });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/one-off-contacts',
      operationId: 'recordOneOffContact',
      summary: 'A person served once (information, a consultation) without opening a case',
      tags: ['cases'],
      access: ['case_manager', 'supervisor', 'integration', 'admin'],
      headers: z.object({ 'idempotency-key': z.string().min(8).max(200).optional().describe('A retry with the same key records nothing twice; unique per caller (another body with it: 422)') }),
      body: z.object({
        region: z.string().trim().min(1).max(120).describe('ISO 3166-2:UA code, or the region’s name in English or Ukrainian; kept as the code'),
        hromada: z.string().trim().min(1).max(120).optional().describe('KATOTTG code of a hromada of the region'),
        at: z.iso.datetime({ offset: true }).optional(),
        services: z.array(z.object({ category: z.enum(serviceCategories), description: z.string().max(2000).optional() })).min(1).max(20),
        client: z.object({ fullName: z.string().trim().min(1).max(300), birthDate: z.iso.date().optional(), phone: z.string().max(40).optional(), displacementStatus: z.enum(['idp', 'returnee', 'host_community', 'other']).optional() }).optional(),
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
          contactId, region: body.region, hromada: body.hromada, at: body.at ?? new Date().toISOString(), services: body.services,
          person: body.client && { ...body.client, role: 'client', personId: deterministicId(`${contactId}:person`) }, recordedBy: actor.id,
        });
        res.status(added ? 201 : 200).json({ contactId });
      },
    }),
  ];
}
