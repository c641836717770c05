import { randomUUID } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import express, { type Express } from 'express';
import { authenticate, authorizeCase } from './auth';
import { consoleRouter } from './console';
import { createMetrics, type Metrics } from './metrics';
import { rateLimit } from './rate-limit';
import type { ApiDeps } from './deps';
import { openApiDocument } from './openapi';
import { errorHandler, notFoundRoute } from './problem';
import type { AnyRoute } from './route';
import { mountRoutes } from './route';
import { adminRoutes } from './routes/admin';
import { caseRoutes } from './routes/cases';
import { notificationRoutes } from './routes/notifications';
import { peopleRoutes } from './routes/people';
import { referenceRoutes } from './routes/reference';
import { staffRoutes } from './routes/staff';
import { reportRoutes } from './routes/reports';
import { oneOffContactRoutes } from './routes/one-off-contacts';
import { supervisionRoutes } from './routes/supervision';
import { commandRoutes } from './routes/commands';
import { systemRoutes } from './routes/system';
import { webhookRoutes } from './routes/webhooks';
import { sessionRoutes } from './routes/sessions';
import { actionRoutes } from './routes/actions';
import { importRoutes } from './routes/imports';

export function allRoutes(deps: ApiDeps, document: () => unknown, metrics: Metrics = createMetrics()): AnyRoute[] {
  return [
    ...systemRoutes(deps, document, metrics),
    ...caseRoutes(deps),
    ...peopleRoutes(deps),
    ...commandRoutes(deps),
    ...notificationRoutes(deps),
    ...reportRoutes(deps),
    ...oneOffContactRoutes(deps),
    ...supervisionRoutes(deps),
    ...adminRoutes(deps),
    ...webhookRoutes(deps),
    ...referenceRoutes(deps),
    ...staffRoutes(deps),
    ...importRoutes(deps),
    ...sessionRoutes(deps),
    ...actionRoutes(deps),
  ];
}

/** The HTTP API: thin routes over the case workflows (commands) and Postgres (reads). */
export function createApp(deps: ApiDeps): Express {
  const app = express();
  const metrics = createMetrics();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);

  // Request id: the caller's if it is sane, ours otherwise; echoed back and in every log line.
  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    const requestId = given && /^[A-Za-z0-9._-]{8,100}$/.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    const span = trace.getActiveSpan(); // the request's own, when tracing is on
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      metrics.observe(req.method, route, res.statusCode, seconds);
      span?.updateName(`${req.method} ${route}`).setAttribute('http.route', route);
      deps.log.info('request', {
        requestId,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1_000_000n),
      });
    });
    next();
  });
  // The web console's files, before the JSON API (it needs no body parser and no key).
  if (deps.consoleDir) {
    app.use((req, res, next) => (req.path === '/console' ? res.redirect(301, '/console/') : next()));
    app.use('/console/', consoleRouter(deps.consoleDir));
  }
  // An import carries a caseload: its own limit, and JSON lines too. Parsed here first, the body is left alone by the parser below.
  app.use(
    '/v1/imports',
    express.json({ limit: deps.importBodyLimit, type: ['application/json', 'application/*+json'] }),
    express.text({ limit: deps.importBodyLimit, type: ['application/x-ndjson', 'application/jsonl'] }),
  );
  app.use(express.json({ limit: deps.bodyLimit, type: ['application/json', 'application/*+json'] }));
  // Reference data imports (POST /v1/hromadas/import): CSV text, larger than a command (every hromada of Ukraine is about 250 kB).
  app.use(express.text({ limit: '4mb', type: ['text/csv'], defaultCharset: 'utf-8' }));

  let document: unknown;
  const routes = allRoutes(deps, () => (document ??= openApiDocument(routes, deps.version)), metrics);
  mountRoutes(
    app,
    routes,
    [authenticate(deps.apiKeys, deps.staffAccounts), rateLimit(deps.rateLimitPerMinute)],
    async (res, caseId) => void (await authorizeCase(deps.cases, res, caseId)),
  );
  app.use(notFoundRoute);
  app.use(errorHandler(deps.log));
  return app;
}
