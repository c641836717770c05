import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import {
  clusterEnv,
  clusterPortsFrom,
  dynamicConfigFile,
  serverConfigRoot,
  temporalServices,
} from '../../stack/temporal-cluster';
import { toolPath } from '../../stack/temporal';

/**
 * npm start's server mode and docker-compose.yml run Temporal Server from one config
 * (stack/temporal-server/). This renders that config the way each of them fills it in, with the
 * server binary itself (`temporal-server render-config`), and compares what must agree: the server
 * version, the schema set-up, the history shards, the search attributes and the dynamic config.
 */
const root = resolve(__dirname, '..', '..');
type ComposeService = {
  image?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
};
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const pins = Object.fromEntries(
  readFileSync(join(root, 'scripts/versions.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split('=') as [string, string]),
);
const mount = '/etc/suprovid/temporal';
/** A path inside a compose container, as the file of this repository it is mounted from. */
const fromMount = (p: string) => (p.startsWith(mount) ? join(serverConfigRoot, p.slice(mount.length)) : p);
const expand = (v: string) => String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

function render(env: Record<string, string>) {
  const out = execFileSync(
    toolPath('temporal-server'),
    ['--config', join(serverConfigRoot, 'config'), '--env', 'suprovid', 'render-config'],
    {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  return parse(out) as {
    persistence: {
      numHistoryShards: number;
      defaultStore: string;
      visibilityStore: string;
      datastores: Record<string, { sql: { pluginName: string; databaseName: string; user: string } }>;
    };
    dynamicConfigClient: { filepath: string };
    services: Record<string, unknown>;
    clusterMetadata: { currentClusterName: string };
  };
}

const serverServices = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('temporalio/server:'));
const composeEnv = {
  ...Object.fromEntries(Object.entries(serverServices[0]![1].environment ?? {}).map(([k, v]) => [k, expand(v)])),
  TEMPORAL_BIND_ADDRESS: '172.18.0.5',
};
const nativeEnv = clusterEnv({
  ports: clusterPortsFrom(7233),
  dbHost: '127.0.0.1',
  dbPort: 5433,
  dbPassword: 'temporal',
});

describe('one Temporal Server config for npm start and docker-compose.yml', () => {
  it('pins the same server version: the binary, the images, the schema tool', () => {
    const version = pins.TEMPORAL_SERVER_VERSION!;
    expect(execFileSync(toolPath('temporal-server'), ['--version'], { encoding: 'utf8' })).toContain(
      `temporal version ${version}`,
    );
    expect(serverServices.map(([, s]) => s.image)).toEqual(temporalServices.map(() => `temporalio/server:${version}`));
    expect(compose.services['temporal-schema']!.image).toMatch(
      new RegExp(`^temporalio/admin-tools:${version.replace(/\./g, '\\.')}-`),
    );
    expect(compose.services['temporal-ui']!.image).toBe(`temporalio/ui:${pins.TEMPORAL_UI_SERVER_VERSION}`);
  });

  it('runs each of the four services as its own container, from the mounted config', () => {
    const started = serverServices.map(([, s]) => {
      const cmd = s.entrypoint!.join(' ');
      expect(cmd).toContain(
        `temporal-server --root ${mount} --config config --env suprovid --allow-no-auth start --service`,
      );
      expect(s.volumes).toContain(`./stack/temporal-server:${mount}:ro`);
      return /--service (\w+)/.exec(cmd)![1];
    });
    expect(started.sort()).toEqual([...temporalServices].sort());
  });

  it('sets up the schemas with the same script', () => {
    const job = compose.services['temporal-schema']!;
    expect(job.entrypoint).toEqual(['sh', `${mount}/setup-schema.sh`]);
    expect(existsSync(fromMount(job.entrypoint![1]!))).toBe(true);
    expect(job.environment).toEqual(serverServices[0]![1].environment);
  });

  it('renders the same shards, stores and databases, and the same dynamic config file', () => {
    const [a, b] = [render(composeEnv), render(nativeEnv)];
    expect(a.persistence.numHistoryShards).toBe(4);
    expect(b.persistence.numHistoryShards).toBe(a.persistence.numHistoryShards);
    const stores = (c: typeof a) =>
      Object.fromEntries(
        Object.entries(c.persistence.datastores).map(([k, v]) => [
          k,
          [v.sql.pluginName, v.sql.databaseName, v.sql.user],
        ]),
      );
    expect(stores(b)).toEqual(stores(a));
    expect([b.persistence.defaultStore, b.persistence.visibilityStore]).toEqual([
      a.persistence.defaultStore,
      a.persistence.visibilityStore,
    ]);
    expect(Object.keys(b.services).sort()).toEqual(Object.keys(a.services).sort());
    expect(fromMount(a.dynamicConfigClient.filepath)).toBe(dynamicConfigFile);
    expect(b.dynamicConfigClient.filepath).toBe(dynamicConfigFile);
    expect(existsSync(dynamicConfigFile)).toBe(true);
  });

  it('registers the namespace and the search attributes with the same code', () => {
    // compose's one-off job runs scripts/temporal-setup.ts (compiled); npm start's server mode calls the same two functions.
    expect(compose.services['temporal-setup']!.command).toEqual(['node', 'dist/scripts/temporal-setup.js']);
    for (const file of ['scripts/temporal-setup.ts', 'stack/temporal-cluster.ts']) {
      const source = readFileSync(join(root, file), 'utf8');
      expect([file, /ensureNamespace\(/.test(source), /ensureSearchAttributes\(/.test(source)]).toEqual([
        file,
        true,
        true,
      ]);
    }
  });
});
