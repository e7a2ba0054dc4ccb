// Per-request logging and metrics: a child logger carrying the request id for every line the request writes, one
// access line per request, and the request counted under its route pattern (never the raw path, so the number of
// series stays bounded).
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import type { KeyIdentity } from '../auth/middleware';
import type { ServiceMetrics } from './metrics';

export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
    apiKey?: KeyIdentity;
  };
};

/** The request's logger (request_id on every line); route modules call this rather than the process logger. */
export function requestLogger(c: Context): Logger {
  return (c as Context<AppEnv>).get('logger');
}

/** The handler's route pattern, e.g. /products/:store_id; 'unmatched' when no route handled the path. */
function routeLabel(c: Context): string {
  const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL');
  if (handler) return handler.path;
  return c.res.status === 404 ? 'unmatched' : 'other';
}

export function observeRequests(logger: Logger, metrics: ServiceMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const log = logger.child({ request_id: c.get('requestId') });
    c.set('logger', log);
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = routeLabel(c);
    const status = c.res.status;
    metrics.observeRequest(c.req.method, route, status, seconds);
    log.info(
      {
        method: c.req.method,
        path: c.req.path,
        route,
        status,
        ms: Math.round(seconds * 1000),
        ...(c.get('apiKey') ? { key: c.get('apiKey')!.name } : {}),
      },
      'request',
    );
  };
}
