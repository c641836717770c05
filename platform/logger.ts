import type { Logger as SdkLogger, LogLevel as SdkLogLevel, LogMetadata } from '@temporalio/common';
import pino from 'pino';

/**
 * Structured JSON logs, one object a line, written by pino. Callers pass identifiers (case id,
 * workflow id, request id), never personal data: names, contacts and case notes do not belong in
 * logs. Redaction is the second line of defence: a field named below is replaced by "[redacted]"
 * wherever it turns up (at the top of a line or up to two objects down), whoever logged it.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type LogFormat = 'json' | 'pretty';

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/**
 * Fields that hold personal data or secrets, by the names the API and the domain give them: a
 * person's name, birth date, phone and documents; free text that may name people (notes, reasons,
 * external references, search terms, whole request bodies); credentials in headers.
 */
export const redactedFields = [
  'fullName',
  'name',
  'birthDate',
  'phone',
  'documents',
  'document',
  'relation',
  'people',
  'person',
  'householdMembers',
  'note',
  'notes',
  'reason',
  'externalRef',
  'q',
  'body',
  'authorization',
  'cookie',
  'idempotency-key',
] as const;
const redactPaths = redactedFields.flatMap((f) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(f) ? f : `["${f}"]`;
  const dot = key.startsWith('[') ? '' : '.';
  return [key, `*${dot}${key}`, `*.*${dot}${key}`];
});

export interface LoggerOptions {
  /** Where lines go (default stdout); each call gets one JSON line without its newline. */
  write?: (line: string) => void;
  /** `pretty` is for a developer's terminal and needs pino-pretty (a dev dependency). */
  format?: LogFormat;
}

export function createLogger(
  level: LogLevel,
  base: LogFields = {},
  opts: LoggerOptions | ((line: string) => void) = {},
): Logger {
  const { write, format = 'json' } = typeof opts === 'function' ? { write: opts } : opts;
  const options: pino.LoggerOptions = {
    level,
    base,
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  if (write) return wrap(pino(options, { write: (s: string) => write(s.endsWith('\n') ? s.slice(0, -1) : s) }));
  if (format === 'pretty')
    return wrap(pino({ ...options, transport: { target: 'pino-pretty', options: { messageKey: 'msg' } } }));
  return wrap(pino(options));
}

function wrap(p: pino.Logger): Logger {
  return {
    debug: (msg, fields = {}) => p.debug(fields, msg),
    info: (msg, fields = {}) => p.info(fields, msg),
    warn: (msg, fields = {}) => p.warn(fields, msg),
    error: (msg, fields = {}) => p.error(fields, msg),
    child: (fields) => wrap(p.child(fields)),
  };
}

/** An error's class and message, for logs; stack traces only at debug level. */
export function errorFields(err: unknown): LogFields {
  if (err instanceof Error) return { error: err.name, errorMessage: err.message };
  return { error: String(err) };
}

const sdkRank: Record<SdkLogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };
const ours: Record<SdkLogLevel, LogLevel> = {
  TRACE: 'debug',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's logger (Runtime.install), writing through ours: the SDK's own messages, Core's
 * forwarded ones and the workflow and activity context loggers become our JSON lines, redacted
 * alike. Messages below `floor` are dropped: the SDK is chatty at INFO (bundler, poller start).
 */
export function temporalLogger(log: Logger, floor: SdkLogLevel): SdkLogger {
  const emit = (level: SdkLogLevel, message: string, meta: LogMetadata = {}) => {
    if (sdkRank[level] < sdkRank[floor]) return;
    const fields: LogFields = {};
    for (const [k, v] of Object.entries(meta)) {
      if (v instanceof Error) Object.assign(fields, errorFields(v));
      // Objects go through as they are, so that redaction reaches into them.
      else fields[k] = v as LogFields[string];
    }
    log[ours[level]](message, fields);
  };
  return {
    log: emit,
    trace: (m, meta) => emit('TRACE', m, meta),
    debug: (m, meta) => emit('DEBUG', m, meta),
    info: (m, meta) => emit('INFO', m, meta),
    warn: (m, meta) => emit('WARN', m, meta),
    error: (m, meta) => emit('ERROR', m, meta),
  };
}
