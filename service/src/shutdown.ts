// Graceful shutdown: stop getting traffic, let requests in flight finish, hand a running training job back to the
// queue, then close the database. Each step is bounded, so a stuck request cannot keep the process alive.
import type { ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Database } from './db/connection';
import type { Readiness } from './observability/readiness';
import type { TrainingRunner } from './training/runner';

export interface ShutdownParts {
  server: ServerType;
  readiness: Readiness;
  runner?: TrainingRunner;
  db: Database;
  logger: Logger;
  /** How long requests in flight may take to finish before their connections are cut. */
  timeoutMs: number;
  /** Last step (the embedded database's lock file). */
  release?: () => Promise<void>;
}

export interface ShutdownReport {
  /** Requests still running when the time was up, whose connections were closed. */
  cutRequests: number;
}

export async function shutDown(parts: ShutdownParts, signal: string): Promise<ShutdownReport> {
  const { server, readiness, runner, db, logger } = parts;
  const http = server as Server;
  readiness.beginShutdown();
  logger.info({ signal, in_flight: readiness.requestsInFlight }, 'shutting down: no new connections; finishing requests in flight');

  // The training job is aborted and requeued while requests drain.
  const runnerStopped = (runner?.stop() ?? Promise.resolve()).catch((err) => logger.error({ err }, 'stopping the training runner failed'));

  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  // Keep-alive connections between requests would hold the server open: close them as they fall idle (answers
  // given meanwhile carry Connection: close, see Readiness.track).
  const idle = setInterval(() => http.closeIdleConnections?.(), 100);
  http.closeIdleConnections?.();
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), parts.timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  clearInterval(idle);
  const cutRequests = inTime ? 0 : readiness.requestsInFlight;
  if (!inTime) {
    logger.warn(
      { in_flight: cutRequests, timeout_ms: parts.timeoutMs },
      'requests still running at the shutdown deadline; closing their connections',
    );
    http.closeAllConnections?.();
    await closed;
  }

  await runnerStopped;
  await db.close();
  await parts.release?.();
  logger.info('stopped');
  return { cutRequests };
}
