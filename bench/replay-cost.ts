/**
 * `npm run bench:replay`: what replaying a case costs against the length of its history, the
 * figure behind the continue-as-new threshold. A case evicted from the worker's cache is replayed
 * from its first event at its next task; this replays prefixes of the committed typical year
 * (test/histories/v4-keep-earlier-timer), each cut after a completed workflow task, many times with
 * the workers' own bundle, and prints milliseconds a replay and a replay's cost per event.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { bundleCaseWorkflows } from '../worker/worker';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const file = join(__dirname, '..', 'test', 'histories', 'v4-keep-earlier-timer', 'typical-year-run1.binpb');
  const year = temporal.api.history.v1.History.decode(readFileSync(file));
  const events = year.events;
  const completed = events
    .map((e, i) => (e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED ? i + 1 : 0))
    .filter(Boolean);
  // The opening alone (no command yet, so no command schemas loaded), prefixes of about 50, 100, 200
  // and 300 events, and the whole year, each ending after a completed task.
  const lengths = [
    completed[0]!,
    ...[50, 100, 200, 300, events.length].map((n) => completed.filter((c) => c <= n).pop()!),
  ];
  const workflowBundle = await bundleCaseWorkflows({ logger: new DefaultLogger('ERROR') });
  const timeRounds = async (n: number): Promise<number> => {
    const history = temporal.api.history.v1.History.create({ events: events.slice(0, n) });
    const batch = Array.from({ length: ROUNDS }, (_, i) => ({ workflowId: `replay-${n}-${i}`, history }));
    const started = performance.now();
    for await (const r of Worker.runReplayHistories({ workflowBundle, replayName: `prefix-${n}` }, batch)) {
      if (r.error) throw new Error(`replay of ${n} events failed: ${r.error.message}`);
    }
    return (performance.now() - started) / ROUNDS;
  };
  await timeRounds(lengths[0]!); // warm-up: the first replays load the bundle
  say(`\nReplaying a case (${ROUNDS} replays of each prefix of the typical year):\n`);
  say('  events   ms a replay   ms per 100 events');
  const rows: { events: number; msPerReplay: number }[] = [];
  for (const n of lengths) {
    const ms = await timeRounds(n);
    rows.push({ events: n, msPerReplay: ms });
    say(`  ${String(n).padStart(6)}   ${ms.toFixed(1).padStart(11)}   ${((ms / n) * 100).toFixed(2).padStart(17)}`);
  }
  const [first, last] = [rows[0]!, rows[rows.length - 1]!];
  const perEvent = (last.msPerReplay - first.msPerReplay) / (last.events - first.events);
  say(
    `\n  each event more: ${(perEvent * 1000).toFixed(0)} µs a replay; a replay with no events: about ${(first.msPerReplay - perEvent * first.events).toFixed(1)} ms`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
