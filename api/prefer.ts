import type { Response } from 'express';
import { z } from 'zod';

/**
 * The `Prefer` request header (RFC 7240), as far as the API honours it: `return=minimal` asks a
 * write to answer without the whole case (`{caseId, commandId, version}`); the answer then says
 * `Preference-Applied: return=minimal`. Other preferences are ignored, as the RFC allows.
 */
export const preferHeader = {
  prefer: z
    .string()
    .max(500)
    .optional()
    .describe('RFC 7240; `return=minimal` answers `{caseId, commandId, version}` instead of the whole case'),
};

/** Whether the caller prefers a minimal answer: a `return=minimal` preference among the comma-separated ones (parameters after `;` ignored). */
export function prefersMinimal(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((p) => /^return\s*=\s*"?minimal"?$/i.test(p.split(';')[0]!.trim()));
}

/** Marks an answer that honoured return=minimal, and that answers differ by the header (for caches). */
export function applyMinimal(res: Response): void {
  res.setHeader('Preference-Applied', 'return=minimal');
  res.vary('Prefer');
}

export const minimalAnswerSchema = z.object({
  caseId: z.uuid(),
  commandId: z.string().optional().describe('The command id (the Idempotency-Key, or one the API made)'),
  version: z.number().int().describe('The case’s sequence number after the write (state.seq)'),
});
