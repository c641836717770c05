import type { RequestHandler, Response } from 'express';
import { canAccessCase, type Principal } from '../domain/principal';
import type { CaseRepository } from '../db/cases';
import type { ApiKeyRepository } from '../db/api-keys';
import { HttpProblem } from './problem';

/** Resolves `Authorization: Bearer <key>` to a principal for every route that is not a probe. */
export function authenticate(keys: ApiKeyRepository): RequestHandler {
  return async (req, res, next) => {
    try {
      const header = req.get('authorization') ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) {
        throw new HttpProblem(401, 'Unauthorized', 'Send an API key as Authorization: Bearer <key>.', {}, { 'WWW-Authenticate': 'Bearer' });
      }
      const principal = await keys.authenticate(match[1]!);
      if (!principal) throw new HttpProblem(401, 'Unauthorized', 'The API key is unknown or revoked.', {}, { 'WWW-Authenticate': 'Bearer' });
      res.locals.principal = principal;
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new HttpProblem(401, 'Unauthorized');
  return p;
}

/**
 * The case a route acts on, if the caller may: 404 when there is no such case, 403 when it is not
 * the caller's (docs/ARCHITECTURE.md, "Authorisation").
 */
export async function authorizeCase(cases: CaseRepository, res: Response, caseId: string): Promise<Principal> {
  const principal = principalOf(res);
  const access = await cases.access(caseId);
  if (!access) throw new HttpProblem(404, 'Not found', `No case ${caseId}`);
  if (!canAccessCase(principal, access)) throw new HttpProblem(403, 'Forbidden', 'This case is outside your scope.');
  return principal;
}
