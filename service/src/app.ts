// The Hono application: middleware, routes, the OpenAPI document, and one error shape for every failure.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type { ErrorBody, HealthResponse, ReadyResponse } from '../../shared/schemas';
import { ApiKeyRegistry, requireApiKey } from './auth/middleware';
import type { Config } from './config';
import type { Database } from './db/connection';
import { AppError } from './errors';
import { RateLimiter, rateLimit } from './limits/rate-limit';
import { bodySizeLimit, requestTimeout } from './limits/request-limits';
import { trackPoolUsage } from './observability/db-pool';
import { ServiceMetrics } from './observability/metrics';
import { Readiness } from './observability/readiness';
import { type AppEnv, observeRequests, requestLogger } from './observability/requests';
import { buildOpenApiDocument } from './openapi';
import { BatchService } from './batch/service';
import { CalendarService } from './calendar/service';
import { CatalogService } from './catalog/service';
import { batchRoutes } from './routes/batch';
import { calendarRoutes } from './routes/calendar';
import { catalogRoutes } from './routes/catalog';
import { predictionRoutes } from './routes/predictions';
import { accuracyRoutes } from './routes/accuracy';
import { overrideRoutes } from './routes/overrides';
import { removalRoutes } from './routes/removal';
import { RemovalService } from './removal/service';
import { PredictionService, type PredictionConfig } from './predictions/service';
import { AccuracyService } from './accuracy/service';
import { OverrideService } from './overrides/service';
import { ServingCache } from './serving/cache';
import { trainingRoutes } from './routes/training';
import { uploadRoutes } from './routes/upload';
import { TrainingService } from './training/service';
import { UploadProgressBoard } from './uploads/progress';
import { UploadService } from './uploads/service';
import { VERSION } from './version';

export interface AppDeps {
  db: Database;
  /** Called when a training job was queued, so this instance's runner picks it up at once. */
  onTrainingQueued?: () => void;
  config: Pick<
    Config,
    | 'MAX_UPLOAD_MB'
    | 'MAX_UPLOAD_ROWS'
    | 'MAX_UPLOAD_COLUMNS'
    | 'RETRAIN_AFTER_UPLOAD'
    | 'MAX_UPLOAD_UNPACKED_MB'
    | 'MAX_JSON_BODY_KB'
    | 'REQUEST_TIMEOUT_MS'
    | 'RATE_LIMIT_PER_MIN'
    | 'REQUIRE_API_KEY'
    | 'DB_POOL_SIZE'
    | 'CORS_ORIGINS'
    | 'PANE_DIR'
  > &
    PredictionConfig;
  logger: Logger;
  /** Shared with the training runner (server.ts); made here when absent. */
  metrics?: ServiceMetrics;
  /** Shared with the shutdown (server.ts); made here when absent. */
  readiness?: Readiness;
  /** How long the list of API keys is trusted before it is read again (tests shorten it). */
  apiKeyCacheMs?: number;
}

/** Sales uploads have their own, larger body limit (routes/upload.ts). */
const SALES_UPLOAD_PATH = '/upload_data';
/** Uploads store in one transaction that may commit after a timeout would have answered 408: never timed out. */
const UPLOAD_PATHS = new Set([SALES_UPLOAD_PATH, '/upload_calendar']);

export function createApp({ db: rawDb, config, logger, onTrainingQueued, ...deps }: AppDeps) {
  const app = new Hono<AppEnv>();
  let openApiDocument: Record<string, unknown> | undefined;
  const metrics = deps.metrics ?? new ServiceMetrics({ sql: rawDb.sql, logger, poolMax: config.DB_POOL_SIZE });
  const readiness = deps.readiness ?? new Readiness(rawDb.sql, rawDb.transactions);
  // Requests go through a client that counts its use of the pool, for /metrics.
  const pool = trackPoolUsage(rawDb.sql);
  metrics.setPoolUsage(pool.usage);
  const db: Database = { ...rawDb, sql: pool.sql };
  const except =
    (paths: ReadonlySet<string>, mw: MiddlewareHandler): MiddlewareHandler =>
    (c, next) =>
      paths.has(c.req.path) ? next() : mw(c, next);

  app.use(requestId());
  app.use(observeRequests(logger, metrics));
  app.use(readiness.track());
  // Only the add-in's origins (and the pane served from here, which is same-origin) may call from a browser.
  app.use(
    cors({
      origin: (origin) => (config.CORS_ORIGINS.includes(origin) ? origin : null),
      exposeHeaders: ['Content-Disposition', 'Retry-After', 'WWW-Authenticate', 'X-Request-Id'],
    }),
  );

  // Open to all: probes, and the pane's static files (a browser loads those without any header).
  // The upload limit is public (it is in every 413 too): the pane checks a file against it before sending it.
  const maxUploadBytes = Math.round(config.MAX_UPLOAD_MB * 1024 * 1024);
  app.get('/health', (c) => c.json({ status: 'ok', version: VERSION, max_upload_bytes: maxUploadBytes } satisfies HealthResponse));
  app.get('/ready', async (c) => {
    const state = await readiness.check();
    if (state.ready) return c.json({ status: 'ready', version: VERSION } satisfies ReadyResponse);
    return c.json({ error: { code: 'not_ready', message: state.message, details: { reason: state.reason } } } satisfies ErrorBody, 503);
  });
  servePane(app, config.PANE_DIR);

  // Everything below needs an API key once one exists (or REQUIRE_API_KEY), and is limited in rate, size and time.
  app.use(
    requireApiKey(new ApiKeyRegistry(rawDb.sql, logger, deps.apiKeyCacheMs, rawDb.transactions), { required: config.REQUIRE_API_KEY }),
  );
  if (config.RATE_LIMIT_PER_MIN > 0) app.use(rateLimit(new RateLimiter(config.RATE_LIMIT_PER_MIN)));
  app.use(except(new Set([SALES_UPLOAD_PATH]), bodySizeLimit(config.MAX_JSON_BODY_KB * 1024)));
  if (config.REQUEST_TIMEOUT_MS > 0) app.use(except(UPLOAD_PATHS, requestTimeout(config.REQUEST_TIMEOUT_MS)));

  // Behind the key: metrics name stores and traffic. Prometheus sends a key as `authorization: { credentials: ... }`.
  app.get('/metrics', async (c) => {
    const { contentType, body } = await metrics.render();
    return c.body(body, 200, { 'Content-Type': contentType });
  });
  app.get('/openapi.json', (c) => c.json((openApiDocument ??= buildOpenApiDocument(VERSION))));
  const catalog = new CatalogService(db.sql, db.transactions);
  app.route('/', catalogRoutes(catalog));
  const training = new TrainingService(db.sql, onTrainingQueued);
  const uploads = new UploadService(
    db,
    {
      maxRows: config.MAX_UPLOAD_ROWS,
      maxColumns: config.MAX_UPLOAD_COLUMNS,
      maxUnpackedBytes: Math.round(config.MAX_UPLOAD_UNPACKED_MB * 1024 * 1024),
    },
    config.RETRAIN_AFTER_UPLOAD ? (stores) => training.retrain(stores) : null,
  );
  app.route('/', uploadRoutes(uploads, maxUploadBytes, new UploadProgressBoard()));
  app.route('/', calendarRoutes(new CalendarService(db.sql)));
  app.route('/', removalRoutes(new RemovalService(db)));
  app.route('/', trainingRoutes(training));
  const predictions = new PredictionService(db.sql, new ServingCache(db.sql), config);
  app.route('/', predictionRoutes(predictions));
  const accuracy = new AccuracyService(db.sql);
  app.route('/', accuracyRoutes(accuracy));
  app.route('/', overrideRoutes(new OverrideService(db.sql)));
  app.route('/', batchRoutes(new BatchService(db.sql, predictions, catalog, accuracy)));

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No endpoint ${c.req.method} ${c.req.path}` } } satisfies ErrorBody, 404),
  );
  app.onError((err, c) => {
    if (err instanceof AppError) {
      const body: ErrorBody = {
        error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) },
      };
      return c.json(body, err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      const code = status === 413 ? 'payload_too_large' : status === 408 ? 'request_timeout' : 'http_error';
      if (status === 408) requestLogger(c).warn({ path: c.req.path, err: err.message }, 'request timed out');
      return c.json({ error: { code, message: err.message || 'Request failed' } } satisfies ErrorBody, status);
    }
    (requestLogger(c) ?? logger).error({ err, path: c.req.path }, 'unhandled error');
    return c.json(
      {
        error: {
          code: 'internal_error',
          message: 'Something went wrong on our side; the request id is in the logs',
          details: { request_id: c.get('requestId') },
        },
      } satisfies ErrorBody,
      500,
    );
  });
  return app;
}

export type App = ReturnType<typeof createApp>;

/** The built task pane: standalone in a browser at /, inside Excel at /taskpane.html. */
function servePane(app: Hono<AppEnv>, dir: string): void {
  const paneDir = resolve(dir);
  if (existsSync(resolve(paneDir, 'taskpane.html'))) {
    const root = relative(process.cwd(), paneDir) || '.';
    app.get('/', serveStatic({ root, path: 'taskpane.html' }));
    app.use('/*', serveStatic({ root }));
  } else {
    app.get('/', (c) =>
      c.json({ service: 'demand-forecasting', version: VERSION, docs: '/openapi.json', pane: 'not built: run npm run addin:build' }),
    );
  }
}
