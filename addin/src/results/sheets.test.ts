import { describe, expect, it } from 'vitest';
import { forecastAnswer, historyPoints } from '../testing/fixtures';
import { forecastSheet, MAX_SHEET_NAME, sheetName, tableName } from './sheets';

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
