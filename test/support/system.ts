import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { consoleDist } from '../../stack/console-build';
import { createStaffAccountRepository } from '../../db/staff-accounts';
import { createApiKeyRepository } from '../../db/api-keys';
import { createCaseListRepository } from '../../db/case-list';
import { createCaseRepository } from '../../db/cases';
import { createEscalationRepository } from '../../db/escalations';
import { createDatabaseCheck } from '../../db/pool';
import { createReportRepository } from '../../db/reports';
import { createIdempotencyKeyRepository } from '../../db/idempotency-keys';
import { createNotificationRepository } from '../../db/notifications';
import { createOneOffRepository } from '../../db/one-off';
import { createPeopleRepository } from '../../db/people';
import { createPolicyRepository } from '../../db/policies';
import { createReferenceRepository } from '../../db/reference';
import { createStaffRepository } from '../../db/staff';
import type { StaffRole } from '../../domain/staff';
import { createWebhookRepository } from '../../db/webhooks';
import { createImportRepository } from '../../db/imports';
import { caseStarter } from '../../worker/case-starter';
import type { Role, Scope } from '../../domain/principal';
import { createLogger } from '../../platform/logger';
import { failFastInterceptors } from '../../platform/temporal';
import { tracingClientInterceptors } from '../../platform/tracing';
import { deliveryStarter } from '../../worker/deliveries';
import { createCaseWorker } from '../../worker/worker';
import { bundleWorkflows, quietRuntime, testPool, testTemporalAddress } from './servers';

export interface RunningSystem {
  baseUrl: string;
  pool: Pool;
  temporal: Client;
  taskQueue: string;
  /** Issues a key; a person's subject is registered as staff of that role first (if it is not yet). */
  issueKey(role: Role, subject?: string, scope?: Scope): Promise<string>;
  /** Registers staff ids the test names without a key (as case managers unless told), if not registered yet. */
  registerStaff(ids: string[], role?: StaffRole): Promise<void>;
  /**
   * Adds regions of the test's own to the register (code = the name given), so a test can keep its
   * cases apart from other test files' in the shared database. Only tests do this; the API cannot.
   */
  registerRegions(names: string[]): Promise<void>;
  /** Starts the system's worker (again); resolves once it runs. */
  startWorker(): Promise<void>;
  /** Stops the worker, finishing the tasks in hand; cases wait in Temporal. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The API and a worker in this process, wired as api/main.ts and worker/main.ts wire them, against
 * the real dev server and PostgreSQL of this test run. Each system has its own task queue.
 */
export async function startSystem(
  opts: {
    temporalAddress?: string;
    databaseUrl?: string;
    commandTimeoutMs?: number;
    worker?: boolean;
    /** The API's settings that differ from the test defaults (e.g. trustProxy). */
    api?: Partial<Pick<ApiDeps, 'trustProxy' | 'signInPerAddress'>>;
  } = {},
): Promise<RunningSystem> {
  quietRuntime();
  const pool = opts.databaseUrl ? new Pool({ connectionString: opts.databaseUrl, max: 5 }) : testPool();
  pool.on('error', () => undefined); // a server stopped on purpose
  const taskQueue = `it-${randomUUID()}`;
  const log = createLogger('error');
  const address = opts.temporalAddress ?? testTemporalAddress();
  // The API's own connection settings (api/main.ts): quick to give up when Temporal is away.
  const connection = await Connection.connect({ address, interceptors: failFastInterceptors() });
  const temporal = new Client({ connection, interceptors: tracingClientInterceptors() });
  const apiKeys = createApiKeyRepository(pool);
  const cases = createCaseRepository(pool);
  const staff = createStaffRepository(pool);
  const signInPolicy = { sessionTtlMs: 3_600_000, maxFailures: 5, lockoutMs: 60_000 };
  const staffAccounts = createStaffAccountRepository(pool, signInPolicy);
  const registerStaff = async (ids: string[], role: StaffRole = 'case_manager') => {
    for (const staffId of ids)
      await staff.register({ staffId, name: `Test ${staffId}`, role }, { kind: 'system', id: 'test' });
  };

  const nativeConnection = await NativeConnection.connect({ address });
  const webhooks = createWebhookRepository(pool);
  const startDelivery = deliveryStarter(temporal, taskQueue);
  const deliveryRetry = { initialMs: 200, maxMs: 1_000, giveUpAfterMs: 120_000 };
  const workflowBundle = await bundleWorkflows();
  let running: { worker: Worker; done: Promise<void> } | undefined;
  const startWorker = async () => {
    const worker = await createCaseWorker({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: createActivities({
        cases,
        webhooks,
        startDelivery,
        deliveryRetry,
        imports: { rows: createImportRepository(pool), startCase: caseStarter(temporal, taskQueue) },
        log,
      }),
      workflowBundle,
    });
    running = { worker, done: worker.run() };
  };
  const stopWorker = async () => {
    if (!running) return;
    const { worker, done } = running;
    running = undefined;
    worker.shutdown();
    await done;
  };
  if (opts.worker !== false) await startWorker();

  const app = createApp({
    temporal,
    taskQueue,
    database: createDatabaseCheck(pool),
    cases,
    caseList: createCaseListRepository(pool),
    escalations: createEscalationRepository(pool),
    reports: createReportRepository(pool),
    apiKeys,
    log,
    bodyLimit: '64kb',
    importBodyLimit: '32mb',
    imports: createImportRepository(pool),
    version: 'test',
    rateLimitPerMinute: 100_000,
    commandTimeoutMs: opts.commandTimeoutMs ?? 10_000,
    policies: createPolicyRepository(pool),
    notifications: createNotificationRepository(pool),
    people: createPeopleRepository(pool),
    oneOff: createOneOffRepository(pool),
    idempotencyKeys: createIdempotencyKeyRepository(pool),
    webhooks,
    startDelivery,
    deliveryRetry,
    reference: createReferenceRepository(pool),
    staff,
    consoleDir: consoleDist,
    staffAccounts,
    signIn: signInPolicy,
    ...opts.api,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pool,
    temporal,
    taskQueue,
    issueKey: async (role, subject = `${role}-${randomUUID().slice(0, 8)}`, scope) => {
      if (role !== 'integration') await registerStaff([subject], role);
      return (await apiKeys.issue({ name: `test ${role}`, role, subject, scope, createdBy: 'test' })).key;
    },
    registerStaff,
    registerRegions: async (names) => {
      await pool.query(
        `INSERT INTO regions (code, name_uk, name_en, kind) SELECT n, n, n, 'oblast' FROM unnest($1::text[]) AS n ON CONFLICT DO NOTHING`,
        [names],
      );
    },
    startWorker,
    stopWorker,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopWorker();
      await nativeConnection.close();
      await connection.close();
      await pool.end();
    },
  };
}

/** Polls `probe` until it returns something (the projection is written a moment after a command). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
