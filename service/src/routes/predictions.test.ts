import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BulkPredictResponse,
  ForecastResponse,
  PredictResponse,
  PredictWithContextResponse,
  type ErrorBody,
} from '../../../shared/schemas';
import { storeUpload } from '../db/sales';
import { loadSeries } from '../db/series';
import { testBackends } from '../db/testing';
import { activateModelVersion, loadActiveModel, saveActiveModel, storedArtifact } from '../db/training';
import { ForecastModel } from '../model/index';
import { generateDemoSales } from '../demo/generate';
import { buildTrainingMatrix, decodeTarget, rowDate } from '../features/index';
import { selectEngine } from '../model/engine/index';
import { startTestServer, type TestServer } from '../testing/server';

const LAST_DAY = '2025-06-30';

describe.each(testBackends)('prediction endpoints on %s', (kind) => {
  let server: TestServer;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as never };
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    const demo = generateDemoSales({ stores: ['P1'], productsPerStore: 12, days: 240, endDate: LAST_DAY, seed: 21 });
    await storeUpload(
      server.db,
      { filename: 'demo', checksum: 'demo', format: 'demo', grain: 'daily', rowsRead: demo.length, columns: {}, warnings: [] },
      demo,
    );
    // Before any model exists a simple method on the store's own history answers, labelled as such, with what to do.
    const early = await post('/predict', { store_id: 'P1', product_id: 'P0001', date: '2025-07-01' });
    expect(early.status).toBe(200);
    expect(PredictResponse.parse(early.body)).toMatchObject({
      model_version: 'baseline:P1',
      basis: { method: expect.stringMatching(/^baseline:/), confidence: 'low', reasons: [expect.stringContaining('Train the store')] },
    });
    const job = (await post('/train_model', { store_id: 'P1', params: { rounds: 40, objective: 'tweedie', max_depth: 5 } })).body as {
      job_id: number;
    };
    for (;;) {
      const status = (await (await fetch(`${server.url}/training_status/${job.job_id}`)).json()) as { status: string; error?: string };
      if (status.status === 'failed') throw new Error(status.error);
      if (status.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  afterAll(async () => server?.close());

  it('serves the same prediction the model gives its own training row of that day', async () => {
    // A one-day forecast from origin D-1 must equal the model's prediction on the training row of day D.
    const stored = (await loadActiveModel(server.db.sql, 'store:P1'))!;
    // The model's own path, whatever method its backtest chose to serve each kind of series.
    const allModel = { grain: 'daily', fastFrom: 0, methods: { fast: 'model', slow: 'model', intermittent: 'model' } };
    const model = await ForecastModel.fromArtifact(
      { ...(storedArtifact(stored) as object), selection: allModel },
      { engine: await selectEngine('auto') },
    );
    const series = await loadSeries(server.db.sql, { storeId: 'P1' });
    const target = model.target;
    const matrix = buildTrainingMatrix(series, { encodings: model.encodings, spec: model.spec, target }, { fillTo: LAST_DAY });
    const day = '2025-05-20';
    const product = series.findIndex((s) => s.productId === 'P0003');
    let row = -1;
    for (let r = 0; r < matrix.rows; r++) if (matrix.seriesIdx[r] === product && rowDate(matrix, r) === day) row = r;
    expect(row).toBeGreaterThanOrEqual(0);
    const fromTrainingRow = decodeTarget(
      model.booster.predict(matrix.features.subarray(row * matrix.cols, (row + 1) * matrix.cols), 1, matrix.cols)[0],
      target,
    );

    // Serve it through the product's code path: only the history up to the day before is stored.
    const history = series[product].records.filter((r) => r.date < day);
    const [served] = model.forecast([{ ...series[product], records: history }], { origin: '2025-05-19', horizon: 1 });
    expect(served.dates).toEqual([day]);
    expect(served.values[0]).toBeCloseTo(fromTrainingRow, 5);
    model.dispose();
  });

  it('POST /predict answers one future day', async () => {
    const { status, body } = await post('/predict', { store_id: 'P1', product_id: 'P0001', date: '2025-07-05' });
    expect(status).toBe(200);
    const parsed = PredictResponse.parse(body);
    expect(parsed).toMatchObject({ store_id: 'P1', product_id: 'P0001', date: '2025-07-05', model_version: 'store:P1@1' });
    expect(parsed.predicted_demand).toBeGreaterThan(0);
    // The same day inside a forecast gives the same number.
    const forecast = ForecastResponse.parse((await post('/forecast', { store_id: 'P1', product_id: 'P0001', horizon_days: 5 })).body);
    expect(forecast.forecast[4].expected_demand).toBeCloseTo(parsed.predicted_demand, 2);
  });

  it('POST /forecast returns daily values with nested, non-negative intervals and honours start_date and levels', async () => {
    const { status, body } = await post('/forecast', { store_id: 'P1', product_id: 'P0002', horizon_days: 14 });
    expect(status).toBe(200);
    const f = ForecastResponse.parse(body);
    expect(f.last_history_date).toBe(LAST_DAY);
    expect(f.forecast).toHaveLength(14);
    expect(f.forecast[0].date).toBe('2025-07-01');
    for (const p of f.forecast) {
      const [i80, i95] = p.intervals;
      expect([i80.level, i95.level]).toEqual([80, 95]);
      expect(i95.lower).toBeLessThanOrEqual(i80.lower);
      expect(i95.upper).toBeGreaterThanOrEqual(i80.upper);
      expect(i80.lower).toBeGreaterThanOrEqual(0);
      expect(i80.upper).toBeGreaterThanOrEqual(p.expected_demand * 0.99);
    }
    const later = ForecastResponse.parse(
      (await post('/forecast', { store_id: 'P1', product_id: 'P0002', horizon_days: 3, start_date: '2025-07-10', levels: [0.5, 99] })).body,
    );
    expect(later.forecast.map((p) => p.date)).toEqual(['2025-07-10', '2025-07-11', '2025-07-12']);
    expect(later.forecast[0].expected_demand).toBeCloseTo(f.forecast[9].expected_demand, 6);
    expect(later.forecast[0].intervals.map((i) => i.level)).toEqual([50, 99]);
  });

  it('a what-if promotion with a price cut raises the forecast across the store', async () => {
    // One product's response can go either way with a small model; the store total is what the data teaches.
    let base = 0;
    let promo = 0;
    for (let p = 1; p <= 12; p++) {
      const product_id = `P${String(p).padStart(4, '0')}`;
      const sum = (body: unknown) => ForecastResponse.parse(body).forecast.reduce((s, x) => s + x.expected_demand, 0);
      base += sum((await post('/forecast', { store_id: 'P1', product_id, horizon_days: 7 })).body);
      promo += sum(
        (
          await post('/forecast', {
            store_id: 'P1',
            product_id,
            horizon_days: 7,
            scenario: [{ promotion: true, discount: 30, price_change_pct: -30 }],
          })
        ).body,
      );
    }
    expect(promo).toBeGreaterThan(base);
  });

  it('POST /predict_with_context recommends stock, money and explains itself', async () => {
    // A product the store's model answers (alone or averaged with a simple method): its contributions explain it.
    const plan = BulkPredictResponse.parse((await post('/bulk_predict', { store_id: 'P1', horizon_days: 7 })).body);
    const explained = plan.predictions.filter((p) => p.basis.method === 'model' || p.basis.method.startsWith('blend:'));
    expect(explained.length).toBeGreaterThan(0);
    const productId = explained.map((p) => p.product_id).sort()[0];
    const { status, body } = await post('/predict_with_context', {
      store_id: 'P1',
      product_id: productId,
      current_stock: 5,
      lead_time_days: 4,
      service_level: 95,
      unit_cost: 2,
    });
    expect(status).toBe(200);
    const r = PredictWithContextResponse.parse(body);
    expect(r.stock_recommendation.status).toBe('CRITICAL');
    expect(r.stock_recommendation.order_quantity).toBeGreaterThan(0);
    expect(r.stock_recommendation.reorder_point).toBeCloseTo(r.demand_estimates.over_lead_time + r.stock_recommendation.safety_stock, 1);
    expect(r.financial_impact.order_value).toBeCloseTo(r.stock_recommendation.order_quantity * 2, 2);
    expect(r.confidence_interval.level).toBe(95);
    expect(r.performance_context.model_version).toBe('store:P1@1');
    expect(r.performance_context.wape).toBeGreaterThan(0);
    expect(r.explanation.length).toBeGreaterThan(0);
    // "Why" in a buyer's words: every item has its group's label and the daily unit; no label is a model column.
    for (const c of r.explanation) {
      expect(c.unit).toBe('units/day');
      expect(c.label).toBeTruthy();
      expect(c.label).not.toMatch(/_|\blag|\broll/);
    }
    expect(r.explanation.some((c) => c.label!.startsWith('average daily sales, last '))).toBe(true);
    expect(r.summary).toContain(productId);
    // Pack size and minimum order from the request shape the order.
    const packed = PredictWithContextResponse.parse(
      (
        await post('/predict_with_context', {
          store_id: 'P1',
          product_id: 'P0002',
          current_stock: 5,
          lead_time_days: 4,
          pack_size: 24,
          min_order_qty: 100,
        })
      ).body,
    );
    expect(packed.stock_recommendation.order_quantity % 24).toBe(0);
    expect(packed.stock_recommendation.order_quantity).toBeGreaterThanOrEqual(100);
    // Without a stock figure the last stored inventory level is used.
    const stored = PredictWithContextResponse.parse((await post('/predict_with_context', { store_id: 'P1', product_id: 'P0002' })).body);
    expect(stored.stock_recommendation.current_stock).not.toBeNull();
  });

  it('POST /bulk_predict plans every product, sorted by priority then revenue at risk; CSV and XLSX exports match', async () => {
    const { status, body } = await post('/bulk_predict', { store_id: 'P1', horizon_days: 7, service_level: 0.9 });
    expect(status).toBe(200);
    const plan = BulkPredictResponse.parse(body);
    expect(plan.summary.total_products).toBe(12);
    expect(plan.summary.critical + plan.summary.low + plan.summary.adequate + plan.summary.excess).toBe(12);
    expect(plan.summary.total_order_quantity).toBeCloseTo(
      plan.predictions.reduce((s, p) => s + p.order_quantity, 0),
      3,
    );
    for (let i = 1; i < plan.predictions.length; i++) {
      const [a, b] = [plan.predictions[i - 1], plan.predictions[i]];
      expect(a.priority < b.priority || (a.priority === b.priority && (a.revenue_at_risk ?? 0) >= (b.revenue_at_risk ?? 0))).toBe(true);
    }
    for (const p of plan.predictions) {
      expect(p.lower).toBeLessThanOrEqual(p.predicted_demand!);
      expect(p.upper).toBeGreaterThanOrEqual(p.predicted_demand!);
      expect(p.last_4_weeks).toHaveLength(4);
    }
    const csv = await (await fetch(`${server.url}/bulk_predict/P1.csv?horizon_days=7&service_level=0.9`)).text();
    const lines = csv.trim().split('\r\n');
    // Below the title, the header block (what was asked: the service level) and the note line, the table.
    expect(lines).toContain('Service level,90%');
    const header = lines.findIndex((l) => l.startsWith('Product,'));
    expect(lines).toHaveLength(header + 13);
    expect(lines[header + 1].split(',')[0]).toBe(plan.predictions[0].product_id);
    const xlsx = await fetch(`${server.url}/bulk_predict/P1.xlsx?horizon_days=7&service_level=0.9`);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheet = wb.getWorksheet('Bulk Predictions P1')!;
    expect(sheet.rowCount).toBe(header + 13);
    expect(sheet.getCell(`J${header + 2}`).value).toBe(plan.predictions[0].order_quantity);
  });

  it('answers bad requests with clear 4xx errors', async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ['/predict', { store_id: 'P1', product_id: 'P0001', date: '2025-06-01' }, 422, /not after the last stored day/],
      ['/predict', { store_id: 'P1', product_id: 'P0001', date: '2026-06-01' }, 422, /180 days/],
      ['/predict', { store_id: 'P1', product_id: 'NOPE', date: '2025-07-01' }, 404, /NOPE/],
      ['/predict', { store_id: 'ZZ', product_id: 'P0001', date: '2025-07-01' }, 404, /ZZ/],
      ['/predict', { store_id: 'P1', product_id: 'P0001', date: '07/01/2025' }, 422, /date/],
      ['/forecast', { store_id: 'P1', product_id: 'P0001', horizon_days: 181 }, 422, /horizon_days/],
      ['/forecast', { store_id: 'P1', product_id: 'P0001', levels: [0] }, 422, /levels/],
      ['/forecast', { store_id: 'P1', product_id: 'P0001', scenario: [{ colour: 'red' }] }, 422, /scenario/],
      ['/bulk_predict', { store_id: 'P1', service_level: 100 }, 422, /service_level/],
      ['/predict_with_context', { store_id: 'P1', product_id: 'P0001', current_stock: -1 }, 422, /current_stock/],
      // Beyond a billion units or a billion per unit is a typing slip, not an input to compute money on.
      ['/predict_with_context', { store_id: 'P1', product_id: 'P0001', unit_cost: 1e308 }, 422, /unit_cost/],
      ['/predict_with_context', { store_id: 'P1', product_id: 'P0001', pack_size: 1e12 }, 422, /pack_size/],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect((res.body as ErrorBody).error.message).toMatch(message);
    }
    const bad = await fetch(`${server.url}/bulk_predict/P1.pdf`);
    expect(bad.status).toBe(404);
    const malformed = await fetch(`${server.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"store_id":',
    });
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
  });

  it('refuses to serve a model saved by code that computed other features: 409 model_outdated, saying to retrain', async () => {
    const active = (await loadActiveModel(server.db.sql, 'store:P1'))!;
    // The same model as a new version, but its layout says the features were computed by older code.
    const stale = await saveActiveModel(server.db.sql, {
      ...active,
      dataWindow: active.data_window,
      features: { ...(active.features as object), version: 'features-v0' },
    });
    try {
      expect(stale.id).not.toBe(active.id);
      for (const [path, body] of [
        ['/predict', { store_id: 'P1', product_id: 'P0001', date: '2025-07-05' }],
        ['/forecast', { store_id: 'P1', product_id: 'P0001', horizon_days: 7 }],
        ['/bulk_predict', { store_id: 'P1' }],
      ] as const) {
        const answer = (await post(path, body)) as { status: number; body: { error: { code: string; message: string } } };
        expect(answer.status, path).toBe(409);
        expect(answer.body.error.code).toBe('model_outdated');
        expect(answer.body.error.message).toMatch(
          new RegExp(`store:P1@${stale.version} .*feature spec features-v0 is not features-v1.*POST /train_model with store_id "P1"`),
        );
      }
    } finally {
      await activateModelVersion(server.db.sql, 'store:P1', active.version);
    }
    expect((await post('/predict', { store_id: 'P1', product_id: 'P0001', date: '2025-07-05' })).status).toBe(200);
  });
});
