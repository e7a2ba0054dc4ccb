import { describe, expect, it } from 'vitest';
import { bulkAnswer, forecastAnswer, historyPoints, lowBasis, weeklyForecastAnswer, weeklyHistory } from '../testing/fixtures';
import { basisLine } from './basis';
import { bulkPredictionsSheet, CONFIDENCE_COLOURS, confidenceSummary, forecastSheet, MAX_SHEET_NAME, sheetName, tableName } from './sheets';

describe('result sheet names', () => {
  it('are Excel-legal: at most 31 characters, no []:*?/\\', () => {
    expect(sheetName('Forecast', 'S001', 'P0001')).toBe('Forecast S001 P0001');
    const odd = sheetName('Forecast', 'CA/1', 'FOODS_3:090*?[x]\\');
    expect(odd).not.toMatch(/[[\]:*?/\\]/);
    expect(odd.length).toBeLessThanOrEqual(MAX_SHEET_NAME);
    expect(sheetName("'quoted'")).toBe('quoted');
  });

  it('keep long names apart and stable', () => {
    const a = sheetName('Forecast', 'STORE_NUMBER_17', 'HOUSEHOLD_1_118_EXTRA_LONG');
    const b = sheetName('Forecast', 'STORE_NUMBER_17', 'HOUSEHOLD_1_119_EXTRA_LONG');
    expect(a.length).toBe(MAX_SHEET_NAME);
    expect(a).not.toBe(b);
    expect(sheetName('Forecast', 'STORE_NUMBER_17', 'HOUSEHOLD_1_118_EXTRA_LONG')).toBe(a);
  });

  it('give valid, distinct table names', () => {
    expect(tableName('Bulk', 'S001')).toBe('dfBulk_S001');
    expect(tableName('Forecast', 'CA 1', 'P-1')).toMatch(/^dfForecast_CA_1_P_1_[0-9a-f]{4}$/);
    expect(tableName('Forecast', 'CA 1', 'P-1')).not.toBe(tableName('Forecast', 'CA_1', 'P_1'));
  });
});

describe('forecast sheet', () => {
  it('puts history before the forecast, one column pair per level', () => {
    const spec = forecastSheet(forecastAnswer('S001', 'P0001', 2), historyPoints(3));
    expect(spec.columns.map((c) => c.header)).toEqual([
      'Date',
      'Units sold',
      'Expected demand',
      'Lower 80%',
      'Upper 80%',
      'Lower 95%',
      'Upper 95%',
    ]);
    expect(spec.rows.map((r) => r[0])).toEqual(['2025-06-28', '2025-06-29', '2025-06-30', '2025-07-01', '2025-07-02']);
    expect(spec.rows[3]).toEqual(['2025-07-01', null, 6, 4, 8, 3, 10]);
    expect(spec.chart).toMatchObject({ type: 'line', categoryColumn: 0, seriesCount: 6 });
  });
});

describe('forecast sheet in weeks or months', () => {
  it('names each period, sums past sales into the same weeks, and says how far to trust the numbers', () => {
    const spec = forecastSheet(weeklyForecastAnswer(3), weeklyHistory(30));
    expect(spec.columns.map((c) => c.header)).toEqual(['Period', 'Units sold', 'Expected demand', 'Lower 80%', 'Upper 80%', 'From', 'To']);
    expect(spec.columns.map((c) => c.kind)).toEqual(['text', 'int', 'int', 'int', 'int', 'date', 'date']);
    // 26 weeks of history (half a year) before the 3 forecast weeks.
    expect(spec.rows).toHaveLength(26 + 3);
    expect(spec.rows[25]).toEqual(['Week of 30 Jun 2025', 70 + 7 * 29, null, null, null, '2025-06-30', '2025-07-06']);
    expect(spec.rows[26]).toEqual(['Week of 7 Jul 2025', null, 40, 30, 52, '2025-07-07', '2025-07-13']);
    expect(spec.rows[0][0]).toBe('Week of 6 Jan 2025');
    expect(spec.title).toMatch(/^Forecast of P0001 in store W01: 3 weeks after 2025-07-06/);
    expect(spec.note).toBe(basisLine(lowBasis(), { reasons: true }));
    expect(spec.chart).toMatchObject({ categoryColumn: 0, seriesCount: 4, dashed: ['Lower 80%', 'Upper 80%'] });
  });

  it('keeps the daily sheet as it was, with the basis line above it', () => {
    const spec = forecastSheet(forecastAnswer('S001', 'P0001', 2), historyPoints(3));
    expect(spec.columns[0]).toEqual({ header: 'Date', kind: 'date' });
    expect(spec.note).toBe('Forecast by: forecasting model trained on this store · 200 days of history · Confidence: normal');
  });
});

describe('bulk predictions sheet', () => {
  it('counts the rough and the missing forecasts above the table and colours them in the Confidence column', () => {
    const plan = bulkAnswer();
    expect(bulkPredictionsSheet(plan).note).toBeUndefined();
    const mixed = { ...plan, summary: { ...plan.summary, by_confidence: { normal: 1, low: 1, none: 3 } } };
    expect(confidenceSummary(mixed)).toBe(
      '3 products have too little history for an order · 1 product is a rough estimate (low confidence)',
    );
    const spec = bulkPredictionsSheet(mixed);
    expect(spec.note).toBe(confidenceSummary(mixed));
    expect(spec.highlights).toEqual([{ column: spec.columns.findIndex((c) => c.header === 'Confidence'), colours: CONFIDENCE_COLOURS }]);
    expect(Object.keys(CONFIDENCE_COLOURS).sort()).toEqual(['low', 'none']);
  });
});

describe('interval levels', () => {
  it('read the same as a fraction or a percent', () => {
    const answer = forecastAnswer('S001', 'P0001', 1);
    const asPercent = {
      ...answer,
      forecast: answer.forecast.map((p) => ({ ...p, intervals: p.intervals.map((i) => ({ ...i, level: i.level * 100 })) })),
    };
    expect(forecastSheet(asPercent, []).columns.map((c) => c.header)).toEqual(forecastSheet(answer, []).columns.map((c) => c.header));
  });
});
