import { rmSync } from 'node:fs';
import type { PostgresServer } from '../../stack/postgres';
import type { DevServer } from '../../stack/temporal';

export default async function globalTeardown(): Promise<void> {
  const s = (globalThis as Record<string, unknown>).__suprovidServers as
    { postgres: PostgresServer; temporal: DevServer; dir: string } | undefined;
  if (!s) return;
  await Promise.all([s.temporal.stop(), s.postgres.stop()]);
  rmSync(s.dir, { recursive: true, force: true });
}
