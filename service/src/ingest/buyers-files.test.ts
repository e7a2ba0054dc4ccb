// Buyers' real files: two-digit years, European thousands dots, long or look-alike ids, sales dated after today.
import { describe, expect, it } from 'vitest';
import { MAX_ID_LENGTH } from '../../../shared/schemas';
import { parseNumber } from './numbers';
import { parseCsv, rejection } from './testing';

const DAY_MS = 86_400_000;
const isoDay = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

describe('two-digit years', () => {
  it.each([
    ['DMY', ['2010-02-05', '2010-02-06']],
    ['MDY', ['2010-05-02', '2010-06-02']],
    ['YMD', ['2005-02-10', '2006-02-10']],
  ] as const)('are read in the order date_format=%s states', async (order, dates) => {
    const parsed = await parseCsv('Date,SKU,Units\n05/02/10,A,3\n06/02/10,A,4\n', { dateOrder: order });
    expect(parsed.records.map((r) => [r.date, r.unitsSold])).toEqual([
      [dates[0], 3],
      [dates[1], 4],
    ]);
  });

  it('read 00-69 as 2000-2069 and 70-99 as 1970-1999, next to four-digit years', async () => {
    const parsed = await parseCsv('Date,SKU,Units\n31.12.69,A,1\n01.01.70,A,2\n15.06.99,A,3\n16.06.2000,A,4\n', {
      dateOrder: 'DMY',
      allowFuture: true,
    });
    expect(parsed.records.map((r) => r.date).sort()).toEqual(['1970-01-01', '1999-06-15', '2000-06-16', '2069-12-31']);
  });

  it('without date_format, are refused with the choices and what each makes of the date', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n2010-02-04,A,1\n05/02/10,A,3\n'), 422, 'ambiguous_date');
    expect(e.message).toBe(
      'Column "Date" has dates with two-digit years, such as "05/02/10" (row 3), so which part is the day, the month and the year ' +
        'is not certain. Send date_format=DMY for day-month-year (5 February 2010), date_format=MDY for month-day-year (2 May 2010) ' +
        'or date_format=YMD for year-month-day (10 February 2005); years 00-69 are read as 2000-2069 and 70-99 as 1970-1999. ' +
        'Or write the years with four digits.',
    );
    expect(e.details).toEqual({ column: 'Date', rows: [3], values: ['05/02/10'] });
  });

  it('that are no date in the stated order name the row', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n05/02/10,A,3\n13/13/10,A,4\n', { dateOrder: 'DMY' }), 422, 'invalid_date');
    expect(e.message).toMatch(/row 3 \("13\/13\/10"\)/);
  });
});

describe('numbers in semicolon files (decimal comma)', () => {
  it.each([
    ['1.234', 1234],
    ['12.345', 12345],
    ['1.234.567', 1234567],
    ['1.234,5', 1234.5],
    ['-1.234', -1234],
    ['1.234 €', 1234],
    ['1.5', 1.5],
    ['0.750', 0.75],
  ] as const)('%s -> %s', (raw, n) => {
    expect(parseNumber(raw, true)).toBe(n);
  });

  it('read a dot as a thousands separator, as European spreadsheets write it', async () => {
    const parsed = await parseCsv(
      'Datum;Artikel;Menge;Preis\n2026-03-02;A;1.234;2,49\n2026-03-03;A;12;1.234,5\n2026-03-04;A;2.000.000;3\n',
    );
    expect(parsed.records.map((r) => [r.unitsSold, r.price])).toEqual([
      [1234, 2.49],
      [12, 1234.5],
      [2_000_000, 3],
    ]);
  });

  it('keep the dot a decimal point in comma-separated files', async () => {
    const parsed = await parseCsv('Date,SKU,Units,Price\n2026-03-02,A,3,1.234\n');
    expect(parsed.records[0].price).toBe(1.234);
  });

  it('refuse a column where "1.234" may be thousands or decimals, naming the rows', async () => {
    const e = await rejection(
      parseCsv('Datum;Artikel;Menge;Preis\n2026-03-02;A;3;1.5\n2026-03-03;A;4;1.234\n2026-03-04;A;4;12.500\n'),
      422,
      'ambiguous_number',
    );
    expect(e.message).toBe(
      'Column "Preis" has numbers that could be read two ways, a dot between thousands or a decimal point, in row 3 ("1.234") ' +
        'and row 4 ("12.500"). The file separates fields with semicolons, so a comma is read as the decimal mark and a dot as a ' +
        'thousands separator ("1.234" is 1234), but the column also has dots that can only be decimal points (row 2: "1.5"). ' +
        'Write the column one way, decimals with a comma (1,5 and 1,234) or without thousands dots (1234), and upload it again.',
    );
    expect(e.details).toMatchObject({ column: 'Preis', rows: [3, 4], count: 2 });
  });

  it('accept decimal points and decimal commas in one column when no value is in doubt', async () => {
    const parsed = await parseCsv('Datum;Artikel;Menge;Preis\n2026-03-02;A;3;0.75\n2026-03-03;A;4;2,49\n');
    expect(parsed.records.map((r) => r.price)).toEqual([0.75, 2.49]);
  });
});

describe('store and product ids', () => {
  it(`longer than ${MAX_ID_LENGTH} characters are refused, naming the rows and the column`, async () => {
    const ok = 'p'.repeat(MAX_ID_LENGTH);
    const long = 'x'.repeat(5000);
    const e = await rejection(parseCsv(`Date,Store,SKU,Units\n2026-03-02,S1,${ok},1\n2026-03-02,S1,${long},2\n`), 422, 'id_too_long');
    expect(e.message).toBe(
      `Column "SKU" has ids longer than 200 characters in row 3 ("${'x'.repeat(57)}..."). Store and product ids can have at most ` +
        '200 characters (forecasts and other requests refuse longer ones); shorten those ids or map a shorter column to them, ' +
        'and upload the file again.',
    );
    expect(e.details).toMatchObject({ column: 'SKU', rows: [3], count: 1 });
    const store = await rejection(parseCsv(`Date,Store,SKU,Units\n2026-03-02,${long},A,1\n`), 422, 'id_too_long');
    expect(store.message).toMatch(/^Column "Store" has ids longer than 200 characters in row 2/);
    const parsed = await parseCsv(`Date,Store,SKU,Units\n2026-03-02,S1,${ok},1\n`);
    expect(parsed.records[0].productId).toBe(ok);
  });

  it('that differ only in case or spaces are kept apart, with a warning naming them', async () => {
    const parsed = await parseCsv(
      'Date,Store,SKU,Units\n2026-03-02,Store 1,A-1,1\n2026-03-02,store 1,A-1,2\n2026-03-02,Store  1,a-1,3\n2026-03-02,Store 2,B,4\n',
    );
    expect(new Set(parsed.records.map((r) => r.storeId))).toEqual(new Set(['Store 1', 'store 1', 'Store  1', 'Store 2']));
    expect(parsed.warnings).toContain(
      'Some store ids differ only in upper/lower case or spaces: "Store 1", "store 1", "Store  1". They were kept as different ' +
        'stores, but they may be the same store: if so, write it one way throughout the file and upload the file again.',
    );
    expect(parsed.warnings).toContain(
      'Some product ids differ only in upper/lower case or spaces: "A-1", "a-1". They were kept as different products, but ' +
        'they may be the same product: if so, write it one way throughout the file and upload the file again.',
    );
  });

  it('that differ otherwise bring no warning', async () => {
    const parsed = await parseCsv('Date,Store,SKU,Units\n2026-03-02,S1,A,1\n2026-03-02,S2,B,2\n');
    expect(parsed.warnings.join(' ')).not.toMatch(/upper\/lower case/);
  });
});

describe('sales dated after today', () => {
  it('are refused, naming the rows', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n2026-03-02,A,3\n2062-11-25,A,6\n2062-11-26,A,1\n'), 422, 'future_dates');
    expect(e.message).toBe(
      `Column "Date" has sales dated after today (${isoDay(0)}) in row 3 ("2062-11-25") and row 4 ("2062-11-26"). ` +
        'Sales cannot be in the future: check the year and the day/month order of those dates and correct them, ' +
        'or send allow_future=true to store them anyway (e.g. planned or test data).',
    );
    expect(e.details).toMatchObject({ column: 'Date', rows: [3, 4], count: 2 });
  });

  it('are stored with allowFuture, with the warning', async () => {
    const parsed = await parseCsv('Date,SKU,Units\n2026-03-02,A,3\n2062-11-25,A,6\n', { allowFuture: true });
    expect(parsed.records).toHaveLength(2);
    expect(parsed.warnings.join(' ')).toMatch(/1 record is dated after today \(\d{4}-\d{2}-\d{2}\), the latest 2062-11-25/);
  });

  it('allow today and tomorrow (it is tomorrow already in some time zones); refuse the day after', async () => {
    const parsed = await parseCsv(`Date,SKU,Units\n${isoDay(0)},A,3\n${isoDay(1)},A,6\n`);
    expect(parsed.records).toHaveLength(2);
    await rejection(parseCsv(`Date,SKU,Units\n${isoDay(0)},A,3\n${isoDay(2)},A,6\n`), 422, 'future_dates');
  });
});
