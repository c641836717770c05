import { z } from 'zod';
import { documentTypes, nameKey } from '../../domain/person-matching';
import { principalOf } from '../auth';
import { duplicateDeciders, peopleReaders, peopleWriters } from '../authorization';
import { deterministicId } from '../case-ids';
import { claimIdempotencyKey } from '../idempotency';
import type { ApiDeps } from '../deps';
import {
  correctionSchema,
  householdMemberSchema,
  matchReasonSchema,
  personViewSchema,
  phoneSchema,
} from '../people-schemas';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';

// Who may read people (not tools), change them and decide on a duplicate: api/authorization.ts.
const caseIdParams = z.object({ caseId: z.uuid().describe('The case id') });
const personParams = caseIdParams.extend({
  personId: z.uuid().describe('A person on the case (GET /v1/cases/{caseId}/people)'),
});
const foundSchema = personViewSchema.extend({ caseId: z.uuid() });
const notOnCase = (caseId: string, personId: string) =>
  new HttpProblem(404, 'Not found', `No person ${personId} on case ${caseId}`);
const bodyProblem = (path: string, message: string, status = 409, title = 'Conflict') =>
  new HttpProblem(status, title, message, { errors: [{ location: 'body', path, message, code: 'custom' }] });

const ivan = {
  fullName: 'Іван Петренко',
  birthDate: '1984-03-12',
  phone: '+380671234567',
  documents: [{ type: 'rnokpp', number: '3012345678' }],
};

export function peopleRoutes(deps: ApiDeps): AnyRoute[] {
  const reader = (res: Parameters<typeof principalOf>[0]) => ({
    actor: principalOf(res).actor,
    requestId: res.locals.requestId as string,
  });
  return [
    defineRoute({
      method: 'get',
      path: '/v1/cases/:caseId/people',
      operationId: 'listCasePeople',
      summary: 'Read the client and household of a case',
      description:
        'Client first, then household members; removed members are listed with removedAt. The read is logged in the case’s audit trail. Not for tools.',
      tags: ['people'],
      access: peopleReaders,
      caseScoped: true,
      params: caseIdParams,
      responses: {
        200: {
          description: 'The people of the case',
          schema: z
            .object({
              people: z.array(
                personViewSchema.extend({
                  sameAs: z.array(z.uuid()).describe('People a supervisor linked as the same person'),
                }),
              ),
            })
            .meta({
              examples: [
                {
                  people: [
                    {
                      personId: '6f1c2a5e-8d7b-4c1e-9a3f-2b4d6e8f0a1c',
                      role: 'client',
                      ...ivan,
                      version: 1,
                      sameAs: [],
                    },
                  ],
                },
              ],
            }),
        },
      },
      handle: async ({ params }, _req, res) => {
        res.json({ people: await deps.people.listForCase(params.caseId, reader(res)) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/cases/:caseId/people',
      operationId: 'addHouseholdMember',
      summary: 'Add a household member to a case',
      description: 'Recorded as a change in the case’s audit trail. With an Idempotency-Key a retry adds nobody twice.',
      tags: ['people'],
      access: peopleWriters,
      caseScoped: true,
      params: caseIdParams,
      headers: z.object({
        'idempotency-key': z
          .string()
          .min(8)
          .max(200)
          .optional()
          .describe('Makes a retried request return the member the first one added (another body with it: 422)'),
      }),
      body: householdMemberSchema.meta({
        examples: [{ fullName: 'Марія Петренко', birthDate: '2012-09-01', relation: 'daughter' }],
      }),
      responses: {
        201: { description: 'Added (200 for a retry)', schema: z.object({ person: personViewSchema }) },
        403: { description: 'The role may not change people, or the case is outside your scope' },
        422: { description: 'The Idempotency-Key was sent before with another request' },
      },
      handle: async ({ params, headers, body }, _req, res) => {
        const { actor } = principalOf(res);
        const key = headers['idempotency-key'];
        // A retry adds nobody twice (the person id comes from the key); another member with the same key is 422.
        await claimIdempotencyKey(deps.idempotencyKeys, key, {
          operation: 'addHouseholdMember',
          actor,
          caseId: params.caseId,
          body,
        });
        const personId = deterministicId(key && `${params.caseId}:member:${actor.kind}:${actor.id}:${key}`);
        const added = await deps.people.addToCase(
          params.caseId,
          [{ ...body, role: 'household_member', personId }],
          actor,
          { requestId: res.locals.requestId as string },
        );
        // Read back as GET …/people shows it (and logged as a read: the answer carries personal data).
        const person = (await deps.people.listForCase(params.caseId, reader(res))).find(
          (p) => p.personId === personId,
        )!;
        res
          .status(added.length ? 201 : 200)
          .location(`/v1/cases/${params.caseId}/people/${personId}`)
          .json({ person });
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/cases/:caseId/people/:personId',
      operationId: 'correctPerson',
      summary: 'Correct a person on a case',
      description:
        'The fields given replace the current ones (null clears an optional field; documents replace the whole list). The earlier values are kept as a version (GET …/versions); the audit trail names the fields changed, never their values.',
      tags: ['people'],
      access: peopleWriters,
      caseScoped: true,
      params: personParams,
      body: correctionSchema,
      responses: {
        200: {
          description: 'The person as corrected (unchanged if nothing differed)',
          schema: z.object({ person: personViewSchema, changed: z.array(z.string()) }),
        },
      },
      handle: async ({ params, body: { reason, ...fix } }, _req, res) => {
        const { actor } = principalOf(res);
        const done = await deps.people.correct(params.caseId, params.personId, fix, actor, {
          reason,
          requestId: res.locals.requestId as string,
        });
        if (done.outcome === 'not_found') throw notOnCase(params.caseId, params.personId);
        if (done.outcome === 'removed')
          throw new HttpProblem(
            409,
            'Conflict',
            'This household member was removed from the case; add them again to record new data.',
          );
        if (done.outcome === 'relation_of_client')
          throw bodyProblem(
            'relation',
            'the client has no relation: only household members do',
            400,
            'Invalid request',
          );
        const person = (await deps.people.listForCase(params.caseId, reader(res))).find(
          (p) => p.personId === params.personId,
        )!;
        res.json({ person, changed: done.fields });
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/cases/:caseId/people/:personId',
      operationId: 'removeHouseholdMember',
      summary: 'Remove a household member from a case (marked removed, never deleted)',
      description:
        'The person and every version stay; the removal is a change in the audit trail. The client cannot be removed.',
      tags: ['people'],
      access: peopleWriters,
      caseScoped: true,
      params: personParams,
      query: z.object({
        reason: z.string().trim().min(1).max(500).optional().describe('Why, for example "moved out"'),
      }),
      responses: {
        200: {
          description: 'Removed (also when it was already)',
          schema: z.object({ personId: z.uuid(), removed: z.literal(true) }),
        },
      },
      handle: async ({ params, query }, _req, res) => {
        const outcome = await deps.people.removeMember(params.caseId, params.personId, principalOf(res).actor, {
          reason: query.reason,
          requestId: res.locals.requestId as string,
        });
        if (outcome === 'not_found') throw notOnCase(params.caseId, params.personId);
        if (outcome === 'client')
          throw new HttpProblem(409, 'Conflict', 'The client of a case cannot be removed; correct them instead.');
        res.json({ personId: params.personId, removed: true });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/cases/:caseId/people/:personId/versions',
      operationId: 'personVersions',
      summary: 'Every version of a person: what each correction replaced, who made it and why',
      description: 'Oldest first; version 1 is what was first recorded. The read is logged.',
      tags: ['people'],
      access: peopleReaders,
      caseScoped: true,
      params: personParams,
      responses: {
        200: {
          description: 'The versions',
          schema: z.object({
            versions: z.array(
              z.object({
                version: z.number().int(),
                fullName: z.string(),
                birthDate: z.iso.date().optional(),
                phone: z.string().optional(),
                displacementStatus: z.string().optional(),
                documents: z.array(z.object({ type: z.string(), number: z.string() })),
                relation: z.string().optional(),
                at: z.iso.datetime(),
                actor: z.object({ kind: z.string(), id: z.string() }).optional(),
                reason: z.string().optional(),
              }),
            ),
          }),
        },
      },
      handle: async ({ params }, _req, res) => {
        const versions = await deps.people.versions(params.caseId, params.personId, reader(res));
        if (!versions) throw notOnCase(params.caseId, params.personId);
        res.json({ versions });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/people',
      operationId: 'searchPeople',
      summary: 'Search for people on the cases in your scope',
      description:
        'Every criterion given must match: name (either script: "Petrenko" finds "Петренко"; part of it, or alike by trigrams), birth date, phone (any spelling), document number (of any type unless documentType is given). Results come only from cases you may open, by the same rule as GET /v1/cases; each case a result comes from logs the read. Not for tools.',
      tags: ['people'],
      access: peopleReaders,
      query: z
        .object({
          name: z
            .string()
            .trim()
            .max(300)
            .refine((n) => nameKey(n).length >= 2, 'a name to search for has two letters or more')
            .optional(),
          birthDate: z.iso.date().optional(),
          phone: phoneSchema.optional(),
          document: z
            .string()
            .trim()
            .min(1)
            .max(40)
            .optional()
            .describe('An IDP certificate, RNOKPP, passport or other number'),
          documentType: z.enum(documentTypes).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(50),
        })
        .refine((q) => q.name || q.birthDate || q.phone || q.document, {
          message: 'give at least one of name, birthDate, phone, document',
          path: ['name'],
        })
        .refine((q) => !q.documentType || q.document, {
          message: 'documentType needs document',
          path: ['documentType'],
        }),
      responses: {
        200: {
          description: 'The people found, best name match first',
          schema: z.object({ people: z.array(foundSchema) }),
        },
      },
      handle: async ({ query: { limit, ...criteria } }, _req, res) => {
        res.json({ people: await deps.people.search(principalOf(res), criteria, reader(res), limit) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/cases/:caseId/possible-duplicates',
      operationId: 'possibleDuplicates',
      summary: 'People on other cases in your scope who are probably the same as someone on this case',
      description:
        'Check it when a case is opened (the opening answer links it) and whenever people change. Each match has a likelihood score from 0 to 1 and the fields that matched (docs/API.md, "Possible duplicates"); matches from 0.5 are listed, best first, and those a supervisor linked. A supervisor links or dismisses each with POST …/possible-duplicates/decisions; nothing merges by itself. The read is logged on this case and on each case a match comes from. Not for tools.',
      tags: ['people'],
      access: peopleReaders,
      caseScoped: true,
      params: caseIdParams,
      responses: {
        200: {
          description: 'Possible duplicates, best first',
          schema: z
            .object({
              possibleDuplicates: z.array(
                z.object({
                  personId: z.uuid().describe('The person on this case'),
                  match: foundSchema.describe('The person on another case'),
                  score: z.number().min(0).max(1),
                  reasons: z.array(matchReasonSchema),
                  status: z.enum(['open', 'linked']),
                }),
              ),
            })
            .meta({
              examples: [
                {
                  possibleDuplicates: [
                    {
                      personId: '6f1c2a5e-8d7b-4c1e-9a3f-2b4d6e8f0a1c',
                      match: {
                        personId: '0b7e9d2c-1a3f-4e5d-8c6b-9a0f1e2d3c4b',
                        caseId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
                        role: 'client',
                        fullName: 'Ivan Petrenko',
                        birthDate: '1984-03-12',
                        documents: [],
                        version: 1,
                      },
                      score: 0.8,
                      reasons: [
                        { field: 'name', outcome: 'same', similarity: 1 },
                        { field: 'birthDate', outcome: 'same' },
                      ],
                      status: 'open',
                    },
                  ],
                },
              ],
            }),
        },
      },
      handle: async ({ params }, _req, res) => {
        res.json({
          possibleDuplicates: await deps.people.possibleDuplicates(params.caseId, principalOf(res), reader(res)),
        });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/cases/:caseId/possible-duplicates/decisions',
      operationId: 'decidePossibleDuplicate',
      summary: 'Link a possible duplicate as the same person, or dismiss it (supervisors)',
      description:
        'Recorded in person_links with the score and reasons at the time, and as a change in the audit trail of this case and of the match’s case. Merges nothing: both records stay as they are, and GET …/people shows the link in sameAs. A later decision on the same pair replaces this one, which is kept.',
      tags: ['people'],
      access: duplicateDeciders,
      caseScoped: true,
      params: caseIdParams,
      body: z
        .strictObject({
          personId: z.uuid().describe('The person on this case'),
          matchPersonId: z.uuid().describe('The person on another case in your scope'),
          decision: z.enum(['same_person', 'not_same_person']),
          note: z.string().trim().min(1).max(1000).optional(),
        })
        .refine((b) => b.personId !== b.matchPersonId, {
          message: 'must differ from personId',
          path: ['matchPersonId'],
        })
        .meta({
          examples: [
            {
              personId: '6f1c2a5e-8d7b-4c1e-9a3f-2b4d6e8f0a1c',
              matchPersonId: '0b7e9d2c-1a3f-4e5d-8c6b-9a0f1e2d3c4b',
              decision: 'same_person',
              note: 'Same RNOKPP on the IDP certificate',
            },
          ],
        }),
      responses: {
        201: {
          description: 'The decision, recorded',
          schema: z.object({
            linkId: z.number().int(),
            decision: z.enum(['same_person', 'not_same_person']),
            score: z.number(),
            reasons: z.array(matchReasonSchema),
            matchCaseIds: z.array(z.uuid()),
            at: z.iso.datetime(),
          }),
        },
      },
      handle: async ({ params, body }, _req, res) => {
        const done = await deps.people.decide(
          params.caseId,
          body.personId,
          body.matchPersonId,
          body.decision,
          principalOf(res),
          { note: body.note, requestId: res.locals.requestId as string },
        );
        if (done.outcome === 'person_not_found')
          throw bodyProblem('personId', `no person ${body.personId} on this case`, 404, 'Not found');
        if (done.outcome === 'match_not_found')
          throw bodyProblem(
            'matchPersonId',
            `no person ${body.matchPersonId} on another case in your scope`,
            404,
            'Not found',
          );
        const { outcome: _recorded, ...decision } = done;
        res.status(201).json({ ...decision, decision: body.decision });
      },
    }),
  ];
}
