import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Pool } from 'pg';
import { startTimeSkippingEnv } from '../../stack/test-server';
import { bundleCaseWorkflows } from '../../worker/worker';

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
  return bundleCaseWorkflows({ logger: new DefaultLogger('WARN') });
}

/** The time-skipping test server (stack/test-server.ts), with the SDK's logs kept quiet. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return startTimeSkippingEnv();
}
