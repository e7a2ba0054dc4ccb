// Buyer overrides over HTTP on both backends: set, applied to every kind of answer (and said so in basis.override),
// listed, ended, refused when malformed; and their effect on tracked accuracy (error with and without them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccuracyResponse,
  BulkPredictResponse,
  ErrorBody,
  ForecastOverride,
  ForecastResponse,
  OverridesResponse,
  PredictWithContextResponse,
} from '../../../shared/schemas';
import { createApiKey } from '../auth/keys';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';

const day = (k: number) => new Date(Date.UTC(2024, 0, 1 + k)).toISOString().slice(0, 10);
// 70 days of history, 2024-01-01 to 2024-03-10; forecasts start on 2024-03-11 (day 70).
const HISTORY_DAYS = 70;

describe.each(testBackends)('buyer overrides on %s', (kind) => {
  let server: TestServer;
  let headers: Record<string, string> = {};
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const forecastOf = async (product: string) => {
    const res = await send('POST', '/forecast', { store_id: 'O1', product_id: product, horizon_days: 7 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ForecastResponse.parse(res.body);
  };
  const units = (f: ForecastResponse) => f.forecast.map((p) => p.expected_demand);
  const history = Array.from({ length: HISTORY_DAYS }, (_, k) => [
    `${day(k)},O1,A,Dairy,${8 + (k % 7)}`,
    `${day(k)},O1,B,Bakery,${3 + (k % 3)}`,
  ]).flat();

  beforeAll(async () => {
    // Keys are read afresh on each request: the last test creates one.
    server = await startTestServer(kind, { apiKeyCacheMs: 0 });
    const form = new FormData();
    form.append('file', new Blob([['date,store_id,product_id,category,units_sold', ...history].join('\n') + '\n']), 'sales.csv');
    expect((await fetch(`${server.url}/upload_data`, { method: 'POST', body: form })).status).toBe(200);
  });
  afterAll(async () => server?.close());

  let before: { A: number[]; B: number[] };
  let doubled: ForecastOverride;
  let fixed: ForecastOverride;

  it("multiplies a product's forecast over its days and says so in the basis; other days and products stay", async () => {
    before = { A: units(await forecastOf('A')), B: units(await forecastOf('B')) };
    const res = await send('POST', '/overrides', {
      store_id: 'O1',
      product_id: 'A',
      from: day(70),
      to: day(72),
      multiplier: 2,
      reason: 'Promotion in the leaflet',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    doubled = ForecastOverride.parse(res.body);
    expect(doubled).toMatchObject({
      store_id: 'O1',
      product_id: 'A',
      category: null,
      multiplier: 2,
      quantity: null,
      active: true,
      created_by: null,
    });

    const a = await forecastOf('A');
    expect(units(a)).toEqual(
      before.A.map((v, k) => (k < 3 ? Math.round(v * 2 * 1000) / 1000 : v)).map((v, k) => (k < 3 ? expect.closeTo(v, 2) : v)),
    );
    expect(a.basis.override).toEqual({
      id: doubled.id,
      kind: 'multiplier',
      value: 2,
      from: day(70),
      to: day(72),
      reason: 'Promotion in the leaflet',
      by: null,
    });
    const b = await forecastOf('B');
    expect(units(b)).toEqual(before.B);
    expect(b.basis.override).toBeUndefined();
  });

  it('replaces every product of a category with a quantity, in /predict_with_context and /bulk_predict too', async () => {
    const res = await send('POST', '/overrides', {
      store_id: 'O1',
      category: 'Bakery',
      from: day(70),
      to: day(76),
      quantity: 50,
      reason: 'Shop fair',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    fixed = ForecastOverride.parse(res.body);
    expect(units(await forecastOf('B'))).toEqual(Array(7).fill(50));

    const context = PredictWithContextResponse.parse(
      (
        await send('POST', '/predict_with_context', {
          store_id: 'O1',
          product_id: 'B',
          date: day(70),
          current_stock: 10,
          lead_time_days: 7,
        })
      ).body,
    );
    // 50 a day over the 7 days of lead time.
    expect(context.demand_estimates.over_lead_time).toBeCloseTo(350, 0);
    expect(context.basis.override).toMatchObject({ id: fixed.id, kind: 'quantity', value: 50, reason: 'Shop fair' });

    const plan = BulkPredictResponse.parse((await send('POST', '/bulk_predict', { store_id: 'O1', horizon_days: 7, save: true })).body);
    const rowOf = (p: string) => plan.predictions.find((r) => r.product_id === p)!;
    expect(rowOf('B').per_period.map((d) => d.expected_demand)).toEqual(Array(7).fill(50));
    expect(rowOf('B').basis.override?.id).toBe(fixed.id);
    expect(rowOf('A').basis.override?.id).toBe(doubled.id);
    // The snapshot keeps what the forecast was before the override, for the periods it changed.
    const kept = await server.db.sql<{ product_id: string; period_start: string; override_id: number | null; unadjusted: number | null }[]>`
      SELECT product_id, period_start::text, override_id::int, unadjusted FROM forecast_snapshot_periods
      WHERE snapshot_id = ${plan.snapshot_id!} ORDER BY product_id, period_start`;
    expect(kept.filter((k) => k.override_id === doubled.id).map((k) => k.period_start)).toEqual([day(70), day(71), day(72)]);
    expect(kept.filter((k) => k.override_id === fixed.id)).toHaveLength(7);
    kept.filter((k) => k.product_id === 'A' && k.override_id !== null).forEach((k, j) => expect(k.unadjusted).toBeCloseTo(before.A[j], 2));
  });

  it('lists overrides newest first, ends one (409 when ended again, 404 unknown), and the forecast is as before', async () => {
    const listed = OverridesResponse.parse((await send('GET', '/overrides?store_id=O1')).body);
    expect(listed.overrides.map((o) => o.id)).toEqual([fixed.id, doubled.id]);
    const ended = await send('DELETE', `/overrides/${doubled.id}`);
    expect(ended.status).toBe(200);
    expect(ForecastOverride.parse(ended.body)).toMatchObject({ id: doubled.id, active: false, ended_by: null });
    expect((ForecastOverride.parse(ended.body).ended_at ?? '').length).toBeGreaterThan(0);
    const again = await send('DELETE', `/overrides/${doubled.id}`);
    expect(again.status).toBe(409);
    expect(ErrorBody.parse(again.body).error.code).toBe('already_ended');
    expect((await send('DELETE', '/overrides/999999')).status).toBe(404);
    expect((await send('DELETE', '/overrides/01')).status).toBe(422);
    expect(units(await forecastOf('A'))).toEqual(before.A);
    expect(OverridesResponse.parse((await send('GET', '/overrides?store_id=O1')).body).overrides.map((o) => o.id)).toEqual([fixed.id]);
    expect(OverridesResponse.parse((await send('GET', '/overrides?active=false')).body).overrides).toHaveLength(2);
  });

  it('shows what the overrides did to the error once the sales are in: with and without them', async () => {
    expect((await send('DELETE', `/overrides/${fixed.id}`)).status).toBe(200);
    // What sold: A 20 a day (the doubling was right), B 4 a day (the 50 was far too high).
    const week = Array.from({ length: 7 }, (_, j) => [`${day(70 + j)},O1,A,Dairy,20`, `${day(70 + j)},O1,B,Bakery,4`]).flat();
    const form = new FormData();
    form.append('file', new Blob([['date,store_id,product_id,category,units_sold', ...week].join('\n') + '\n']), 'week.csv');
    expect((await fetch(`${server.url}/upload_data`, { method: 'POST', body: form })).status).toBe(200);
    const report = AccuracyResponse.parse((await send('GET', '/accuracy/O1')).body);
    const rows = await server.db.sql<{ expected: number; unadjusted: number; actual: number }[]>`
      SELECT expected, unadjusted, actual FROM forecast_snapshot_periods WHERE override_id IS NOT NULL`;
    expect(rows).toHaveLength(10);
    const sold = rows.reduce((s, r) => s + r.actual, 0);
    const withIt = rows.reduce((s, r) => s + Math.abs(r.expected - r.actual), 0) / sold;
    const without = rows.reduce((s, r) => s + Math.abs(r.unadjusted - r.actual), 0) / sold;
    expect(report.override_effect).toMatchObject({ periods: 10, overrides: 2 });
    expect(report.override_effect!.wape).toBeCloseTo(withIt, 3);
    expect(report.override_effect!.wape_without).toBeCloseTo(without, 3);
    expect(report.override_effect!.value_added).toBeCloseTo(without - withIt, 3);
    expect(report.notes.join(' ')).toMatch(/Overrides changed 10 product-periods: off by [\d.]+% with them, [\d.]+% without/);
  });

  it('refuses a malformed override naming the field, and one for a product or category the store lacks', async () => {
    const base = { store_id: 'O1', from: day(70), to: day(72), reason: 'x' };
    const cases: [unknown, number, RegExp][] = [
      [{ ...base, product_id: 'A', category: 'Dairy', multiplier: 2 }, 422, /product_id|category/],
      [{ ...base, product_id: 'A' }, 422, /multiplier|quantity/],
      [{ ...base, product_id: 'A', multiplier: 2, quantity: 3 }, 422, /multiplier|quantity/],
      [{ ...base, product_id: 'A', multiplier: 2, from: day(75) }, 422, /from/],
      [{ ...base, product_id: 'A', multiplier: -1 }, 422, /multiplier/],
      [{ ...base, product_id: 'A', multiplier: 2, reason: '  ' }, 422, /reason/],
      [{ ...base, product_id: 'NOPE', multiplier: 2 }, 404, /Product "NOPE" in store "O1"/],
      [{ ...base, category: 'Toys', multiplier: 2 }, 404, /Category "Toys" in store "O1"/],
      [{ ...base, store_id: 'ZZ', product_id: 'A', multiplier: 2 }, 404, /Store "ZZ"/],
    ];
    for (const [body, status, message] of cases) {
      const res = await send('POST', '/overrides', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const { error } = ErrorBody.parse(res.body);
      expect(`${error.message} ${JSON.stringify(error.details)}`, JSON.stringify(body)).toMatch(message);
    }
  });

  it("records who set and ended an override: the API key's name", async () => {
    const { key } = await createApiKey(server.db.sql, 'buyer-anna');
    headers = { authorization: `Bearer ${key}` };
    const res = await send('POST', '/overrides', {
      store_id: 'O1',
      product_id: 'A',
      from: day(80),
      to: day(81),
      multiplier: 1.5,
      reason: 'Local event',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const made = ForecastOverride.parse(res.body);
    expect(made.created_by).toBe('buyer-anna');
    expect(ForecastOverride.parse((await send('DELETE', `/overrides/${made.id}`)).body).ended_by).toBe('buyer-anna');
  });
});
