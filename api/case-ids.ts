import { createHash, randomUUID } from 'node:crypto';
import type { PersonInput } from '../db/people';
import type { Actor } from '../domain/case';

/**
 * An id for something a request creates (a case, a person on it, a one-off contact). With a key
 * (an idempotency key, a referring tool's own id, or the id of what it belongs to) the same request
 * always maps to the same id, so a retry after a timeout finds what it made; without one, a new id.
 */
export function deterministicId(idempotencyKey?: string): string {
  if (!idempotencyKey) return randomUUID();
  const h = createHash('sha256').update(`suprovid:case:${idempotencyKey}`).digest('hex');
  // Shaped as a UUID (version 8: custom), so every case id has one format.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * A case's id: from the caller's key for it (an Idempotency-Key, a tool's externalRef, an import
 * row's externalId), scoped to the caller so two tools' keys never meet; a new id without one.
 */
export function caseIdFor(actor: Actor, key: string | undefined): string {
  return deterministicId(key && `${actor.kind}:${actor.id}:${key}`);
}

/** The people a case is opened (or imported) with, each with an id from the case's, so a retry adds nobody twice. */
export function casePeople(
  caseId: string,
  client: Omit<PersonInput, 'role' | 'personId'> | undefined,
  household: Omit<PersonInput, 'role' | 'personId'>[],
): PersonInput[] {
  return [
    ...(client ? [{ ...client, role: 'client' as const, personId: deterministicId(`${caseId}:person:0`) }] : []),
    ...household.map((m, i) => ({
      ...m,
      role: 'household_member' as const,
      personId: deterministicId(`${caseId}:person:${i + 1}`),
    })),
  ];
}
