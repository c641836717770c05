import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLogger } from '../platform/logger';
import { ensureSearchAttributes } from '../platform/temporal-namespace';
import { toolPath } from './temporal';

/**
 * The Java time-skipping test server, provisioned by scripts/provision.sh. Its wrapper starts the
 * JVM with class-data sharing, well inside the 5 s @temporalio/testing allows; a start that still
 * misses it on an overloaded machine is tried once more. The case search attributes are
 * registered, as on a real cluster.
 */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
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
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default', createLogger('error'), { required: true });
  return env;
}
