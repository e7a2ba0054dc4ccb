import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../shared/schemas';
import { basis, historyPoints, lowBasis } from '../testing/fixtures';
import { basisLine } from './basis';
import { canAnswerIn, historyFrom, periodLabel, pointEnd, salesInPeriods } from './periods';

const record = (date: string, period_end: string, units_sold: number): HistoryPoint => ({
  ...historyPoints(1, date)[0],
  period_end,
  units_sold,
});

describe('periods in words', () => {
  it('names days, weeks, whole months and the part of a month a forecast starts in', () => {
    expect(periodLabel('2025-07-01', '2025-07-01', 'day')).toBe('Tue 1 Jul 2025');
    expect(periodLabel('2025-07-07', '2025-07-13', 'week')).toBe('Week of 7 Jul 2025');
    expect(periodLabel('2025-08-01', '2025-08-31', 'month')).toBe('Aug 2025');
    expect(periodLabel('2025-07-16', '2025-07-31', 'month')).toBe('16–31 Jul 2025');
    expect(periodLabel('2024-02-01', '2024-02-29', 'month')).toBe('Feb 2024');
  });

  it('knows where a period ends when the answer does not say', () => {
    expect(pointEnd({ date: '2025-07-07' }, 'week')).toBe('2025-07-13');
    expect(pointEnd({ date: '2025-02-01' }, 'month')).toBe('2025-02-28');
    expect(pointEnd({ date: '2025-07-16', period_end: '2025-07-31' }, 'month')).toBe('2025-07-31');
    expect(pointEnd({ date: '2025-07-16' }, 'day')).toBe('2025-07-16');
  });

  it('lets a store answer in its own periods or longer ones, never shorter', () => {
    expect(canAnswerIn('day', 'daily')).toBe(true);
    expect(canAnswerIn('month', 'daily')).toBe(true);
    expect(canAnswerIn('day', 'weekly')).toBe(false);
    expect(canAnswerIn('week', 'monthly')).toBe(false);
    expect(canAnswerIn('month', 'monthly')).toBe(true);
  });
});

describe('past sales in the periods of a forecast', () => {
  it('fetches whole periods before the forecast: 91 days, 26 weeks, 12 calendar months', () => {
    expect(historyFrom('2025-07-01', 'day')).toBe('2025-04-01');
    expect(historyFrom('2025-07-01', 'week')).toBe('2024-12-31');
    expect(historyFrom('2025-07-16', 'month')).toBe('2024-07-01');
  });

  it('sums days into 7-day weeks counted back from the first forecast day, leaving out a week only partly fetched', () => {
    const days = historyPoints(21); // 10 Jun .. 30 Jun 2025, 5 + (i % 7) units
    const weeks = salesInPeriods(days, '2025-07-01', 'week');
    expect(weeks).toEqual([
      { date: '2025-06-10', period_end: '2025-06-16', units_sold: 56 },
      { date: '2025-06-17', period_end: '2025-06-23', units_sold: 56 },
      { date: '2025-06-24', period_end: '2025-06-30', units_sold: 56 },
    ]);
    expect(salesInPeriods(days, '2025-07-01', 'week', '2025-06-12').map((w) => w.date)).toEqual(['2025-06-17', '2025-06-24']);
    // Sales on or after the first forecast day are not history.
    expect(salesInPeriods(days, '2025-06-24', 'week').map((w) => w.date)).toEqual(['2025-06-10', '2025-06-17']);
  });

  it('sums into calendar months, the month the forecast starts in cut at the day before', () => {
    const days = historyPoints(40, '2025-07-15'); // 6 Jun .. 15 Jul
    const months = salesInPeriods(days, '2025-07-16', 'month');
    expect(months.map((m) => [m.date, m.period_end])).toEqual([
      ['2025-06-01', '2025-06-30'],
      ['2025-07-01', '2025-07-15'],
    ]);
    expect(months.reduce((n, m) => n + m.units_sold, 0)).toBe(days.reduce((n, d) => n + d.units_sold, 0));
    expect(periodLabel(months[1].date, months[1].period_end, 'month')).toBe('1–15 Jul 2025');
  });

  it('spreads a weekly record over its days before summing it into months', () => {
    const week = [record('2025-06-30', '2025-07-06', 70)];
    expect(salesInPeriods(week, '2025-07-07', 'month')).toEqual([
      { date: '2025-06-01', period_end: '2025-06-30', units_sold: 10 },
      { date: '2025-07-01', period_end: '2025-07-06', units_sold: 60 },
    ]);
    expect(salesInPeriods(week, '2025-07-07', 'week')).toEqual([{ date: '2025-06-30', period_end: '2025-07-06', units_sold: 70 }]);
  });
});

describe('the basis line', () => {
  it('says the method (simple or not), the history in its periods and the confidence, with the reasons when asked', () => {
    expect(basisLine(lowBasis())).toBe('Forecast by: same week last year (simple method) · 5 weeks of history · Confidence: low');
    expect(basisLine(lowBasis(), { reasons: true })).toBe(
      'Forecast by: same week last year (simple method) · 5 weeks of history · Confidence: low — "P0001" has 5 weeks of history: a rough estimate from its own recent sales.',
    );
    expect(basisLine(basis())).toBe('Forecast by: forecasting model trained on this store · 200 days of history · Confidence: normal');
    expect(basisLine(basis({ grain: 'monthly', history_periods: 1 }))).toMatch(/· 1 month of history ·/);
    const tsb = basis({ method: 'baseline:tsb', method_label: 'chance of a sale x usual size (TSB)' });
    expect(basisLine(tsb)).toMatch(/^Forecast by: chance of a sale x usual size \(TSB\), a simple method · /);
  });

  it("says when a buyer's override changed the forecast: what, when, why and who", () => {
    const override = { id: 4, kind: 'multiplier' as const, value: 2, from: '2025-07-01', to: '2025-07-03', reason: 'Leaflet', by: 'anna' };
    expect(basisLine(basis({ override }))).toBe(
      'Forecast by: forecasting model trained on this store · 200 days of history · Confidence: normal · Adjusted by anna: x2 from 2025-07-01 to 2025-07-03 (Leaflet)',
    );
    const fixed = { ...override, kind: 'quantity' as const, value: 50, to: '2025-07-01', by: null, others: [7] };
    expect(basisLine(basis({ override: fixed }))).toMatch(/· Adjusted by a buyer: 50 units a period on 2025-07-01 \(Leaflet\) and 1 more$/);
  });
});
