import { describe, expect, it } from 'vitest';
import { parseSalesFile } from './index';

const csv = (text: string, filename = 'w.csv') => parseSalesFile({ filename, data: Buffer.from(text) });

describe('weekly files become daily sales', () => {
  it('spreads each week over the 7 days from its date, keeping totals, prices and promotions', async () => {
    const parsed = await csv(
      'Week,Store,SKU,Units,Price,Promo\n2026-03-02,S,A,70,2.5,1\n2026-03-09,S,A,14,2.5,0\n2026-03-16,S,A,0,2.4,0\n2026-03-23,S,A,7,2.4,0\n',
    );
    expect(parsed.grain).toBe('weekly');
    expect(parsed.records).toHaveLength(28);
    expect(parsed.records.slice(0, 7).map((r) => [r.date, r.unitsSold, r.price, r.promotion])).toEqual(
      ['02', '03', '04', '05', '06', '07', '08'].map((d) => [`2026-03-${d}`, 10, 2.5, true]),
    );
    expect(parsed.records[7]).toMatchObject({ date: '2026-03-09', unitsSold: 2, promotion: false });
    expect(parsed.records[20]).toMatchObject({ date: '2026-03-22', unitsSold: 0, price: 2.4 });
    expect(parsed.warnings.join(' ')).toMatch(/weekly .*spread evenly over the 7 days starting on its date/);
  });

  it('a "Week Ending" column dates each week by its last day', async () => {
    const parsed = await csv('Week Ending,SKU,Qty\n2026-03-08,A,7\n2026-03-15,A,21\n2026-03-22,A,0\n2026-03-29,A,0\n');
    expect(parsed.records.slice(0, 14).map((r) => [r.date, r.unitsSold])).toEqual([
      ...['02', '03', '04', '05', '06', '07', '08'].map((d) => [`2026-03-${d}`, 1]),
      ...['09', '10', '11', '12', '13', '14', '15'].map((d) => [`2026-03-${d}`, 3]),
    ]);
    expect(parsed.warnings.join(' ')).toMatch(/ending on its date \(column "Week Ending"\)/);
  });

  it('two or three dates a week apart are not enough to call a file weekly', async () => {
    const parsed = await csv('Date,SKU,Units\n2026-03-02,A,3\n2026-03-09,A,4\n2026-03-16,A,1\n');
    expect(parsed.grain).toBe('daily');
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([3, 4, 1]);
  });

  it('reads German headers and a semicolon file with decimal commas', async () => {
    const parsed = await csv('Datum;Filiale;Artikel;Menge;Preis\n02.03.2026;M1;Käse;1,5;4,99\n');
    expect(parsed.records[0]).toMatchObject({ date: '2026-03-02', storeId: 'M1', productId: 'Käse', unitsSold: 1.5, price: 4.99 });
  });

  it('daily files are left as they are', async () => {
    const parsed = await csv('Date,SKU,Units\n2026-03-02,A,3\n2026-03-03,A,4\n');
    expect(parsed.grain).toBe('daily');
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([3, 4]);
  });
});

describe('values that cannot be right', () => {
  it('warns about sales dated after today, naming the latest date', async () => {
    const parsed = await csv('Date,SKU,Units\n2026-03-02,A,3\n2062-11-25,A,6\n');
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
