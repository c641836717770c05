import { serialize } from 'cookie';
import type { Response } from 'express';
import { z } from 'zod';
import { principalOf, SESSION_COOKIE, sessionToken } from '../auth';
import { adminOnly, people } from '../authorization';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';
import { createSignInThrottle } from '../sign-in-throttle';
import type { StaffSession } from '../../db/staff-accounts';

const sessionView = z
  .object({
    staffId: z.string(),
    name: z.string(),
    role: z.enum(people),
    region: z.string().optional().describe('Their region (ISO 3166-2:UA code); none: all regions'),
    csrfToken: z.string().describe('Send it as X-CSRF-Token with every change made with this session'),
    expiresAt: z.iso.datetime(),
    mustChangePassword: z
      .boolean()
      .describe('The password was given by an administrator: choose your own (POST /v1/sessions/current/password)'),
  })
  .meta({
    examples: [
      {
        staffId: 'cm-olena',
        name: 'Олена Коваль',
        role: 'case_manager',
        region: 'UA-63',
        csrfToken: 'kq3V0mX2Qe9yS1oT8bH4rN6uW7zA5cD0fG2jL9pE1sY',
        expiresAt: '2026-12-01T21:00:00.000Z',
        mustChangePassword: false,
      },
    ],
  });
/** NIST SP 800-63B: at least 8 characters, any characters, no composition rules; 12 here, for people's records. */
const newPassword = z.string().min(12, 'at least 12 characters').max(256);

function sessionOf(res: Response): StaffSession {
  const s = res.locals.staffSession as StaffSession | undefined;
  if (!s)
    throw new HttpProblem(
      400,
      'Not a session',
      'This route is for a person signed in to the console, not for an API key.',
    );
  return s;
}

/**
 * Sign-in for people (the web console): a session cookie, httpOnly and SameSite=Strict, and a CSRF
 * token the console sends with every change. Tools keep their API keys.
 */
export function sessionRoutes(deps: ApiDeps): AnyRoute[] {
  const cookie = (value: string, maxAgeSeconds: number) =>
    serialize(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.cookieSecure ?? false,
      path: '/',
      maxAge: maxAgeSeconds,
    });
  const perAddress = deps.signInPerAddress ?? { maxFailures: 20, windowMs: 15 * 60_000 };
  const throttle = createSignInThrottle(perAddress);
  return [
    defineRoute({
      method: 'post',
      path: '/v1/sessions',
      operationId: 'signIn',
      summary: 'Sign in a member of staff (web console)',
      description: `Checks the login and password of a staff account and sets the session cookie. After ${deps.signIn?.maxFailures ?? 5} wrong passwords in a row the account is locked for a while: 429 with lockedUntil and Retry-After. After ${perAddress.maxFailures} failed sign-ins from one address in ${Math.round(perAddress.windowMs / 60_000)} minutes, whichever the accounts, that address waits: 429 with Retry-After.`,
      tags: ['sessions'],
      access: 'public',
      body: z
        .object({ login: z.string().trim().min(1).max(100), password: z.string().min(1).max(256) })
        .meta({ examples: [{ login: 'olena', password: 'her own password' }] }),
      responses: {
        201: { description: 'Signed in; the cookie is set', schema: sessionView },
        401: { description: 'Wrong login or password (which of the two is not said)' },
        429: { description: 'Locked after repeated failures, of the account or from the address' },
      },
      handle: async ({ body }, req, res) => {
        const attempt = throttle.begin(req.ip ?? 'unknown');
        if ('retryAfterSeconds' in attempt) {
          deps.log.warn('sign-in refused: too many failures from one address', {
            retryAfterSeconds: attempt.retryAfterSeconds,
          });
          throw new HttpProblem(
            429,
            'Too many sign-in attempts',
            'Too many failed sign-ins from this address: try again later.',
            {},
            { 'Retry-After': String(attempt.retryAfterSeconds) },
          );
        }
        const r = await deps.staffAccounts.signIn(body.login, body.password);
        if (r.ok) attempt.succeeded();
        if (!r.ok && r.reason === 'locked') {
          const seconds = Math.max(1, Math.ceil((Date.parse(r.lockedUntil) - Date.now()) / 1000));
          throw new HttpProblem(
            429,
            'Locked',
            'Too many wrong passwords in a row: try again later, or ask an administrator to reset the password.',
            { lockedUntil: r.lockedUntil },
            { 'Retry-After': String(seconds) },
          );
        }
        if (!r.ok) throw new HttpProblem(401, 'Unauthorized', 'Wrong login or password.');
        res.setHeader('Set-Cookie', cookie(r.token, Math.floor((Date.parse(r.session.expiresAt) - Date.now()) / 1000)));
        res.setHeader('Cache-Control', 'no-store');
        res.status(201).json(r.session);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/sessions/current',
      operationId: 'currentSession',
      summary: 'Who is signed in in this browser',
      tags: ['sessions'],
      access: people,
      responses: { 200: { description: 'The session', schema: sessionView } },
      handle: (_in, _req, res) => {
        res.setHeader('Cache-Control', 'no-store');
        res.json(sessionOf(res));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/sessions/current',
      operationId: 'signOut',
      summary: 'Sign out: the session ends on the server and the cookie is cleared',
      tags: ['sessions'],
      access: people,
      responses: { 204: { description: 'Signed out' } },
      handle: async (_in, req, res) => {
        sessionOf(res);
        await deps.staffAccounts.signOut(sessionToken(req)!);
        res.setHeader('Set-Cookie', cookie('', 0));
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/sessions/current/password',
      operationId: 'changeOwnPassword',
      summary: 'Choose your own password',
      tags: ['sessions'],
      access: people,
      body: z
        .object({ currentPassword: z.string().min(1).max(256), newPassword })
        .meta({ examples: [{ currentPassword: 'given-by-admin-1', newPassword: 'my own long password' }] })
        .refine((b) => b.currentPassword !== b.newPassword, {
          message: 'must differ from currentPassword',
          path: ['newPassword'],
        }),
      responses: { 204: { description: 'Changed' }, 403: { description: 'The current password is wrong' } },
      handle: async ({ body }, _req, res) => {
        const { staffId } = sessionOf(res);
        if (!(await deps.staffAccounts.changeOwn(staffId, body.currentPassword, body.newPassword)))
          throw new HttpProblem(403, 'Forbidden', 'The current password is wrong.');
        res.status(204).end();
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/staff/:staffId/account',
      operationId: 'setStaffAccount',
      summary: "Create a member of staff's console account, or reset its password",
      description:
        'The person must choose their own password at the next sign-in; every session they had ends. The password is given once, here, and kept only as its argon2id hash.',
      tags: ['sessions'],
      access: adminOnly,
      params: z.object({ staffId: z.string().min(1).max(120) }),
      body: z
        .object({
          login: z
            .string()
            .trim()
            .toLowerCase()
            .regex(/^[a-z0-9._@-]{3,100}$/, '3 to 100 of a-z 0-9 . _ @ -'),
          password: newPassword,
        })
        .meta({ examples: [{ login: 'olena', password: 'Temporary-7kQ2mR9x' }] }),
      responses: {
        201: { description: 'Created' },
        200: { description: 'Password reset' },
        404: { description: 'No such member of staff' },
        409: { description: 'The login belongs to someone else' },
      },
      handle: async ({ params, body }, _req, res) => {
        const r = await deps.staffAccounts.setByAdmin(
          params.staffId,
          body.login,
          body.password,
          principalOf(res).actor,
        );
        if (r === 'no_staff')
          throw new HttpProblem(404, 'Not found', `No member of staff ${params.staffId} in the registry`);
        if (r === 'login_taken')
          throw new HttpProblem(409, 'Conflict', `The login ${body.login} belongs to another member of staff.`, {
            errors: [{ location: 'body', path: 'login', message: 'taken', code: 'conflict' }],
          });
        res
          .status(r === 'created' ? 201 : 200)
          .json({ staffId: params.staffId, login: body.login, mustChangePassword: true });
      },
    }),
  ];
}
