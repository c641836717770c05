import type { Response } from 'express';
import { z } from 'zod';
import { serviceCategories } from '../../domain/case';
import { reportCsv } from '../../db/reports';
import { languages, stages } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import { supervisors } from '../authorization';
import { regionQuery } from '../reference-checks';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';

const names = z.object({ uk: z.string(), en: z.string() });
const reportRow = z.object({
  region: z
    .string()
    .describe('ISO 3166-2:UA code (or, for rows stored before migration 008 with an unrecognised name, that text)'),
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

/** A report's period [from, to), Kyiv dates, and its region. */
const periodQuery = {
  from: z.iso.date(),
  to: z.iso.date(),
  region: z
    .string()
    .min(1)
    .max(120)
    .optional()
    .describe('ISO 3166-2:UA code, or the region’s name in English or Ukrainian'),
};
const fromBeforeTo: [(q: { from: string; to: string }) => boolean, { message: string; path: string[] }] = [
  (q) => q.from < q.to,
  { message: 'from must be before to', path: ['to'] },
];

/** The regional report for heads of services and funders (one-off contacts, which feed it: routes/one-off-contacts.ts). */
export function reportRoutes(deps: ApiDeps): AnyRoute[] {
  /** The regions a report covers: the one asked for if it is in the caller's scope (403 if not), else the scope's (none: all). */
  const reportRegions = async (res: Response, asked?: string): Promise<string[] | undefined> => {
    const scope = principalOf(res).scope.regions;
    const region = asked && (await regionQuery(deps, asked));
    if (region && scope?.length && !scope.includes(region))
      throw new HttpProblem(403, 'Forbidden', `Region ${region} is outside your scope.`);
    return region ? [region] : scope?.length ? scope : undefined;
  };
  return [
    defineRoute({
      method: 'get',
      path: '/v1/reports/regional',
      operationId: 'regionalReport',
      summary: 'People who approached, cases opened, cases per case manager, closed (positive), services by category',
      description:
        'Per region (or hromada) for the period [from, to), Kyiv dates. JSON, or CSV with Accept: text/csv (UTF-8 with a byte-order mark; Ukrainian headers with lang=uk). Limited to the regions of your scope.',
      tags: ['reports'],
      access: supervisors,
      query: z
        .object({
          ...periodQuery,
          groupBy: z.enum(['region', 'hromada']).default('region'),
          lang: z.enum(languages).default('en').describe('CSV headers: machine names (en) or Ukrainian (uk)'),
          format: z
            .enum(['json', 'csv'])
            .optional()
            .describe('csv: the CSV whatever Accept says (a download link in a browser)'),
        })
        .refine(...fromBeforeTo),
      responses: {
        200: {
          description: 'The report',
          schema: z.object({ from: z.string(), to: z.string(), rows: z.array(reportRow) }),
          contentTypes: ['text/csv'],
        },
      },
      handle: async ({ query }, req, res) => {
        const regions = await reportRegions(res, query.region);
        const rows = await deps.reports.regional({
          from: query.from,
          to: query.to,
          regions,
          byHromada: query.groupBy === 'hromada',
        });
        if (
          query.format === 'csv' ||
          (query.format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv')
        ) {
          res
            .type('text/csv; charset=utf-8')
            .attachment(`suprovid-report-${query.from}-${query.to}.csv`)
            .send(reportCsv(rows, query.lang));
          return;
        }
        res.json({ from: query.from, to: query.to, rows });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/reports/overview',
      operationId: 'caseloadOverview',
      summary: "The caseload by stage now, and deadlines missed week by week (the head's charts)",
      description:
        "Within your scope's regions (or the one asked for). Missed: escalations opened, by the week (Monday, Kyiv time) they opened in.",
      tags: ['reports'],
      access: supervisors,
      query: z
        .object(periodQuery)
        .refine(...fromBeforeTo)
        .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 370 * 86_400_000, {
          message: 'at most a year',
          path: ['to'],
        }),
      responses: {
        200: {
          description: 'The figures',
          schema: z
            .object({
              from: z.string(),
              to: z.string(),
              byStage: z.partialRecord(z.enum(stages), z.number().int()),
              missedByWeek: z.array(z.object({ week: z.iso.date(), missed: z.number().int() })),
            })
            .meta({
              examples: [
                {
                  from: '2026-11-01',
                  to: '2026-12-01',
                  byStage: { intake: 12, assessment: 5, monitoring: 40, closed: 8 },
                  missedByWeek: [
                    { week: '2026-10-26', missed: 1 },
                    { week: '2026-11-02', missed: 3 },
                  ],
                },
              ],
            }),
        },
      },
      handle: async ({ query }, _req, res) => {
        const regions = await reportRegions(res, query.region);
        res.json({
          from: query.from,
          to: query.to,
          ...(await deps.reports.overview({ from: query.from, to: query.to, regions })),
        });
      },
    }),
  ];
}
