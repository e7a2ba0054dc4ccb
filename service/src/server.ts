// Start-up: configuration, database (embedded PGlite or DATABASE_URL), migrations, demo data, HTTP.
import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { createApp } from './app';
import { loadConfig } from './config';
import { openDatabase } from './db/connection';
import { migrate } from './db/migrate';
import { seedDemoData } from './demo/seed';
import { createLogger } from './logger';
import { startTrainingRunner } from './training/runner';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATABASE_URL ? undefined : resolve(config.DATA_DIR, 'pglite'),
    poolSize: config.DB_POOL_SIZE,
  });
  logger.info({ database: db.kind, location: db.location }, 'database open');
  const applied = await migrate(db.sql);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (config.SEED_DEMO) {
    const demo = await seedDemoData(db);
    if (demo.seeded) logger.info({ records: demo.records }, 'empty database: generated demo data stored');
  }

  const runner = startTrainingRunner({ db, logger });
  const app = createApp({ db, config, logger, onTrainingQueued: runner.wake });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info({ port: info.port, host: config.HOST }, `service listening on http://localhost:${info.port}/`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    server.close(async () => {
      await runner.stop();
      await db.close();
      logger.info('stopped');
      process.exit(0);
    });
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
