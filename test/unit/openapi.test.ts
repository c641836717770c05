import { allRoutes } from '../../api/app';
import type { ApiDeps } from '../../api/deps';
import { openApiDocument } from '../../api/openapi';
import { caseEventTypes } from '../../domain/vocabulary';

// The document is generated from route declarations only; no handler runs here.
const routes = allRoutes({} as ApiDeps, () => ({}));
const doc = openApiDocument(routes, '1.2.3') as {
  openapi: string;
  info: { version: string };
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        security: unknown[];
        requestBody?: unknown;
        parameters: { name: string; in: string }[];
        responses: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
  webhooks: Record<
    string,
    {
      post: {
        description: string;
        parameters: { name: string; in: string }[];
        requestBody: { content: { 'application/json': { schema: JsonSchema } } };
      };
    }
  >;
};
interface JsonSchema {
  properties: Record<string, { const?: string; properties?: Record<string, unknown>; required?: string[] }>;
  required: string[];
}

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

  it('marks every route but the probes and the sign-in as needing a key or a session', () => {
    for (const r of routes) {
      const op = doc.paths[r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]![r.method]!;
      expect(op.security).toEqual(r.access === 'public' ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }]);
    }
    expect(
      routes
        .filter((r) => r.access === 'public')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(['get /docs', 'get /healthz', 'get /openapi.json', 'get /readyz', 'post /v1/sessions']);
  });

  it('carries the request schemas from zod', () => {
    const open = doc.paths['/v1/cases']!.post!;
    expect(JSON.stringify(open.requestBody)).toContain('"region"');
    expect(open.parameters.map((p) => `${p.in}:${p.name}`)).toContain('header:idempotency-key');
    expect(doc.paths['/v1/cases/{caseId}']!.get!.parameters).toEqual([
      expect.objectContaining({ name: 'caseId', in: 'path' }),
    ]);
  });

  it('declares the 403 of a write outside scope and the 422 of a reused Idempotency-Key, as problem+json', () => {
    const writes = Object.values(doc.paths)
      .flatMap((ops) => Object.values(ops))
      .filter((op) => op.parameters.some((p) => p.name === 'idempotency-key'));
    expect(writes.map((op) => op.operationId)).toEqual(
      expect.arrayContaining(['openCase', 'recordService', 'assignTeam', 'reassignCases', 'recordOneOffContact']),
    );
    for (const op of writes) {
      for (const status of ['403', '422'])
        expect([op.operationId, status, Object.keys(op.responses[status]?.content ?? {})]).toEqual([
          op.operationId,
          status,
          ['application/problem+json'],
        ]);
    }
  });

  it('gives an example body for subscribing to webhooks', () => {
    expect(JSON.stringify(doc.paths['/v1/webhook-subscriptions']!.post!.requestBody)).toContain(
      '"examples":[{"name":"Kharkiv registry"',
    );
  });

  it('lists every event of the catalogue, and the ping, in the webhooks section, each with its payload schema', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...caseEventTypes, 'ping'].sort());
    for (const type of caseEventTypes) {
      const schema = doc.webhooks[type]!.post.requestBody.content['application/json'].schema;
      expect([type, schema.properties.type?.const]).toEqual([type, type]);
      expect(schema.required).toEqual(expect.arrayContaining(['eventId', 'type', 'at', 'actor', 'data', 'case']));
      expect(schema.properties.case?.required).toEqual(expect.arrayContaining(['caseId', 'stage', 'region', 'seq']));
    }
    expect(
      doc.webhooks.referral_sent!.post.requestBody.content['application/json'].schema.properties.data?.required,
    ).toEqual(['referralId', 'providerId', 'category']);
    expect(doc.webhooks.ping!.post.requestBody.content['application/json'].schema.properties.data?.required).toEqual([
      'subscriptionId',
    ]);
  });

  it('describes the signature scheme with each webhook', () => {
    const { description, parameters } = doc.webhooks.case_opened!.post;
    expect(parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
      'header:idempotency-key',
      'header:suprovid-event-id',
      'header:suprovid-signature',
    ]);
    expect(description).toContain('HMAC-SHA256');
    expect(description).toContain('`<t>.<raw body>`');
    expect(description).toContain('constant time');
    expect(description).toContain('300 seconds');
  });

  it('gives the people routes descriptions and example bodies and answers', () => {
    const people = routes.filter((r) => r.tags.includes('people'));
    expect(people.map((r) => r.operationId).sort()).toEqual([
      'addHouseholdMember',
      'correctPerson',
      'decidePossibleDuplicate',
      'listCasePeople',
      'personVersions',
      'possibleDuplicates',
      'removeHouseholdMember',
      'searchPeople',
    ]);
    for (const r of people) expect([r.operationId, Boolean(r.description)]).toEqual([r.operationId, true]);
    for (const [path, method] of [
      ['/v1/cases/{caseId}/people', 'post'],
      ['/v1/cases/{caseId}/people/{personId}', 'patch'],
      ['/v1/cases/{caseId}/possible-duplicates/decisions', 'post'],
    ] as const) {
      expect([path, JSON.stringify(doc.paths[path]![method]!.requestBody)]).toEqual([
        path,
        expect.stringContaining('"examples"'),
      ]);
    }
    expect(JSON.stringify(doc.paths['/v1/cases/{caseId}/possible-duplicates']!.get)).toContain('"examples"');
  });

  it('gives the reference data and staff routes examples: bodies, answers, and the CSV import as text/csv', () => {
    const ops = routes
      .filter((r) => r.tags.includes('reference') || r.tags.includes('staff'))
      .map((r) => r.operationId)
      .sort();
    expect(ops).toEqual([
      'changeStaff',
      'deactivateStaff',
      'getStaff',
      'importHromadas',
      'listHromadas',
      'listRegions',
      'listStaff',
      'registerStaff',
    ]);
    const csv = doc.paths['/v1/hromadas/import']!.post!.requestBody as {
      content: Record<string, { schema: { examples?: string[] } }>;
    };
    expect(Object.keys(csv.content)).toEqual(['text/csv']);
    expect(csv.content['text/csv']!.schema.examples![0]).toMatch(/^katottg,region,name_uk,name_en,kind\r\nUA63/);
    for (const [path, method] of [
      ['/v1/staff', 'post'],
      ['/v1/staff/{staffId}', 'patch'],
    ] as const) {
      expect([path, JSON.stringify(doc.paths[path]![method]!.requestBody)]).toEqual([
        path,
        expect.stringContaining('"examples"'),
      ]);
    }
    for (const path of ['/v1/regions', '/v1/hromadas', '/v1/staff', '/v1/staff/{staffId}']) {
      expect([path, JSON.stringify(doc.paths[path]!.get!.responses['200'])]).toEqual([
        path,
        expect.stringContaining('"examples"'),
      ]);
    }
  });

  it('gives the import routes example bodies and answers, and the commands their Prefer header and backdating field', () => {
    expect(JSON.stringify(doc.paths['/v1/imports']!.post!.requestBody)).toContain('"examples"');
    expect(JSON.stringify(doc.paths['/v1/imports']!.post!.responses['202'])).toContain('"examples"');
    expect(JSON.stringify(doc.paths['/v1/imports/{importId}/rows']!.get!.responses['200'])).toContain('"examples"');
    expect(JSON.stringify(doc.paths['/v1/cases/{caseId}/commands/recordServices']!.post!.requestBody)).toContain(
      '"examples"',
    );
    for (const path of ['/v1/cases', '/v1/cases/{caseId}/commands/recordService']) {
      expect([path, doc.paths[path]!.post!.parameters.some((p) => p.in === 'header' && p.name === 'prefer')]).toEqual([
        path,
        true,
      ]);
      expect([path, JSON.stringify(doc.paths[path]!.post!.requestBody)]).toEqual([
        path,
        expect.stringContaining('"occurredAt"'),
      ]);
    }
  });

  it('gives the console routes examples: sign-in, password, accounts, actions, the overview', () => {
    for (const [path, method] of [
      ['/v1/sessions', 'post'],
      ['/v1/sessions/current/password', 'post'],
      ['/v1/staff/{staffId}/account', 'put'],
    ] as const) {
      expect([path, JSON.stringify(doc.paths[path]![method]!.requestBody)]).toEqual([
        path,
        expect.stringContaining('"examples"'),
      ]);
    }
    for (const [path, status] of [
      ['/v1/sessions/current', '200'],
      ['/v1/cases/{caseId}/actions', '200'],
      ['/v1/reports/overview', '200'],
    ] as const) {
      expect([path, JSON.stringify(doc.paths[path]!.get!.responses[status])]).toEqual([
        path,
        expect.stringContaining('"examples"'),
      ]);
    }
  });
});
