// Test support: the real app on a real HTTP port over a real database (PGlite or PostgreSQL).
import type { ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createApp } from '../app';
import type { Database, DatabaseKind } from '../db/connection';
import { openTestDatabase } from '../db/testing';
import { loadConfig } from '../config';
import { serveApp } from '../http';
import { createLogger } from '../logger';
import { ServiceMetrics } from '../observability/metrics';
import { Readiness } from '../observability/readiness';
import { shutDown, type ShutdownReport } from '../shutdown';
import { startTrainingRunner, type TrainingRunner } from '../training/runner';

export interface TestServerOptions {
  MAX_UPLOAD_MB?: number;
  MAX_UPLOAD_ROWS?: number;
  training?: boolean;
  db?: Database;
  /** Configuration as environment variables, validated as at start-up, e.g. { RATE_LIMIT_PER_MIN: '3' }. */
  env?: Record<string, string>;
  /** How long the API key list is trusted (default 5 s); revocation tests shorten it. */
  apiKeyCacheMs?: number;
  /** Default: silent. */
  logger?: Logger;
}

export interface TestServer {
  url: string;
  db: Database;
  runner?: TrainingRunner;
  server: ServerType;
  metrics: ServiceMetrics;
  readiness: Readiness;
  /**
   * The service's graceful shutdown (shutdown.ts) on this server; the database stays open until close(), so a test
   * can look at what the shutdown left behind.
   */
  shutDown(options?: { timeoutMs?: number }): Promise<ShutdownReport>;
  close(): Promise<void>;
}

export async function startTestServer(kind: DatabaseKind, config: TestServerOptions = {}): Promise<TestServer> {
  const db = config.db ?? (await openTestDatabase(kind));
  const logger = config.logger ?? createLogger('silent');
  // No rate limit unless a test asks for one: a test file may well send more than a minute's allowance.
  const settings = loadConfig({ RATE_LIMIT_PER_MIN: '0', ...config.env });
  const metrics = new ServiceMetrics({ sql: db.sql, logger, poolMax: 4, defaultMetrics: false });
  const readiness = new Readiness(db.sql, db.transactions);
  const runner = config.training
    ? startTrainingRunner({ db, logger, pollMs: 200, staleSeconds: 5, metrics, workers: settings.TRAINING_WORKERS })
    : undefined;
  const app = createApp({
    onTrainingQueued: runner?.wake,
    db,
    config: {
      ...settings,
      MAX_UPLOAD_MB: config.MAX_UPLOAD_MB ?? settings.MAX_UPLOAD_MB,
      MAX_UPLOAD_ROWS: config.MAX_UPLOAD_ROWS ?? settings.MAX_UPLOAD_ROWS,
    },
    logger,
    metrics,
    readiness,
    apiKeyCacheMs: config.apiKeyCacheMs,
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serveApp({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  let closed = false;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    runner,
    server,
    metrics,
    readiness,
    shutDown: async (options = {}) => {
      stopped = true;
      const keepOpen = { ...db, close: async () => {} };
      return shutDown({ server, readiness, runner, db: keepOpen, logger, timeoutMs: options.timeoutMs ?? 10_000 }, 'test');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      if (!stopped) {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await runner?.stop();
      }
      if (!config.db) await db.close();
    },
  };
}
