// `npm run build:bundle`: the workflow bundle built ahead, so a worker starts in about a second
// instead of bundling for several (set WORKFLOW_BUNDLE_PATH to the file written here).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleCaseWorkflows } from '../worker/worker';

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundleCaseWorkflows();
  writeFileSync(out, code);
  process.stdout.write(`wrote ${out}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
