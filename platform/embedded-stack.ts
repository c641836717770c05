import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * Where `npm start` left its embedded servers, so the operator's commands (check:consistency,
 * repair:projection) find them the way npm start does, without DATABASE_URL: npm start writes
 * `<data dir>/stack.json` (mode 600: it holds the loopback database password) at every start.
 */
const stackFileSchema = z.object({
  DATABASE_URL: z.string(),
  TEMPORAL_ADDRESS: z.string(),
  TEMPORAL_NAMESPACE: z.string().optional(),
});
export type EmbeddedStack = z.infer<typeof stackFileSchema>;

const root = resolve(__dirname, '..');
const stackFile = (dataDir: string) => join(dataDir, 'stack.json');

export function recordEmbeddedStack(dataDir: string, stack: EmbeddedStack): void {
  writeFileSync(stackFile(dataDir), JSON.stringify(stack, null, 2) + '\n', { mode: 0o600 });
}

/** The data folder npm start uses for this environment (SUPROVID_DATA_DIR, or the mode's default). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SUPROVID_DATA_DIR || join(root, env.SUPROVID_TEMPORAL === 'server' ? '.data-server' : '.data'));
}

/** The environment with the embedded stack's addresses filled in where the caller set none. */
export function withEmbeddedStack(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (env.DATABASE_URL) return env;
  const file = stackFile(defaultDataDir(env));
  if (!existsSync(file)) return env; // loadConfig then names DATABASE_URL as missing
  const found = stackFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return { ...found, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v)) };
}
