// Every answer says which method made it and how far to trust it (issue 14), over HTTP against a real database:
// a daily store asked for weeks and months, a weekly store in weeks (never days), a store no model has seen, a store
// of 5 days, a file of 10 scattered dates, and a product with too little data (no forecast, no order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BulkPredictResponse,
  ForecastResponse,
  PredictWithContextResponse,
  type ErrorBody,
  type UploadResponse,
} from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { addDays, formatDay, parseDay } from '../features/index';
import { demoCsv, QUICK_TRAINING, waitForJob } from '../reliability/fixtures';
import { startTestServer, type TestServer } from '../testing/server';

const LAST_DAY = '2025-06-30';

/** 80 weeks of 4 products in store W, dated by each week's Monday, with a yearly swing. */
function weeklyFile(): string {
  const lines = ['Week,Store,SKU,Units'];
  for (let w = 0; w < 80; w++) {
    const date = formatDay(parseDay('2024-01-01') + 7 * w);
    const season = 1 + 0.4 * Math.sin((2 * Math.PI * w) / 52);
    for (const [sku, base] of [
      ['A', 120],
      ['B', 40],
      ['C', 15],
      ['D', 70],
    ] as const) {
      lines.push(`${date},W,${sku},${Math.round(base * season + ((w * 7) % 5))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** 36 months of 3 products in store M, with a December peak. */
function monthlyFile(): string {
  const lines = ['Month,Store,Item,Qty'];
  for (let k = 0; k < 36; k++) {
    const month = `${2022 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`;
    const peak = k % 12 === 11 ? 1.8 : 1;
    for (const [item, base] of [
      ['Soup', 300],
      ['Tea', 90],
      ['Jam', 40],
    ] as const) {
      lines.push(`${month},M,${item},${Math.round(base * peak + ((k * 11) % 7))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe.each(testBackends)('basis and granularity on %s', (kind) => {
  let server: TestServer;
  const post = async <T>(path: string, body: unknown) => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T & ErrorBody };
  };
  const upload = async (name: string, data: string | Uint8Array) => {
    const form = new FormData();
    form.append('file', new Blob([data as BlobPart]), name);
    const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
    const body = (await res.json()) as UploadResponse & ErrorBody;
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body;
  };
  const train = async (storeId: string) => {
    const queued = await post<{ job_id: number }>('/train_model', { store_id: storeId, params: QUICK_TRAINING });
    expect(queued.status, JSON.stringify(queued.body)).toBe(202);
    const job = await waitForJob(server.url, queued.body.job_id, 240_000);
    expect(job.status, job.error).toBe('succeeded');
  };

  /** The method the store's model chose on its backtest for a kind of series (GET /training_status). */
  const chosenFor = async (storeId: string, kind: string) => {
    const status = (await (await fetch(`${server.url}/training_status`)).json()) as {
      models: { store_id: string | null; metrics: { selection?: { kind: string; method: string }[] } }[];
    };
    const selection = status.models.find((m) => m.store_id === storeId)!.metrics.selection!;
    return selection.find((s) => s.kind === kind)?.method;
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    await upload('daily.csv', demoCsv({ stores: ['D'], productsPerStore: 6, days: 240, endDate: LAST_DAY, seed: 11 }));
    await upload('weekly.csv', weeklyFile());
    await upload('monthly.csv', monthlyFile());
    await train('D');
    await train('W');
    await train('M');
  }, 600_000);
  afterAll(async () => server?.close());

  it('answers a daily store in weeks and months: sums of its days, with intervals of each period total', async () => {
    const days = await post<ForecastResponse>('/forecast', { store_id: 'D', product_id: 'P0001', horizon_days: 28, levels: [0.9] });
    const weeks = await post<ForecastResponse>('/forecast', {
      store_id: 'D',
      product_id: 'P0001',
      horizon_days: 28,
      granularity: 'week',
      levels: [0.9],
    });
    expect(weeks.status).toBe(200);
    const w = ForecastResponse.parse(weeks.body);
    expect(w.granularity).toBe('week');
    expect(w.basis).toMatchObject({ grain: 'daily', confidence: 'normal', reasons: [] });
    // Served by the method the backtest chose for its kind of series.
    expect(w.basis.method).toBe(await chosenFor('D', w.basis.series_kind));
    expect(w.forecast.map((p) => [p.date, p.period_end, p.days])).toEqual([
      ['2025-07-01', '2025-07-07', 7],
      ['2025-07-08', '2025-07-14', 7],
      ['2025-07-15', '2025-07-21', 7],
      ['2025-07-22', '2025-07-28', 7],
    ]);
    const d = ForecastResponse.parse(days.body).forecast;
    w.forecast.forEach((week, k) => {
      const span = d.slice(7 * k, 7 * k + 7);
      expect(week.expected_demand).toBeCloseTo(
        span.reduce((s, p) => s + p.expected_demand, 0),
        1,
      );
      // Calibrated at the week's level: narrower than adding up the days' bounds, which assumes every day errs alike.
      expect(week.intervals[0].upper).toBeLessThan(span.reduce((s, p) => s + p.intervals[0].upper, 0));
      expect(week.intervals[0].lower).toBeGreaterThan(span.reduce((s, p) => s + p.intervals[0].lower, 0));
    });
    const months = ForecastResponse.parse(
      (await post('/forecast', { store_id: 'D', product_id: 'P0001', horizon_periods: 2, granularity: 'month' })).body,
    );
    expect(months.forecast.map((p) => [p.date, p.period_end, p.days])).toEqual([
      ['2025-07-01', '2025-07-31', 31],
      ['2025-08-01', '2025-08-31', 31],
    ]);
  });

  it('trains a weekly store in weeks and answers in weeks or months, never in days', async () => {
    const res = await post<ForecastResponse>('/forecast', { store_id: 'W', product_id: 'A', horizon_periods: 3, levels: [0.8] });
    expect(res.status).toBe(200);
    const f = ForecastResponse.parse(res.body);
    expect(f.granularity).toBe('week');
    expect(f.basis.grain).toBe('weekly');
    expect(f.basis.history_periods).toBe(80);
    expect(f.forecast.map((p) => p.date)).toEqual(['2025-07-14', '2025-07-21', '2025-07-28']);
    for (const p of f.forecast) {
      // A week of a 120 +- 48 unit product: a week's units, not a day's.
      expect(p.expected_demand).toBeGreaterThan(50);
      expect(p.expected_demand).toBeLessThan(250);
      expect(p.intervals[0].lower).toBeLessThanOrEqual(p.expected_demand);
      expect(p.intervals[0].upper).toBeGreaterThanOrEqual(p.expected_demand);
    }
    const status = (await (await fetch(`${server.url}/training_status`)).json()) as {
      models: { store_id: string | null; metrics: { grain?: string; season?: number; holdout: { periods?: number } } }[];
    };
    expect(status.models.find((m) => m.store_id === 'W')!.metrics).toMatchObject({ grain: 'weekly', season: 52, holdout: { periods: 13 } });

    const daily = await post('/forecast', { store_id: 'W', product_id: 'A', horizon_days: 7, granularity: 'day' });
    expect(daily.status).toBe(422);
    expect(daily.body.error).toMatchObject({ code: 'granularity_too_fine', details: { field: 'granularity', allowed: ['week', 'month'] } });
    expect(daily.body.error.message).toMatch(/weekly sales.*not in days/);
    expect((await post('/predict', { store_id: 'W', product_id: 'A', date: '2025-07-15' })).status).toBe(422);

    const months = ForecastResponse.parse(
      (await post('/forecast', { store_id: 'W', product_id: 'A', horizon_periods: 2, granularity: 'month' })).body,
    );
    // The month the forecast begins in is counted from the first forecast day.
    expect(months.forecast.map((p) => [p.date, p.period_end])).toEqual([
      ['2025-07-14', '2025-07-31'],
      ['2025-08-01', '2025-08-31'],
    ]);

    // Lead time and review in days, over weeks: a 14-day lead time covers two weeks of demand.
    const rec = PredictWithContextResponse.parse(
      (await post('/predict_with_context', { store_id: 'W', product_id: 'A', current_stock: 50, lead_time_days: 14, review_days: 7 })).body,
    );
    expect(rec.demand_estimates.granularity).toBe('week');
    expect(rec.demand_estimates.per_period.map((p) => p.date)).toEqual(['2025-07-14', '2025-07-21', '2025-07-28']);
    expect(rec.demand_estimates.over_lead_time).toBeCloseTo(f.forecast[0].expected_demand + f.forecast[1].expected_demand, 0);
    expect(rec.stock_recommendation.order_quantity).toBeGreaterThan(0);
    expect(rec.basis.grain).toBe('weekly');

    const plan = BulkPredictResponse.parse((await post('/bulk_predict', { store_id: 'W', horizon_days: 28 })).body);
    expect(plan.granularity).toBe('week');
    expect(plan.predictions).toHaveLength(4);
    for (const row of plan.predictions) expect(row.per_period).toHaveLength(4);
  });

  it('trains a monthly store in months and answers in months only, a December peak within its reach', async () => {
    const res = await post<ForecastResponse>('/forecast', { store_id: 'M', product_id: 'Soup', horizon_periods: 12 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const f = ForecastResponse.parse(res.body);
    expect(f.granularity).toBe('month');
    expect(f.basis).toMatchObject({ grain: 'monthly', history_periods: 36, series_kind: 'fast' });
    expect(f.basis.method).toBe(await chosenFor('M', 'fast'));
    expect(f.forecast[0]).toMatchObject({ date: '2025-01-01', period_end: '2025-01-31', days: 31 });
    expect(f.forecast[11].date).toBe('2025-12-01');
    // A month's units (about 300), with December above the rest.
    for (const p of f.forecast.slice(0, 11)) {
      expect(p.expected_demand).toBeGreaterThan(150);
      expect(p.expected_demand).toBeLessThan(f.forecast[11].expected_demand);
    }
    const weeks = await post('/forecast', { store_id: 'M', product_id: 'Soup', horizon_days: 14, granularity: 'week' });
    expect(weeks.status).toBe(422);
    expect(weeks.body.error).toMatchObject({ code: 'granularity_too_fine', details: { allowed: ['month'] } });
  });

  it('answers a store no model has seen from its own history, labelled and with low confidence, until it is trained', async () => {
    await upload('new.csv', demoCsv({ stores: ['N'], productsPerStore: 3, days: 120, endDate: LAST_DAY, seed: 4 }));
    const res = await post<ForecastResponse>('/forecast', { store_id: 'N', product_id: 'P0001', horizon_days: 7 });
    expect(res.status).toBe(200);
    const f = ForecastResponse.parse(res.body);
    expect(f.model_version).toBe('baseline:N');
    expect(f.basis.method).toMatch(/^baseline:/);
    expect(f.basis.confidence).toBe('low');
    expect(f.basis.reasons.join(' ')).toMatch(/No model has been trained on store "N"/);
    const plan = BulkPredictResponse.parse((await post('/bulk_predict', { store_id: 'N', horizon_days: 7 })).body);
    expect(plan.summary.by_confidence).toEqual({ low: 3 });
    expect(Object.keys(plan.summary.by_method).every((m) => m.startsWith('baseline:'))).toBe(true);
  });

  it('says a store of 5 days is too short at upload and at training, and answers it with a rough, labelled estimate', async () => {
    const lines = ['date,store_id,product_id,units_sold'];
    for (let k = 0; k < 5; k++) lines.push(`${addDays('2025-06-26', k)},F,X,${80 + k * 3}`);
    const up = await upload('five.csv', `${lines.join('\n')}\n`);
    expect(up.warnings.join(' ')).toMatch(/Store "F" has 5 days of sales; a model needs at least/);
    const trained = await post('/train_model', { store_id: 'F' });
    expect(trained.status).toBe(422);
    expect(trained.body.error).toMatchObject({ code: 'not_enough_history', details: { store_id: 'F' } });
    const f = ForecastResponse.parse((await post('/forecast', { store_id: 'F', product_id: 'X', horizon_days: 7 })).body);
    expect(f.basis).toMatchObject({ confidence: 'low', history_periods: 5, series_kind: 'new' });
    // Its own recent level (80-92 a day), not a model of other stores.
    for (const p of f.forecast) {
      expect(p.expected_demand).toBeGreaterThan(60);
      expect(p.expected_demand).toBeLessThan(110);
    }
  });

  it('treats the days a file of 10 scattered dates lacks as unknown, not as years of zero sales', async () => {
    const lines = ['date,store_id,product_id,units_sold'];
    const values = [850, 1200, 3700, 2100, 990, 1500, 2600, 1800, 1100, 3000];
    // Irregular gaps of 4 to 5 months, as a buyer's export of a few order days looks.
    values.forEach((v, k) => lines.push(`${addDays('2021-07-01', k * 137 + (k % 3))},S,BULK,${v}`));
    const up = await upload('scattered.csv', `${lines.join('\n')}\n`);
    expect(up.warnings.join(' ')).toMatch(/too scattered to train/);
    const res = await post<ForecastResponse>('/forecast', { store_id: 'S', product_id: 'BULK', horizon_days: 7 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const f = ForecastResponse.parse(res.body);
    expect(f.basis).toMatchObject({ method: 'baseline:observed_mean', series_kind: 'sparse', confidence: 'low', observed_periods: 10 });
    expect(f.basis.reasons.join(' ')).toMatch(/unknown, not as zero/);
    // The average of the recorded days (of the last eight: 1,761), not 0.5 a day.
    for (const p of f.forecast) expect(p.expected_demand).toBeCloseTo(values.slice(-8).reduce((a, b) => a + b, 0) / 8, 0);
  });

  it('gives no forecast and no order where the data gives no basis, and says what is missing', async () => {
    // A product of store D that sold on two days only.
    await upload('two.csv', `date,store_id,product_id,units_sold,inventory_level\n2025-06-29,D,NEW,40,5\n2025-06-30,D,NEW,45,5\n`);
    const f = await post('/forecast', { store_id: 'D', product_id: 'NEW', horizon_days: 7 });
    expect(f.status).toBe(422);
    expect(f.body.error.code).toBe('insufficient_history');
    expect(f.body.error.message).toMatch(/"NEW" has sales records for 2 days: at least 4 days are needed/);
    expect((await post('/predict_with_context', { store_id: 'D', product_id: 'NEW', current_stock: 0 })).status).toBe(422);
    const plan = BulkPredictResponse.parse((await post('/bulk_predict', { store_id: 'D', horizon_days: 7 })).body);
    const row = plan.predictions.find((p) => p.product_id === 'NEW')!;
    expect(row).toMatchObject({
      predicted_demand: null,
      lower: null,
      upper: null,
      status: 'UNKNOWN',
      order_quantity: 0,
      basis: { confidence: 'none' },
    });
    expect(row.note).toMatch(/at least 4 days are needed/);
    expect(plan.summary.by_confidence.none).toBe(1);
    // The rest of the store is planned as before, each product by the method chosen for its kind.
    for (const p of plan.predictions.filter((x) => x.product_id !== 'NEW')) {
      expect(p.basis.confidence).toBe('normal');
      expect(p.basis.method).toBe(await chosenFor('D', p.basis.series_kind));
      expect(p.predicted_demand).not.toBeNull();
    }
    const csv = await (await fetch(`${server.url}/bulk_predict/D.csv?horizon_days=7`)).text();
    expect(csv.split('\r\n').find((l) => l.startsWith('NEW,'))).toMatch(/,none,.*at least 4 days are needed/);
  });
});
