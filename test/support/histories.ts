import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';

/**
 * Every history committed under test/histories (recorded by `npm run record:histories`), one
 * folder per workflow version that recorded them; ids are `<version>/<path>`.
 */
export function committedHistories(): { workflowId: string; history: temporal.api.history.v1.History }[] {
  const dir = join(__dirname, '..', 'histories');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.binpb'))
    .sort()
    .map((f) => ({
      workflowId: f.replace(/\.binpb$/, ''),
      history: temporal.api.history.v1.History.decode(readFileSync(join(dir, f))),
    }));
}
