// `npm run build:console`: builds the web console into dist/console if its sources changed.
import { ensureConsoleBuilt } from '../stack/console-build';

ensureConsoleBuilt((line) => process.stdout.write(`[console] ${line}\n`)).then(
  (r) => process.stdout.write(`[console] ${r === 'fresh' ? 'up to date' : 'ready'} in dist/console\n`),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
