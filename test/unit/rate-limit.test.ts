import express from 'express';
import type { AddressInfo } from 'node:net';
import { errorHandler } from '../../api/problem';
import { rateLimit } from '../../api/rate-limit';
import { actorFor } from '../../domain/principal';
import { createLogger } from '../../platform/logger';

/** The per-key token bucket, on a small express app with a fake clock. */
it('lets a key make its share of requests, then answers 429 with Retry-After, and refills', async () => {
  let now = 1_000_000;
  const app = express();
  app.use((req, res, next) => {
    const subject = String(req.headers['x-key']);
    res.locals.principal = {
      keyId: subject,
      role: 'integration',
      subject,
      scope: {},
      actor: actorFor('integration', subject),
    };
    next();
  });
  app.use(rateLimit(3, () => now));
  app.get('/', (_req, res) => void res.json({ ok: true }));
  app.use(errorHandler(createLogger('error')));
  const server = app.listen(0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const hit = (key: string) => fetch(url, { headers: { 'x-key': key } });
  try {
    expect([(await hit('a')).status, (await hit('a')).status, (await hit('a')).status]).toEqual([200, 200, 200]);
    const limited = await hit('a');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await hit('b')).status).toBe(200); // another key has its own bucket
    now += 20_000; // a third of a minute: one more request
    expect((await hit('a')).status).toBe(200);
    expect((await hit('a')).status).toBe(429);
  } finally {
    server.close();
  }
});
