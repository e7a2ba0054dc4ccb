import { describe, expect, it } from 'vitest';
import { isoToExcelSerial } from '../mapping/csv';
import {
  asGrid,
  at,
  BadArgument,
  broadcastShape,
  parseDate,
  parseDays,
  parseGranularity,
  parseId,
  parseLevel,
  parseQuantity,
} from './args';

describe('cell function arguments', () => {
  it('reads days from Excel date serials (time of day ignored) and ISO text, and rejects anything else', () => {
    expect(parseDate(45839, 'd')).toBe('2025-07-01');
    expect(parseDate(isoToExcelSerial('2024-02-29') + 0.75, 'd')).toBe('2024-02-29');
    expect(parseDate('2025-07-01', 'd')).toBe('2025-07-01');
    expect(parseDate(' 2025-07-01T00:00:00Z ', 'd')).toBe('2025-07-01');
    expect(parseDate('45839', 'd')).toBe('2025-07-01');
    for (const bad of ['2025-02-30', '07/01/2025', 'tomorrow', '', null, true, 28, -1]) {
      expect(() => parseDate(bad as never, 'target_date'), String(bad)).toThrow(BadArgument);
    }
    expect(() => parseDate('2025-13-01', 'target_date')).toThrow(/target_date "2025-13-01" is not a date/);
  });

  it('reads levels as fractions or percents, like the service', () => {
    expect(parseLevel(0.9, 'level')).toBe(0.9);
    expect(parseLevel(95, 'level')).toBe(0.95);
    expect(parseLevel('80%', 'level')).toBe(0.8);
    expect(parseLevel(null, 'level')).toBeNull();
    expect(parseLevel('', 'level')).toBeNull();
    for (const bad of [0, 1, 100, -5, 'high', true])
      expect(() => parseLevel(bad as never, 'level'), String(bad)).toThrow(/level must be between 0 and 1/);
  });

  it('reads ids, day counts and quantities', () => {
    expect(parseId(' CA_1 ', 'store')).toBe('CA_1');
    expect(parseId(1001, 'product')).toBe('1001');
    expect(() => parseId('', 'store')).toThrow(/store must be an id/);
    expect(parseDays(28, 'h', 180)).toBe(28);
    expect(parseDays('7', 'h', 180)).toBe(7);
    for (const bad of [0, 181, 2.5, 'x']) expect(() => parseDays(bad as never, 'h', 180)).toThrow(/whole number of days from 1 to 180/);
    expect(parseQuantity(0, 'on_hand')).toBe(0);
    expect(parseQuantity(null, 'on_hand')).toBeNull();
    expect(() => parseQuantity(-1, 'on_hand')).toThrow(/on_hand/);
  });

  it('reads a granularity in the words a buyer types, and says which ones it takes', () => {
    expect(parseGranularity(' Week ', 'granularity')).toBe('week');
    expect(parseGranularity('MONTHS', 'granularity')).toBe('month');
    expect(parseGranularity('daily', 'granularity')).toBe('day');
    expect(parseGranularity('', 'granularity')).toBeNull();
    expect(parseGranularity(undefined, 'granularity')).toBeNull();
    for (const bad of ['quarter', 7, true]) {
      expect(() => parseGranularity(bad, 'granularity'), String(bad)).toThrow(/granularity must be "day", "week" or "month"/);
    }
    expect(() => parseDays(30, 'The horizon', 25, 'weeks')).toThrow('The horizon must be a whole number of weeks from 1 to 25, not 30');
  });

  it('combines single cells, rows and columns as Excel array arithmetic does', () => {
    const column = asGrid([['A'], ['B'], ['C']]);
    const row = asGrid([[1, 2]]);
    const one = asGrid('S1');
    expect(broadcastShape({ store: one, product: column, day: row })).toEqual({ rows: 3, cols: 2 });
    expect(at(column, 2, 1)).toBe('C');
    expect(at(row, 2, 1)).toBe(2);
    expect(at(one, 2, 1)).toBe('S1');
    expect(() => broadcastShape({ product: column, day: asGrid([[1], [2]]) })).toThrow(/day has 2 rows where another range has 3/);
  });
});
