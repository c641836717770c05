import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';
import { HttpProblem } from './problem';

/**
 * The web console (console/, built into dist/console) at /console: its files, and index.html for
 * every path under it (the console routes in the browser). It signs in and works through /v1 like
 * any tool; nothing here reads data. A strict Content-Security-Policy: only this origin's scripts,
 * styles and API, no framing.
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'";

export function consoleRouter(dir: string): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONSOLE_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  const index = join(dir, 'index.html');
  // Hashed file names: cached for good. index.html: always asked again, so a new build is seen.
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  router.get('/{*path}', (_req, res, next) => {
    if (!existsSync(index))
      return next(
        new HttpProblem(
          503,
          'Console not built',
          'The web console has not been built on this server: run `npm run build:console` (npm start does it by itself).',
        ),
      );
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
