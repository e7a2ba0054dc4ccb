import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { type DateKey, keyRowsOf, resolveDates } from './dates';

/** Resolves one column of values, one row each. */
function resolve(values: DateKey[], order?: 'YMD' | 'DMY' | 'MDY') {
  return resolveDates({
    column: 'Date',
    keys: values,
    ...keyRowsOf(
      values.length,
      values.map((_, i) => i),
      values.map((_, i) => i + 2),
    ),
    order,
  });
}

function failure(values: DateKey[]): AppError {
  try {
    resolve(values);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('date formats', () => {
  it.each([
    ['2022-03-04', '2022-03-04'],
    ['2022/3/4', '2022-03-04'],
    ['2022.03.04', '2022-03-04'],
    ['2010-12-01 08:26:00', '2010-12-01'],
    ['2022-03-04T10:00:00Z', '2022-03-04'],
    ['2022-03-04T23:30:00-05:00', '2022-03-04'],
    ['20220304', '2022-03-04'],
    ['4 Mar 2022', '2022-03-04'],
    ['04-March-2022', '2022-03-04'],
    ['March 4, 2022', '2022-03-04'],
    ['Sept 4 2022', '2022-09-04'],
    ['44624', '2022-03-04'],
  ])('%s -> %s', (raw, iso) => {
    expect(resolve([raw]).iso).toEqual([iso]);
  });

  it('reads Excel serial numbers and Date cells', () => {
    const r = resolve([44624, 44624.75, new Date(Date.UTC(2022, 2, 5))]);
    expect(r.iso).toEqual(['2022-03-04', '2022-03-04', '2022-03-05']);
    expect(r.hasTime).toBe(true);
  });

  it('reads single-digit day and month with a time of day', () => {
    const r = resolve(['12/1/2010 8:26', '12/13/2010 8:26']);
    expect(r.iso).toEqual(['2010-12-01', '2010-12-13']);
    expect(r.hasTime).toBe(true);
  });

  it('treats midnight as no time of day', () => {
    expect(resolve(['1/2/2022 12:00 AM', '13/2/2022 0:00']).hasTime).toBe(false);
  });

  it('does not take any 5-digit text for a serial number', () => {
    expect(() => resolve(['12345'])).toThrow(/cannot be read/);
  });

  it('reads D.M.YYYY', () => {
    expect(resolve(['4.3.2022', '25.12.2022']).iso).toEqual(['2022-03-04', '2022-12-25']);
  });
});

describe('day/month order for the whole column', () => {
  it('uses DMY once some first part exceeds 12', () => {
    expect(resolve(['01-02-2022', '13-02-2022']).iso).toEqual(['2022-02-01', '2022-02-13']);
  });

  it('uses MDY once some second part exceeds 12', () => {
    expect(resolve(['01/02/2022', '01/13/2022']).iso).toEqual(['2022-01-02', '2022-01-13']);
  });

  it('picks the order under which the dates are most regular', () => {
    const dmy = resolve(['01-01-2022', '02-01-2022', '03-01-2022', '04-01-2022', '05-01-2022']);
    expect(dmy.iso).toEqual(['2022-01-01', '2022-01-02', '2022-01-03', '2022-01-04', '2022-01-05']);
    expect(dmy.warning).toMatch(/day-month-year.*date_format=MDY/);
    const mdy = resolve(['01-01-2022', '01-02-2022', '01-03-2022']);
    expect(mdy.iso).toEqual(['2022-01-01', '2022-01-02', '2022-01-03']);
    expect(mdy.warning).toMatch(/month-day-year.*date_format=DMY/);
  });

  it('prefers a daily or weekly rhythm when the counts tie', () => {
    // DMY: 1 Jan, 2 Jan, 4 Jan (gaps 1, 2); MDY: 1 Jan, 1 Feb, 1 Apr (gaps 31, 59).
    expect(resolve(['01-01-2022', '02-01-2022', '04-01-2022']).iso).toEqual(['2022-01-01', '2022-01-02', '2022-01-04']);
  });

  it('needs no decision when day and month are equal', () => {
    expect(resolve(['05-05-2022']).iso).toEqual(['2022-05-05']);
  });

  it('refuses to guess a single ambiguous date', () => {
    const e = failure(['03-04-2022']);
    expect(e.code).toBe('ambiguous_date');
    expect(e.message).toMatch(/day-month-year \(3 April 2022\) or month-day-year \(4 March 2022\)/);
  });

  it('reads a lone ambiguous date written with dots as day.month.year', () => {
    expect(resolve(['03.04.2022']).iso).toEqual(['2022-04-03']);
  });

  it('rejects two parts over 12 as invalid, not as evidence', () => {
    const e = failure(['13-01-2022', '31-31-2022']);
    expect(e.code).toBe('invalid_date');
    expect(e.details).toMatchObject({ rows: [3], values: ['31-31-2022'] });
  });

  it('never mixes orders across rows', () => {
    expect(failure(['13-01-2022', '01-13-2022']).code).toBe('invalid_date');
  });

  it('YMD forces year-first dates', () => {
    expect(resolve(['2022-03-04'], 'YMD').iso).toEqual(['2022-03-04']);
    expect(() => resolve(['03-04-2022'], 'YMD')).toThrow(/date_format=YMD/);
  });
});
