// Test support: the real app on a real HTTP port over a real database (PGlite or PostgreSQL).
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../app';
import type { Database, DatabaseKind } from '../db/connection';
import { openTestDatabase } from '../db/testing';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { startTrainingRunner, type TrainingRunner } from '../training/runner';

export interface TestServer {
  url: string;
  db: Database;
  runner?: TrainingRunner;
  close(): Promise<void>;
}

export async function startTestServer(
  kind: DatabaseKind,
  config: { MAX_UPLOAD_MB?: number; MAX_UPLOAD_ROWS?: number; training?: boolean; db?: Database } = {},
): Promise<TestServer> {
  const db = config.db ?? (await openTestDatabase(kind));
  const logger = createLogger('silent');
  const runner = config.training ? startTrainingRunner({ db, logger, pollMs: 200, staleSeconds: 5 }) : undefined;
  const app = createApp({
    onTrainingQueued: runner?.wake,
    db,
    config: { ...loadConfig({}), MAX_UPLOAD_MB: config.MAX_UPLOAD_MB ?? 100, MAX_UPLOAD_ROWS: config.MAX_UPLOAD_ROWS ?? 5_000_000 },
    logger,
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    runner,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runner?.stop();
      if (!config.db) await db.close();
    },
  };
}
