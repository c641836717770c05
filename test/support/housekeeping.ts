import { startHousekeeping, type Purge } from '../../api/housekeeping';
import { createLogger } from '../../platform/logger';

/** Runs the API's housekeeping once with these purges, as each replica does hourly; answers its log lines. */
export async function housekeepOnce(purges: Purge[]): Promise<string[]> {
  const lines: string[] = [];
  const housekeeping = startHousekeeping({
    purges,
    log: createLogger('info', {}, (line) => lines.push(line)),
    firstAfterMs: 3_600_000,
  });
  await housekeeping.runOnce();
  housekeeping.stop();
  return lines;
}
