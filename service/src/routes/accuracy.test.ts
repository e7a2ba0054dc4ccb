// Saved plans scored on the sales uploaded after them, over HTTP on both backends: a small made file whose figures are
// worked out here from the plan the service gave and the units uploaded later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccuracyResponse, BulkPredictResponse, ErrorBody, TrainingStatusResponse, UploadResponse } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { QUICK_TRAINING } from '../reliability/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales, trainAndWait } from '../testing/trained';

const day = (k: number) => new Date(Date.UTC(2024, 0, 1 + k)).toISOString().slice(0, 10);
// 70 days of history, 2024-01-01 to 2024-03-10 (a Sunday); the plan starts on Monday 2024-03-11.
const HISTORY_DAYS = 70;

describe.each(testBackends)('tracked accuracy on %s', (kind) => {
  let server: TestServer;

  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const upload = async (rows: string[]) => {
    const form = new FormData();
    form.append('file', new Blob([['date,store_id,product_id,units_sold', ...rows].join('\n') + '\n']), 'sales.csv');
    const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
    const body = (await res.json()) as unknown;
    expect(res.status, JSON.stringify(body)).toBe(200);
    return UploadResponse.parse(body);
  };
  const accuracy = async (query = '') => {
    const res = await send('GET', `/accuracy/T1${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return AccuracyResponse.parse(res.body);
  };
  // A sells 8-12 a day (weekly pattern), B 0 or 2 on alternate days.
  const history = Array.from({ length: HISTORY_DAYS }, (_, k) => [
    `${day(k)},T1,A,${8 + ((k % 7) % 5)}`,
    `${day(k)},T1,B,${k % 2 === 0 ? 2 : 0}`,
  ]).flat();
  // What sold in the plan's first week: A 12 a day, B 1 a day.
  const SOLD = { A: 12, B: 1 };
  const week = Array.from({ length: 7 }, (_, j) => [
    `${day(HISTORY_DAYS + j)},T1,A,${SOLD.A}`,
    `${day(HISTORY_DAYS + j)},T1,B,${SOLD.B}`,
  ]).flat();

  let plan: BulkPredictResponse;

  beforeAll(async () => {
    server = await startTestServer(kind);
    await upload(history);
    const res = await send('POST', '/bulk_predict', { store_id: 'T1', horizon_days: 14, save: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    plan = BulkPredictResponse.parse(res.body);
  });
  afterAll(async () => server?.close());

  it('saves the plan when asked, and says nothing is checked until its sales are in', async () => {
    expect(plan.snapshot_id).toEqual(expect.any(Number));
    expect(plan.prediction_date).toBe('2024-03-11');
    const unsaved = BulkPredictResponse.parse((await send('POST', '/bulk_predict', { store_id: 'T1', horizon_days: 14 })).body);
    expect(unsaved.snapshot_id).toBeNull();
    const report = await accuracy();
    expect(report).toMatchObject({ granularity: 'day', scored_periods: 0, pending_periods: 28, first_period: null });
    expect(report.notes.join(' ')).toMatch(/None of the saved periods has its sales stored yet/);
    expect(report.notes.join(' ')).toMatch(/28 product-periods still wait for their sales/);
  });

  it('scores the periods a later upload covers: error, bias, coverage and the simple method, as worked out by hand', async () => {
    await upload(week);
    const report = await accuracy();
    expect(report.scored_periods).toBe(14);
    expect(report.pending_periods).toBe(14);
    expect(report.first_period).toBe('2024-03-11');
    expect(report.last_period).toBe('2024-03-17');

    // The plan's own daily figures for that week, and what sold.
    const firstWeek = plan.predictions.flatMap((p) =>
      p.per_period.slice(0, 7).map((d) => ({ product: p.product_id, expected: d.expected_demand, sold: SOLD[p.product_id as 'A' | 'B'] })),
    );
    expect(firstWeek).toHaveLength(14);
    const actual = firstWeek.reduce((s, r) => s + r.sold, 0);
    const forecast = firstWeek.reduce((s, r) => s + r.expected, 0);
    const error = firstWeek.reduce((s, r) => s + Math.abs(r.expected - r.sold), 0);
    expect(actual).toBe(91);
    expect(report.overall.actual).toBe(91);
    expect(report.overall.forecast).toBeCloseTo(forecast, 1);
    expect(report.overall.absolute_error).toBeCloseTo(error, 1);
    expect(report.overall.wape).toBeCloseTo(error / actual, 3);
    expect(report.overall.bias).toBeCloseTo((forecast - actual) / actual, 3);

    // Coverage from the bounds the snapshot kept.
    const kept = await server.db.sql<{ product_id: string; lower: number; upper: number }[]>`
      SELECT product_id, lower, upper FROM forecast_snapshot_periods
      WHERE snapshot_id = ${plan.snapshot_id!} AND period_start <= '2024-03-17' ORDER BY product_id, period_start`;
    expect(kept).toHaveLength(14);
    const inside = kept.filter((k) => {
      const sold = SOLD[k.product_id as 'A' | 'B'];
      return sold >= k.lower && sold <= k.upper;
    }).length;
    expect(report.overall.coverage).toBeCloseTo(inside / 14, 4);
    expect(report.overall.interval_level).toBe(95);

    // No model is trained: a simple method answered, and it is its own reference.
    const methods = new Set(plan.predictions.map((p) => p.basis.method));
    expect([...methods].every((m) => m.startsWith('baseline:'))).toBe(true);
    expect(report.overall.reference_wape).toBeCloseTo(report.overall.wape!, 4);
    expect(report.overall.value_added).toBeCloseTo(0, 4);

    // One week, Monday to Sunday; A sold most, so its error is the largest.
    expect(report.over_time).toEqual([expect.objectContaining({ from: '2024-03-11', to: '2024-03-17', periods: 14, actual: 91 })]);
    const errorOf = (product: string) =>
      firstWeek.filter((r) => r.product === product).reduce((s, r) => s + Math.abs(r.expected - r.sold), 0);
    const largest = errorOf('A') >= errorOf('B') ? 'A' : 'B';
    expect(report.largest_error[0].product_id).toBe(largest);
    expect(report.largest_error[0].absolute_error).toBeCloseTo(errorOf(largest), 1);
    // The same figures through /batch (the cell functions' DEMAND.ACCURACY "TRACKED_...").
    const batch = await send('POST', '/batch', { queries: [{ kind: 'tracked_accuracy', store_id: 'T1' }] });
    expect(batch.body).toMatchObject({
      results: [{ ok: true, kind: 'tracked_accuracy', granularity: 'day', scored_periods: 14, overall: report.overall }],
    });
    expect(report.notes[0]).toMatch(
      /^Over 14 product-periods \(2024-03-11 to 2024-03-17\) the forecasts were off by [\d.]+% of the units sold/,
    );
  });

  it('scores again when an upload changes those days, and unscores them when it is undone', async () => {
    const changed = await upload(week.map((line) => (line.includes(',A,') ? line.replace(/,12$/, ',20') : line)));
    let report = await accuracy();
    expect(report.overall.actual).toBe(7 * 20 + 7 * 1);
    const undo = await send('DELETE', `/uploads/${changed.upload_id}`);
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    report = await accuracy();
    expect(report.overall.actual).toBe(91);
    // Undoing the week's own upload takes the store's sales back to before the plan: nothing is scored.
    const [weekUpload] = await server.db.sql<{ id: number }[]>`SELECT id::int FROM uploads ORDER BY id DESC OFFSET 1 LIMIT 1`;
    expect((await send('DELETE', `/uploads/${weekUpload.id}`)).status).toBe(200);
    report = await accuracy();
    expect(report).toMatchObject({ scored_periods: 0, pending_periods: 28 });
  });

  it('keeps the forecasts /batch is asked to save (the cells), and scores them on the sales uploaded after', async () => {
    const queries = ['A', 'B'].map((product_id) => ({
      kind: 'forecast',
      store_id: 'T1',
      product_id,
      horizon_days: 7,
      levels: [90],
      save: true,
    }));
    const res = await send('POST', '/batch', {
      queries: [...queries, { kind: 'forecast', store_id: 'T1', product_id: 'A', horizon_days: 3 }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const kept = await server.db.sql<{ source: string; products: number; interval_level: number; periods: number }[]>`
      SELECT s.source, s.products, s.interval_level, count(p.*)::int AS periods FROM forecast_snapshots s
      JOIN forecast_snapshot_periods p ON p.snapshot_id = s.id WHERE s.source = 'batch' GROUP BY s.id`;
    // One snapshot for the two saved queries (the third was not asked to be kept): 2 products x 7 days at 90%.
    expect(kept).toEqual([{ source: 'batch', products: 2, interval_level: 90, periods: 14 }]);
    const answers = (res.body as { results: { forecast: { date: string; expected_demand: number }[] }[] }).results;
    const stored = await server.db.sql<{ product_id: string; expected: number }[]>`
      SELECT p.product_id, p.expected FROM forecast_snapshot_periods p JOIN forecast_snapshots s ON s.id = p.snapshot_id
      WHERE s.source = 'batch' ORDER BY p.product_id, p.period_start`;
    expect(stored.filter((r) => r.product_id === 'A').map((r) => r.expected)).toEqual(
      answers[0].forecast.map((d) => expect.closeTo(d.expected_demand, 2)),
    );
  });

  it('answers 404 for a store it does not hold and 422 naming a bad query field; says which periods plans were saved in', async () => {
    const missing = await send('GET', '/accuracy/NOPE');
    expect(missing.status).toBe(404);
    expect(ErrorBody.parse(missing.body).error.code).toBe('not_found');
    const bad = await send('GET', '/accuracy/T1?top=0');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(ErrorBody.parse(bad.body).error)).toMatch(/top/);
    const weeks = await accuracy('?granularity=week');
    expect(weeks).toMatchObject({ granularity: 'week', scored_periods: 0, pending_periods: 0 });
    expect(weeks.notes).toEqual(['No plan was saved in weeks; plans were saved in days.']);
  });
});

describe.each(testBackends)('RETRAIN_AFTER_UPLOAD on %s', (kind) => {
  let server: TestServer;
  const upload = async (rows: string[]) => {
    const form = new FormData();
    form.append('file', new Blob([['date,store_id,product_id,units_sold', ...rows].join('\n') + '\n']), 'sales.csv');
    const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
    const body = (await res.json()) as unknown;
    expect(res.status, JSON.stringify(body)).toBe(200);
    return UploadResponse.parse(body);
  };
  const days = (from: number, n: number, store: string) =>
    Array.from({ length: n }, (_, k) => `${day(from + k)},${store},A,${(k % 7) + 3}`);
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { RETRAIN_AFTER_UPLOAD: '1' } });
  });
  afterAll(async () => server?.close());

  it('queues training of each store an upload adds days to, not of one too short to train, and not for a re-upload', async () => {
    const first = await upload([...days(0, 120, 'R1'), ...days(0, 5, 'R2')]);
    expect(first.retraining).toEqual([{ store_id: 'R1', job_id: expect.any(Number) }]);
    expect(first.warnings.join(' ')).toMatch(/R2/);
    const job = (await (await fetch(`${server.url}/training_status/${first.retraining![0].job_id}`)).json()) as { status: string };
    expect(['queued', 'running']).toContain(job.status);
    // Nothing new: nothing queued. New days while the job is still open: the same job.
    expect((await upload(days(0, 120, 'R1'))).retraining).toBeUndefined();
    expect((await upload(days(120, 7, 'R1'))).retraining).toEqual(first.retraining);
  });
});

describe.each(testBackends)('a model whose saved forecasts miss what sold, on %s', (kind) => {
  let server: TestServer;
  const LAST = '2024-06-30';
  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    await storeDemoSales(server, { stores: ['D1'], productsPerStore: 4, days: 150, endDate: LAST, seed: 5 });
    await trainAndWait(server, 'D1', QUICK_TRAINING);
  });
  afterAll(async () => server?.close());

  it('is reported in /training_status and /metrics once its error on what sold passes its backtest error by the margin', async () => {
    const plan = (await (
      await fetch(`${server.url}/bulk_predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ store_id: 'D1', horizon_days: 14, save: true }),
      })
    ).json()) as BulkPredictResponse;
    expect(plan.model_version).toBe('store:D1@1');
    const status = async () =>
      TrainingStatusResponse.parse(await (await fetch(`${server.url}/training_status`)).json()).models.find((m) => m.store_id === 'D1')!;
    expect((await status()).tracked).toBeNull();

    // Two weeks in which every product sold five times its forecast.
    const lines = plan.predictions.flatMap((p) =>
      p.per_period.map((d) => `${d.date},D1,${p.product_id},${Math.round(d.expected_demand * 5) + 5}`),
    );
    const form = new FormData();
    form.append('file', new Blob([['date,store_id,product_id,units_sold', ...lines].join('\n') + '\n']), 'later.csv');
    expect((await fetch(`${server.url}/upload_data`, { method: 'POST', body: form })).status).toBe(200);

    const model = await status();
    expect(model.tracked).toMatchObject({ periods: 4 * 14, backtest_wape: model.metrics.wape, drifting: true });
    expect(model.tracked!.wape!).toBeGreaterThan(model.metrics.wape! * 1.25);
    expect(model.tracked!.note).toMatch(/train it again on the newer sales/);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/model_drifting\{scope="store:D1"\} 1/);
    expect(metrics).toMatch(new RegExp(`model_tracked_wape\\{scope="store:D1"\\} ${model.tracked!.wape}`));
  });
});
