import { createHash, randomUUID } from 'node:crypto';

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
