// Start-up: configuration, database (embedded PGlite or DATABASE_URL), migrations, demo data, HTTP, shutdown.
import { resolve } from 'node:path';
import { ALL_STORES_ID } from '../../shared/schemas';
import { createApp } from './app';
import { chooseBinding } from './auth/binding';
import { loadConfig } from './config';
import { countActiveApiKeys } from './db/api-keys';
import { openDatabase } from './db/connection';
import { lockDataDir } from './db/data-dir-lock';
import { migrate } from './db/migrate';
import { seedDemoData } from './demo/seed';
import { serveApp } from './http';
import { removeStaleUploadFiles } from './ingest/temp-files';
import { createLogger } from './logger';
import { nativeUnavailableReason } from './model/engine/index';
import { ServiceMetrics } from './observability/metrics';
import { Readiness } from './observability/readiness';
import { shutDown } from './shutdown';
import { loadTls } from './tls';
import { startTrainingRunner } from './training/runner';
import { requestTraining } from './training/status';

async function main() {
  const config = loadConfig();
  // Before the database: a wrong certificate path stops the start at once, without taking the data folder's lock.
  const tls = loadTls(config);
  const logger = createLogger(config.LOG_LEVEL);
  const stale = removeStaleUploadFiles();
  if (stale > 0) logger.info({ removed: stale }, 'removed temporary files of uploads a stopped process left');
  const dataDir = config.DATABASE_URL ? undefined : resolve(config.DATA_DIR, 'pglite');
  const release = dataDir ? await lockDataDir(dataDir) : undefined;
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir, poolSize: config.DB_POOL_SIZE });
  logger.info({ database: db.kind, location: db.location }, 'database open');
  const applied = await migrate(db.sql);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (config.SEED_DEMO) {
    const demo = await seedDemoData(db);
    if (demo.seeded) {
      // A first look at the pane should show forecasts, not "no model": train the demo stores straight away.
      const { job } = await requestTraining(db.sql, ALL_STORES_ID);
      logger.info({ records: demo.records, job_id: job.id }, 'empty database: generated demo data stored; training queued');
    }
  }

  const keys = await countActiveApiKeys(db.sql);
  const { host, keyed, ignoredHost } = chooseBinding(config, keys);
  if (!keyed) {
    logger.warn(
      { host, ...(ignoredHost ? { ignored_host: ignoredHost } : {}) },
      'no API key exists: listening on 127.0.0.1 only, without authentication. To serve other machines, create a key ' +
        '(npm run keys -- create <name>) or set REQUIRE_API_KEY=1, and restart',
    );
  } else {
    logger.info(
      { keys, require_api_key: config.REQUIRE_API_KEY },
      'API keys required on every endpoint but /health, /ready and the pane files',
    );
  }

  const metrics = new ServiceMetrics({ sql: db.sql, logger, poolMax: config.DB_POOL_SIZE });
  const readiness = new Readiness(db.sql, db.transactions);
  // Load the scoring engine now (native XGBoost through koffi), not during the first prediction.
  void nativeUnavailableReason().then((why) => why && logger.info({ reason: why }, 'native XGBoost not available: models score in WASM'));
  const runner = startTrainingRunner({ db, logger, metrics, workers: config.TRAINING_WORKERS });
  const app = createApp({ db, config, logger, metrics, readiness, onTrainingQueued: runner.wake });
  const scheme = tls ? 'https' : 'http';
  const server = serveApp({ fetch: app.fetch, port: config.PORT, hostname: host, tls }, (info) => {
    logger.info(
      { port: info.port, host, tls: Boolean(tls) },
      `service listening on ${scheme}://${host === '0.0.0.0' ? 'localhost' : host}:${info.port}/`,
    );
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    // Whatever happens inside, the process goes away: the steps are bounded, this is the backstop.
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 15_000).unref();
    shutDown({ server, readiness, runner, db, logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, release }, signal)
      .then(() => process.exit(0))
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
