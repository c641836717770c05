import { z } from 'zod';
import { caseStateSchema, type CaseState } from '../domain/case';

/**
 * A case as the API shows it: its state, with the deadline policy named by its version
 * (`policyVersion`) rather than copied in whole; `GET /v1/policies/{version}` has the policy.
 */
export const caseViewSchema = caseStateSchema.omit({ policy: true }).extend({
  policyVersion: z.string().describe('The deadline policy the case follows: GET /v1/policies/{version}'),
  caseNumber: z
    .string()
    .optional()
    .describe('Region-year-sequence, for people (UA63-2026-00042); given when the case is first projected'),
});
export type CaseView = z.infer<typeof caseViewSchema>;

export function caseView(state: CaseState): CaseView {
  const { policy, ...rest } = state;
  return { ...rest, policyVersion: policy.version };
}
