import { z } from 'zod';
import { documentNumberKey, matchFields, matchOutcomes, phoneKey } from '../domain/person-matching';
import { displacementStatuses, personRoles } from '../domain/vocabulary';

/** What the API accepts and returns about people (their data is kept in PostgreSQL only: db/people.ts). */

export const phoneSchema = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[\d\s().-]+$/, { message: 'a phone number holds digits, spaces and + ( ) - . only', abort: true })
  .refine(
    (v) => phoneKey(v).length >= 7 && phoneKey(v).length <= 15,
    'a phone number has 7 to 15 digits (international form)',
  )
  .describe(
    'Any usual spelling; matched as international digits, Ukraine assumed for a national number (067 123 45 67 is 380671234567)',
  );

const birthDateSchema = z.iso
  .date()
  .refine(
    (d) => d >= '1900-01-01' && d <= new Date().toISOString().slice(0, 10),
    'a birth date is between 1900-01-01 and today',
  );

const documentNumber = (pattern: RegExp, message: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(40)
    .refine((n) => pattern.test(documentNumberKey(n)), message);

/** Identity documents. An RNOKPP (taxpayer number) is one per person for life. */
export const documentSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('rnokpp'), number: documentNumber(/^\d{10}$/, 'an RNOKPP is 10 digits') }),
    z.strictObject({
      type: z.literal('idp_certificate'),
      number: documentNumber(
        /^(?=.*\d)[\p{L}\p{N}]{4,30}$/u,
        'an IDP certificate number has 4 to 30 letters and digits, at least one digit',
      ),
    }),
    z.strictObject({
      type: z.literal('passport'),
      number: documentNumber(
        /^(\p{Lu}{2}\d{6}|\d{9})$/u,
        'a passport is two letters and 6 digits (booklet) or 9 digits (ID card)',
      ),
    }),
    z.strictObject({
      type: z.literal('other'),
      number: documentNumber(/^[\p{L}\p{N}]{1,40}$/u, 'a document number has letters or digits'),
    }),
  ])
  .describe('type: idp_certificate (довідка ВПО), rnokpp (РНОКПП, 10 digits), passport, other');

export const personSchema = z.object({
  fullName: z.string().trim().min(1).max(300),
  birthDate: birthDateSchema.optional(),
  phone: phoneSchema.optional(),
  displacementStatus: z.enum(displacementStatuses).optional(),
  documents: z.array(documentSchema).max(10).default([]),
});
export const householdMemberSchema = personSchema.extend({
  relation: z.string().trim().min(1).max(100).describe('To the client, e.g. "daughter"'),
});

export const correctionSchema = z
  .strictObject({
    fullName: z.string().trim().min(1).max(300).optional(),
    birthDate: birthDateSchema.nullable().optional(),
    phone: phoneSchema.nullable().optional(),
    displacementStatus: z.enum(displacementStatuses).nullable().optional(),
    documents: z.array(documentSchema).max(10).optional().describe('The whole list: replaces the current one'),
    relation: z.string().trim().min(1).max(100).optional().describe('Household members only'),
    reason: z.string().trim().min(1).max(500).optional().describe('Why, kept with the new version'),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'reason'), {
    message: 'name at least one field to correct',
    path: ['fullName'],
  })
  .meta({
    examples: [
      {
        phone: '+380 67 123 45 67',
        documents: [{ type: 'rnokpp', number: '3012345678' }],
        reason: 'The client showed her documents',
      },
    ],
  });

export const personViewSchema = z.object({
  personId: z.uuid(),
  role: z.enum(personRoles),
  relation: z.string().optional(),
  fullName: z.string(),
  birthDate: z.iso.date().optional(),
  phone: z.string().optional(),
  displacementStatus: z.enum(displacementStatuses).optional(),
  documents: z.array(z.object({ type: z.string(), number: z.string() })),
  version: z.number().int().describe('1 when recorded; each correction adds one'),
  updatedAt: z.iso.datetime().optional(),
  updatedBy: z.string().optional(),
  removedAt: z.iso.datetime().optional().describe('A household member removed from the case (kept, marked)'),
  removedBy: z.string().optional(),
});

export const matchReasonSchema = z.object({
  field: z.enum(matchFields),
  outcome: z.enum(matchOutcomes),
  similarity: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Names: Jaro-Winkler similarity of the transliterated names'),
  documentType: z.string().optional(),
});
