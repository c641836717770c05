import { z } from 'zod';
import { hromadaCsvColumns, parseHromadaCsv } from '../../domain/hromadas';
import { hromadaKinds } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import { adminOnly, anyRole } from '../authorization';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { regionQuery } from '../reference-checks';
import { defineRoute, type AnyRoute } from '../route';

const regionView = z
  .object({
    code: z.string().describe('ISO 3166-2:UA'),
    nameUk: z.string(),
    nameEn: z.string(),
    kind: z.enum(['oblast', 'city', 'autonomous_republic']),
    aliases: z.array(z.string()).describe('Other names accepted for it on input'),
  })
  .meta({
    examples: [
      {
        code: 'UA-63',
        nameUk: 'Харківська область',
        nameEn: 'Kharkiv Oblast',
        kind: 'oblast',
        aliases: ['Kharkiv', 'Kharkiv region', 'Харківська', 'Харків', 'Kharkivska oblast'],
      },
    ],
  });
const hromadaView = z
  .object({
    katottg: z.string().describe('KATOTTG code: UA and 17 digits'),
    region: z.string().describe('ISO 3166-2:UA code of its region'),
    nameUk: z.string(),
    nameEn: z.string(),
    kind: z.enum(hromadaKinds),
  })
  .meta({
    examples: [
      {
        katottg: 'UA63040090000021240',
        region: 'UA-63',
        nameUk: 'Ізюмська міська територіальна громада',
        nameEn: 'Izium urban hromada',
        kind: 'urban',
      },
    ],
  });
const csvExample = [
  hromadaCsvColumns.join(','),
  'UA63040090000021240,UA-63,Ізюмська міська територіальна громада,Izium urban hromada,urban',
  'UA63120290000021734,,Циркунівська сільська територіальна громада,Tsyrkuny rural hromada,rural',
].join('\r\n');
const importResult = z.object({
  received: z.number().int().describe('Data lines in the file'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int().describe('Lines the same as stored (an import sent again changes nothing)'),
  errors: z
    .array(
      z.object({
        line: z.number().int().describe('Line of the file; 1 is the header'),
        katottg: z.string().optional(),
        errors: z.array(z.object({ column: z.string(), message: z.string() })),
      }),
    )
    .describe('Lines not imported, each with why; the others are'),
});

/** Reference data: Ukraine's regions (shipped) and hromadas (administrators import them). */
export function referenceRoutes(deps: ApiDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/regions',
      operationId: 'listRegions',
      summary: "Ukraine's regions: ISO 3166-2:UA code, names in Ukrainian and English",
      description:
        'Every write that takes a region accepts the code (canonical) or any of these names, in any case, and keeps the code.',
      tags: ['reference'],
      access: anyRole,
      responses: { 200: { description: 'By code', schema: z.object({ regions: z.array(regionView) }) } },
      handle: async (_in, _req, res) => void res.json({ regions: await deps.reference.regions() }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/hromadas',
      operationId: 'listHromadas',
      summary: 'Hromadas (territorial communities) by KATOTTG code: of a region, or whose name or code contains q',
      tags: ['reference'],
      access: anyRole,
      query: z.object({
        region: z.string().min(1).max(120).optional().describe('ISO 3166-2:UA code or name'),
        q: z
          .string()
          .trim()
          .min(2)
          .max(100)
          .optional()
          .describe('Part of the name (Ukrainian or English) or of the code, any case'),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        cursor: z
          .string()
          .regex(/^UA\d{17}$/)
          .optional()
          .describe('nextCursor of the previous page'),
      }),
      responses: {
        200: {
          description: 'By code, in pages',
          schema: z.object({ hromadas: z.array(hromadaView), nextCursor: z.string().optional() }),
        },
      },
      handle: async ({ query }, _req, res) => {
        const regionCode = query.region && (await regionQuery(deps, query.region));
        const page = await deps.reference.hromadas({
          regionCode,
          q: query.q,
          limit: query.limit + 1,
          after: query.cursor,
        });
        const hromadas = page.slice(0, query.limit);
        res.json({ hromadas, nextCursor: page.length > query.limit ? hromadas.at(-1)!.katottg : undefined });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/hromadas/import',
      operationId: 'importHromadas',
      summary: 'Import hromadas from CSV (UTF-8, with or without BOM): upserted by KATOTTG code, errors per line',
      description:
        `Columns (a header line names them, any order): ${hromadaCsvColumns.join(', ')}. katottg: UA and 17 digits, its first two naming the region; ` +
        "region: ISO 3166-2:UA code or name, may be empty, and if given must be the code's region; name_uk, name_en: the names; kind: " +
        hromadaKinds.join(', ') +
        '. Separated by commas (or semicolons), quoted as RFC 4180. Every good line is upserted (the same line again changes nothing), every bad one reported with its line; the import is one admin_events row.',
      tags: ['reference'],
      access: adminOnly,
      bodyType: 'csv',
      body: z
        .string()
        .max(4_000_000)
        .meta({ examples: [csvExample] }),
      responses: {
        200: { description: 'What was imported, and the lines that were not', schema: importResult },
        400: { description: 'The header lacks a required column (errors[] names it)' },
        415: { description: 'The body is not text/csv' },
      },
      handle: async ({ body }, _req, res) => {
        const { rows, errors, headerErrors } = parseHromadaCsv(body, await deps.reference.regions());
        if (headerErrors.length) {
          throw new HttpProblem(400, 'Invalid request', 'The CSV header does not name the columns of an import.', {
            errors: headerErrors.map((message) => ({ location: 'body', path: 'header', message, code: 'csv_header' })),
          });
        }
        const done = rows.length
          ? await deps.reference.importHromadas(rows, principalOf(res).actor)
          : { created: 0, updated: 0, unchanged: 0 };
        res.json({ received: rows.length + errors.length, ...done, errors });
      },
    }),
  ];
}
