// TRAINING_WORKERS: an instance runs that many of an "all" job's children at once, and each store's model, trained
// in its own job, is still blended with (and scored against) the global model of the same "all" job.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales, trainAndWait } from '../testing/trained';

const FAST = { rounds: 20, objective: 'tweedie' as const, max_depth: 4 };
const LAST_DAY = '2025-06-30';

describe.each(testBackends)('an "all" job with two training workers on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { training: true, env: { TRAINING_WORKERS: '2' } });
    await storeDemoSales(server, { stores: ['S1', 'S2', 'S3'], productsPerStore: 8, days: 400, endDate: LAST_DAY, seed: 11 });
  }, 120_000);
  afterAll(async () => server?.close());

  it('trains two stores at once after the global model, each blended with that global model', async () => {
    await trainAndWait(server, 'all', FAST, 240_000);
    const jobs = await server.db.sql<{ scope: string; status: string; started: number; finished: number; model_id: number | null }[]>`
      SELECT scope, status, extract(epoch FROM started_at)::float8 AS started, extract(epoch FROM finished_at)::float8 AS finished,
             model_id::int
      FROM training_jobs WHERE parent_id IS NOT NULL ORDER BY id`;
    expect(jobs.map((j) => [j.scope, j.status])).toEqual([
      ['global', 'succeeded'],
      ['store:S1', 'succeeded'],
      ['store:S2', 'succeeded'],
      ['store:S3', 'succeeded'],
    ]);
    const [global, ...stores] = jobs;
    // Every store started after the global model ended, and the first two ran side by side.
    for (const s of stores) expect(s.started).toBeGreaterThanOrEqual(global.finished);
    const [s1, s2] = stores;
    expect(s1.started < s2.finished && s2.started < s1.finished, JSON.stringify(stores)).toBe(true);

    const models = await server.db.sql<{ scope: string; id: number; partner: string | null }[]>`
      SELECT scope, id::int, metrics->'ensemble'->>'partner_model_id' AS partner FROM models WHERE active ORDER BY scope`;
    const globalModel = models.find((m) => m.scope === 'global')!;
    expect(globalModel.id).toBe(global.model_id);
    for (const m of models.filter((x) => x.scope !== 'global')) expect(m.partner, m.scope).toBe(String(globalModel.id));
    // The global model's holdout forecasts were kept per store for them.
    const kept = await server.db.sql<{ store_id: string; products: number }[]>`
      SELECT store_id, (SELECT count(*) FROM jsonb_object_keys(forecasts))::int AS products
      FROM model_backtests WHERE model_id = ${globalModel.id} ORDER BY store_id`;
    expect(kept).toEqual(['S1', 'S2', 'S3'].map((store_id) => ({ store_id, products: 8 })));
  }, 300_000);
});
