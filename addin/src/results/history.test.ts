import { describe, expect, it } from 'vitest';
import type { ForecastResponse, HistoryPoint } from '../../../shared/schemas';
import { chartRows } from '../components/ForecastChart';
import { basis } from '../testing/fixtures';
import { historyPerDay } from './history';
import { forecastSheet } from './sheets';

const point = (date: string, period_end: string, units_sold: number): HistoryPoint => ({
  date,
  period_end,
  closed: false,
  units_sold,
  inventory_level: null,
  units_ordered: null,
  price: null,
  discount: null,
  promotion: null,
  category: null,
  region: null,
  extra: null,
});

describe('weekly and monthly history next to a daily forecast', () => {
  const weeks = [point('2026-07-13', '2026-07-19', 70), point('2026-07-20', '2026-07-26', 35)];
  const forecast: ForecastResponse = {
    store_id: 'W',
    product_id: 'A',
    model_version: 'store:W@1',
    last_history_date: '2026-07-26',
    granularity: 'day',
    basis: basis({ grain: 'weekly' }),
    forecast: [{ date: '2026-07-27', expected_demand: 6, intervals: [{ level: 80, lower: 3, upper: 9 }] }],
  };

  it('shows each period as its average per day, over exactly its days', () => {
    const days = historyPerDay(weeks);
    expect(days).toHaveLength(14);
    expect(days.slice(0, 7).every((d) => d.units_sold === 10)).toBe(true);
    expect(days.slice(7).every((d) => d.units_sold === 5)).toBe(true);
    expect(days.map((d) => d.date)[13]).toBe('2026-07-26');
    expect(historyPerDay([point('2026-02-01', '2026-02-28', 56)]).map((d) => d.units_sold)).toEqual(new Array(28).fill(2));
    const daily = [point('2026-07-01', '2026-07-01', 4)];
    expect(historyPerDay(daily)).toEqual(daily);
  });

  it('charts and writes per-day history in the units of the daily forecast', () => {
    const rows = chartRows(weeks, forecast.forecast);
    expect(rows.find((r) => r.date === '2026-07-25')).toMatchObject({ sold: 5 });
    expect(rows.at(-1)).toMatchObject({ date: '2026-07-27', expected: 6 });
    const sheet = forecastSheet(forecast, weeks);
    expect(sheet.rows.filter((r) => r[1] !== null)).toHaveLength(14);
  });
});
