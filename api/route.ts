import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../domain/principal';
import { principalOf } from './auth';
import { findUnstorableText } from '../platform/text';
import { HttpProblem, invalidRequest, unstorableTextRequest, type InputLocation } from './problem';
import { strictAtEdge, unionShapes } from './strict';

/**
 * A route is declared once, with zod schemas for its parameters, query, headers, body and
 * responses; the same declaration registers the express handler (which parses every input before
 * the handler sees it) and writes the route into the OpenAPI document.
 */
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ResponseSpec {
  description: string;
  schema?: Schema;
  /** Other representations than JSON, for example text/csv. */
  contentTypes?: string[];
}

export interface RouteSpec<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  H extends Schema | undefined,
  B extends Schema | undefined,
> {
  method: Method;
  /** Express-style path, for example /v1/cases/:caseId */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  /** Who may call it: 'public' only for probes and the API description; otherwise the roles allowed. */
  access: 'public' | readonly Role[];
  /** The route acts on the case in its :caseId parameter: the caller's scope is checked before the body is read. */
  caseScoped?: boolean;
  params?: P;
  query?: Q;
  headers?: H;
  body?: B;
  /** An example body for the OpenAPI document (for bodies whose schema transforms, where zod leaves examples out). */
  bodyExample?: unknown;
  /** How the body comes: JSON (the default), CSV text (the body schema gets the text), or JSON or JSON lines (a caseload import). */
  bodyType?: BodyType;
  responses: Record<number, ResponseSpec>;
  handle(
    input: { params: Out<P>; query: Out<Q>; headers: Out<H>; body: Out<B> },
    req: Request,
    res: Response,
  ): Promise<void> | void;
}

type BodyType = 'json' | 'csv' | 'json-or-lines';
/** The media types each kind of body comes as (the 415's message and the OpenAPI document). */
export const bodyMediaTypes: Record<BodyType, string[]> = {
  json: ['application/json'],
  csv: ['text/csv'],
  'json-or-lines': ['application/json', 'application/x-ndjson'],
};
/** Text bodies are what express.text parsed (CSV, JSON lines); JSON bodies are objects or arrays. */
function bodyTypeFits(type: BodyType, body: unknown): boolean {
  if (type === 'csv') return typeof body === 'string';
  if (type === 'json-or-lines') return body !== undefined;
  return body !== undefined && typeof body !== 'string';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any>;

export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  H extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(spec: RouteSpec<P, Q, H, B>): RouteSpec<P, Q, H, B> {
  return spec;
}

/**
 * Parses one part of the request. First, for every route and every field at once, strings that
 * cannot be stored (NUL, unpaired surrogates) are refused with their JSON paths, before a schema
 * sees them: nothing a route declares can carry them into Temporal or PostgreSQL. `checked` is the
 * part of `value` the route reads (for headers, only the ones its schema names).
 */
function parse(location: InputLocation, schema: Schema | undefined, value: unknown, checked: unknown = value): unknown {
  if (!schema) return undefined;
  const unstorable = findUnstorableText(checked);
  if (unstorable.length > 0) throw unstorableTextRequest(location, unstorable);
  const r = schema.safeParse(value ?? (location === 'body' ? undefined : {}), { error: unionShapes });
  if (!r.success) throw invalidRequest(location, r.error);
  return r.data;
}

/**
 * What the edge parses a body or a query with: the route's schema made strict (api/strict.ts). A
 * route that declares no query takes none, and one that declares no body takes none (an empty `{}`
 * is accepted, as clients often send it).
 */
const noFields = z.strictObject({});
export function edgeSchemas(route: AnyRoute): { query: Schema; body: Schema } {
  return { query: strictAtEdge(route.query ?? noFields), body: strictAtEdge(route.body ?? noFields.optional()) };
}

/** The headers a route reads: the keys of its header schema. */
function headersRead(req: Request, schema: Schema | undefined): Record<string, unknown> {
  const names = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return Object.fromEntries(names.filter((n) => n in req.headers).map((n) => [n, req.headers[n]]));
}

/** Refuses a principal whose role the route does not allow (before anything is parsed). */
function requireRole(roles: readonly Role[]): RequestHandler {
  return (_req, res, next) => {
    const { role } = principalOf(res);
    next(roles.includes(role) ? undefined : new HttpProblem(403, 'Forbidden', `A ${role} key may not do this.`));
  };
}

/**
 * Registers each route. Before the handler: authentication (with the rate limit) and the role check (unless public),
 * then for a case route the caller's scope over that case, and only then the parsing of the body.
 */
export function mountRoutes(
  router: Router,
  routes: AnyRoute[],
  authenticate: RequestHandler[],
  authorizeCase: (res: Response, caseId: string) => Promise<void>,
): void {
  for (const route of routes) {
    const edge = edgeSchemas(route);
    const guards = route.access === 'public' ? [] : [...authenticate, requireRole(route.access)];
    router[route.method](route.path, ...guards, async (req, res, next) => {
      try {
        const params = parse('params', route.params, req.params);
        if (route.caseScoped) await authorizeCase(res, (params as { caseId: string }).caseId);
        if (route.body && !bodyTypeFits(route.bodyType ?? 'json', req.body)) {
          throw new HttpProblem(
            415,
            'Unsupported media type',
            `Send the body as ${bodyMediaTypes[route.bodyType ?? 'json'].join(' or ')}.`,
          );
        }
        const input = {
          params,
          query: parse('query', edge.query, req.query),
          headers: parse('headers', route.headers, req.headers, headersRead(req, route.headers)),
          body: parse('body', edge.body, req.body),
        };
        await route.handle(input, req, res);
      } catch (err) {
        next(err);
      }
    });
  }
}
