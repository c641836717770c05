import { createHash } from 'node:crypto';
import type { IdempotencyKeyRepository } from '../db/idempotency-keys';
import type { Actor } from '../domain/case';
import { HttpProblem } from './problem';

/** A request with an Idempotency-Key, as the API parsed it. */
export interface KeyedRequest {
  /** The route's operationId: openCase, a command's name, reassignCases. */
  operation: string;
  actor: Actor;
  /**
   * The case a command acts on. It is the key's namespace, whatever the command: the key is the
   * command id, which the case (and Temporal's update ids) remember for all its commands. Without
   * a case, the key is the caller's, for this operation.
   */
  caseId?: string;
  /** The parsed body (defaults applied), so requests that mean the same hash the same. */
  body: unknown;
}

/** JSON with the keys of every object sorted, so the order of a request's fields does not change its hash. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Binds an Idempotency-Key to the request it first came with, before anything is sent. The same
 * request again passes (and is applied once, downstream); another request with the key answers 422,
 * as the IETF Idempotency-Key draft asks, instead of the first request's result. The actor is part
 * of the request: on a case, another caller's key is not yours to reuse.
 */
export async function claimIdempotencyKey(
  keys: IdempotencyKeyRepository,
  key: string | undefined,
  request: KeyedRequest,
): Promise<void> {
  if (key === undefined) return;
  const namespace = request.caseId
    ? `case:${request.caseId}`
    : `caller:${request.actor.kind}:${request.actor.id}:${request.operation}`;
  const hash = createHash('sha256')
    .update(
      canonicalJson({ operation: request.operation, caseId: request.caseId, actor: request.actor, body: request.body }),
    )
    .digest();
  if ((await keys.claim(namespace, key, hash)) === 'other_request') {
    throw new HttpProblem(
      422,
      'Idempotency-Key is already used',
      `Idempotency-Key ${JSON.stringify(key)} was sent before with another request; send a new key for a new request.`,
      { idempotencyKey: key },
    );
  }
}
