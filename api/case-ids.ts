import { createHash, randomUUID } from 'node:crypto';

/**
 * A case id for an open-case request. With an idempotency key (or a referring tool's own id) the
 * same request always maps to the same case, so a retry after a timeout finds the case it made.
 */
export function newCaseId(idempotencyKey?: string): string {
  if (!idempotencyKey) return randomUUID();
  const h = createHash('sha256').update(`suprovid:case:${idempotencyKey}`).digest('hex');
  // Shaped as a UUID (version 8: custom), so every case id has one format.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
