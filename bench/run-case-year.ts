/**
 * `npm run bench:case-year`: history events and Temporal actions of one case over a typical year
 * (see bench/case-year.ts), printed as a table and written to bench/results/case-year.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { startTimeSkippingEnv } from '../stack/test-server';
import { workflowsPath } from '../worker/worker';
import { simulateTypicalYear } from './case-year';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  process.stdout.write('starting the time-skipping test server and bundling the workflow...\n');
  const [env, bundle] = await Promise.all([
    startTimeSkippingEnv(),
    bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('ERROR') }),
  ]);
  try {
    process.stdout.write('simulating a typical case-year...\n');
    const started = Date.now();
    const r = await simulateTypicalYear(env, bundle);
    const rows = Object.entries(r.actions).sort((a, b) => b[1] - a[1]);
    process.stdout.write(
      `\nOne case, one typical year (${r.commands} commands), simulated in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
    process.stdout.write(
      `  runs (continue-as-new)   ${r.runs}\n  history events per run   ${r.eventsPerRun.join(', ')}\n  history events in all    ${r.totalEvents}\n\n  actions by kind\n`,
    );
    for (const [kind, n] of rows) process.stdout.write(`    ${kind.padEnd(28)} ${String(n).padStart(4)}\n`);
    process.stdout.write(`  actions per case-year          ${r.totalActions}   (goal: at most 120)\n`);
    process.stdout.write(`\n  recorded, not billed\n`);
    for (const [kind, n] of Object.entries(r.unbilled)) {
      process.stdout.write(`    ${kind.padEnd(28)} ${String(n).padStart(4)}\n`);
    }
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'case-year.json'),
      JSON.stringify(
        { measuredAt: new Date().toISOString(), ...r, histories: undefined, actions_per_case_year: r.totalActions },
        null,
        2,
      ) + '\n',
    );
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
