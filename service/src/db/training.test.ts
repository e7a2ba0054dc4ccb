import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './connection';
import { openTestDatabase, testBackends } from './testing';
import {
  activateModelVersion,
  claimJob,
  enqueueJob,
  finishJob,
  getJob,
  heartbeatJob,
  listModels,
  loadActiveModel,
  recoverStaleJobs,
  saveActiveModel,
  artifactColumns,
  storedArtifact,
  type NewModel,
} from './training';
import { generateDemoSales } from '../demo/generate';
import type { SeriesInput } from '../features/index';
import { getEngine } from '../model/engine/index';
import { ForecastModel } from '../model/index';

const model = (scope: string, tag: number): NewModel => ({
  scope,
  engine: 'wasm',
  format: 'xgboost-0.7-binary',
  params: { tag },
  features: { version: 'f' },
  encodings: {},
  metrics: { mae: 1, rmse: 1, wape: 0.5, mase: 1, accuracy: 50, baseline: { mae: 1, rmse: 1, wape: 0.6, mase: 1 } },
  residuals: null,
  intervals: null,
  dataWindow: {},
  records: 10,
  bytes: new Uint8Array([tag, 1, 2, 3]),
});

describe.each(testBackends)('model registry and job queue on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => db?.close());

  it('queues one open job per scope and hands each queued job to exactly one worker', async () => {
    const a = await enqueueJob(db.sql, 'store:A', {});
    const again = await enqueueJob(db.sql, 'store:A', { rounds: 5 });
    expect(again).toEqual({ job: a.job, created: false });
    const b = await enqueueJob(db.sql, 'store:B', {});
    expect(b.created).toBe(true);

    const claims = await Promise.all([claimJob(db.sql, 'w1'), claimJob(db.sql, 'w2'), claimJob(db.sql, 'w3')]);
    const claimed = claims.filter((j) => j !== null);
    expect(claimed.map((j) => j!.id).sort()).toEqual([a.job.id, b.job.id].sort());
    expect(new Set(claimed.map((j) => j!.worker)).size).toBe(2);
    // While A runs, a new request for A still gets the running job.
    expect((await enqueueJob(db.sql, 'store:A', {})).job.id).toBe(a.job.id);
    await finishJob(db.sql, a.job.id, { status: 'succeeded' });
    await finishJob(db.sql, b.job.id, { status: 'failed', error: 'boom' });
    expect((await getJob(db.sql, b.job.id))!).toMatchObject({ status: 'failed', error: 'boom' });
    // Once finished, the scope can be queued again.
    expect((await enqueueJob(db.sql, 'store:A', {})).created).toBe(true);
    await finishJob(db.sql, (await claimJob(db.sql, 'w1'))!.id, { status: 'cancelled' });
  });

  it('requeues a job whose worker stopped sending heartbeats, and fails it after the last attempt', async () => {
    const { job } = await enqueueJob(db.sql, 'store:C', {});
    const claimed = (await claimJob(db.sql, 'dead-worker'))!;
    expect(claimed.id).toBe(job.id);
    await heartbeatJob(db.sql, job.id, 0.4);
    expect((await recoverStaleJobs(db.sql, 60, 2)).requeued).toBe(0);
    await db.sql`UPDATE training_jobs SET heartbeat_at = now() - interval '5 minutes' WHERE id = ${job.id}`;
    expect(await recoverStaleJobs(db.sql, 60, 2)).toEqual({ requeued: 1, failed: 0 });
    expect((await getJob(db.sql, job.id))!.status).toBe('queued');

    await claimJob(db.sql, 'dead-again');
    await db.sql`UPDATE training_jobs SET heartbeat_at = now() - interval '5 minutes' WHERE id = ${job.id}`;
    expect(await recoverStaleJobs(db.sql, 60, 2)).toEqual({ requeued: 0, failed: 1 });
    const failed = (await getJob(db.sql, job.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/stopped responding/);
  });

  it('versions models per scope, keeps one active, prunes old versions and can roll back', async () => {
    for (let v = 1; v <= 7; v++) await saveActiveModel(db.sql, model('store:M', v), 5);
    const versions = (await listModels(db.sql)).filter((m) => m.scope === 'store:M');
    expect(versions.map((m) => m.version)).toEqual([7, 6, 5, 4, 3]);
    expect(versions.filter((m) => m.active).map((m) => m.version)).toEqual([7]);
    const active = (await loadActiveModel(db.sql, 'store:M'))!;
    expect(Array.from(active.bytes)).toEqual([7, 1, 2, 3]);

    expect((await activateModelVersion(db.sql, 'store:M', 4))!.version).toBe(4);
    expect((await loadActiveModel(db.sql, 'store:M'))!.version).toBe(4);
    expect(await activateModelVersion(db.sql, 'store:M', 1)).toBeNull();
    expect((await loadActiveModel(db.sql, 'store:M'))!.version).toBe(4);
  });

  it('keeps a monthly model monthly: its grain and method choice survive the registry', async () => {
    // Two years of demo sales summed into calendar months.
    const byKey = new Map<string, SeriesInput>();
    for (const r of generateDemoSales({ stores: ['MM'], productsPerStore: 4, days: 730, endDate: '2025-06-30', seed: 9 })) {
      const key = r.productId;
      let s = byKey.get(key);
      if (!s) byKey.set(key, (s = { storeId: 'MM', productId: key, category: null, records: [] }));
      const month = `${r.date.slice(0, 7)}-01`;
      const last = s.records[s.records.length - 1];
      if (last?.date === month) last.unitsSold += r.unitsSold;
      else s.records.push({ ...r, date: month, inventoryLevel: null, extra: null });
    }
    const series = [...byKey.values()];
    const engine = getEngine('wasm');
    const { model } = await ForecastModel.fit({ series, grain: 'monthly', engine, settings: { rounds: 5 } });
    await saveActiveModel(db.sql, artifactColumns('store:MM', model.toArtifact()));
    const loaded = await ForecastModel.fromArtifact(storedArtifact((await loadActiveModel(db.sql, 'store:MM'))!), { engine });
    try {
      expect(loaded.grain).toBe('monthly');
      expect(loaded.selection).toEqual(model.selection);
      const request = { origin: '2025-06-01', horizon: 3 };
      expect(loaded.forecast(series, request)).toEqual(model.forecast(series, request));
    } finally {
      model.dispose();
      loaded.dispose();
    }
  }, 60_000);

  it('keeps an old global model while a kept store model is blended with it', async () => {
    const partner = await saveActiveModel(db.sql, model('global:E', 1), 2);
    await saveActiveModel(db.sql, { ...model('store:E', 1), params: { ensemble: { model_id: partner.id, weight: 0.5 } } }, 2);
    for (let v = 2; v <= 4; v++) await saveActiveModel(db.sql, model('global:E', v), 2);
    const globals = () => listModels(db.sql).then((all) => all.filter((m) => m.scope === 'global:E').map((m) => m.version));
    expect(await globals()).toEqual([4, 3, 1]);
    // Once no kept model refers to it, it goes with the next pruning.
    for (let v = 2; v <= 3; v++) await saveActiveModel(db.sql, model('store:E', v), 2);
    await saveActiveModel(db.sql, model('global:E', 5), 2);
    expect(await globals()).toEqual([5, 4]);
  });
});
