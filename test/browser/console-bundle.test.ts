import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { consoleDist } from '../../stack/console-build';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The console as a field worker's phone gets it: everything from this server (nothing from a
 * CDN), its JavaScript and CSS together at most 250 KB gzipped, and served with a strict CSP.
 */
let sys: RunningSystem;
beforeAll(async () => {
  sys = await startSystem();
}, 120_000);
afterAll(async () => sys?.stop());

it('weighs at most 250 KB of JavaScript and CSS, gzipped', () => {
  const assets = readdirSync(join(consoleDist, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  expect(assets.some((f) => f.endsWith('.js'))).toBe(true);
  const gzipped = assets.reduce(
    (n, f) => n + gzipSync(readFileSync(join(consoleDist, 'assets', f)), { level: 9 }).length,
    0,
  );
  process.stdout.write(`console bundle: ${assets.length} files, ${(gzipped / 1024).toFixed(1)} KB gzipped\n`);
  expect(gzipped).toBeLessThanOrEqual(250 * 1024);
});

it('is served at /console with only its own origin allowed, and loads nothing from elsewhere', async () => {
  const res = await fetch(`${sys.baseUrl}/console/cases/00000000-0000-4000-8000-000000000000`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
  const html = await res.text();
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  expect(urls.length).toBeGreaterThan(0);
  for (const u of urls) expect(u).toMatch(/^(\/console\/|data:)/);
  const script = urls.find((u) => u.endsWith('.js'))!;
  const js = await fetch(sys.baseUrl + script);
  expect(js.status).toBe(200);
  expect(js.headers.get('cache-control')).toMatch(/immutable/);
  expect(await js.text()).not.toMatch(
    /https?:\/\/(?!www\.w3\.org|react\.dev|reactjs\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^"'\s]*\.(js|css|woff2?)/i,
  );
});

it('redirects /console to /console/', async () => {
  const res = await fetch(`${sys.baseUrl}/console`, { redirect: 'manual' });
  expect(res.status).toBe(301);
  expect(res.headers.get('location')).toBe('/console/');
});
