import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configVariables, loadConfig } from '../../platform/config';

/** docker-compose.yml cannot run here (no Docker engine); it is checked against the code instead. */
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    { environment?: Record<string, string>; command?: string[]; build?: unknown; depends_on?: Record<string, unknown> }
  >;
};

/** ${VAR:-default} as compose expands it with VAR unset. */
const expand = (v: string) => String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml', () => {
  const app = ['migrate', 'temporal-setup', 'worker', 'api'] as const;

  it('has the production-shaped services', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'migrate',
      'postgresql',
      'temporal',
      'temporal-history',
      'temporal-matching',
      'temporal-schema',
      'temporal-setup',
      'temporal-ui',
      'temporal-worker',
      'worker',
    ]);
  });

  it('runs two workers and two API replicas', () => {
    const replicas = (name: string) => (compose.services[name] as { deploy?: { replicas?: number } }).deploy?.replicas;
    expect([replicas('worker'), replicas('api')]).toEqual([2, 2]);
  });

  it.each(app)('%s sets only variables the code reads, and enough of them to start', (name) => {
    const env = compose.services[name]!.environment!;
    const unknown = Object.keys(env).filter((k) => !configVariables.includes(k));
    expect(unknown).toEqual([]);
    const config = loadConfig(Object.fromEntries(Object.entries(env).map(([k, v]) => [k, expand(v)])));
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(config.DATABASE_URL).toContain('@postgresql:5432/suprovid');
  });

  it('runs the compiled entry points the build produces', () => {
    const entries = app.map((n) => compose.services[n]!.command!.join(' '));
    expect(entries).toEqual([
      'node dist/db/migrate-cli.js',
      'node dist/scripts/temporal-setup.js',
      'node dist/worker/main.js',
      'node dist/api/main.js',
    ]);
    for (const source of ['db/migrate-cli.ts', 'scripts/temporal-setup.ts', 'worker/main.ts', 'api/main.ts']) {
      expect(() => readFileSync(join(root, source))).not.toThrow();
    }
  });

  it('listens on all interfaces inside the container and maps the documented ports', () => {
    expect(compose.services.api!.environment!.API_HOST).toBe('0.0.0.0');
    expect(JSON.stringify(compose.services)).toContain('8233:8080');
  });
});
