// The Hono application: middleware, routes, the OpenAPI document, and one error shape for every failure.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import type { Logger } from 'pino';
import type { ErrorBody, HealthResponse } from '../../shared/schemas';
import type { Config } from './config';
import type { Database } from './db/connection';
import { AppError } from './errors';
import { buildOpenApiDocument } from './openapi';
import { catalogRoutes } from './routes/catalog';
import { predictionRoutes } from './routes/predictions';
import { PredictionService, type PredictionConfig } from './predictions/service';
import { ServingCache } from './serving/cache';
import { trainingRoutes } from './routes/training';
import { uploadRoutes } from './routes/upload';
import { VERSION } from './version';

export interface AppDeps {
  db: Database;
  /** Called when a training job was queued, so this instance's runner picks it up at once. */
  onTrainingQueued?: () => void;
  config: Pick<Config, 'MAX_UPLOAD_MB' | 'MAX_UPLOAD_ROWS' | 'CORS_ORIGINS' | 'PANE_DIR'> & PredictionConfig;
  logger: Logger;
}

export function createApp({ db, config, logger, onTrainingQueued }: AppDeps) {
  const app = new Hono();
  let openApiDocument: Record<string, unknown> | undefined;

  app.use(requestId());
  // Only the add-in's origins (and the pane served from here, which is same-origin) may call from a browser.
  app.use(cors({ origin: (origin) => (config.CORS_ORIGINS.includes(origin) ? origin : null), exposeHeaders: ['Content-Disposition'] }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    logger.info(
      {
        request_id: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  });

  app.get('/health', (c) => c.json({ status: 'ok', version: VERSION } satisfies HealthResponse));
  app.get('/openapi.json', (c) => c.json((openApiDocument ??= buildOpenApiDocument(VERSION))));
  app.route('/', catalogRoutes(db.sql));
  app.route(
    '/',
    uploadRoutes(db, { maxBytes: Math.round(config.MAX_UPLOAD_MB * 1024 * 1024), maxRows: config.MAX_UPLOAD_ROWS }),
  );

  app.route('/', trainingRoutes(db.sql, onTrainingQueued ?? (() => {})));
  app.route('/', predictionRoutes(new PredictionService(db.sql, new ServingCache(db.sql), config)));

  // The built task pane: standalone in a browser at /, inside Excel at /taskpane.html.
  const paneDir = resolve(config.PANE_DIR);
  if (existsSync(resolve(paneDir, 'taskpane.html'))) {
    const root = relative(process.cwd(), paneDir) || '.';
    app.get('/', serveStatic({ root, path: 'taskpane.html' }));
    app.use('/*', serveStatic({ root }));
  } else {
    app.get('/', (c) => c.json({ service: 'demand-forecasting', version: VERSION, docs: '/openapi.json', pane: 'not built: run npm run addin:build' }));
  }

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `No endpoint ${c.req.method} ${c.req.path}` } } satisfies ErrorBody, 404),
  );
  app.onError((err, c) => {
    if (err instanceof AppError) {
      const body: ErrorBody = { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
      return c.json(body, err.status);
    }
    if (err instanceof HTTPException) {
      const status = err.status;
      return c.json({ error: { code: status === 413 ? 'payload_too_large' : 'http_error', message: err.message || 'Request failed' } } satisfies ErrorBody, status);
    }
    logger.error({ err, request_id: c.get('requestId'), path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side; the request id is in the logs', details: { request_id: c.get('requestId') } } } satisfies ErrorBody, 500);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
