import { describe, expect, it } from 'vitest';
import { parseSalesFile } from './index';

const csv = (text: string, filename = 'w.csv') => parseSalesFile({ filename, data: Buffer.from(text) });

describe('the period of a file (its grain), read from its dates', () => {
  it('keeps a weekly file as weeks, dated by their first day: nothing is spread over days', async () => {
    const parsed = await csv(
      'Week,Store,SKU,Units,Price,Promo\n2026-03-02,S,A,70,2.5,1\n2026-03-09,S,A,14,2.5,0\n2026-03-16,S,A,0,2.4,0\n2026-03-23,S,A,7,2.4,0\n',
    );
    expect(parsed.grain).toBe('weekly');
    expect(parsed.weekDates).toBe('start');
    expect(parsed.records.map((r) => [r.date, r.unitsSold, r.price, r.promotion])).toEqual([
      ['2026-03-02', 70, 2.5, true],
      ['2026-03-09', 14, 2.5, false],
      ['2026-03-16', 0, 2.4, false],
      ['2026-03-23', 7, 2.4, false],
    ]);
    expect(parsed.warnings.join(' ')).toMatch(
      /The data is weekly \(e\.g\. 2026-03-02 then 2026-03-09\): each record is one week's sales, kept as a week\. Its dates were read as the first day of each week \(assumed: if they are the last days of the weeks, upload again with week_dates=end\)/,
    );
  });

  it('a "Week Ending" column dates each week by its last day: stored by the first', async () => {
    const parsed = await csv('Week Ending,SKU,Qty\n2026-03-08,A,7\n2026-03-15,A,21\n2026-03-22,A,0\n2026-03-29,A,0\n');
    expect(parsed.weekDates).toBe('end');
    expect(parsed.records.map((r) => [r.date, r.unitsSold])).toEqual([
      ['2026-03-02', 7],
      ['2026-03-09', 21],
      ['2026-03-16', 0],
      ['2026-03-23', 0],
    ]);
    expect(parsed.warnings.join(' ')).toMatch(/read as the last day of each week \(as the column "Week Ending" says\)/);
  });

  it('week_dates=end says the dates are week endings when the header does not', async () => {
    const data = Buffer.from('Date,SKU,Qty\n2026-03-08,A,7\n2026-03-15,A,21\n2026-03-22,A,0\n2026-03-29,A,1\n');
    const parsed = await parseSalesFile({ filename: 'w.csv', data, weekDates: 'end' });
    expect(parsed.records.map((r) => r.date)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']);
    expect(parsed.warnings.join(' ')).toMatch(/last day of each week \(as week_dates=end says\)/);
    // A header that says "start" is overridden by an explicit week_dates too.
    const overridden = await parseSalesFile({
      filename: 'w.csv',
      data: Buffer.from(data.toString().replace('Date', 'Week start')),
      weekDates: 'end',
    });
    expect(overridden.records[0].date).toBe('2026-03-02');
  });

  it('keeps a monthly file as months dated the 1st, whether its dates are firsts or month ends', async () => {
    const firsts = await csv('Month,Item,Qty\n2025-01-01,Soup,8\n2025-02-01,Soup,6\n2025-03-01,Soup,9\n2025-04-01,Soup,7\n');
    expect(firsts.grain).toBe('monthly');
    expect(firsts.records.map((r) => [r.date, r.unitsSold])).toEqual([
      ['2025-01-01', 8],
      ['2025-02-01', 6],
      ['2025-03-01', 9],
      ['2025-04-01', 7],
    ]);
    expect(firsts.warnings.join(' ')).toMatch(
      /The data is monthly \(e\.g\. 2025-01-01 then 2025-02-01\): each record is one calendar month's sales/,
    );
    const ends = await csv('Date,Item,Qty\n2024-01-31,Soup,8\n2024-02-29,Soup,6\n2024-03-31,Soup,9\n');
    expect(ends.grain).toBe('monthly');
    expect(ends.records.map((r) => r.date)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
  });

  it('two or three dates a week apart are not enough to call a file weekly', async () => {
    const parsed = await csv('Date,SKU,Units\n2026-03-02,A,3\n2026-03-09,A,4\n2026-03-16,A,1\n');
    expect(parsed.grain).toBe('daily');
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([3, 4, 1]);
  });

  it('a short file takes the grain its store already holds, when its dates fit it; another grain is refused', async () => {
    const data = Buffer.from('Date,Store,SKU,Units\n2026-04-06,S,A,3\n2026-04-13,S,A,4\n');
    const knownGrains = new Map([['S', 'weekly' as const]]);
    const parsed = await parseSalesFile({ filename: 'w.csv', data, knownGrains });
    expect(parsed.grain).toBe('weekly');
    const daily = Buffer.from('Date,Store,SKU,Units\n2026-04-06,S,A,3\n2026-04-07,S,A,4\n');
    const refused = await parseSalesFile({ filename: 'd.csv', data: daily, knownGrains }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 422, code: 'grain_mismatch' });
    expect((refused as Error).message).toMatch(
      /Store "S" holds weekly sales, but this file's dates are daily\. A store's sales keep one period/,
    );
  });

  it('reads German headers and a semicolon file with decimal commas', async () => {
    const parsed = await csv('Datum;Filiale;Artikel;Menge;Preis\n02.03.2026;M1;Käse;1,5;4,99\n');
    expect(parsed.records[0]).toMatchObject({ date: '2026-03-02', storeId: 'M1', productId: 'Käse', unitsSold: 1.5, price: 4.99 });
  });

  it('daily files are left as they are', async () => {
    const parsed = await csv('Date,SKU,Units\n2026-03-02,A,3\n2026-03-03,A,4\n');
    expect(parsed.grain).toBe('daily');
    expect(parsed.weekDates).toBeNull();
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([3, 4]);
  });
});

describe('values that cannot be right', () => {
  it('warns about sales dated after today, naming the latest date', async () => {
    const data = Buffer.from('Date,SKU,Units\n2026-03-02,A,3\n2062-11-25,A,6\n');
    const parsed = await parseSalesFile({ filename: 'w.csv', data, allowFuture: true });
    expect(parsed.warnings.join(' ')).toMatch(/1 record is dated after today \(\d{4}-\d{2}-\d{2}\), the latest 2062-11-25/);
    const past = await csv('Date,SKU,Units\n2026-03-02,A,3\n');
    expect(past.warnings.join(' ')).not.toMatch(/after today/);
  });

  it('refuses units or prices beyond a billion with the row named', async () => {
    const e = await csv('Date,SKU,Units,Price\n2026-03-02,A,3,1\n2026-03-03,A,1e308,1\n').catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 422, code: 'value_out_of_range' });
    expect((e as Error).message).toMatch(/Column "Units" has values beyond 1,000,000,000 \(in size\) in row 3 \("1e308"\)/);
    const p = await csv('Date,SKU,Units,Price\n2026-03-02,A,3,-2000000000\n').catch((x: unknown) => x);
    expect(p).toMatchObject({ status: 422, code: 'value_out_of_range' });
  });
});
