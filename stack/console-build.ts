import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The web console's build (console/, React + Vite), made when its sources changed since the last
 * one: `npm start`, `npm run build` and the test setup call this, so nobody builds it by hand and
 * its output (dist/console) is never committed. Stale means: a file under console/ or domain/ (the
 * console imports the vocabulary), or package-lock.json, differs from what the last build saw.
 */
const root = resolve(__dirname, '..');
export const consoleDist = join(root, 'dist', 'console');
const stampFile = join(consoleDist, '.source-hash');

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(root, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(join(root, 'console'));
  walk(join(root, 'domain'));
  hash.update(readFileSync(join(root, 'package-lock.json')));
  return hash.digest('hex');
}

export function consoleIsBuilt(): boolean {
  return existsSync(join(consoleDist, 'index.html'));
}

/** Builds the console if it is missing or stale; says which. Two builds at once each write a whole tree and the last one wins. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => undefined): Promise<'fresh' | 'built'> {
  const wanted = sourceHash();
  if (consoleIsBuilt() && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) return 'fresh';
  log('building the web console (console/ changed since its last build)');
  const started = Date.now();
  const out = `${consoleDist}.build-${process.pid}`;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  try {
    await promisify(execFile)(
      process.execPath,
      [vite, 'build', '--config', join(root, 'console', 'vite.config.mts'), '--outDir', out, '--emptyOutDir'],
      {
        cwd: root,
        // production whatever the caller's NODE_ENV (jest sets 'test', which would bundle React's development build)
        env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
      },
    );
    writeFileSync(join(out, '.source-hash'), wanted);
    rmSync(consoleDist, { recursive: true, force: true });
    renameSync(out, consoleDist);
  } catch (err) {
    rmSync(out, { recursive: true, force: true });
    const e = err as { stderr?: string; message: string };
    throw new Error(`building the web console failed: ${e.stderr?.trim() || e.message}`);
  }
  log(`web console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 'built';
}
