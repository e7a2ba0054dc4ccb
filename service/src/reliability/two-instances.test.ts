// Two service processes on one PostgreSQL database: both serve the same data, a training job queued through both
// runs exactly once, and both serve the model it made as soon as it is saved. (PGlite is one process's database, so
// this needs TEST_DATABASE_URL; without it the suite is skipped.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictResponse, StoresResponse, TrainingStatusResponse } from '../../../shared/schemas';
import type { Database } from '../db/connection';
import { openTestDatabase } from '../db/testing';
import { demoCsv, multipartBody, postJson, QUICK_TRAINING, sendUpload, waitForJob } from './fixtures';
import { startServiceProcess, type ServiceProcess } from './service-process';

const LAST_DAY = '2025-06-30';

describe.runIf(process.env.TEST_DATABASE_URL)('two service instances on one PostgreSQL database', () => {
  let db: Database;
  let a: ServiceProcess;
  let b: ServiceProcess;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    [a, b] = await Promise.all([startServiceProcess({ DATABASE_URL: db.url }), startServiceProcess({ DATABASE_URL: db.url })]);
  });
  afterAll(async () => {
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await db?.close();
  });

  const get = async (service: ServiceProcess, path: string) => (await fetch(service.url + path)).json();
  const predict = async (service: ServiceProcess, store: string) => {
    const res = await postJson(service.url, '/predict', { store_id: store, product_id: 'P0002', date: '2025-07-04' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return PredictResponse.parse(res.body);
  };

  it('both serve what was uploaded through one of them', async () => {
    const stored = await sendUpload(
      a.url,
      multipartBody('demo.csv', demoCsv({ stores: ['D1', 'D2'], productsPerStore: 6, days: 150, endDate: LAST_DAY, seed: 4 })),
    ).response;
    expect(stored.status, stored.body).toBe(200);
    const fromA = StoresResponse.parse(await get(a, '/stores'));
    expect(fromA.stores.map((s) => s.store_id)).toEqual(['D1', 'D2']);
    expect(StoresResponse.parse(await get(b, '/stores'))).toEqual(fromA);
  });

  it('training queued through both runs once per store, and both serve the new models', async () => {
    // The same store asked of both at once gets one job; each instance's runner is woken and competes for it.
    const [viaB, viaA] = await Promise.all([
      postJson<{ job_id: number }>(b.url, '/train_model', { store_id: 'D1', params: QUICK_TRAINING }),
      postJson<{ job_id: number }>(a.url, '/train_model', { store_id: 'D1', params: QUICK_TRAINING }),
    ]);
    expect([viaB.status, viaA.status]).toEqual([202, 202]);
    expect(viaA.body.job_id).toBe(viaB.body.job_id);
    const other = await postJson<{ job_id: number }>(b.url, '/train_model', { store_id: 'D2', params: QUICK_TRAINING });

    expect((await waitForJob(a.url, viaB.body.job_id)).status).toBe('succeeded');
    expect((await waitForJob(b.url, other.body.job_id)).status).toBe('succeeded');

    const jobs = await db.sql<{ scope: string; status: string; attempts: number; worker: string }[]>`
      SELECT scope, status, attempts, worker FROM training_jobs ORDER BY scope`;
    expect(jobs.map(({ scope, status, attempts }) => ({ scope, status, attempts }))).toEqual([
      { scope: 'store:D1', status: 'succeeded', attempts: 1 },
      { scope: 'store:D2', status: 'succeeded', attempts: 1 },
    ]);
    // Each job was run by one of the two instances (the worker id holds its pid).
    for (const job of jobs)
      expect(
        [a.pid, b.pid].some((pid) => job.worker.includes(`:${pid}:`)),
        job.worker,
      ).toBe(true);
    console.log(`jobs ran on: ${jobs.map((j) => `${j.scope} by instance ${j.worker.includes(`:${a.pid}:`) ? 'A' : 'B'}`).join(', ')}`);
    const models = await db.sql<{ scope: string; version: number }[]>`SELECT scope, version FROM models ORDER BY scope, version`;
    expect(models).toEqual([
      { scope: 'store:D1', version: 1 },
      { scope: 'store:D2', version: 1 },
    ]);

    for (const store of ['D1', 'D2']) {
      const [fromA, fromB] = [await predict(a, store), await predict(b, store)];
      expect(fromA.model_version).toBe(`store:${store}@1`);
      expect(fromB).toEqual(fromA);
    }
    const statusA = TrainingStatusResponse.parse(await get(a, '/training_status'));
    expect(TrainingStatusResponse.parse(await get(b, '/training_status'))).toEqual(statusA);
    expect(statusA.models.map((m) => [m.store_id, m.version])).toEqual([
      ['D1', 1],
      ['D2', 1],
    ]);
  });

  it('a model retrained through one instance is served by the other as soon as the job is done', async () => {
    // Both have the first model warm in memory.
    const before = await predict(b, 'D1');
    const queued = await postJson<{ job_id: number }>(a.url, '/train_model', {
      store_id: 'D1',
      params: { ...QUICK_TRAINING, max_depth: 3 },
    });
    expect((await waitForJob(a.url, queued.body.job_id)).status).toBe('succeeded');
    const [fromA, fromB] = [await predict(a, 'D1'), await predict(b, 'D1')];
    expect(fromB.model_version).toBe('store:D1@2');
    expect(fromB).toEqual(fromA);
    expect(before.model_version).toBe('store:D1@1');
    const [{ n }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM training_jobs WHERE attempts <> 1`;
    expect(n).toBe(0);
  });
});
