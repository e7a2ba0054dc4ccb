// CSV dialects, encodings, gzip, and the rules that turn rows into records.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './csv';
import { parseSalesFile } from './index';
import { parseCsv, parseCsvGz, rejection } from './testing';

describe('dialects and encodings', () => {
  it('reads semicolons, a BOM and CRLF line ends', async () => {
    const parsed = await parseCsv('\uFEFFDate;Store;SKU;Qty\r\n2022-01-01;B1;A;3\r\n2022-01-02;B1;A;4\r\n');
    expect(parsed.columns).toEqual({ date: 'Date', store_id: 'Store', product_id: 'SKU', units_sold: 'Qty' });
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([3, 4]);
  });

  it('reads tab-separated files', async () => {
    const parsed = await parseCsv('date\titem\tunits\n2022-01-01\tA\t3\n');
    expect(parsed.records[0]).toMatchObject({ productId: 'A', unitsSold: 3, storeId: 'default' });
  });

  it('detects the delimiter from the header line', () => {
    expect(detectDelimiter('a;b;c\n1,2;3')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"a;b",c,d')).toBe(',');
    expect(detectDelimiter('single')).toBe(',');
  });

  it('reads quoted fields with delimiters, escaped quotes and line breaks', async () => {
    const csv = 'Date,SKU,Units,Note\n2022-01-01,"A,1",2,"say ""hi"""\n2022-01-02,B,3,"two\nlines"\n';
    const parsed = await parseCsv(csv);
    expect(parsed.records.map((r) => [r.productId, r.extra])).toEqual([
      ['A,1', { Note: 'say "hi"' }],
      ['B', { Note: 'two\nlines' }],
    ]);
  });

  it('gives the same result on the fast path and the full parser', async () => {
    const simple = 'Date,SKU,Units,Note\n2022-01-01,"A,1",2,"x"\n2022-01-02,B,3,y\n';
    const multiline = `${simple}2022-01-03,C,4,"a\nb"\n`;
    const a = await parseCsv(simple);
    const b = await parseCsv(multiline);
    expect(b.records.slice(0, 2)).toEqual(a.records);
  });

  it('numbers rows as a spreadsheet would, skipping blank lines', async () => {
    const e = await rejection(parseCsv('Date,SKU,Units\n\n2022-01-01,A,1\n\n2022-01-02,A,x\n'), 422, 'invalid_number');
    expect(e.details).toMatchObject({ rows: [5] });
  });

  it('reads Windows-1252 files and says so', async () => {
    const parsed = await parseCsv(Buffer.from('Date,SKU,Units,Region\n2022-01-01,Caf\xe9,1,M\xfcnchen\n', 'latin1'));
    expect(parsed.records[0]).toMatchObject({ productId: 'Café', region: 'München' });
    expect(parsed.warnings.join(' ')).toMatch(/Windows-1252/);
  });

  it('reads UTF-16 text with a byte order mark', async () => {
    const text = 'Date\tSKU\tUnits\n2022-01-01\tA\t7\n';
    const parsed = await parseCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect(parsed.records[0].unitsSold).toBe(7);
  });
});

describe('.csv.gz', () => {
  it('gunzips and parses', async () => {
    const parsed = await parseCsvGz('Date,Store,SKU,Units\n2022-01-01,S1,A,2\n2022-01-02,S1,A,5\n');
    expect(parsed.records.map((r) => [r.date, r.unitsSold])).toEqual([
      ['2022-01-01', 2],
      ['2022-01-02', 5],
    ]);
  });

  it('stops a gzip bomb at maxDecompressedBytes', async () => {
    const big = gzipSync(Buffer.alloc(5_000_000, 0x61));
    const e = await rejection(parseSalesFile({ filename: 'x.csv.gz', data: big, maxDecompressedBytes: 1_000_000 }), 413, 'file_too_large');
    expect(e.message).toMatch(/expands to more than/);
  });

  it('rejects bytes that are not gzip', async () => {
    await rejection(parseSalesFile({ filename: 'x.csv.gz', data: Buffer.from('Date,SKU,Units\n') }), 422, 'invalid_file');
  });
});

describe('recognition', () => {
  it('matches headers ignoring case and punctuation, and a mapping overrides it', async () => {
    const csv = 'SALES-DATE,Shop #,Item Code,Qty Sold,Units,Unit Price,On Promotion\n2022-01-01,1,A,2,9,1.5,yes\n';
    const parsed = await parseCsv(csv);
    expect(parsed.columns).toEqual({
      date: 'SALES-DATE',
      store_id: 'Shop #',
      product_id: 'Item Code',
      units_sold: 'Units',
      price: 'Unit Price',
      promotion: 'On Promotion',
    });
    // "Qty Sold" loses to "Units", which comes first in the synonym list.
    expect(parsed.format).toBe('generic');
    const mapped = await parseCsv(csv, { mapping: { units_sold: 'Qty Sold', store_id: 'shop #' } });
    expect(mapped.columns).toMatchObject({ units_sold: 'Qty Sold', store_id: 'Shop #' });
    expect(mapped.records[0]).toMatchObject({ storeId: '1', unitsSold: 2, extra: { Units: 9 } });
  });

  it('does not take Demand Forecast as units', async () => {
    await rejection(parseCsv('Date,Product ID,Demand Forecast\n2022-01-01,A,5\n'), 422, 'missing_columns');
  });

  it('detects transactions from times of day and nets returns', async () => {
    const csv = [
      'Date,SKU,Qty,Price,Colour',
      '2022-01-01 09:15,A,3,2.00,red',
      '2022-01-01 17:40,A,1,4.00,red',
      '2022-01-01 18:00,A,-2,2.00,red',
      '2022-01-02 10:00,A,-1,2.00,red',
    ].join('\n');
    const parsed = await parseCsv(csv, { defaultStoreId: 'Main' });
    expect(parsed.format).toBe('transactions');
    expect(parsed.records).toEqual([
      expect.objectContaining({ date: '2022-01-01', storeId: 'Main', unitsSold: 2, price: 2.5, extra: null }),
      // Only a return that day: 0 units sold, not -1 (returns are not demand).
      expect.objectContaining({ date: '2022-01-02', unitsSold: 0, price: null }),
    ]);
    expect(parsed.warnings.join(' ')).toMatch(
      /2 lines had negative units in "Qty" \(returns\); returns are subtracted from the units sold of the same store, product and date; 1 date had more returns than sales and is stored as 0 units sold \(returns are not demand\)\./,
    );
  });

  it('keeps midnight timestamps as daily data', async () => {
    const parsed = await parseCsv('Date,SKU,Qty\n2022-01-01 00:00:00,A,3\n2022-01-02T00:00:00Z,A,1\n');
    expect(parsed.format).toBe('generic');
    expect(parsed.records.map((r) => r.date)).toEqual(['2022-01-01', '2022-01-02']);
  });
});

describe('rows to records', () => {
  it('sums duplicate store-product-days, keeps the last other values, and warns', async () => {
    const csv = 'Date,Store,SKU,Units,Price,Colour\n2022-01-01,S1,A,2,1.0,red\n2022-01-01,S1,A,3,1.5,\n2022-01-01,S2,A,1,9,blue\n';
    const parsed = await parseCsv(csv);
    expect(parsed.records).toEqual([
      expect.objectContaining({ storeId: 'S1', unitsSold: 5, price: 1.5, extra: null }),
      expect.objectContaining({ storeId: 'S2', unitsSold: 1, price: 9, extra: { Colour: 'blue' } }),
    ]);
    expect(parsed.warnings.join(' ')).toMatch(/1 row repeated a store, product and date/);
  });

  it('stores a day of only returns as 0 units sold and counts empty units as 0, with warnings', async () => {
    const parsed = await parseCsv('Date,SKU,Units\n2022-01-01,A,-2\n2022-01-02,A,\n2022-01-03,A,1\n');
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([0, 0, 1]);
    expect(parsed.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/1 row with an empty "Units" counted as 0/),
        expect.stringMatching(/1 row had negative units in "Units".*1 date had more returns than sales and is stored as 0 units sold/),
      ]),
    );
  });

  it('sorts by store, product, date and reads ids as trimmed text', async () => {
    const csv = 'Date,Store,SKU,Units\n2022-01-02,2.0, B ,1\n2022-01-01,2,B,1\n2022-01-01,1,B,1\n2022-01-01,1,A,1\n';
    const parsed = await parseCsv(csv);
    expect(parsed.records.map((r) => `${r.storeId}/${r.productId}/${r.date}`)).toEqual([
      '1/A/2022-01-01',
      '1/B/2022-01-01',
      '2/B/2022-01-01',
      '2/B/2022-01-02',
    ]);
  });

  it('reads booleans, currencies, thousands and empty optional numbers', async () => {
    const csv = [
      'Date,SKU,Units,Price,Promo,Discount,Inventory',
      '2022-01-01,A,"1,234",$2.50,yes,10%,',
      '2022-01-02,A,1,£3,N,,5',
      '2022-01-03,A,1,€ 1.25,0,,6',
      '2022-01-04,A,1,,2,,7',
    ].join('\n');
    const parsed = await parseCsv(csv);
    expect(parsed.records.map((r) => [r.unitsSold, r.price, r.promotion, r.discount, r.inventoryLevel])).toEqual([
      [1234, 2.5, true, 10, null],
      [1, 3, false, null, 5],
      [1, 1.25, false, null, 6],
      [1, null, true, null, 7],
    ]);
  });

  it('detects weekly data per series', async () => {
    const csv =
      'Week Start,Store,SKU,Units\n2022-01-03,S1,A,1\n2022-01-10,S1,A,1\n2022-01-24,S1,A,1\n2022-01-05,S2,A,1\n2022-01-12,S2,A,1\n';
    expect((await parseCsv(csv)).grain).toBe('weekly');
    expect((await parseCsv(`${csv}2022-01-13,S2,A,1\n`)).grain).toBe('daily');
  });
});

describe('semicolon-separated files use the decimal comma', () => {
  it('reads weights and prices as written, not a thousand times larger', async () => {
    const text =
      'Datum;Filiale;Artikel;Menge;Preis\n01.03.2026;KG;Hack;0,750;3,990\n02.03.2026;KG;Hack;1,250;1.234,50\n03.03.2026;KG;Hack;2;2,49\n';
    const parsed = await parseSalesFile({
      filename: 'kg.csv',
      data: Buffer.from(text),
      mapping: { date: 'Datum', store_id: 'Filiale', product_id: 'Artikel', units_sold: 'Menge', price: 'Preis' },
    });
    expect(parsed.records.map((r) => [r.date, r.unitsSold, r.price])).toEqual([
      ['2026-03-01', 0.75, 3.99],
      ['2026-03-02', 1.25, 1234.5],
      ['2026-03-03', 2, 2.49],
    ]);
  });

  it('a comma-separated file keeps the comma as the thousands mark and refuses "0,750"', async () => {
    const ok = await parseSalesFile({ filename: 'a.csv', data: Buffer.from('Date,SKU,Units\n2026-03-01,A,"1,250"\n') });
    expect(ok.records[0].unitsSold).toBe(1250);
    await rejection(
      parseSalesFile({ filename: 'b.csv', data: Buffer.from('Date,SKU,Units\n2026-03-01,A,"0,750"\n') }),
      422,
      'invalid_number',
    );
  });
});
