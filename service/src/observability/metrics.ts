// Prometheus metrics of one service instance (GET /metrics). A registry per instance keeps test apps apart.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Sql } from '../db/connection';
import { modelDrift, type ModelDrift } from '../accuracy/score';
import { activeModelAccuracy, type ActiveModelAccuracy } from '../db/operations';
import { activeModelTracking } from '../db/snapshots';
import type { PoolUsage } from './db-pool';
import { withTimeout } from './with-timeout';

export interface MetricsOptions {
  /** For the model gauges, read at scrape time. */
  sql: Sql;
  logger: Logger;
  /** Configured size of the pool the app's requests use. */
  poolMax: number;
  /** In-flight statements and transactions of that pool (observability/db-pool.ts). */
  poolUsage?: () => PoolUsage;
  /** Node process metrics (CPU, memory, event-loop delay, GC). */
  defaultMetrics?: boolean;
}

export type TrainingOutcome = 'succeeded' | 'failed' | 'requeued';

/** An active model's holdout figures, and how its saved forecasts did on what sold. */
type ModelGaugeRow = ActiveModelAccuracy & { tracked: ModelDrift | null };

// A scrape must answer even when the database does not.
const MODEL_QUERY_TIMEOUT_MS = 2_000;

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly trainingDuration: Histogram<'outcome'>;
  private poolUsage: () => PoolUsage;
  private modelRows: Promise<ModelGaugeRow[]> | null = null;

  constructor(private readonly options: MetricsOptions) {
    const registers = [this.registry];
    this.poolUsage = options.poolUsage ?? (() => ({ queries: 0, transactions: 0 }));
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });

    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, matched route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to its response, by method, matched route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.trainingDuration = new Histogram({
      name: 'training_job_duration_seconds',
      help: 'Training jobs run by this instance, from claim to end, by outcome (requeued: interrupted by shutdown)',
      labelNames: ['outcome'],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600],
      registers,
    });

    // Late-bound: collect() runs with the gauge as `this`, and the pool can be replaced after construction.
    const poolUsage = () => this.poolUsage();
    const activeModels = () => this.activeModels();
    new Gauge({
      name: 'db_pool_max_connections',
      help: "Configured size of this instance's database pool for requests (training threads have their own)",
      registers,
      collect() {
        this.set(options.poolMax);
      },
    });
    new Gauge({
      name: 'db_pool_queries_in_flight',
      help: 'Statements sent through the request pool and not yet answered; above db_pool_max_connections they wait for a connection',
      registers,
      collect() {
        this.set(poolUsage().queries);
      },
    });
    new Gauge({
      name: 'db_pool_transactions_open',
      help: 'Transactions open on the request pool, each holding one connection',
      registers,
      collect() {
        this.set(poolUsage().transactions);
      },
    });

    const modelGauge = (name: string, help: string, pick: (r: ModelGaugeRow) => number | null) =>
      new Gauge({
        name,
        help,
        labelNames: ['scope'],
        registers,
        async collect() {
          this.reset();
          for (const row of await activeModels()) {
            const value = pick(row);
            if (value !== null && Number.isFinite(value)) this.set({ scope: row.scope }, value);
          }
        },
      });
    modelGauge(
      'model_holdout_wape',
      'WAPE of the active model on its holdout (lower is better), per scope (store:<id> or global)',
      (r) => r.wape,
    );
    modelGauge(
      'model_holdout_accuracy_percent',
      'Accuracy of the active model on its holdout, 100 x (1 - WAPE), per scope',
      (r) => r.accuracy,
    );
    modelGauge(
      'model_baseline_wape',
      'WAPE of seasonal naive on the same holdout, per scope: the bar the model should beat',
      (r) => r.baseline_wape,
    );
    modelGauge('model_active_version', 'Version number of the active model, per scope', (r) => r.version);
    modelGauge(
      'model_tracked_wape',
      "WAPE of the active model's saved forecasts against what sold since, per scope (absent until some are checked)",
      (r) => r.tracked?.wape ?? null,
    );
    modelGauge(
      'model_drifting',
      '1 when the active model misses what sold by more than 25% over its backtest error (on 28 or more product-periods), else 0',
      (r) => (r.tracked ? (r.tracked.drifting ? 1 : 0) : null),
    );
  }

  /** Counts the requests of the app's pool (see db-pool.ts). */
  setPoolUsage(usage: () => PoolUsage): void {
    this.poolUsage = usage;
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  observeTraining(outcome: TrainingOutcome, seconds: number): void {
    this.trainingDuration.observe({ outcome }, seconds);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    // Each scrape reads the models afresh, once for all the model gauges.
    this.modelRows = null;
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private activeModels(): Promise<ModelGaugeRow[]> {
    return (this.modelRows ??= withTimeout(this.readModels(), MODEL_QUERY_TIMEOUT_MS).catch((err) => {
      this.options.logger.warn({ err }, 'metrics: could not read the active models');
      return [];
    }));
  }

  private async readModels(): Promise<ModelGaugeRow[]> {
    const [rows, tracking] = await Promise.all([activeModelAccuracy(this.options.sql), activeModelTracking(this.options.sql)]);
    const tracked = new Map(tracking.map((t) => [t.model_version, t]));
    return rows.map((r) => {
      const own = tracked.get(`${r.scope}@${r.version}`);
      return { ...r, tracked: own ? modelDrift(r.wape, own) : null };
    });
  }
}
