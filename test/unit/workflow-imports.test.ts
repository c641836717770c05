import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Temporal evaluates the workflow bundle's modules once per workflow instance, so what the workflow
 * code imports at the top is paid for by every case started or replayed. zod (and every schema
 * built with it) is loaded only when a workflow parses a command (workflows/case.ts, `schemas()`).
 * This follows the value imports (not `import type`) from the workflows' entry point and checks that
 * none of them reaches zod.
 */
const root = resolve(__dirname, '..', '..');

function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)([^;]*?)\s+from\s+'([^']+)'/gms)) {
    const clause = m[1]!;
    // `import { type A, type B } from` brings in no value either.
    const names = /^\{([^}]*)\}$/s.exec(clause.trim())?.[1];
    if (names !== undefined && names.split(',').every((n) => n.trim() === '' || n.trim().startsWith('type '))) continue;
    specs.push(m[2]!);
  }
  return specs;
}

function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string, path: string[]) => {
    if (seen.has(file)) return;
    seen.set(file, path);
    for (const spec of valueImports(file)) {
      if (!spec.startsWith('.')) {
        seen.set(spec, [...path, file]);
        continue;
      }
      visit(resolve(dirname(file), `${spec}.ts`).replace(/\/index\.ts\.ts$/, '/index.ts'), [...path, file]);
    }
  };
  visit(entry, []);
  return seen;
}

it('keeps zod out of what the workflow bundle loads for every case', () => {
  const modules = reachable(join(root, 'workflows', 'index.ts'));
  expect([...modules.keys()].filter((m) => m === 'zod' || m.startsWith('zod/'))).toEqual([]);
  // The walk does see the workflow's own modules and the SDK.
  expect([...modules.keys()]).toEqual(
    expect.arrayContaining([
      join(root, 'workflows', 'case.ts'),
      join(root, 'domain', 'case-machine.ts'),
      '@temporalio/workflow',
    ]),
  );
});

it('would notice a value import of zod', () => {
  const modules = reachable(join(root, 'domain', 'commands.ts'));
  expect(modules.has('zod')).toBe(true);
});
