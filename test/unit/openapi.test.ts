import { allRoutes } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { openApiDocument } from '../../api/openapi';

// The document is generated from route declarations only; no handler runs here.
const routes = allRoutes({} as ApiDeps, () => ({}));
const doc = openApiDocument(routes, '1.2.3') as {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, { operationId: string; security: unknown[]; requestBody?: unknown; parameters: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with the API version', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('1.2.3');
  });

  it('describes every route once, with OpenAPI path templates', () => {
    for (const r of routes) {
      const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method]?.operationId).toBe(r.operationId);
    }
    const ids = routes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('marks every route but the probes as needing a bearer key', () => {
    for (const r of routes) {
      const op = doc.paths[r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]![r.method]!;
      expect(op.security).toEqual(r.access === 'public' ? [] : [{ bearerAuth: [] }]);
    }
    expect(routes.filter((r) => r.access === 'public').map((r) => r.path).sort()).toEqual(['/docs', '/healthz', '/openapi.json', '/readyz']);
  });

  it('carries the request schemas from zod', () => {
    const open = doc.paths['/v1/cases']!.post!;
    expect(JSON.stringify(open.requestBody)).toContain('"region"');
    expect(open.parameters.map((p) => `${p.in}:${p.name}`)).toContain('header:idempotency-key');
    expect(doc.paths['/v1/cases/{caseId}']!.get!.parameters).toEqual([expect.objectContaining({ name: 'caseId', in: 'path' })]);
  });

  it('declares the 403 of a write outside scope and the 422 of a reused Idempotency-Key, as problem+json', () => {
    const writes = Object.values(doc.paths).flatMap((ops) => Object.values(ops)).filter((op) => op.parameters.some((p) => p.name === 'idempotency-key'));
    expect(writes.map((op) => op.operationId)).toEqual(expect.arrayContaining(['openCase', 'recordService', 'assignTeam', 'reassignCases', 'recordOneOffContact']));
    for (const op of writes) {
      for (const status of ['403', '422']) expect([op.operationId, status, Object.keys(op.responses[status]?.content ?? {})]).toEqual([op.operationId, status, ['application/problem+json']]);
    }
  });
});
