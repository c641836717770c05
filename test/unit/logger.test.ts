import { createLogger, redactedFields, temporalLogger, type LogFields } from '../../platform/logger';

/** The logger (pino): one JSON object a line, personal fields redacted wherever they are, the SDK's logs through it. */
function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: string[] = [];
  const log = createLogger(level, { service: 'test' }, (l) => lines.push(l));
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

it('writes one JSON object a line: time, level, message, the base and the call fields', () => {
  const { log, parsed } = capture();
  log.child({ requestId: 'req-1' }).info('request', { status: 201 });
  log.debug('not at info');
  expect(parsed()).toEqual([
    {
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      msg: 'request',
      service: 'test',
      requestId: 'req-1',
      status: 201,
    },
  ]);
});

it('redacts personal fields and credentials at the top of a line and two objects down', () => {
  const { log, lines, parsed } = capture();
  const personal = {
    fullName: 'Ганна Приходько',
    birthDate: '1961-11-23',
    phone: '+380935551744',
    documents: [{ type: 'rnokpp', number: '2233445566' }],
    note: 'лікарня №3',
  };
  log.warn('top', personal as unknown as LogFields);
  log.warn('nested', {
    body: personal,
    req: { headers: { authorization: 'Bearer sk_live_1', 'idempotency-key': 'k1' } },
    person: { fullName: 'Марко' },
    a: { b: { phone: '+380' } },
  } as unknown as LogFields);
  const text = lines.join('\n');
  for (const value of ['Ганна', 'Марко', '1961-11-23', '+380', '2233445566', 'лікарня', 'sk_live_1', 'k1'])
    expect(text).not.toContain(value);
  const [top, nested] = parsed();
  expect(top).toMatchObject({
    fullName: '[redacted]',
    birthDate: '[redacted]',
    phone: '[redacted]',
    documents: '[redacted]',
    note: '[redacted]',
  });
  expect(nested).toMatchObject({
    body: '[redacted]',
    req: { headers: { authorization: '[redacted]', 'idempotency-key': '[redacted]' } },
    a: { b: { phone: '[redacted]' } },
  });
  expect(redactedFields).toEqual(
    expect.arrayContaining(['fullName', 'birthDate', 'phone', 'documents', 'authorization']),
  );
});

it('passes the Temporal SDK logs on at and above their floor, errors as their kind and message, metadata redacted', () => {
  const { log, parsed } = capture('debug');
  const sdk = temporalLogger(log.child({ component: 'temporal-sdk' }), 'WARN');
  sdk.info('Worker state changed', { state: 'RUNNING' });
  sdk.warn('Activity failed', {
    activityType: 'deliverWebhook',
    attempt: 2,
    error: new TypeError('fetch failed'),
    input: { fullName: 'Ганна' },
  });
  sdk.log('ERROR', 'Workflow task failed', { workflowId: 'case-1' });
  expect(parsed()).toEqual([
    expect.objectContaining({
      level: 'warn',
      msg: 'Activity failed',
      component: 'temporal-sdk',
      activityType: 'deliverWebhook',
      attempt: 2,
      error: 'TypeError',
      errorMessage: 'fetch failed',
      input: { fullName: '[redacted]' },
    }),
    expect.objectContaining({ level: 'error', msg: 'Workflow task failed', workflowId: 'case-1' }),
  ]);
});
