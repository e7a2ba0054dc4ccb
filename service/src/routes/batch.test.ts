import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BATCH_MAX_QUERIES,
  BatchResponse,
  ForecastResponse,
  HistoryResponse,
  PredictWithContextResponse,
  TrainingStatusResponse,
  type BatchQueryInput,
} from '../../../shared/schemas';
import { AccuracyService } from '../accuracy/service';
import { BatchService } from '../batch/service';
import { CatalogService } from '../catalog/service';
import { loadConfig } from '../config';
import { testBackends } from '../db/testing';
import { PredictionService } from '../predictions/service';
import { ServingCache } from '../serving/cache';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales, trainAndWait } from '../testing/trained';

const LAST_DAY = '2025-06-30';
const DEMO = { stores: ['B1'], productsPerStore: 6, days: 240, endDate: LAST_DAY, seed: 5 };

describe.each(testBackends)('POST /batch on %s', (kind) => {
  let server: TestServer;
  let keyBeforeTraining = '';
  const post = async (path: string, body: unknown) => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as never };
  };
  const batch = async (queries: BatchQueryInput[] | unknown[], stores?: string[]) => {
    const res = await post('/batch', { queries, ...(stores ? { stores } : {}) });
    expect(res.status).toBe(200);
    return BatchResponse.parse(res.body);
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    await storeDemoSales(server, DEMO);
    // Before any model: forecasts come from a simple method on the store's own history, and say so; history answers.
    const early = await batch([
      { kind: 'forecast', store_id: 'B1', product_id: 'P0001', date: '2025-07-02' },
      { kind: 'history', store_id: 'B1', product_id: 'P0001', from: '2025-06-29' },
    ]);
    expect(early.results[0]).toMatchObject({
      ok: true,
      kind: 'forecast',
      basis: {
        method: expect.stringMatching(/^baseline:/),
        confidence: 'low',
        reasons: [expect.stringContaining('No model has been trained')],
      },
    });
    expect(early.results[1]).toMatchObject({ ok: true, kind: 'history' });
    keyBeforeTraining = early.versions.B1;
    await trainAndWait(server, 'B1', { rounds: 40, objective: 'tweedie', max_depth: 5 });
  });
  afterAll(async () => server?.close());

  it('answers forecast queries exactly as /forecast does, for single days, horizons and levels', async () => {
    const queries: BatchQueryInput[] = [
      { kind: 'forecast', store_id: 'B1', product_id: 'P0002', date: '2025-07-01' },
      { kind: 'forecast', store_id: 'B1', product_id: 'P0002', date: '2025-07-20', levels: [0.9] },
      { kind: 'forecast', store_id: 'B1', product_id: 'P0002', horizon_days: 14, levels: [80, 95] },
      { kind: 'forecast', store_id: 'B1', product_id: 'P0003', date: '2025-12-27', levels: [50] }, // the last forecastable day
      { kind: 'forecast', store_id: 'B1', product_id: 'P0003', horizon_days: 3 },
    ];
    const { results, versions } = await batch(queries);
    expect(versions.B1).toMatch(/^m\d+\.u\d+$/);
    expect(versions.B1).not.toBe(keyBeforeTraining);
    const single = async (body: unknown) => ForecastResponse.parse((await post('/forecast', body)).body);

    const day = await single({ store_id: 'B1', product_id: 'P0002', start_date: '2025-07-01', horizon_days: 1, levels: [50] });
    expect(results[0]).toEqual({
      ok: true,
      kind: 'forecast',
      model_version: 'store:B1@1',
      last_history_date: LAST_DAY,
      granularity: 'day',
      basis: day.basis,
      forecast: [{ ...day.forecast[0], intervals: [] }],
    });
    const leveled = await single({ store_id: 'B1', product_id: 'P0002', start_date: '2025-07-20', horizon_days: 1, levels: [0.9] });
    expect(results[1]).toMatchObject({ ok: true, forecast: leveled.forecast });
    const horizon = await single({ store_id: 'B1', product_id: 'P0002', horizon_days: 14, levels: [80, 95] });
    expect(results[2]).toMatchObject({ ok: true, forecast: horizon.forecast });
    expect(horizon.forecast[0].expected_demand).toBe(
      (results[0] as { forecast: { expected_demand: number }[] }).forecast[0].expected_demand,
    );
    const last = await single({ store_id: 'B1', product_id: 'P0003', start_date: '2025-12-27', horizon_days: 1, levels: [50] });
    expect(results[3]).toMatchObject({ ok: true, forecast: last.forecast });
    const three = await single({ store_id: 'B1', product_id: 'P0003', horizon_days: 3, levels: [80] });
    expect(results[4]).toMatchObject({ ok: true, forecast: three.forecast.map((p) => ({ ...p, intervals: [] })) });
  });

  it("answers replenishment queries with /predict_with_context's stock recommendation", async () => {
    const asks = [
      { store_id: 'B1', product_id: 'P0001' },
      { store_id: 'B1', product_id: 'P0001', current_stock: 3, lead_time_days: 4, service_level: 0.9 },
      { store_id: 'B1', product_id: 'P0004', current_stock: 500 },
      { store_id: 'B1', product_id: 'P0004', current_stock: 0, service_level: 99, review_days: 14, date: '2025-07-05' },
    ];
    const { results } = await batch(asks.map((a) => ({ kind: 'replenishment', ...a })));
    for (const [i, ask] of asks.entries()) {
      const single = PredictWithContextResponse.parse((await post('/predict_with_context', ask)).body);
      expect(results[i], JSON.stringify(ask)).toEqual({
        ok: true,
        kind: 'replenishment',
        model_version: single.performance_context.model_version,
        date: single.date,
        basis: single.basis,
        stock_recommendation: single.stock_recommendation,
      });
    }
    expect(
      new Set(results.map((r) => (r as { stock_recommendation: { status: string } }).stock_recommendation.status)).size,
    ).toBeGreaterThan(1);
  });

  it('answers history and accuracy queries as /history and /training_status do', async () => {
    const { results } = await batch([
      { kind: 'history', store_id: 'B1', product_id: 'P0005', from: '2025-06-01', to: '2025-06-10' },
      { kind: 'accuracy', store_id: 'B1', id: 'acc' },
    ]);
    const history = HistoryResponse.parse(await (await fetch(`${server.url}/history/B1/P0005?from=2025-06-01&to=2025-06-10`)).json());
    expect(history.history).toHaveLength(10);
    expect(results[0]).toEqual({
      ok: true,
      kind: 'history',
      history: history.history.map((h) => ({ date: h.date, units_sold: h.units_sold })),
    });
    const status = TrainingStatusResponse.parse(await (await fetch(`${server.url}/training_status`)).json());
    const model = status.models.find((m) => m.store_id === 'B1')!;
    expect(results[1]).toEqual({ id: 'acc', ok: true, kind: 'accuracy', model_version: 'store:B1@1', metrics: model.metrics });
    expect(model.metrics.wape).toBeGreaterThan(0);
  });

  it("fails bad queries one by one, with the single endpoint's status and message, keeping order and ids", async () => {
    const queries: unknown[] = [
      { id: 'a', kind: 'forecast', store_id: 'B1', product_id: 'P0001', date: '2025-07-03' },
      { id: 'b', kind: 'forecast', store_id: 'NOPE', product_id: 'P0001', date: '2025-07-03' },
      { id: 'c', kind: 'forecast', store_id: 'B1', product_id: 'NOPE', date: '2025-07-03' },
      { id: 'd', kind: 'forecast', store_id: 'B1', product_id: 'P0001', date: '2025-06-01' },
      { id: 'e', kind: 'forecast', store_id: 'B1', product_id: 'P0001', date: '2026-06-01' },
      { id: 'f', kind: 'forecast', store_id: 'B1', product_id: 'P0001', date: '2025-07-03', horizon_days: 2 },
      { id: 'g', kind: 'weather', store_id: 'B1' },
      { id: 'h', kind: 'replenishment', store_id: 'B1', product_id: 'P0001', current_stock: -1 },
      { id: 'i', kind: 'history', store_id: 'B1', product_id: 'NOPE' },
      { id: 'j', kind: 'accuracy', store_id: 'NOPE' },
      42,
      { id: 'k', kind: 'forecast', store_id: 'B1', product_id: 'P0001', horizon_days: 2 },
    ];
    const { results, versions } = await batch(queries);
    expect(results.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', undefined, 'k']);
    expect(results.map((r) => (r.ok ? 'ok' : `${r.error.status} ${r.error.code}`))).toEqual([
      'ok',
      '404 not_found',
      '404 not_found',
      '422 date_not_in_future',
      '422 beyond_horizon',
      '422 invalid_request',
      '422 invalid_request',
      '422 invalid_request',
      '404 not_found',
      '404 not_found',
      '422 invalid_request',
      'ok',
    ]);
    // The same messages as the single endpoints.
    const message = (i: number) => (results[i] as { error: { message: string } }).error.message;
    const direct = async (body: unknown) => ((await post('/forecast', body)).body as { error: { message: string } }).error.message;
    expect(message(1)).toBe(await direct({ store_id: 'NOPE', product_id: 'P0001', start_date: '2025-07-03', horizon_days: 1 }));
    expect(message(2)).toBe(await direct({ store_id: 'B1', product_id: 'NOPE', start_date: '2025-07-03', horizon_days: 1 }));
    expect(message(3)).toBe(await direct({ store_id: 'B1', product_id: 'P0001', start_date: '2025-06-01', horizon_days: 1 }));
    expect(message(4)).toMatch(/180 days/);
    expect(message(5)).toMatch(/give one of date, horizon_days or horizon_periods/);
    expect(message(7)).toMatch(/current_stock/);
    expect(versions).toMatchObject({ B1: expect.stringMatching(/^m\d+\.u\d+$/), NOPE: 'none' });
  });

  it('reports store versions without queries, and a new upload changes the version', async () => {
    const before = await batch([], ['B1', 'ZZ']);
    expect(before.results).toEqual([]);
    expect(Object.keys(before.versions).sort()).toEqual(['B1', 'ZZ']);
    expect(before.versions.ZZ).toBe('none');
    await storeDemoSales(server, { ...DEMO, days: 30, seed: 6 }, 'second upload');
    const after = await batch([], ['B1']);
    expect(after.versions.B1).not.toBe(before.versions.B1);
    expect(after.versions.B1.split('.')[0]).toBe(before.versions.B1.split('.')[0]); // same model
  });

  it('rejects a malformed envelope and more than the cap as a whole', async () => {
    const tooMany = Array.from({ length: BATCH_MAX_QUERIES + 1 }, () => ({ kind: 'accuracy', store_id: 'B1' }));
    const big = await post('/batch', { queries: tooMany });
    expect(big.status).toBe(422);
    expect((big.body as { error: { message: string } }).error.message).toMatch(/queries/);
    expect((await post('/batch', { query: [] })).status).toBe(422);
    expect((await post('/batch', [])).status).toBe(422);
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths['/batch'].post).toBeDefined();
  });

  it('forecasts the series of a store together, once per request, however many queries ask about them', async () => {
    const predictions = new PredictionService(server.db.sql, new ServingCache(server.db.sql), loadConfig({}));
    const single = vi.spyOn(predictions, 'forecast');
    const many = vi.spyOn(predictions, 'forecastMany');
    const plans = vi.spyOn(predictions, 'stockRecommendations');
    const service = new BatchService(server.db.sql, predictions, new CatalogService(server.db.sql), new AccuracyService(server.db.sql));
    const queries = Array.from({ length: 900 }, (_, i) => ({
      kind: 'forecast' as const,
      store_id: 'B1',
      product_id: `P000${(i % 3) + 1}`,
      date: new Date(Date.parse('2025-07-01T00:00:00Z') + (i % 60) * 86_400_000).toISOString().slice(0, 10),
      levels: i % 2 ? [0.8] : [],
    }));
    const replenishment = ['P0001', 'P0002', 'P0003'].map((product_id) => ({
      kind: 'replenishment' as const,
      store_id: 'B1',
      product_id,
      current_stock: 4,
    }));
    const { results } = await service.answer([...queries, ...replenishment]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(many).toHaveBeenCalledTimes(1);
    expect(plans).toHaveBeenCalledTimes(1);
    expect(single).not.toHaveBeenCalled();
  });
});
