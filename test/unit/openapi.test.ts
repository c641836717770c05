import { allRoutes } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { openApiDocument } from '../../api/openapi';

// The document is generated from route declarations only; no handler runs here.
const routes = allRoutes({} as ApiDeps, () => ({}));
const doc = openApiDocument(routes, '1.2.3') as {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, { operationId: string; security: unknown[]; requestBody?: unknown; parameters: { name: string; in: string }[] }>>;
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

  it('gives the people routes descriptions and example bodies and answers', () => {
    const people = routes.filter((r) => r.tags.includes('people'));
    expect(people.map((r) => r.operationId).sort()).toEqual(
      ['addHouseholdMember', 'correctPerson', 'decidePossibleDuplicate', 'listCasePeople', 'personVersions', 'possibleDuplicates', 'removeHouseholdMember', 'searchPeople'],
    );
    for (const r of people) expect([r.operationId, Boolean(r.description)]).toEqual([r.operationId, true]);
    for (const [path, method] of [['/v1/cases/{caseId}/people', 'post'], ['/v1/cases/{caseId}/people/{personId}', 'patch'], ['/v1/cases/{caseId}/possible-duplicates/decisions', 'post']] as const) {
      expect([path, JSON.stringify(doc.paths[path]![method]!.requestBody)]).toEqual([path, expect.stringContaining('"examples"')]);
    }
    expect(JSON.stringify(doc.paths['/v1/cases/{caseId}/possible-duplicates']!.get)).toContain('"examples"');
  });
});
