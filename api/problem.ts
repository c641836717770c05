import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Logger } from '../platform/logger';
import { jsonPath, type UnstorableText } from '../platform/text';

/** RFC 9457 problem details; every error the API returns has this shape. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** The failing fields of a request that did not parse. */
  errors?: { location: string; path: string; message: string; code: string }[];
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }
}

const typeBase = 'https://suprovid.org/problems/';

export function sendProblem(res: Response, p: HttpProblem, requestId?: string): void {
  const body: Problem = {
    type:
      typeBase +
      p.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
    title: p.title,
    status: p.status,
    detail: p.message !== p.title ? p.message : undefined,
    instance: requestId ? `urn:request:${requestId}` : undefined,
    ...p.extra,
  };
  for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
  res.status(p.status).type('application/problem+json').send(JSON.stringify(body));
}

export type InputLocation = 'body' | 'query' | 'params' | 'headers';

/** zod's issues as problem fields; an unknown field is named at its own path (`openedAt`, `needs[0].note`), one error each. */
export function issueFields(error: z.ZodError): { path: string; message: string; code: string }[] {
  return error.issues.flatMap((i): { path: string; message: string; code: string }[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({
          path: jsonPath([...i.path, k]),
          message: 'Unknown field: this request takes no such field',
          code: i.code,
        }))
      : [{ path: jsonPath(i.path), message: i.message, code: i.code }],
  );
}

export function invalidRequest(location: InputLocation, error: z.ZodError): HttpProblem {
  const errors = issueFields(error).map((e) => ({ location, ...e }));
  const unknown = errors.filter((e) => e.code === 'unrecognized_keys').map((e) => e.path);
  const detail = unknown.length
    ? `The request ${location} has fields it does not take: ${unknown.join(', ')}.`
    : `The request ${location} did not pass validation.`;
  return new HttpProblem(400, 'Invalid request', detail, { errors });
}

/** Strings holding what cannot be stored (platform/text.ts), named by their JSON path. */
export function unstorableTextRequest(location: InputLocation, found: UnstorableText[]): HttpProblem {
  const message = (f: UnstorableText) =>
    `${f.inKey ? 'a key' : 'the text'} contains ${f.what === 'nul' ? 'U+0000 (NUL), which cannot be stored' : 'an unpaired UTF-16 surrogate, which is not Unicode text'}`;
  return new HttpProblem(400, 'Invalid request', `The request ${location} holds text that cannot be stored.`, {
    errors: found.map((f) => ({ location, path: jsonPath(f.path), message: message(f), code: 'invalid_characters' })),
  });
}

/** Seconds a caller should wait before retrying after a 503. */
const retryAfterSeconds = '5';

/** 503 with Retry-After: the request was not completed (and a retry with the same Idempotency-Key is applied once). */
export function unavailable(detail: string): HttpProblem {
  return new HttpProblem(503, 'Service unavailable', detail, {}, { 'Retry-After': retryAfterSeconds });
}

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new HttpProblem(404, 'Not found', `No route for ${req.method} ${req.path}`));
};

/**
 * Is this error a sign that a server we depend on is unreachable or did not answer in time? The
 * request may or may not have taken effect; a retry with the same Idempotency-Key is applied once.
 */
export function isUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string; message?: string } | undefined;
  if (!e) return false;
  // gRPC UNAVAILABLE (14) and DEADLINE_EXCEEDED (4) from Temporal; connection errors from pg, and
  // PostgreSQL out of connection slots (53300, 53400): a moment's overload, not the request's fault.
  if (e.name === 'ServiceError' || e.name === 'ConnectionError') return true;
  // An update the server stopped waiting for (its workflow task was held up, e.g. by a dead worker).
  if (e.name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return true;
  if (e.code === 14 || e.code === 4) return true;
  if (
    typeof e.code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '53300', '53400'].includes(e.code)
  )
    return true;
  return /Connection terminated|timeout exceeded when trying to connect/i.test(e.message ?? '');
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const requestId = res.locals.requestId as string | undefined;
    if (err instanceof HttpProblem) return sendProblem(res, err, requestId);
    // body-parser's own errors
    const bp = err as { type?: string; status?: number };
    if (bp.type === 'entity.too.large') return sendProblem(res, new HttpProblem(413, 'Payload too large'), requestId);
    if (bp.type === 'entity.parse.failed') {
      return sendProblem(res, new HttpProblem(400, 'Malformed JSON', 'The request body is not valid JSON.'), requestId);
    }
    if (bp.type === 'encoding.unsupported' || bp.type === 'charset.unsupported') {
      return sendProblem(res, new HttpProblem(415, 'Unsupported media type'), requestId);
    }
    if (isUnavailable(err)) {
      log.warn('dependency unavailable', {
        requestId,
        method: req.method,
        route: req.route?.path,
        error: (err as Error).name,
      });
      return sendProblem(
        res,
        unavailable(
          'Temporal or PostgreSQL is unreachable or did not answer in time: the request was not completed. Retry it with the same Idempotency-Key; it will be applied once.',
        ),
        requestId,
      );
    }
    // The error's message may quote request data (a database error names values), so only its kind is logged.
    const code = (err as { code?: unknown })?.code;
    log.error('unhandled error', {
      requestId,
      method: req.method,
      route: req.route?.path,
      error: (err as Error)?.name,
      code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    });
    sendProblem(res, new HttpProblem(500, 'Internal server error'), requestId);
  };
}
