// The DEMAND.* functions against the real service in-process (real database, a small trained model), through the
// real batcher and API client: values equal the single endpoints' answers, errors map to #N/A / #VALUE! with a
// message, many invocations cost few requests, recalculation is served from the cache until the model changes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccuracyResponse,
  ForecastResponse,
  HistoryResponse,
  PredictWithContextResponse,
  PurchasePlanResponse,
  TrainingStatusResponse,
} from '../../../shared/schemas';
import { testBackends } from '../../../service/src/db/testing';
import { startTestServer, type TestServer } from '../../../service/src/testing/server';
import { storeDemoSales, trainAndWait } from '../../../service/src/testing/trained';
import { isoToExcelSerial } from '../mapping/csv';
import { QueryBatcher, type BatcherOptions } from './batcher';
import { accuracy, basis, budgetOrder, forecast, history, interval, reorder, status, useBatcher } from './functions';
import { settingsConnection } from './register';
import { StandInCellError } from './runtime';

const LAST_DAY = '2025-06-30';
const day = (k: number) => new Date(Date.parse(`${LAST_DAY}T00:00:00Z`) + k * 86_400_000).toISOString().slice(0, 10);
const PRODUCTS = ['P0001', 'P0002', 'P0003', 'P0004', 'P0005', 'P0006', 'P0007', 'P0008'];

/** What a cell shows for a rejected call: the error value and its message. */
async function cellErrorOf(call: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await call;
  } catch (err) {
    expect(err).toBeInstanceOf(StandInCellError);
    return { code: (err as StandInCellError).code, message: (err as StandInCellError).message };
  }
  throw new Error('expected the call to fail');
}

describe.each(testBackends)('DEMAND.* cell functions on %s', (kind) => {
  let server: TestServer;
  let requests = 0;
  let clock = 0;
  const countingFetch: typeof fetch = (...args) => {
    requests++;
    return fetch(...args);
  };
  const post = async <T>(path: string, body: unknown) =>
    (await (
      await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    ).json()) as T;
  const singleForecast = async (body: Record<string, unknown>) =>
    ForecastResponse.parse(await post('/forecast', { store_id: 'F1', ...body }));
  let settings = { serviceUrl: '', apiKey: '' };
  /** A fresh batcher (empty cache) the functions use, reading `settings` as the pane's store would. */
  const connect = (options: Partial<BatcherOptions> = {}, url?: string, apiKey = '') => {
    settings = { serviceUrl: url ?? server.url, apiKey };
    const batcher = new QueryBatcher({
      connect: settingsConnection(async () => settings, { fetch: countingFetch }),
      now: () => clock,
      ...options,
    });
    useBatcher(batcher);
    return batcher;
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    await storeDemoSales(server, { stores: ['F1', 'F2'], productsPerStore: PRODUCTS.length, days: 240, endDate: LAST_DAY, seed: 8 });
    await trainAndWait(server, 'F1', { rounds: 30, objective: 'tweedie', max_depth: 4 });
  });
  afterAll(async () => {
    useBatcher(null);
    await server?.close();
  });

  it('FORECAST answers a day (date serial or ISO text), the next n days, and [expected, lower, upper] at a level', async () => {
    connect();
    const week = await singleForecast({ product_id: 'P0002', horizon_days: 10, levels: [90] });
    const expected = week.forecast.map((p) => p.expected_demand);

    expect(await forecast([['F1']], [['P0002']], [[isoToExcelSerial(day(3))]])).toEqual([[expected[2]]]);
    expect(await forecast('F1' as never, 'P0002' as never, day(3) as never)).toEqual([[expected[2]]]);
    expect(await forecast([['F1']], [['P0002']], [[10]])).toEqual(expected.map((e) => [e]));
    const [i90] = week.forecast[4].intervals;
    expect(await forecast([['F1']], [['P0002']], [[day(5)]], 0.9)).toEqual([[expected[4], i90.lower, i90.upper]]);
    expect(await forecast([['F1']], [['P0002']], [[10]], 90)).toEqual(
      week.forecast.map((p) => [p.expected_demand, p.intervals[0].lower, p.intervals[0].upper]),
    );
  });

  it('FORECAST of a column of products by a row of days is the grid of /forecast answers; blanks stay blank, failures stay in their cells', async () => {
    connect();
    const products = [['P0001'], ['P0003'], ['NOPE'], [''], ['P0008']];
    const days = [[day(1), day(2), isoToExcelSerial(day(7))]];
    const grid = await forecast([['F1']], products, days);
    expect(grid).toHaveLength(5);
    for (const [r, [product]] of products.entries()) {
      if (product === 'NOPE') {
        expect(grid[r]).toHaveLength(3);
        for (const cell of grid[r]) expect(cell).toMatchObject({ code: '#N/A', message: expect.stringMatching(/NOPE/) });
      } else if (product === '') {
        expect(grid[r]).toEqual(['', '', '']);
      } else {
        const f = await singleForecast({ product_id: product, horizon_days: 7, levels: [80] });
        expect(grid[r]).toEqual([f.forecast[0].expected_demand, f.forecast[1].expected_demand, f.forecast[6].expected_demand]);
      }
    }
  });

  it('FORECAST in weeks or months: the next n of them, or the one starting on a date, as /forecast answers them', async () => {
    connect();
    const weeks = await singleForecast({ product_id: 'P0002', granularity: 'week', horizon_periods: 3, levels: [80] });
    expect(weeks.forecast).toHaveLength(3);
    expect(await forecast([['F1']], [['P0002']], [[3]], undefined, 'week')).toEqual(weeks.forecast.map((p) => [p.expected_demand]));
    expect(await forecast([['F1']], [['P0002']], [[3]], 0.8, 'weeks')).toEqual(
      weeks.forecast.map((p) => [p.expected_demand, p.intervals[0].lower, p.intervals[0].upper]),
    );
    const [[second]] = (await forecast([['F1']], [['P0002']], [[day(8)]], undefined, 'week')) as number[][];
    expect(second).toBeCloseTo(weeks.forecast[1].expected_demand, 6);
    const months = await singleForecast({ product_id: 'P0002', granularity: 'month', horizon_periods: 2 });
    expect(await forecast([['F1']], [['P0002']], [[2]], undefined, 'month')).toEqual(months.forecast.map((p) => [p.expected_demand]));
  });

  it('INTERVAL answers [lower, upper] at 95% by default, per day of a column', async () => {
    connect();
    const f = await singleForecast({ product_id: 'P0004', horizon_days: 3, levels: [80, 95] });
    expect(await interval([['F1']], [['P0004']], [[day(2)]])).toEqual([
      [f.forecast[1].intervals[1].lower, f.forecast[1].intervals[1].upper],
    ]);
    expect(await interval([['F1']], [['P0004']], [[day(1)], [day(3)]], 0.8)).toEqual([
      [f.forecast[0].intervals[0].lower, f.forecast[0].intervals[0].upper],
      [f.forecast[2].intervals[0].lower, f.forecast[2].intervals[0].upper],
    ]);
  });

  it('REORDER and STATUS equal /predict_with_context, for single cells and columns of products and stock', async () => {
    connect();
    const context = async (body: Record<string, unknown>) =>
      PredictWithContextResponse.parse(await post('/predict_with_context', { store_id: 'F1', ...body })).stock_recommendation;
    const stored = await context({ product_id: 'P0005' });
    expect(await reorder([['F1']], [['P0005']])).toEqual([[stored.order_quantity]]);
    expect(await status([['F1']], [['P0005']])).toEqual([[stored.status]]);
    const tuned = await context({ product_id: 'P0005', current_stock: 2, lead_time_days: 6, service_level: 0.99 });
    expect(await reorder([['F1']], [['P0005']], [[2]], 6, 99)).toEqual([[tuned.order_quantity]]);

    const stock = [[0], [5000], [null]];
    const column = await status([['F1']], [['P0001'], ['P0002'], ['P0003']], stock);
    const orders = await reorder([['F1']], [['P0001'], ['P0002'], ['P0003']], stock);
    for (const [r, product] of ['P0001', 'P0002', 'P0003'].entries()) {
      const plan = await context({ product_id: product, ...(stock[r][0] === null ? {} : { current_stock: stock[r][0] }) });
      expect(column[r]).toEqual([plan.status]);
      expect(orders[r]).toEqual([plan.order_quantity]);
    }
    expect(column[0]).toEqual(['CRITICAL']);
    expect(column[1]).toEqual(['EXCESS']);
  });

  it("HISTORY spills date serials and units as /history gives them; ACCURACY reads the active model's holdout metrics", async () => {
    connect();
    const h = HistoryResponse.parse(await (await fetch(`${server.url}/history/F1/P0006?from=${day(-9)}&to=${LAST_DAY}`)).json());
    expect(await history('F1', 'P0006', isoToExcelSerial(day(-9)), LAST_DAY)).toEqual(
      h.history.map((p) => [isoToExcelSerial(p.date), p.units_sold]),
    );
    expect(h.history).toHaveLength(10);

    const metrics = TrainingStatusResponse.parse(await (await fetch(`${server.url}/training_status`)).json()).models.find(
      (m) => m.store_id === 'F1',
    )!.metrics;
    expect(await accuracy([['F1']])).toEqual([[metrics.wape]]);
    expect(await accuracy([['F1']], 'mase')).toEqual([[metrics.mase]]);
    expect(await accuracy([['F1']], 'BASELINE_WAPE')).toEqual([[metrics.baseline.wape]]);
    expect(metrics.wape).toBeGreaterThan(0);
  });

  it('answers a store without a model from its own history, as /forecast does, and says what it used', async () => {
    connect();
    const own = await singleForecast({ store_id: 'F2', product_id: 'P0001', horizon_days: 3, levels: [80] });
    expect(own.basis.method).toMatch(/^baseline:/);
    expect(own.basis.confidence).toBe('low');
    expect(await forecast([['F2']], [['P0001']], [[day(1)]])).toEqual([[own.forecast[0].expected_demand]]);
    // DEMAND.BASIS says so in a cell: trained store F1 normal, untrained F2 low and why.
    expect(await basis([['F1'], ['F2']], [['P0001'], ['P0001']])).toEqual([['normal'], ['low']]);
    expect(await basis([['F2']], [['P0001']], 'method')).toEqual([[own.basis.method_label]]);
    expect(await basis([['F2']], [['P0001']], 'why')).toEqual([[own.basis.reasons.join(' ')]]);
  });

  it('maps errors: unknown store or product are #N/A, bad arguments #VALUE!, each with a message', async () => {
    connect();
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => forecast([['NOPE']], [['P0001']], [[day(1)]]), '#N/A', /Store "NOPE" not found/],
      [() => forecast([['F1']], [['NOPE']], [[day(1)]]), '#N/A', /Product "NOPE" in store "F1" not found/],
      [() => reorder([['F1']], [['NOPE']]), '#N/A', /NOPE/],
      [() => history('F1', 'NOPE'), '#N/A', /NOPE/],
      [() => accuracy([['ZZ']]), '#N/A', /ZZ/],
      [() => forecast([['F1']], [['P0001']], [['tomorrow']]), '#VALUE!', /"tomorrow" is not a date/],
      [() => forecast([['F1']], [['P0001']], [[LAST_DAY]]), '#VALUE!', /not after the last stored day/],
      [() => forecast([['F1']], [['P0001']], [[day(400)]]), '#VALUE!', /180 days/],
      [() => forecast([['F1']], [['P0001']], [[0]]), '#VALUE!', /whole number of days from 1 to 180/],
      [() => forecast([['F1']], [['P0001']], [[2.5]]), '#VALUE!', /whole number of days/],
      [() => forecast([['F1']], [['P0001']], [[day(1)]], 1), '#VALUE!', /level must be between 0 and 1/],
      [() => forecast([['F1']], [['P0001'], ['P0002']], [[day(1), day(2)]], 0.9), '#VALUE!', /column/],
      [() => forecast([['F1']], [['P0001'], ['P0002']], [[day(1)], [day(2)], [day(3)]]), '#VALUE!', /3 rows where another range has 2/],
      [() => forecast([[true]], [['P0001']], [[day(1)]]), '#VALUE!', /store must be an id/],
      [() => reorder([['F1']], [['P0001']], [[-3]]), '#VALUE!', /on_hand must be a number from 0/],
      [() => history('F1', 'P0001', day(-1), day(-5)), '#VALUE!', /is after to/],
      [() => history('F1', 'P0001', '2030-01-01'), '#N/A', /No sales of "P0001"/],
      [() => accuracy([['F1']], 'R2'), '#VALUE!', /metric "R2" is not one of/],
    ];
    for (const [call, code, message] of cases) {
      const error = await cellErrorOf(call());
      expect(error.code, error.message).toBe(code);
      expect(error.message).toMatch(message);
    }
  });

  it('says so when the service cannot be reached or refuses the API key, never a silent 0', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    connect({}, downUrl);
    const down = await cellErrorOf(forecast([['F1']], [['P0001']], [[day(1)]]));
    expect(down.code).toBe('#N/A');
    expect(down.message).toMatch(new RegExp(`Cannot reach the service at ${downUrl}.*Check the service URL`));

    const refusing: Server = createServer((_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'unauthorized', message: 'A valid X-API-Key header is required' } }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    try {
      connect({}, `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`, 'wrong-key');
      const refused = await cellErrorOf(status([['F1']], [['P0001']]));
      expect(refused.code).toBe('#N/A');
      expect(refused.message).toMatch(/A valid X-API-Key header is required.*check the API key in the pane's Settings/);
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it('coalesces 2,000 concurrent invocations into one request, and splits at the per-request cap', async () => {
    const calls = () =>
      Array.from({ length: 2000 }, (_, i) =>
        forecast([['F1']], [[PRODUCTS[i % PRODUCTS.length]]], [[isoToExcelSerial(day(1 + (Math.floor(i / PRODUCTS.length) % 25)))]]),
      );
    let batcher = connect();
    requests = 0;
    const values = await Promise.all(calls());
    expect(requests).toBe(1);
    expect(batcher.stats.queriesSent).toBe(200); // 8 products x 25 days: identical cells are asked once
    expect(values.every(([[v]]) => typeof v === 'number' && v >= 0)).toBe(true);

    batcher = connect({ maxQueriesPerRequest: 60 });
    requests = 0;
    expect(await Promise.all(calls())).toEqual(values);
    expect(requests).toBe(4);
  });

  it('answers a recalculation from the cache, re-checks the version cheaply, and drops answers of a replaced model', async () => {
    const batcher = connect({ revalidateMs: 60_000 });
    const sheet = () => Promise.all(PRODUCTS.map((p) => forecast([['F1']], [[p]], [[day(1), day(2), day(3)]])));
    clock = 1_000;
    requests = 0;
    const first = await sheet();
    expect(requests).toBe(1);

    // Recalculation within the revalidation window: no request at all.
    clock = 30_000;
    expect(await sheet()).toEqual(first);
    expect(requests).toBe(1);
    expect(batcher.stats.cacheHits).toBe(PRODUCTS.length * 3);

    // Later: one request that only re-checks the store's version (no queries), then the same answers.
    clock = 100_000;
    const sent = batcher.stats.queriesSent;
    expect(await sheet()).toEqual(first);
    expect(requests).toBe(2);
    expect(batcher.stats.queriesSent).toBe(sent);

    // A new model: the re-check sees a new version and the sheet is asked again, with the new model's numbers.
    await trainAndWait(server, 'F1', { rounds: 80, objective: 'poisson', max_depth: 6 });
    clock = 200_000;
    const second = await sheet();
    expect(requests).toBe(4);
    expect(second).not.toEqual(first);
    for (const [k, product] of PRODUCTS.entries()) {
      const f = await singleForecast({ product_id: product, horizon_days: 3, levels: [80] });
      expect(f.model_version).toBe('store:F1@2');
      expect(second[k]).toEqual([f.forecast.map((p) => p.expected_demand)]);
    }

    // Settings saved in the pane (another API key) apply to the next recalculation, which never sees old answers.
    settings = { ...settings, apiKey: 'another-key' };
    requests = 0;
    expect(await sheet()).toEqual(second);
    expect(requests).toBe(1);
    expect(batcher.stats.queriesSent).toBe(3 * PRODUCTS.length * 3);
  });

  it('ACCURACY with TRACKED_ reads how the saved plans turned out: #N/A until their sales are uploaded, then /accuracy figures', async () => {
    connect();
    const none = await cellErrorOf(accuracy([['F2']], 'TRACKED_WAPE'));
    expect(none).toEqual({ code: '#N/A', message: expect.stringMatching(/no saved plan of store F2 has its sales uploaded yet/) });
    const saved = await post<{ snapshot_id: number }>('/bulk_predict', { store_id: 'F2', horizon_days: 7, save: true });
    expect(saved.snapshot_id).toEqual(expect.any(Number));
    const form = new FormData();
    const lines = PRODUCTS.flatMap((p, i) => Array.from({ length: 7 }, (_, j) => `${day(j + 1)},F2,${p},${(i + j) % 5}`));
    form.append('file', new Blob([['date,store_id,product_id,units_sold', ...lines].join('\n')]), 'week.csv');
    expect((await fetch(`${server.url}/upload_data`, { method: 'POST', body: form })).status).toBe(200);
    const tracked = AccuracyResponse.parse(await (await fetch(`${server.url}/accuracy/F2`)).json());
    expect(tracked.scored_periods).toBe(PRODUCTS.length * 7);
    connect();
    expect(await accuracy([['F2']], 'TRACKED_WAPE')).toEqual([[tracked.overall.wape]]);
    expect(await accuracy([['F2']], 'tracked_bias')).toEqual([[tracked.overall.bias]]);
    expect(await accuracy([['F2']], 'TRACKED_PERIODS')).toEqual([[PRODUCTS.length * 7]]);
    expect(await cellErrorOf(accuracy([['F2']], 'TRACKED_MASE'))).toEqual({
      code: '#VALUE!',
      message: expect.stringMatching(/is not TRACKED_ and one of WAPE, BIAS, COVERAGE/),
    });
  });

  it('BUDGETORDER gives each product what the store order within a budget buys of it, as /purchase_plan says', async () => {
    connect();
    const plan = PurchasePlanResponse.parse(await post('/purchase_plan', { store_id: 'F1', horizon_days: 7, budget: 60 }));
    const cells = await Promise.allSettled(PRODUCTS.map((p) => budgetOrder([['F1']], [[p]], 60)));
    PRODUCTS.forEach((p, i) => {
      const skipped = [...plan.unranked, ...plan.not_planned].find((u) => u.product_id === p);
      const cell = cells[i];
      if (skipped) {
        expect(cell.status).toBe('rejected');
        expect((cell as PromiseRejectedResult).reason).toMatchObject({ code: '#N/A', message: expect.stringContaining(skipped.reason) });
      } else {
        expect(cell).toEqual({ status: 'fulfilled', value: [[plan.orders.find((o) => o.product_id === p)?.order_quantity ?? 0]] });
      }
    });
    expect(await cellErrorOf(budgetOrder([['F1']], [['P0001']], undefined as never))).toMatchObject({ code: '#VALUE!' });
    expect(await cellErrorOf(budgetOrder([['F1']], [['NOPE']], 60))).toMatchObject({
      code: '#N/A',
      message: expect.stringMatching(/NOPE/),
    });
  });
});
