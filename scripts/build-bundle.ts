// `npm run build:bundle [-- [--tracing] <file>]`: the workflow bundle built ahead, so a worker starts
// in about a second instead of bundling for several (set WORKFLOW_BUNDLE_PATH to the file written
// here). `--tracing` puts the SDK's tracing interceptors in it, for workers that trace (docs/OBSERVABILITY.md).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleCaseWorkflows } from '../worker/worker';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const tracing = args.includes('--tracing');
  const out = resolve(args.find((a) => a !== '--tracing') ?? 'dist/workflow-bundle.js');
  const { code } = await bundleCaseWorkflows({ tracing });
  writeFileSync(out, code);
  process.stdout.write(`wrote ${out}${tracing ? ' (with the tracing interceptors)' : ''}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
