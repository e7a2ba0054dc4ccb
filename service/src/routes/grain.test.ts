// Stores keep the grain their files came in: weekly and monthly sales are stored and shown as weeks and months, a file
// of another grain for the same store is refused with nothing stored, and a weekly store is still forecast, from the
// day after its last week ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, ForecastResponse, HistoryResponse, StoresResponse, UploadResponse } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { formatDay, parseDay } from '../features/index';
import { QUICK_TRAINING, waitForJob } from '../reliability/fixtures';
import { startTestServer, type TestServer } from '../testing/server';

/** 30 weeks of 3 products in store W, dated by week-ending Sundays (2026-01-04 .. 2026-07-26). */
function weeklyFile(): string {
  const lines = ['Week Ending,Store,SKU,Units,Price'];
  for (let w = 0; w < 30; w++) {
    const date = formatDay(parseDay('2026-01-04') + 7 * w);
    for (const [sku, base] of [
      ['A', 70],
      ['B', 14],
      ['C', 35],
    ] as const) {
      lines.push(`${date},W,${sku},${base + ((w * 5) % 9)},2.5`);
    }
  }
  return `${lines.join('\n')}\n`;
}

describe.each(testBackends)('store grains on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
  });
  afterAll(async () => server?.close());

  const upload = async (name: string, text: string, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.append('file', new Blob([text]), name);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as UploadResponse & ErrorBody };
  };
  const get = async <T>(path: string) => (await (await fetch(server.url + path)).json()) as T;
  const salesRows = async () => (await server.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sales`)[0].n;

  it('keeps a monthly file as months, says so, and refuses a daily file for the same store with nothing stored', async () => {
    const monthly = await upload('canteen.csv', 'Month,Store,Item,Qty\n2026-01-01,M,Soup,8\n2026-02-01,M,Soup,6\n2026-03-01,M,Soup,9\n');
    expect(monthly.status).toBe(200);
    expect(monthly.body).toMatchObject({
      grain: 'monthly',
      week_dates: null,
      records: 3,
      date_range: { first: '2026-01-01', last: '2026-03-01' },
    });
    const stores = await get<StoresResponse>('/stores');
    expect(stores.stores.find((s) => s.store_id === 'M')).toMatchObject({ grain: 'monthly', records: 3 });
    const history = await get<HistoryResponse>('/history/M/Soup');
    expect(history.grain).toBe('monthly');
    expect(history.history.map((p) => [p.date, p.period_end, p.units_sold])).toEqual([
      ['2026-01-01', '2026-01-31', 8],
      ['2026-02-01', '2026-02-28', 6],
      ['2026-03-01', '2026-03-31', 9],
    ]);

    const before = await salesRows();
    const daily = await upload('daily.csv', 'Date,Store,Item,Qty\n2026-04-01,M,Soup,1\n2026-04-02,M,Soup,2\n2026-04-03,M,Soup,1\n');
    expect(daily.status).toBe(422);
    expect(daily.body.error).toMatchObject({
      code: 'grain_mismatch',
      details: { store_id: 'M', stored_grain: 'monthly', file_grain: 'daily' },
    });
    expect(daily.body.error.message).toMatch(/Store "M" holds monthly sales, but this file's dates are daily/);
    expect(await salesRows()).toBe(before);
    // One more month for the store is taken as a month, though one date alone could not tell.
    const april = await upload('april.csv', 'Month,Store,Item,Qty\n2026-04-01,M,Soup,7\n');
    expect(april.body).toMatchObject({ grain: 'monthly', records: 1 });
  });

  it('keeps week-ending weeks as weeks, and forecasts the store from the day after its last week ends', async () => {
    const weekly = await upload('weeks.csv', weeklyFile());
    expect(weekly.status).toBe(200);
    expect(weekly.body).toMatchObject({ grain: 'weekly', week_dates: 'end', records: 90 });
    // Stored by each week's first day: the last week ended Sunday 2026-07-26 and began Monday 2026-07-20.
    expect(weekly.body.date_range).toEqual({ first: '2025-12-29', last: '2026-07-20' });
    const history = await get<HistoryResponse>('/history/W/A?from=2026-07-19');
    expect(history.history.map((p) => [p.date, p.period_end])).toEqual([
      ['2026-07-13', '2026-07-19'],
      ['2026-07-20', '2026-07-26'],
    ]);

    const queued = await (
      await fetch(`${server.url}/train_model`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ store_id: 'W', params: QUICK_TRAINING }),
      })
    ).json();
    const job = await waitForJob(server.url, queued.job_id, 180_000);
    expect(job.status, job.error).toBe('succeeded');
    const res = await fetch(`${server.url}/forecast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ store_id: 'W', product_id: 'A', horizon_days: 7 }),
    });
    expect(res.status).toBe(200);
    const forecast = (await res.json()) as ForecastResponse;
    expect(forecast.last_history_date).toBe('2026-07-26');
    expect(forecast.forecast[0].date).toBe('2026-07-27');
    // About a tenth of a 70-78 unit week per day, not a week's units on one day.
    const week = forecast.forecast.reduce((t, d) => t + d.expected_demand, 0);
    expect(week).toBeGreaterThan(40);
    expect(week).toBeLessThan(110);
  });
});
