// `npm run repair:projection -- --by <your staff id> <quarantineId>... | --case <caseId>`: re-applies
// projection batches that were set aside (listed by npm run check:consistency) with the text
// PostgreSQL cannot store replaced by U+FFFD, marks them repaired and records it in admin_events.
// Run it after fixing whatever else refused a batch. Exits 1 if any batch is still refused.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createCaseRepository } from '../db/cases';
import { createPool } from '../db/pool';
import { ConfigError, loadConfig } from '../platform/config';
import { withEmbeddedStack } from '../platform/embedded-stack';

const argsSchema = z
  .object({
    by: z.string().trim().min(1).max(200),
    case: z.uuid().optional(),
    ids: z.array(z.string().regex(/^\d+$/, 'a quarantine id is a number')),
  })
  .refine((a) => Boolean(a.case) !== a.ids.length > 0, { message: 'name either quarantine ids or one --case' });

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: { by: { type: 'string' }, case: { type: 'string' } },
    allowPositionals: true,
  });
  const parsed = argsSchema.safeParse({ by: values.by, case: values.case, ids: positionals });
  if (!parsed.success) {
    process.stderr.write(
      `usage: npm run repair:projection -- --by <staff id> <quarantineId>... | --case <caseId>\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || 'arguments'}: ${i.message}`).join('\n')}\n`,
    );
    return 2;
  }
  const args = parsed.data;
  const pool = createPool(loadConfig(withEmbeddedStack()), 'suprovid-repair');
  try {
    const { quarantine } = createCaseRepository(pool);
    const ids = args.case ? (await quarantine.open([args.case])).map((q) => q.quarantineId) : args.ids;
    let refused = 0;
    for (const id of ids) {
      const r = await quarantine.repair(id, args.by);
      if (r.outcome === 'still_refused') refused += 1;
      process.stdout.write(
        `quarantine ${id}: ${r.outcome === 'still_refused' ? `still refused (SQLSTATE ${r.sqlstate})` : r.outcome.replace('_', ' ')}\n`,
      );
    }
    if (ids.length === 0) process.stdout.write('nothing set aside\n');
    return refused ? 1 : 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(
      `suprovid repair:projection: ${err instanceof ConfigError ? err.message : (err as Error).message}\n`,
    );
    process.exit(2);
  },
);
