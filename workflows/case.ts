import {
  ApplicationFailure,
  TemporalFailure,
  isCancellation,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { CaseActivities } from '../activities';
import type { CaseEvent, CaseState, CaseWorkflowInput } from '../domain/case';
import {
  CommandRejected,
  applyCommand,
  applyProviderAnswer,
  checkCommand,
  checkOccurredAt,
  isFinished,
  newCaseState,
  nextWakeUp,
  refreshDeadlines,
  tick,
  type Change,
} from '../domain/case-machine';
import { CLOCK_SKEW_MS, commandNames, type CommandName } from '../domain/vocabulary';
import {
  CaseManager,
  CaseNextDeadline,
  CaseOverdue,
  CaseRegion,
  CaseStage,
  CaseSupervisor,
} from '../domain/search-attributes';
import { commandUpdates, getState, providerEvent, whenRecorded } from './messages';

export { commandUpdates, getState, providerEvent, whenRecorded } from './messages';

/**
 * The projection's durable path, a regular activity. Short timeout: a worker that dies mid-write is
 * noticed soon and the write retried elsewhere (it is idempotent). No attempt limit: while Postgres
 * is down the case waits, and the projection catches up after.
 */
const { recordCaseEvents } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The projection's fast path: the same activity run as a *local* activity, inside the workflow task
 * that made the change, so a command or a deadline costs one workflow task and no server round trip
 * for an activity task. After five quick attempts (about 3 s of backoff; the schedule-to-close
 * timeout is a further bound the test server's core did not enforce), the batch goes the durable
 * path above, which waits out an outage on server-side retries rather than by holding the
 * workflow task open (docs/CASE-WORKFLOW.md, "The projection").
 */
const local = proxyLocalActivities<CaseActivities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '2 seconds',
    maximumAttempts: 5,
  },
});

/** Cases started before the fast path existed replay the regular activity they recorded. */
const LOCAL_PROJECTION_PATCH = 'projection-local-activity';
/**
 * Commands may say when something happened (`occurredAt`). Before this, the workflow's schemas
 * dropped that field: a history with it replays as it ran, at the time the command was recorded.
 * Asked only of a command that says when (occurredAt, or contactedAt and deliveredAt, its older
 * names), so cases that never do pay no marker.
 */
const BACKDATING_PATCH = 'command-occurred-at';
/**
 * A timer set for a moment that then moves later is kept, not cancelled and set again (see
 * `armTimer`). Asked only where the two versions part: a moment moved later with a timer pending.
 */
const KEEP_EARLIER_TIMER_PATCH = 'keep-earlier-timer';
/**
 * Search attributes without `CaseNextDeadline`, and no upsert for what the run started with (see
 * `syncSearchAttributes`). Asked once a run, at its first upsert, where the two versions part: a run
 * that began without it keeps the old way to its end.
 */
const LEAN_ATTRIBUTES_PATCH = 'lean-search-attributes';

async function project(batch: Parameters<CaseActivities['recordCaseEvents']>[0]): Promise<void> {
  if (patched(LOCAL_PROJECTION_PATCH)) {
    try {
      return await local.recordCaseEvents(batch);
    } catch (err) {
      // A local activity's failure comes unwrapped (ApplicationFailure, TimeoutFailure), not as ActivityFailure.
      if (!(err instanceof TemporalFailure) || isCancellation(err)) throw err;
      // Postgres is slow or down: fall through to the durable path.
    }
  }
  await recordCaseEvents(batch);
}

/**
 * The command schemas (zod), loaded the first time this workflow parses a command. Temporal runs a
 * workflow bundle's modules once per workflow instance; loading zod and building its schemas at
 * the top was most of the cost of starting or replaying a case, and a case that is only opened, or
 * woken by a deadline, never parses a command (docs/PERFORMANCE.md).
 */
function schemas(): typeof import('../domain/commands') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return require('../domain/commands') as typeof import('../domain/commands');
}

/** Command ids remembered for deduplication (carried across continue-as-new). */
const REMEMBERED_COMMANDS = 500;
/**
 * A run continues as new once its history has this many events, whatever the server suggests: a
 * case evicted from the worker's cache is replayed from its run's first event at its next task,
 * and a replay costs about 0.75 ms an event (`npm run bench:replay`), so shorter runs keep every
 * replay under about 0.4 s instead of 1.1 s, for one more action (the new run's start) every 500
 * events: about one every 16 months for a typical case. Before the `continue-as-new-at-500`
 * patch, runs went to 1,500 events; a run already past 500 without the patch's marker keeps that.
 */
const DEFAULT_CONTINUE_AS_NEW_AFTER = 500;
const LEGACY_CONTINUE_AS_NEW_AFTER = 1_500;
const SHORTER_RUNS_PATCH = 'continue-as-new-at-500';

/** Whether a command says when it happened: occurredAt or its older names (recordServices always may: it came with backdating). */
function saysWhen(name: CommandName, cmd: object): boolean {
  const c = cmd as { occurredAt?: string; contactedAt?: string; deliveredAt?: string };
  return (
    c.occurredAt !== undefined ||
    c.contactedAt !== undefined ||
    c.deliveredAt !== undefined ||
    name === 'recordServices'
  );
}

function rejection(err: unknown): never {
  if (err instanceof CommandRejected) {
    throw ApplicationFailure.create({
      type: err.code,
      message: err.message,
      nonRetryable: true,
      details: err.field ? [{ field: err.field }] : undefined,
    });
  }
  throw err;
}

/**
 * One case, from first contact to closure (and reopening). The rules are in domain/case-machine.ts;
 * this shell makes them durable: commands arrive as updates, time passes on one timer set for the
 * next thing that can happen, and every change reaches Postgres through one activity per batch.
 */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseState> {
  const state: CaseState = input.carried?.state ?? newCaseState(input);
  const recentCommands: string[] = [...(input.carried?.recentCommands ?? [])];
  const pending: CaseEvent[] = [];
  let projectedSeq = state.seq;
  let changed = false;

  const now = () => Date.now();
  const record = (changes: Change[]) => {
    const at = new Date(now()).toISOString();
    for (const c of changes) {
      state.seq += 1;
      pending.push({
        caseId: state.caseId,
        seq: state.seq,
        type: c.type,
        actor: c.actor,
        at,
        data: c.data,
        ...(c.occurredAt ? { occurredAt: c.occurredAt } : {}),
      });
      state.updatedAt = at;
    }
    if (changes.length) changed = true;
  };
  const remember = (commandId: string) => {
    recentCommands.push(commandId);
    if (recentCommands.length > REMEMBERED_COMMANDS)
      recentCommands.splice(0, recentCommands.length - REMEMBERED_COMMANDS);
  };

  if (!input.carried) {
    // A case opened (or imported) with an earlier opening time says when it was opened.
    const backdated = Date.parse(input.openedAt) < now() - CLOCK_SKEW_MS && patched(BACKDATING_PATCH);
    record([
      {
        type: 'case_opened',
        actor: input.openedBy,
        data: {
          priority: state.priority,
          region: state.region,
          source: state.source,
          ...(input.imported
            ? {
                imported: {
                  importId: input.imported.importId,
                  externalId: input.imported.externalId,
                  stage: input.imported.stage,
                },
              }
            : {}),
        },
        ...(backdated ? { occurredAt: input.openedAt } : {}),
      },
    ]);
  }

  setHandler(getState, () => state);
  setHandler(whenRecorded, async () => {
    const upTo = state.seq;
    await condition(() => projectedSeq >= upTo);
    return state;
  });
  for (const name of commandNames) registerCommand(name);
  setHandler(providerEvent, (raw) => {
    const ev = schemas().providerEventSchema.safeParse(raw);
    if (!ev.success || recentCommands.includes(ev.data.eventId)) return;
    remember(ev.data.eventId);
    record(applyProviderAnswer(state, ev.data, now()));
  });

  function registerCommand<N extends CommandName>(name: N): void {
    // One handler shape for every command; each update's typed definition is for callers.
    const update = commandUpdates[name] as unknown as UpdateDefinition<CaseState, [unknown], string>;
    setHandler(
      update,
      async (raw: unknown) => {
        const cmd = schemas().commandSchema(name).parse(raw);
        if (recentCommands.includes(cmd.commandId)) return state; // a retry: applied once already
        let changes: Change[];
        try {
          changes = applyCommand(state, name, cmd, now(), saysWhen(name, cmd) && patched(BACKDATING_PATCH));
        } catch (err) {
          rejection(err);
        }
        remember(cmd.commandId);
        record(changes);
        // Answer once the change is in Postgres, so the caller can read what it wrote.
        const mine = state.seq;
        await condition(() => projectedSeq >= mine);
        return state;
      },
      {
        validator: (raw: unknown) => {
          const parsed = schemas().commandSchema(name).safeParse(raw);
          if (!parsed.success) {
            throw ApplicationFailure.create({
              type: 'INVALID',
              message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
              nonRetryable: true,
            });
          }
          if (recentCommands.includes(parsed.data.commandId)) return;
          try {
            checkCommand(state, name, parsed.data);
            checkOccurredAt(state, name, parsed.data, now());
          } catch (err) {
            rejection(err);
          }
        },
      },
    );
  }

  // One timer, for the next moment at which time changes something; kept while that moment stays,
  // and kept too when the moment moves later (work done pushed a deadline away): it wakes the case
  // early, which finds nothing due and sets the timer for the moment then next. Each timer started
  // is a billed action and a case's commands often push its next moment several times before it
  // comes; a wake-up that finds nothing costs one workflow task, not an action (docs/CASE-WORKFLOW.md).
  let timer: { at: number; fired: boolean; scope: CancellationScope } | undefined;
  const armTimer = (at: number | undefined) => {
    if (timer && !timer.fired && timer.at === at) return;
    if (timer && !timer.fired && at !== undefined && at > timer.at && patched(KEEP_EARLIER_TIMER_PATCH)) return;
    timer?.scope.cancel();
    timer = undefined;
    if (at === undefined) return;
    const t = { at, fired: false, scope: new CancellationScope() };
    t.scope
      .run(() => sleep(Math.max(1, at - now())))
      .then(
        () => (t.fired = true),
        () => undefined, // cancelled: the next moment moved
      );
    timer = t;
  };

  // Search attributes are for finding cases in the Temporal Web UI; lists and reports read the exact
  // projection in Postgres. Each upsert is a billed action, so they change only with the stage, the
  // team, the region and the overdue flag: what an operator filters by. Before the lean patch a run
  // also published `CaseNextDeadline`, upserting whenever the next deadline came earlier (5 of a
  // typical year's 20 upserts), and upserted at its first task what it had started with (1 more).
  // A lean run clears `CaseNextDeadline` (inherited by a run continued from an old one) with its
  // first upsert; the next deadline is in the projection (`GET /v1/cases?overdue=`, the case itself).
  let listed = '';
  let publishedDeadline: string | undefined;
  let lean: boolean | undefined;
  const syncSearchAttributes = () => {
    // The attributes kept, in the order they are published; `listed` is their values as last published.
    const kept = [
      { key: CaseStage, value: state.stage },
      { key: CaseRegion, value: state.region },
      { key: CaseManager, value: state.team.caseManagerId ?? null },
      { key: CaseSupervisor, value: state.team.supervisorId ?? null },
      { key: CaseOverdue, value: state.overdue },
    ] as const;
    const values = JSON.stringify(kept.map((a) => a.value));
    if (lean === undefined) {
      lean = patched(LEAN_ATTRIBUTES_PATCH);
      if (lean) {
        // What the run started with (caseStartAttributes, or a run continued as new), compared as
        // it would be published: equal, and nothing to clear, means nothing to upsert.
        const started = workflowInfo().typedSearchAttributes;
        if (started.get(CaseNextDeadline) === undefined) {
          listed = JSON.stringify(kept.map((a) => started.get(a.key as typeof CaseStage) ?? null));
        }
      }
    }
    const publish = (nextDeadline: Date | null) => {
      listed = values;
      upsertSearchAttributes([...kept, { key: CaseNextDeadline, value: nextDeadline }] as Parameters<
        typeof upsertSearchAttributes
      >[0]);
    };
    if (lean) {
      if (values !== listed) publish(null);
      return;
    }
    const next = state.nextDeadlineAt;
    const comesEarlier = next !== undefined && (publishedDeadline === undefined || next < publishedDeadline);
    if (values === listed && !comesEarlier) return;
    publishedDeadline = next;
    publish(next ? new Date(next) : null);
  };

  /** Whether this run is long enough to continue as new (the patch asked only between 500 and 1,500 events). */
  const runIsLong = (historyLength: number) => {
    if (input.continueAsNewAfterEvents !== undefined) return historyLength >= input.continueAsNewAfterEvents;
    if (historyLength >= LEGACY_CONTINUE_AS_NEW_AFTER) return true;
    return historyLength >= DEFAULT_CONTINUE_AS_NEW_AFTER && patched(SHORTER_RUNS_PATCH);
  };
  for (;;) {
    changed = false;
    record(tick(state, now()));
    refreshDeadlines(state, now());
    if (pending.length > 0) {
      const batch = pending.splice(0);
      await project({ events: batch, state });
      projectedSeq = batch[batch.length - 1]!.seq;
    }
    syncSearchAttributes();
    // Only with nothing left to record: a command may have arrived while the last batch was written.
    if (isFinished(state, now()) && pending.length === 0) break;

    const info = workflowInfo();
    if (info.continueAsNewSuggested || runIsLong(info.historyLength)) {
      // A safe point: the commands in hand have answered, and nothing is left to record.
      await condition(() => allHandlersFinished() || pending.length > 0);
      if (allHandlersFinished() && pending.length === 0) {
        timer?.scope.cancel();
        await continueAsNew<typeof caseWorkflow>({ ...input, carried: { state, recentCommands } });
      }
      continue;
    }

    armTimer(nextWakeUp(state, now()));
    await condition(() => changed || pending.length > 0 || Boolean(timer?.fired));
  }
  await condition(allHandlersFinished);
  return state;
}
