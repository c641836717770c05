import { z } from 'zod';
import { defaultReceiverNetworks, isNetwork } from './network';

/**
 * Every setting Suprovid reads from its environment, parsed once by zod at start-up. A bad or
 * missing value stops the process with a message naming the variable. docker-compose.yml sets
 * exactly these names (a test checks that).
 */
const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65_535);
const optionalText = z.string().min(1).optional();
/**
 * A setting that is a special word (`words`) or comma-separated networks: addresses, CIDR subnets,
 * loopback, linklocal, uniquelocal (platform/network.ts).
 */
function networksOr<W>(words: Record<string, W>, wordsSaid: string) {
  return z
    .string()
    .trim()
    .transform((v, ctx): W | string[] => {
      if (Object.hasOwn(words, v)) return words[v]!;
      const parts = v.split(',').map((p) => p.trim());
      const bad = parts.filter((p) => !isNetwork(p));
      if (!bad.length) return parts;
      ctx.addIssue({
        code: 'custom',
        message: `${wordsSaid}, or addresses, subnets (CIDR) and loopback/linklocal/uniquelocal, comma-separated; not ${bad.join(', ')}`,
      });
      return z.NEVER;
    });
}
/** express's `trust proxy`: whose X-Forwarded-For to believe for the client's address (never `true`: anyone's). */
const trustProxy = networksOr<false | number>(
  { false: false, ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), i + 1])) },
  'false, a number of proxies (1 to 10)',
);

export const configSchema = z
  .object({
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d+$/, 'must be host:port')
      .default('localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('suprovid-cases'),
    /** How long a closed case's history stays in Temporal, for a namespace this project registers (Postgres keeps the audit trail). */
    TEMPORAL_NAMESPACE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** A workflow bundle built ahead (npm run build:bundle); without it the worker bundles at start. */
    WORKFLOW_BUNDLE_PATH: optionalText,
    /** API key for Temporal Cloud; implies TLS. */
    TEMPORAL_API_KEY: optionalText,
    TEMPORAL_TLS: flag.default(false),
    TEMPORAL_TLS_CERT_PATH: optionalText,
    TEMPORAL_TLS_KEY_PATH: optionalText,
    TEMPORAL_TLS_CA_PATH: optionalText,
    TEMPORAL_TLS_SERVER_NAME: optionalText,

    DATABASE_URL: z
      .string({ error: 'is required (postgres://user:password@host:port/database)' })
      .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL'),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),

    API_HOST: z.string().min(1).default('127.0.0.1'),
    API_PORT: port.default(3000),
    /** Requests a minute per API key (429 above it). */
    API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    /** Largest request body the API accepts. */
    API_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb')
      .default('256kb'),
    /** The body of POST /v1/imports: a caseload (10,000 rows is about 4 MB). */
    API_IMPORT_BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb')
      .default('32mb'),
    /**
     * How long opening a case or a command waits for its workflow (and for its change to reach
     * PostgreSQL) before answering 503 with Retry-After: no request hangs on a case whose worker is
     * away. Keep it under the load balancer's and callers' own timeouts.
     */
    API_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /**
     * How long an Idempotency-Key stays bound to its request (a retry with it answers as the first,
     * another request with it 422). The API purges older keys once an hour (api/housekeeping.ts).
     * After that the key is free: a command sent again with it is still applied once (the case
     * remembers its recent command ids), and an opening still finds the case its key named.
     */
    IDEMPOTENCY_KEY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),

    /** The built web console (npm run build:console); unset: dist/console beside the code. */
    CONSOLE_DIR: z.string().min(1).optional(),
    /** How long a person's console session lasts from sign-in. */
    SESSION_TTL_HOURS: z.coerce
      .number()
      .min(0.1)
      .max(24 * 30)
      .default(12),
    /** How long an expired console session is kept (who used it, when last seen) before it is purged. */
    SESSION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3_650).default(30),
    /** Wrong passwords in a row that lock a staff account, and for how long. */
    SIGN_IN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    SIGN_IN_LOCKOUT_MINUTES: z.coerce
      .number()
      .min(0.1)
      .max(24 * 60)
      .default(15),
    /**
     * Failed sign-ins one client address may make within the window, across all accounts, before
     * it waits (429): a spray of guesses over many accounts, each below its own lockout.
     */
    SIGN_IN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(20),
    SIGN_IN_ADDRESS_WINDOW_MINUTES: z.coerce
      .number()
      .min(0.1)
      .max(24 * 60)
      .default(15),
    /**
     * Which proxies in front of the API to believe for the client's address (X-Forwarded-For), as
     * express's `trust proxy`: false (none, the default: the connection's address), the number of
     * proxies, or their addresses and subnets. Set it behind a reverse proxy, or all sign-ins count
     * as the proxy's.
     */
    API_TRUST_PROXY: trustProxy.default(false),
    /** Session cookies only over HTTPS: set true behind TLS (the default suits loopback). */
    COOKIE_SECURE: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .default(false),

    /**
     * Private or reserved networks webhook receivers may be on, besides the public internet
     * (comma-separated addresses, CIDR subnets, loopback, linklocal, uniquelocal; `none`: the
     * internet only). Every address a receiver's name resolves to is checked when it connects.
     * The default, loopback, suits one machine; a deployment sets `none` or its partners' subnets.
     */
    WEBHOOK_ALLOWED_NETWORKS: networksOr<string[]>({ none: [] }, 'none').default([...defaultReceiverNetworks]),
    /** Webhook deliveries back off from this delay... */
    WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
    /** ...up to this one between attempts... */
    WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
    /** ...and give up after this long (default two days; a receiver down for hours gets everything). */
    WEBHOOK_GIVE_UP_AFTER_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(30 * 86_400_000)
      .default(2 * 86_400_000),

    /**
     * Case workflows a worker keeps in memory between their tasks. A cached case answers a command
     * without replaying its history; an idle case that is evicted costs nothing until its next task.
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(1_000),
    /**
     * How long a case's next workflow task waits on this worker's own (sticky) queue before any
     * worker may take it, replaying the history. The SDK's 10 s is shorter than a burst of deadlines
     * takes to drain, so the tail of a burst timed out there and was replayed on top (docs/PERFORMANCE.md).
     * The price: a task already queued for a worker that dies waits this long before another worker
     * takes it (new tasks go to the shared queue once the server sees it stopped polling, about 10 s).
     */
    WORKER_STICKY_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
    /**
     * Workflow tasks a worker takes from Temporal at once. A task waits in the worker for its one
     * workflow thread, and a timer the task sets runs from when it completes, while the case
     * measured it from when the task began: a task that waits here moves its timers later.
     */
    WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(1_000).default(40),
    /** Threads that run workflow code in a worker process (each with its own V8 context). */
    WORKER_WORKFLOW_THREADS: z.coerce.number().int().min(1).max(32).default(1),

    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** JSON lines (for a log collector), or `pretty` for a developer's terminal (needs the dev dependency pino-pretty). */
    LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
    /**
     * A worker serves the Temporal SDK's metrics (workflow task latency, sticky cache, activity
     * failures...) for Prometheus at http://WORKER_METRICS_HOST:WORKER_METRICS_PORT/metrics; unset, none.
     */
    WORKER_METRICS_PORT: port.optional(),
    WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /**
     * Traces (OpenTelemetry) go by OTLP/HTTP to this collector (e.g. http://otel-collector:4318);
     * unset, nothing is traced. The exporter reads the other standard OTEL_EXPORTER_OTLP_* variables itself.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
    /** How long a stopping process waits for in-flight work before it exits anyway. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  })
  .superRefine((c, ctx) => {
    if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
      ctx.addIssue({
        code: 'custom',
        path: [c.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH'],
        message: 'mTLS needs both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH',
      });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; empty strings count as unset (compose files often leave them empty). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  }
  return parsed.data;
}

/** The variable names the code reads; docker-compose.yml is checked against this list. */
export const configVariables: readonly string[] = Object.keys(configSchema.shape);
