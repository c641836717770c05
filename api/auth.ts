import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import { canAccessCase, writeOutOfScope, type CaseAccess, type Principal, type ScopedWrite } from '../domain/principal';
import type { CaseRepository } from '../db/cases';
import type { ApiKeyRepository } from '../db/api-keys';
import type { StaffAccountRepository } from '../db/staff-accounts';
import { HttpProblem } from './problem';

/** The cookie a signed-in person's browser sends (httpOnly, SameSite=Strict; api/routes/sessions.ts sets it). */
export const SESSION_COOKIE = 'suprovid_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionToken(req: Request): string | undefined {
  const header = req.get('cookie');
  return header ? parseCookies(header)[SESSION_COOKIE] || undefined : undefined;
}

/**
 * Resolves the caller for every route that is not public: a tool by `Authorization: Bearer <key>`,
 * a person of the staff registry by the session cookie of the web console. A write on a session
 * must also carry the session's CSRF token in `X-CSRF-Token`, which a page of another site cannot
 * read; a key is never sent by a browser on its own, so it needs none.
 */
export function authenticate(keys: ApiKeyRepository, accounts?: StaffAccountRepository): RequestHandler {
  return async (req, res, next) => {
    try {
      const header = req.get('authorization');
      const token = header === undefined && accounts ? sessionToken(req) : undefined;
      if (token && accounts) {
        const found = await accounts.authenticate(token);
        if (!found)
          throw new HttpProblem(401, 'Unauthorized', 'The session has ended or expired: sign in again.', {
            signIn: '/console/',
          });
        if (!SAFE_METHODS.has(req.method) && req.get('x-csrf-token') !== found.session.csrfToken) {
          throw new HttpProblem(
            403,
            'Forbidden',
            'A change made with a session needs its CSRF token in the X-CSRF-Token header.',
          );
        }
        res.locals.principal = found.principal;
        res.locals.staffSession = found.session;
        return next();
      }
      const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
      if (!match) {
        throw new HttpProblem(
          401,
          'Unauthorized',
          'Send an API key as Authorization: Bearer <key>, or sign in to the console.',
          {},
          { 'WWW-Authenticate': 'Bearer' },
        );
      }
      const principal = await keys.authenticate(match[1]!);
      if (!principal)
        throw new HttpProblem(
          401,
          'Unauthorized',
          'The API key is unknown or revoked.',
          {},
          { 'WWW-Authenticate': 'Bearer' },
        );
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
  res.locals.caseAccess = access;
  return principal;
}

/** The case authorizeCase let this request act on, as it read it (so a write can be checked without reading it again). */
export function caseAccessOf(res: Response): CaseAccess {
  const access = res.locals.caseAccess as CaseAccess | undefined;
  if (!access) throw new Error('caseAccessOf is for case routes (caseScoped), after authorizeCase');
  return access;
}

/**
 * Refuses (403) a write that would set a region or team outside the caller's scope, naming what is
 * out of it, before anything is written. `before`: the case written to (domain newCase for an
 * opening), none for a write without a case.
 */
export function authorizeWrite(res: Response, write: ScopedWrite, before?: CaseAccess): void {
  const outside = writeOutOfScope(principalOf(res), write, before);
  if (outside.length)
    throw new HttpProblem(403, 'Forbidden', `Outside your scope: ${outside.join('; ')}.`, { outOfScope: outside });
}
