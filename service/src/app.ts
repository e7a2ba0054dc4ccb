// The Hono application: middleware, routes, the OpenAPI document, and one error shape for every failure.
import { Hono } from 'hono';
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
  config: Pick<Config, 'MAX_UPLOAD_MB' | 'MAX_UPLOAD_ROWS'> & PredictionConfig;
  logger: Logger;
}

export function createApp({ db, config, logger, onTrainingQueued }: AppDeps) {
  const app = new Hono();
  let openApiDocument: Record<string, unknown> | undefined;

  app.use(requestId());
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
