import { ConfigError, configVariables, loadConfig } from '../../platform/config';

const base = { DATABASE_URL: 'postgres://u:p@localhost:5432/suprovid' };

describe('configuration', () => {
  it('applies the embedded defaults', () => {
    const c = loadConfig(base);
    expect(c.TEMPORAL_ADDRESS).toBe('localhost:7233');
    expect(c.TEMPORAL_NAMESPACE).toBe('default');
    expect(c.TEMPORAL_TASK_QUEUE).toBe('suprovid-cases');
    expect(c.API_PORT).toBe(3000);
    expect(c.TEMPORAL_TLS).toBe(false);
  });

  it('reads overrides and coerces numbers and flags', () => {
    const c = loadConfig({ ...base, API_PORT: '8080', TEMPORAL_TLS: 'true', TEMPORAL_ADDRESS: 'ns.tmprl.cloud:7233' });
    expect(c).toMatchObject({ API_PORT: 8080, TEMPORAL_TLS: true, TEMPORAL_ADDRESS: 'ns.tmprl.cloud:7233' });
  });

  it('keeps worker metrics and tracing off unless asked, and reads them when they are', () => {
    const c = loadConfig(base);
    expect([c.LOG_FORMAT, c.WORKER_METRICS_PORT, c.OTEL_EXPORTER_OTLP_ENDPOINT]).toEqual([
      'json',
      undefined,
      undefined,
    ]);
    expect(
      loadConfig({
        ...base,
        WORKER_METRICS_PORT: '9464',
        WORKER_METRICS_HOST: '0.0.0.0',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      }),
    ).toMatchObject({
      WORKER_METRICS_PORT: 9464,
      WORKER_METRICS_HOST: '0.0.0.0',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
    });
  });

  it("keeps the SDK's sticky queue timeout unless raised, within a second to ten minutes", () => {
    expect(loadConfig(base).WORKER_STICKY_QUEUE_TIMEOUT_MS).toBe(10_000);
    expect(loadConfig({ ...base, WORKER_STICKY_QUEUE_TIMEOUT_MS: '60000' }).WORKER_STICKY_QUEUE_TIMEOUT_MS).toBe(
      60_000,
    );
    expect(() => loadConfig({ ...base, WORKER_STICKY_QUEUE_TIMEOUT_MS: '10' })).toThrow(
      /WORKER_STICKY_QUEUE_TIMEOUT_MS/,
    );
  });

  it("takes the SDK's 40 workflow tasks at once unless lowered, and at least the 2 its pollers need", () => {
    expect(loadConfig(base).WORKER_MAX_CONCURRENT_WORKFLOW_TASKS).toBe(40);
    expect(
      loadConfig({ ...base, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '8' }).WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    ).toBe(8);
    expect(() => loadConfig({ ...base, WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1' })).toThrow(
      /WORKER_MAX_CONCURRENT_WORKFLOW_TASKS/,
    );
  });

  it('believes no proxy for the client address unless told which, and never every one', () => {
    expect(loadConfig(base).API_TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...base, API_TRUST_PROXY: '1' }).API_TRUST_PROXY).toBe(1);
    expect(loadConfig({ ...base, API_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8' }).API_TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    // `true` would believe any X-Forwarded-For a client sends; a typo must not pass either.
    for (const bad of ['true', '10.0.0.0/33', 'loopbak', '10.0.0.1/8/1'])
      expect(() => loadConfig({ ...base, API_TRUST_PROXY: bad })).toThrow(/API_TRUST_PROXY/);
  });

  it('lets webhooks reach loopback besides the internet unless told otherwise, and parses the networks', () => {
    expect(loadConfig(base).WEBHOOK_ALLOWED_NETWORKS).toEqual(['loopback']);
    expect(loadConfig({ ...base, WEBHOOK_ALLOWED_NETWORKS: 'none' }).WEBHOOK_ALLOWED_NETWORKS).toEqual([]);
    expect(
      loadConfig({ ...base, WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16, loopback' }).WEBHOOK_ALLOWED_NETWORKS,
    ).toEqual(['10.20.0.0/16', 'loopback']);
    for (const bad of ['partners.example.org', 'constructor', '10.20.0.0/16,'])
      expect(() => loadConfig({ ...base, WEBHOOK_ALLOWED_NETWORKS: bad })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ ...base, TEMPORAL_NAMESPACE: '' }).TEMPORAL_NAMESPACE).toBe('default');
  });

  it.each([
    [{}, 'DATABASE_URL'],
    [{ ...base, DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ ...base, API_PORT: 'eighty' }, 'API_PORT'],
    [{ ...base, API_PORT: '70000' }, 'API_PORT'],
    [{ ...base, TEMPORAL_ADDRESS: 'no-port' }, 'TEMPORAL_ADDRESS'],
    [{ ...base, TEMPORAL_TLS: 'maybe' }, 'TEMPORAL_TLS'],
    [{ ...base, LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ...base, LOG_FORMAT: 'xml' }, 'LOG_FORMAT'],
    [{ ...base, WORKER_METRICS_PORT: '99999' }, 'WORKER_METRICS_PORT'],
    [{ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ ...base, TEMPORAL_TLS_CERT_PATH: '/c.pem' }, 'TEMPORAL_TLS_KEY_PATH'],
  ])('stops with a message naming the variable (%j)', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as ConfigError).problems.some((p) => p.startsWith(`${variable}:`))).toBe(true);
      expect((err as Error).message).toContain(variable);
    }
  });

  it('lists every variable it reads', () => {
    expect(configVariables).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_API_KEY', 'API_PORT']),
    );
  });
});
