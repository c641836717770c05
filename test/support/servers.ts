import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Pool } from 'pg';
import { createLogger } from '../../platform/logger';
import { toolPath } from '../../stack/temporal';
import { ensureSearchAttributes } from '../../worker/search-attributes';
import { workflowsPath } from '../../worker/worker';

/** The real servers global-setup started for this run. */
export function testDatabaseUrl(): string {
  const url = process.env.SUPROVID_TEST_DATABASE_URL;
  if (!url) throw new Error('SUPROVID_TEST_DATABASE_URL is not set: run the tests through jest (global setup)');
  return url;
}

export function testTemporalAddress(): string {
  const address = process.env.SUPROVID_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('SUPROVID_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (global setup)');
  return address;
}

export function testPool(): Pool {
  return new Pool({ connectionString: testDatabaseUrl(), max: 5 });
}

let runtimeInstalled = false;
/** Keeps the SDK's logs to errors (activities failing on purpose would fill the output), so test output stays readable. */
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (process.env.SUPROVID_TEST_SDK_LOG ?? 'ERROR') as 'ERROR' | 'WARN' | 'INFO' | 'DEBUG';
  Runtime.install({ logger: new DefaultLogger(level) });
}

/** One workflow bundle per test file: bundling takes seconds, a worker per test takes milliseconds. */
export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  quietRuntime();
  return bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
}

/**
 * The Java time-skipping test server, provisioned by scripts/provision.sh. Its wrapper starts the
 * JVM with class-data sharing, well inside the 5 s the SDK allows; a start that still misses it on
 * an overloaded machine is tried once more.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const create = () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: toolPath('temporal-test-server') } },
    });
  let env: TestWorkflowEnvironment;
  try {
    env = await create();
  } catch (err) {
    if (!/StartupTimeout|not ready|timed out|Timeout/i.test(String(err))) throw err;
    env = await create();
  }
  // The test server, like a real cluster, refuses search attributes it does not know.
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default', createLogger('error'), { required: true });
  return env;
}
