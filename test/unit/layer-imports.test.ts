import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The import table of docs/ARCHITECTURE.md ("Folders"), enforced: every import of every file of
 * each folder is checked against what that folder may import (other folders, by value or by type
 * only, and packages). scripts/, bench/ and test/ may import anything and are not checked.
 */
const root = resolve(__dirname, '..', '..');

type Layer = 'domain' | 'workflows' | 'activities' | 'db' | 'api' | 'worker' | 'platform' | 'stack' | 'console';
const layerDirs: Record<Layer, string> = {
  domain: 'domain',
  workflows: 'workflows',
  activities: 'activities',
  db: 'db',
  api: 'api',
  worker: 'worker',
  platform: 'platform',
  stack: 'stack',
  console: 'console/src',
};

interface Rule {
  /** Folders it may import anything of. */
  may: readonly string[];
  /** Folders it may import types of, and values only of the files named in `valuesFrom`. */
  typesOf?: readonly string[];
  valuesFrom?: readonly string[];
  /** The packages it may import ('node:' for Node's built-ins); none listed: any. */
  packages?: readonly string[];
}

/** The table of docs/ARCHITECTURE.md. */
const importRules: Record<Layer, Rule> = {
  domain: { may: [], packages: ['zod', '@temporalio/common'] },
  workflows: { may: ['domain'], typesOf: ['activities'], packages: ['@temporalio/workflow', '@temporalio/common'] },
  activities: { may: ['domain', 'db', 'platform'], packages: ['@temporalio/activity', 'node:'] },
  db: { may: ['domain', 'platform'], packages: ['pg', 'argon2', 'node:'] },
  api: {
    may: ['domain', 'db', 'platform', 'activities', 'worker'],
    typesOf: ['workflows'],
    valuesFrom: ['workflows/messages.ts'],
  },
  worker: { may: ['domain', 'activities', 'db', 'platform'], typesOf: ['workflows'] },
  platform: { may: ['domain'] },
  stack: { may: ['domain', 'platform'], packages: ['pg', '@temporalio/client', '@temporalio/testing', 'node:'] },
  console: {
    may: [],
    typesOf: ['domain', 'db'],
    valuesFrom: ['domain/vocabulary.ts'],
    packages: ['react', 'react-dom'],
  },
};

const nodeBuiltins = new Set(builtinModules);
const folderOf = (path: string) => (path.startsWith('console/src/') ? 'console' : path.split('/')[0]!);
const packageOf = (spec: string) =>
  spec.startsWith('node:') || nodeBuiltins.has(spec.split('/')[0]!)
    ? 'node:'
    : spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');

/** The imports of a source file: what it names, and whether only types. */
function importsOf(source: string): { spec: string; typeOnly: boolean }[] {
  const found: { spec: string; typeOnly: boolean }[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gm)) {
    const names = /^\{([^}]*)\}$/s.exec(m[2]!.trim())?.[1];
    const typeNames =
      names !== undefined && names.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '));
    found.push({ spec: m[3]!, typeOnly: Boolean(m[1]) || typeNames });
  }
  for (const m of source.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push({ spec: m[1]!, typeOnly: false });
  for (const m of source.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) found.push({ spec: m[1]!, typeOnly: false });
  return found;
}

/** What a file (path relative to the root) imports that its folder may not. */
export function violations(layer: Layer, file: string, source: string): string[] {
  const rule = importRules[layer];
  const out: string[] = [];
  for (const { spec, typeOnly } of importsOf(source)) {
    if (!spec.startsWith('.')) {
      const pkg = packageOf(spec);
      if (rule.packages && !rule.packages.includes(pkg)) out.push(`${file}: package ${spec}`);
      continue;
    }
    const target = relative(root, resolve(root, dirname(file), spec));
    const folder = folderOf(target);
    if (folder === folderOf(file) || !target.includes('/')) continue; // its own folder, or a file at the root (package.json)
    if (rule.may.includes(folder)) continue;
    const asFile = target.endsWith('.ts') || target.endsWith('.json') ? target : `${target}.ts`;
    if (rule.typesOf?.includes(folder) && (typeOnly || rule.valuesFrom?.includes(asFile))) continue;
    out.push(`${file}: ${typeOnly ? 'types of' : 'values of'} ${target}`);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts)$/.test(e.name) && !e.parentPath.includes('node_modules'))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

it.each(Object.keys(importRules) as Layer[])('%s/ imports only what docs/ARCHITECTURE.md allows it', (layer) => {
  const files = sources(layerDirs[layer]);
  expect(files.length).toBeGreaterThan(0);
  expect(files.flatMap((f) => violations(layer, f, readFileSync(join(root, f), 'utf8')))).toEqual([]);
});

it('would notice a folder importing what it may not', () => {
  expect(
    violations(
      'db',
      'db/consistency.ts',
      "import { getState } from '../workflows/messages';\nimport type { Client } from '@temporalio/client';",
    ),
  ).toEqual(['db/consistency.ts: values of workflows/messages', 'db/consistency.ts: package @temporalio/client']);
  expect(
    violations(
      'activities',
      'activities/index.ts',
      "import type { DeliveryRetry } from '../workflows/webhook-delivery';",
    ),
  ).toEqual(['activities/index.ts: types of workflows/webhook-delivery']);
  expect(
    violations(
      'api',
      'api/routes/x.ts',
      "import { caseWorkflow } from '../../workflows/case';\nimport { getState } from '../../workflows/messages';\nimport type { caseWorkflow as C } from '../../workflows';",
    ),
  ).toEqual(['api/routes/x.ts: values of workflows/case']);
  expect(
    violations(
      'console',
      'console/src/x.tsx',
      "import { commandPayloads } from '../../domain/commands';\nimport { stages } from '../../domain/vocabulary';",
    ),
  ).toEqual(['console/src/x.tsx: values of domain/commands']);
});

it('checks the table the architecture document shows', () => {
  const doc = readFileSync(join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');
  for (const layer of Object.keys(importRules) as Layer[]) {
    const row = doc
      .split('\n')
      .find((l) => l.startsWith(`| \`${layerDirs[layer] === 'console/src' ? 'console' : layer}/\``));
    expect(row).toBeDefined();
    const allowed = row!.split('|').at(-2)!;
    const rule = importRules[layer];
    for (const folder of [...rule.may, ...(rule.typesOf ?? [])])
      expect(`${layer}: ${allowed}`).toContain(`\`${folder}/`);
    for (const pkg of rule.packages?.filter((p) => p !== 'node:') ?? [])
      expect(`${layer}: ${allowed}`).toContain(`\`${pkg}\``);
  }
});
