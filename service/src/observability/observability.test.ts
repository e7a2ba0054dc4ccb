// GET /metrics and GET /ready over real HTTP: counts move with traffic, labels are route patterns, gauges read the
// database, readiness follows the database and migrations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveActiveModel } from '../db/training';
import { openTestDatabase, testBackends } from '../db/testing';
import { holdDatabase } from '../testing/hold-database';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales } from '../testing/trained';

/** Samples of one metric from the Prometheus text format: labels as written -> value. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && m[1] === name) found.set(m[2] ?? '', Number(m[3]));
  }
  return found;
}

describe.each(testBackends)('GET /metrics on %s', (kind) => {
  let server: TestServer;
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    await storeDemoSales(server, { stores: ['M1'], productsPerStore: 3, days: 60, endDate: '2025-03-01', seed: 3 });
  });
  afterAll(async () => server?.close());

  it('counts requests and their latency by route pattern and status, never by raw path', async () => {
    const before = samples(await scrape(), 'http_requests_total');
    for (let i = 0; i < 3; i++) await fetch(`${server.url}/stores`);
    await fetch(`${server.url}/products/NO_SUCH_STORE_123`);
    await fetch(`${server.url}/no/such/path/raw_path_segment`);
    const text = await scrape();
    const after = samples(text, 'http_requests_total');
    const moved = (labels: string) => (after.get(labels) ?? 0) - (before.get(labels) ?? 0);
    expect(moved('{method="GET",route="/stores",status="200"}')).toBe(3);
    expect(moved('{method="GET",route="/products/:store_id",status="404"}')).toBe(1);
    expect(moved('{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(text).not.toContain('NO_SUCH_STORE_123');
    expect(text).not.toContain('raw_path_segment'); // a number would also match sums of durations
    const latency = samples(text, 'http_request_duration_seconds_count');
    expect(latency.get('{method="GET",route="/stores",status="200"}')).toBe(after.get('{method="GET",route="/stores",status="200"}'));
    expect(samples(text, 'http_request_duration_seconds_bucket').get('{le="+Inf",method="GET",route="/stores",status="200"}')).toBe(
      after.get('{method="GET",route="/stores",status="200"}'),
    );
  });

  it("reports each active model's holdout accuracy from the database at scrape time", async () => {
    const model = (wape: number) => ({
      scope: 'store:M1',
      engine: 'test',
      format: 'none',
      params: {},
      features: [],
      encodings: {},
      metrics: { mae: 1, rmse: 1, wape, mase: 1, accuracy: 100 * (1 - wape), baseline: { mae: 1, rmse: 1, wape: 0.61, mase: 1 } },
      residuals: null,
      intervals: null,
      dataWindow: {},
      records: 1,
      bytes: new Uint8Array([1]),
    });
    await saveActiveModel(server.db.sql, model(0.25));
    await saveActiveModel(server.db.sql, { ...model(0.5), scope: 'global' });
    let text = await scrape();
    expect(samples(text, 'model_holdout_wape')).toEqual(
      new Map([
        ['{scope="global"}', 0.5],
        ['{scope="store:M1"}', 0.25],
      ]),
    );
    expect(samples(text, 'model_holdout_accuracy_percent').get('{scope="store:M1"}')).toBeCloseTo(75, 10);
    expect(samples(text, 'model_baseline_wape').get('{scope="store:M1"}')).toBe(0.61);
    // A new version replaces the figures.
    await saveActiveModel(server.db.sql, model(0.2));
    text = await scrape();
    expect(samples(text, 'model_holdout_wape').get('{scope="store:M1"}')).toBe(0.2);
    expect(samples(text, 'model_active_version').get('{scope="store:M1"}')).toBe(2);
  });

  it('counts the statements the request pool is answering, against its size', async () => {
    const gauge = async (name: string) => samples(await server.metrics.registry.getSingleMetricAsString(name), name).get('') ?? NaN;
    expect(await gauge('db_pool_max_connections')).toBe(4);
    // The training runner's polls run in the background too: wait for a moment with nothing in flight.
    await expect.poll(() => gauge('db_pool_queries_in_flight'), { timeout: 5_000 }).toBe(0);
    // One request first, so the API-key list is fresh and each request below sends exactly one statement (its product
    // check), which waits behind the held database.
    expect((await fetch(`${server.url}/history/M1/P0001`)).status).toBe(200);
    const hold = await holdDatabase(server.db, 1_000);
    const requests = [1, 2, 3].map(() => fetch(`${server.url}/history/M1/P0001`));
    await expect.poll(() => gauge('db_pool_queries_in_flight'), { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    await hold.released;
    await Promise.all(requests);
    await expect.poll(() => gauge('db_pool_queries_in_flight'), { timeout: 5_000 }).toBe(0);
  });

  it('times training jobs by outcome', async () => {
    const res = await fetch(`${server.url}/train_model`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Far more holdout than the 60 days stored: the job fails quickly, and is timed all the same.
      body: JSON.stringify({ store_id: 'M1', params: { holdout_days: 100 } }),
    });
    expect(res.status).toBe(202);
    const failed = async () => samples(await scrape(), 'training_job_duration_seconds_count').get('{outcome="failed"}') ?? 0;
    await expect.poll(failed, { timeout: 60_000, interval: 250 }).toBe(1);
    expect(samples(await scrape(), 'training_job_duration_seconds_sum').get('{outcome="failed"}')).toBeGreaterThan(0);
  });
});

describe.each(testBackends)('GET /ready on %s', (kind) => {
  it('is ready with the database reachable and migrated', async () => {
    const server = await startTestServer(kind);
    try {
      const res = await fetch(`${server.url}/ready`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ready' });
    } finally {
      await server.close();
    }
  });

  it('answers 503 in the error shape while migrations are missing, and once the database is gone', async () => {
    const db = await openTestDatabase(kind, { migrate: false });
    const server = await startTestServer(kind, { db });
    try {
      const pending = await fetch(`${server.url}/ready`);
      expect(pending.status).toBe(503);
      expect(await pending.json()).toMatchObject({ error: { code: 'not_ready', details: { reason: 'migrations_pending' } } });
      // Liveness does not depend on the database.
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      await db.close();
      const gone = await fetch(`${server.url}/ready`);
      expect(gone.status).toBe(503);
      expect(await gone.json()).toMatchObject({ error: { code: 'not_ready', details: { reason: 'database_unreachable' } } });
    } finally {
      await server.close();
    }
  });
});
