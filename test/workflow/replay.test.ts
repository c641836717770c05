import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleCaseWorkflows, tracingSinks } from '../../worker/worker';
import { committedHistories } from '../support/histories';
import { quietRuntime } from '../support/servers';

/**
 * Cases live for months, so a deploy must not change what their recorded histories mean. Every
 * history committed under test/histories (recorded by `npm run record:histories`) is replayed with
 * the current workflow code; a change made without patched() is caught, one made with it is not.
 */
const histories = committedHistories();

const bundle = (path: string) => bundleWorkflowCode({ workflowsPath: path, logger: new DefaultLogger('ERROR') });

beforeAll(() => quietRuntime());

it('has histories of the paths that matter', () => {
  const paths = ['continue-as-new-run1', 'missed-deadlines-closure-reopen', 'typical-year-run1'];
  // Each set since v5 records the same paths, a run continued as new at 500 events among them.
  const sinceV5 = [
    'backdated-visit',
    'continue-as-new-at-500-run1',
    'continue-as-new-run1',
    'imported-intervention',
    'missed-deadlines-closure-reopen',
    'typical-year-run1',
  ];
  expect(histories.map((h) => h.workflowId)).toEqual([
    ...paths.map((p) => `v1-activity-projection/${p}`), // the projection as a regular activity
    ...paths.map((p) => `v2-local-projection/${p}`), // as a local activity, behind the patch
    // commands that say when they happened (behind command-occurred-at), and a case imported in its stage
    ...[
      'backdated-visit',
      'continue-as-new-run1',
      'imported-intervention',
      'missed-deadlines-closure-reopen',
      'typical-year-run1',
    ].map((p) => `v3-occurred-at/${p}`),
    // a timer kept when its moment moves later (behind keep-earlier-timer)
    ...[
      'backdated-visit',
      'continue-as-new-run1',
      'imported-intervention',
      'missed-deadlines-closure-reopen',
      'typical-year-run1',
    ].map((p) => `v4-keep-earlier-timer/${p}`),
    // and a run continued as new at 500 events (behind continue-as-new-at-500)
    ...sinceV5.map((p) => `v5-continue-as-new-at-500/${p}`),
    // and search attributes without CaseNextDeadline, not upserted as the run started (behind lean-search-attributes)
    ...sinceV5.map((p) => `v6-lean-search-attributes/${p}`),
  ]);
});

it('replays every committed history with the current workflow code, as workers bundle it (with the tracing interceptors)', async () => {
  const workflowBundle = await bundleCaseWorkflows({ logger: new DefaultLogger('ERROR'), tracing: true });
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories(
    { workflowBundle, replayName: 'current', sinks: tracingSinks() },
    histories,
  )) {
    if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
  }
  expect(failures).toEqual([]);
}, 120_000);

it('catches a change made without patched()', async () => {
  const workflowBundle = await bundle(require.resolve('../replay/unpatched-change'));
  const history = histories.find((h) => h.workflowId === 'v2-local-projection/missed-deadlines-closure-reopen')!;
  await expect(
    Worker.runReplayHistory({ workflowBundle, replayName: 'unpatched' }, history.history, history.workflowId),
  ).rejects.toThrow(DeterminismViolationError);
}, 120_000);

it('replays old histories through a change made with patched()', async () => {
  const workflowBundle = await bundle(require.resolve('../replay/patched-change'));
  for (const h of histories) {
    await expect(
      Worker.runReplayHistory({ workflowBundle, replayName: 'patched' }, h.history, h.workflowId),
    ).resolves.toBeUndefined();
  }
}, 120_000);
