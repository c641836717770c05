import { z } from 'zod';
import { documentSchema, personSchema } from '../../api/people-schemas';
import { invalidRequest } from '../../api/problem';
import { strictAtEdge, unionShapes } from '../../api/strict';
import { commandPayloads, commandSchema } from '../../domain/commands';

const errorsOf = (schema: z.ZodType, value: unknown) => {
  const r = strictAtEdge(schema).safeParse(value, { error: unionShapes });
  return r.success
    ? []
    : (invalidRequest('body', r.error).extra.errors as { path: string; message: string; code: string }[]);
};

describe('the strict edge', () => {
  it('names each unknown field at its own path, in nested objects and arrays', () => {
    expect(
      errorsOf(personSchema, {
        fullName: 'A',
        nick: 'b',
        documents: [{ type: 'rnokpp', number: '3012345678', issuedBy: 'x' }],
      })
        .map((e) => `${e.path}:${e.code}`)
        .sort(),
    ).toEqual(['documents[0].issuedBy:unrecognized_keys', 'nick:unrecognized_keys']);
  });

  it('keeps the schema it copies as it was: the workflow still strips what it does not know', () => {
    const old = { commandId: 'cmd-00000001', actor: { kind: 'person', id: 'cm' }, channel: 'phone', legacy: true };
    expect(commandSchema('recordContact').parse(old)).toEqual({
      commandId: 'cmd-00000001',
      actor: { kind: 'person', id: 'cm' },
      channel: 'phone',
    });
    expect(errorsOf(commandPayloads.recordContact, { channel: 'phone', legacy: true }).map((e) => e.path)).toEqual([
      'legacy',
    ]);
  });

  it('says which shapes a union takes, for plain and discriminated unions', () => {
    expect(
      errorsOf(commandPayloads.extendDeadline, { deadlineId: 'd', extension: { hours: 24 }, reason: 'r' }),
    ).toEqual([
      { location: 'body', path: 'extension', message: 'Expected one of: { until } | { by }', code: 'invalid_union' },
    ]);
    const [doc] = errorsOf(documentSchema, { type: 'driving_licence', number: '1' });
    expect(doc!.message).toBe(
      'Expected one of: { type: "rnokpp", number } | { type: "idp_certificate", number } | { type: "passport", number } | { type: "other", number }',
    );
  });

  it('still parses what is valid to the same value', () => {
    const body = { needs: [{ domain: 'legal_documents', level: 'high' }] };
    expect(strictAtEdge(commandPayloads.submitAssessment).parse(body)).toEqual(
      commandPayloads.submitAssessment.parse(body),
    );
    expect(commandPayloads.submitAssessment.parse(body).needs[0]!.domain).toBe('legal');
  });
});
