import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSummary, TrainingJob, TrainingStatusResponse } from '../../../shared/schemas';
import { TrainingJob as TrainingJobSchema, TrainingStatusResponse as StatusSchema } from '../../../shared/schemas';
import { storeUpload } from '../db/sales';
import { testBackends } from '../db/testing';
import { generateDemoSales } from '../demo/generate';
import { loadSeries } from '../db/series';
import { loadActiveModel, storedArtifact } from '../db/training';
import { selectEngine } from '../model/engine/index';
import { ForecastModel } from '../model/index';
import { startTestServer, type TestServer } from '../testing/server';

const FAST = { rounds: 30, objective: 'tweedie' as const, max_depth: 4 };

describe.each(testBackends)('training endpoints on %s', (kind) => {
  let server: TestServer;
  const post = async <T>(path: string, body: unknown) => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const get = async <T>(path: string) => (await (await fetch(server.url + path)).json()) as T;
  const waitForJob = async (id: number, timeoutMs = 90_000): Promise<TrainingJob> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const job = await get<TrainingJob>(`/training_status/${id}`);
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() > until) throw new Error(`job ${id} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    const demo = generateDemoSales({ stores: ['T1', 'T2'], productsPerStore: 8, days: 150, endDate: '2025-06-30', seed: 11 });
    await storeUpload(
      server.db,
      { filename: 'demo', checksum: 'demo', format: 'demo', grain: 'daily', rowsRead: demo.length, columns: {}, warnings: [] },
      demo,
    );
  });
  afterAll(async () => server?.close());

  it('queues a job (202), returns the same job for a second request, trains, and reports honest metrics', async () => {
    const first = await post<{ job_id: number; status: string }>('/train_model', { store_id: 'T1', params: FAST });
    expect(first.status).toBe(202);
    expect(first.body.status).toMatch(/queued|running/);
    const second = await post<{ job_id: number }>('/train_model', { store_id: 'T1', params: FAST });
    expect(second.status).toBe(202);
    expect(second.body.job_id).toBe(first.body.job_id);

    // The service answers while the model trains.
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);

    const job = await waitForJob(first.body.job_id);
    expect(job.status, job.error).toBe('succeeded');
    expect(TrainingJobSchema.parse(job)).toEqual(job);
    expect(job.progress).toBe(1);
    const model = job.models![0];
    expect(model).toMatchObject({ scope: 'store', store_id: 'T1', version: 1, active: true });
    expect(model.metrics.wape).toBeGreaterThan(0);
    expect(model.metrics.baseline.wape).toBeGreaterThan(0);
    expect(model.metrics.accuracy).toBeCloseTo(100 * (1 - model.metrics.wape!), 6);
    expect((model.metrics as Record<string, unknown>).holdout).toMatchObject({ from: '2025-06-03', to: '2025-06-30', days: 28 });
    expect(model.data_window).toMatchObject({ last_date: '2025-06-30' });

    const status = await get<TrainingStatusResponse>('/training_status');
    expect(StatusSchema.parse(status)).toEqual(status);
    expect(status.models.map((m) => m.store_id)).toContain('T1');
    expect(status.jobs[0].job_id).toBe(first.body.job_id);
  });

  it('a failed training leaves the previous model active and says why', async () => {
    const bad = await post<{ job_id: number }>('/train_model', { store_id: 'T1', params: { ...FAST, holdout_days: 100 } });
    const job = await waitForJob(bad.body.job_id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/history/);
    const active = (await get<TrainingStatusResponse>('/training_status')).models.filter((m) => m.store_id === 'T1');
    expect(active).toHaveLength(1);
    expect(active[0].version).toBe(1);
  });

  it('"all" trains one model per store plus a global model; an older version can be activated again', async () => {
    const queued = await post<{ job_id: number }>('/train_model', { store_id: 'all', params: FAST });
    const job = await waitForJob(queued.body.job_id, 180_000);
    expect(job.status, job.error).toBe('succeeded');
    expect(job.models!.map((m) => [m.scope, m.store_id, m.version]).sort()).toEqual([
      ['global', null, 1],
      ['store', 'T1', 2],
      ['store', 'T2', 1],
    ]);
    // Each store model of an "all" job is served blended with that job's global model, and scored as the blend.
    const t2 = (await loadActiveModel(server.db.sql, 'store:T2'))!;
    const global = (await loadActiveModel(server.db.sql, 'global'))!;
    const ensemble = t2.metrics.ensemble!;
    expect(ensemble).toMatchObject({ partner_model_id: global.id, weight: 0.5 });
    expect(ensemble.own.rmsse).not.toBe(t2.metrics.rmsse);
    expect((t2.params as { ensemble: { model_id: number } }).ensemble.model_id).toBe(global.id);
    const served = await post<{ forecast: { expected_demand: number }[] }>('/forecast', {
      store_id: 'T2',
      product_id: 'P0002',
      horizon_days: 7,
    });
    expect(served.status).toBe(200);
    const series = await loadSeries(server.db.sql, { storeId: 'T2' });
    // Each member alone: the store model's artifact without its blend.
    const alone = async (m: NonNullable<Awaited<ReturnType<typeof loadActiveModel>>>) => {
      const model = await ForecastModel.fromArtifact(
        { ...(storedArtifact(m) as object), ensemble: null },
        { engine: await selectEngine('auto') },
      );
      const [f] = model.forecast(
        series.filter((s) => s.productId === 'P0002'),
        { origin: '2025-06-30', horizon: 7 },
      );
      model.dispose();
      return f.values;
    };
    const [own, partner] = [await alone(t2), await alone(global)];
    served.body.forecast.forEach((day, h) => expect(day.expected_demand).toBeCloseTo(0.5 * own[h] + 0.5 * partner[h], 2));
    expect(own.some((v, h) => Math.abs(v - partner[h]) > 1e-3)).toBe(true); // the blend is not a no-op here

    const again = await post<ModelSummary>('/models/T1/activate', { version: 1 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ store_id: 'T1', version: 1, active: true });
    const models = await get<{ models: ModelSummary[] }>('/models');
    expect(models.models.filter((m) => m.store_id === 'T1' && m.active).map((m) => m.version)).toEqual([1]);
  });

  it('answers bad requests in the error shape', async () => {
    expect((await post('/train_model', { store_id: 'NOPE' })).status).toBe(404);
    const invalid = await post<{ error: { code: string; message: string } }>('/train_model', { store_id: 'T1', params: { rounds: -3 } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.message).toMatch(/rounds/);
    expect((await post('/train_model', { params: {} })).status).toBe(422);
    expect((await fetch(`${server.url}/training_status/999999`)).status).toBe(404);
    expect((await fetch(`${server.url}/training_status/abc`)).status).toBe(422);
    expect((await post('/models/T1/activate', { version: 42 })).status).toBe(404);
  });
});
