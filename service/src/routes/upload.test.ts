import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, UploadResponse } from '../../../shared/schemas';
import { startTestServer, type TestServer } from '../testing/server';
import { testBackends } from '../db/testing';

const DATA = new URL('../../../../shared/data/', import.meta.url);
const readData = (path: string) => readFileSync(new URL(path, DATA));

/** The first `lines` data lines of a CSV file from ../shared/data (read in place, header kept). */
function headOf(path: string, lines: number): Buffer {
  const text = readData(path).toString('utf8');
  let end = 0;
  for (let i = 0; i <= lines && end !== -1; i++) end = text.indexOf('\n', end + 1);
  return Buffer.from(end === -1 ? text : text.slice(0, end + 1));
}

async function upload(server: TestServer, name: string, bytes: Buffer | string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)]), name);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as UploadResponse & ErrorBody };
}

async function counts(server: TestServer) {
  const [row] = await server.db.sql<{ sales: number; uploads: number; products: number }[]>`
    SELECT (SELECT count(*)::int FROM sales) AS sales, (SELECT count(*)::int FROM uploads) AS uploads,
           (SELECT count(*)::int FROM products) AS products`;
  return row;
}

describe.each(testBackends)('POST /upload_data on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { MAX_UPLOAD_MB: 2 });
  });
  afterAll(async () => server?.close());

  it('stores the Kaggle layout with DD-MM-YYYY dates, promotions and extra columns', async () => {
    const { status, body } = await upload(server, 'retail.csv', readData('retail_store_inventory/retail_store_inventory_first500.csv'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'kaggle', records: 499, inserted: 499, updated: 0, skipped: 0 });
    expect(body.date_range).toEqual({ first: '2022-01-01', last: '2022-01-05' });
    expect(body.stores).toEqual(['S001', 'S002', 'S003', 'S004', 'S005']);
    const history = await (await fetch(`${server.url}/history/S001/P0001`)).json();
    expect(history.history[0]).toMatchObject({
      date: '2022-01-01',
      units_sold: 127,
      inventory_level: 231,
      units_ordered: 55,
      price: 33.5,
      discount: 20,
      promotion: false,
      category: 'Groceries',
      region: 'North',
    });
    expect(history.history[0].extra).toMatchObject({ 'Weather Condition': 'Rainy', 'Demand Forecast': 135.47 });
  });

  it('re-uploading the same rows changes nothing; an overlapping upload replaces those days', async () => {
    const file = readData('retail_store_inventory/retail_store_inventory_first500.csv');
    const before = await counts(server);
    const again = await upload(server, 'retail.csv', file);
    expect(again.body).toMatchObject({ inserted: 0, updated: 0, skipped: 499 });
    expect((await counts(server)).sales).toBe(before.sales);

    const edited = 'Date,Store ID,Product ID,Units Sold\n01-01-2022,S001,P0001,5\n06-01-2022,S001,P0001,7\n';
    const overlap = await upload(server, 'edit.csv', edited, { date_format: 'DMY' });
    expect(overlap.status).toBe(200);
    expect(overlap.body).toMatchObject({ inserted: 1, updated: 1, skipped: 0 });
    const history = await (await fetch(`${server.url}/history/S001/P0001?from=2022-01-01&to=2022-01-06`)).json();
    const units = Object.fromEntries(history.history.map((h: { date: string; units_sold: number }) => [h.date, h.units_sold]));
    // Day 1 replaced, day 6 added, the days in between (not in the second file) kept.
    expect(units).toEqual({ '2022-01-01': 5, '2022-01-02': 81, '2022-01-03': 5, '2022-01-04': 58, '2022-01-05': 147, '2022-01-06': 7 });
  });

  it('stores M5 rows (item_id, units, sell_price; empty price before the item is on sale)', async () => {
    const { status, body } = await upload(server, 'm5.csv', headOf('m5/sales.csv', 20_000));
    expect(status).toBe(200);
    expect(body).toMatchObject({ format: 'm5', records: 20_000, inserted: 20_000 });
    expect(body.columns).toMatchObject({ product_id: 'item_id', units_sold: 'units', price: 'sell_price' });
    const history = await (await fetch(`${server.url}/history/CA_1/FOODS_1_033?to=2011-01-30`)).json();
    expect(history.history).toEqual([
      expect.objectContaining({ date: '2011-01-29', units_sold: 0, price: null }),
      expect.objectContaining({ date: '2011-01-30', units_sold: 0, price: null }),
    ]);
  });

  it("stores Dominick's weekly data with prices and deals, gzipped", async () => {
    const { status, body } = await upload(server, 'oj.csv.gz', gzipSync(headOf('dominicks_oj/orangeJuice_long.csv', 3000)));
    expect(status).toBe(200);
    // Kept as weeks: one record per line of the file, dated by the week's first day ("week_start").
    expect(body).toMatchObject({ format: 'dominicks', grain: 'weekly', week_dates: 'start', records: 3000 });
    expect(body.warnings.join(' ')).toMatch(/weekly .*kept as a week/);
    const stores = (await (await fetch(`${server.url}/stores`)).json()).stores as { store_id: string; grain: string }[];
    expect(stores.find((s) => s.store_id === '2')).toMatchObject({ grain: 'weekly' });
    // "1990-06-14",40,2,1,"Tropicana Premium 64 oz",64,8256,...: one week, no invented days.
    const history = await (await fetch(`${server.url}/history/2/1?from=1990-06-15&to=1990-07-26`)).json();
    expect(history.grain).toBe('weekly');
    expect(history.history.map((p: { date: string; period_end: string; units_sold: number }) => [p.date, p.period_end])).toEqual([
      ['1990-06-14', '1990-06-20'],
      ['1990-07-26', '1990-08-01'],
    ]);
    expect(history.history[0].units_sold).toBe(8256);
  });

  it('aggregates transaction lines (UCI Online Retail) to daily units in one default store', async () => {
    const file = readData('online_retail/online_retail_first10000.csv');
    const { status, body } = await upload(server, 'retail_lines.csv', file);
    expect(status).toBe(200);
    expect(body.format).toBe('transactions');
    expect(body.stores).toEqual(['default']);
    expect(body.records).toBeLessThan(10_000);
    // Units per product and day equal the sum of the file's lines.
    const lines = file
      .toString('utf8')
      .trim()
      .split('\n')
      .slice(1)
      .filter((l) => l.split(',')[1] === '85123A' && l.includes('2010-12-01'));
    const expected = lines.reduce((s, l) => s + Number(l.split(',')[3]), 0);
    const history = await (await fetch(`${server.url}/history/default/85123A?from=2010-12-01&to=2010-12-01`)).json();
    expect(history.history[0].units_sold).toBe(expected);
  });

  it('stores Open = 0 days of a store-level file as closed, and money as units only when mapped on purpose', async () => {
    const csv = 'Store,DayOfWeek,Date,Sales,Customers,Open,Promo\nR1,1,2024-03-04,0,0,0,0\nR1,2,2024-03-05,5263,555,1,1\n';
    const refused = await upload(server, 'rossmann.csv', csv);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'money_not_units', details: { money_column: 'Sales' } });

    const { status, body } = await upload(server, 'rossmann.csv', csv, { mapping: JSON.stringify({ units_sold: 'Sales' }) });
    expect(status).toBe(200);
    expect(body.columns).toMatchObject({ store_id: 'Store', units_sold: 'Sales', open: 'Open' });
    expect(body.warnings.join(' ')).toMatch(/in money, not units.*store-level sales.*1 day is marked closed in "Open"/);
    const rows = await server.db.sql<{ date: string; units_sold: number; closed: boolean }[]>`
      SELECT to_char(date, 'YYYY-MM-DD') AS date, units_sold, closed FROM sales WHERE store_id = 'R1' AND product_id = 'R1' ORDER BY date`;
    expect(rows.map((r) => [r.date, r.units_sold, r.closed])).toEqual([
      ['2024-03-04', 0, true],
      ['2024-03-05', 5263, false],
    ]);
    // GET /history says which days were closed.
    const history = await (await fetch(`${server.url}/history/R1/R1`)).json();
    expect(history.history.map((h: { date: string; closed: boolean }) => [h.date, h.closed])).toEqual([
      ['2024-03-04', true],
      ['2024-03-05', false],
    ]);
  });

  it('derives units from sales value / price with units_from=sales_value', async () => {
    const csv = 'Date,Store,SKU,Revenue,Price\n2024-03-04,UF,A,10,2.5\n2024-03-05,UF,A,5,2.5\n';
    const refused = await upload(server, 'revenue.csv', csv, { units_from: 'bananas' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_request');
    const { status, body } = await upload(server, 'revenue.csv', csv, { units_from: 'sales_value' });
    expect(status).toBe(200);
    expect(body.columns).toMatchObject({ sales_value: 'Revenue', price: 'Price' });
    const history = await (await fetch(`${server.url}/history/UF/A`)).json();
    expect(history.history.map((h: { units_sold: number }) => h.units_sold)).toEqual([4, 2]);
  });

  it('reads a chosen sheet of an .xlsx workbook with date cells, using a column mapping', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notes').addRow(['nothing here']);
    const ws = wb.addWorksheet('Sales');
    ws.addRow(['Day', 'Shop', 'SKU', 'Qty sold', 'Price']);
    ws.addRow([new Date(Date.UTC(2023, 4, 1)), 'X1', 'A-1', 4, 2.5]);
    ws.addRow([new Date(Date.UTC(2023, 4, 2)), 'X1', 'A-1', 6, 2.5]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const mapping = JSON.stringify({ date: 'Day', store_id: 'Shop', product_id: 'SKU', units_sold: 'Qty sold' });
    const { status, body } = await upload(server, 'book.xlsx', bytes, { sheet: 'Sales', mapping });
    expect(status).toBe(200);
    expect(body).toMatchObject({ records: 2, stores: ['X1'], date_range: { first: '2023-05-01', last: '2023-05-02' } });
    const history = await (await fetch(`${server.url}/history/X1/A-1`)).json();
    expect(history.history.map((h: { units_sold: number; price: number }) => [h.units_sold, h.price])).toEqual([
      [4, 2.5],
      [6, 2.5],
    ]);
  });

  it("reads buyers' files: two-digit years in the stated order, thousands dots, look-alike ids, future sales when allowed", async () => {
    const file = 'Datum;Filiale;Artikel;Menge\n30.11.26;Nord 1;K-1;1.234\n30.11.26;nord 1;K-1;2\n25.11.62;Nord 1;K-1;3\n';
    const refused = await upload(server, 'eu.csv', file, { date_format: 'DMY' });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'future_dates', details: { column: 'Datum', rows: [4] } });
    expect(refused.body.error.message).toMatch(
      /^Column "Datum" has sales dated after today \(\d{4}-\d{2}-\d{2}\) in row 4 \("25\.11\.62"\)\./,
    );

    const { status, body } = await upload(server, 'eu.csv', file, { date_format: 'DMY', allow_future: 'true' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ records: 3, stores: ['Nord 1', 'nord 1'], date_range: { first: '2026-11-30', last: '2062-11-25' } });
    expect(body.warnings).toContain(
      'Some store ids differ only in upper/lower case or spaces: "Nord 1", "nord 1". They were kept as different stores, but ' +
        'they may be the same store: if so, write it one way throughout the file and upload the file again.',
    );
    expect(body.warnings.join(' ')).toMatch(/1 record is dated after today .* the latest 2062-11-25/);
    // Against what is stored: stores, and products of the upload's stores.
    const again = await upload(server, 'eu2.csv', 'Datum;Filiale;Artikel;Menge\n29.11.26;NORD 1;X;5\n29.11.26;Nord 1;k-1;5\n', {
      date_format: 'DMY',
    });
    expect(again.status).toBe(200);
    expect(again.body.warnings).toContain(
      'Some store ids in this file and already stored differ only in upper/lower case or spaces: "NORD 1", "Nord 1", "nord 1". ' +
        'They were kept as different stores, but they may be the same store: if so, undo this upload ' +
        '(DELETE /uploads/{upload_id}), write it as it was stored before and upload the file again.',
    );
    expect(again.body.warnings.join(' ')).toMatch(
      /product ids in this file and already stored differ only in upper\/lower case or spaces: "k-1", "K-1"\./,
    );
    const history = await (await fetch(`${server.url}/history/Nord%201/K-1`)).json();
    expect(history.history.map((h: { date: string; units_sold: number }) => [h.date, h.units_sold])).toEqual([
      ['2026-11-30', 1234],
      ['2062-11-25', 3],
    ]);
  });

  describe('rejects bad files with a clear 4xx and stores nothing', () => {
    const cases: {
      name: string;
      file: string;
      bytes: Buffer | string;
      fields?: Record<string, string>;
      status: number;
      code: RegExp;
      message: RegExp;
    }[] = [
      { name: 'empty file', file: 'empty.csv', bytes: '', status: 422, code: /empty/, message: /empty|no (data|rows)/i },
      {
        name: 'header only',
        file: 'header.csv',
        bytes: 'date,store_id,product_id,units\n',
        status: 422,
        code: /empty/,
        message: /no (data|sales)? ?rows|empty/i,
      },
      {
        name: 'binary bytes',
        file: 'data.csv',
        bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff, 0x00, 0x13, 0x37]),
        status: 415,
        code: /.+/,
        message: /.+/,
      },
      {
        name: 'missing units column',
        file: 'x.csv',
        bytes: 'date,store_id,product_id\n2024-01-01,S1,P1\n',
        status: 422,
        code: /missing_columns/,
        message: /units/i,
      },
      {
        name: 'bad date',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n2024-01-01,S1,P1,1\n2024-13-45,S1,P1,2\n',
        status: 422,
        code: /invalid_date/,
        message: /row 3/i,
      },
      {
        name: 'undecidable day order',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n03-04-2022,S1,P1,1\n03-04-2022,S1,P2,2\n',
        status: 422,
        code: /ambiguous_date/,
        message: /date_format/,
      },
      {
        name: 'bad number',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n2024-01-01,S1,P1,1\n2024-01-02,S1,P1,lots\n',
        status: 422,
        code: /invalid_number/,
        message: /units.*row 3|row 3.*units/i,
      },
      {
        name: 'duplicate header',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units,units\n2024-01-01,S1,P1,1,2\n',
        status: 422,
        code: /duplicate_header/,
        message: /units/,
      },
      {
        name: 'formula-looking id',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n2024-01-01,S1,=HYPERLINK("http://x"),1\n',
        status: 422,
        code: /invalid_value/,
        message: /formula|row 2/i,
      },
      {
        name: 'formula-looking number',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n2024-01-01,S1,P1,=1+2\n',
        status: 422,
        code: /invalid_number/,
        message: /row 2/,
      },
      {
        name: 'two-digit years without date_format',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n05/02/10,S1,P1,1\n',
        status: 422,
        code: /^ambiguous_date$/,
        message: /two-digit years, such as "05\/02\/10" \(row 2\).*date_format=DMY.*date_format=MDY.*date_format=YMD/,
      },
      {
        name: 'a thousands dot or a decimal point',
        file: 'x.csv',
        bytes: 'date;store_id;product_id;units;price\n2024-01-01;S1;P1;1;1.5\n2024-01-02;S1;P1;1;1.234\n',
        status: 422,
        code: /^ambiguous_number$/,
        message: /Column "price" has numbers that could be read two ways.* in row 3 \("1\.234"\)/,
      },
      {
        name: 'an id longer than requests accept',
        file: 'x.csv',
        bytes: `date,store_id,product_id,units\n2024-01-01,S1,P1,1\n2024-01-01,S1,${'p'.repeat(5000)},1\n`,
        status: 422,
        code: /^id_too_long$/,
        message: /Column "product_id" has ids longer than 200 characters in row 3/,
      },
      {
        name: 'sales dated after today',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n2024-01-01,S1,P1,1\n2099-01-01,S1,P1,1\n',
        status: 422,
        code: /^future_dates$/,
        message: /row 3 \("2099-01-01"\).*allow_future=true/,
      },
      {
        name: 'allow_future neither true nor false',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n2024-01-01,S1,P1,1\n',
        fields: { allow_future: 'maybe' },
        status: 422,
        code: /^invalid_request$/,
        message: /allow_future: must be true or false/,
      },
      {
        name: '.xls workbook',
        file: 'old.xls',
        bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
        status: 415,
        code: /unsupported/,
        message: /save as \.xlsx/i,
      },
      { name: 'unknown type', file: 'notes.txt', bytes: 'hello', status: 415, code: /unsupported/, message: /\.csv/ },
      {
        name: 'mapping not JSON',
        file: 'x.csv',
        bytes: 'a,b\n',
        fields: { mapping: '{units' },
        status: 422,
        code: /invalid_mapping/,
        message: /JSON/,
      },
      {
        name: 'mapping to a missing column',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n2024-01-01,S1,P1,1\n',
        fields: { mapping: '{"units_sold":"Qty"}' },
        status: 422,
        code: /invalid_mapping/,
        message: /Qty/,
      },
      {
        name: 'mapping with an unknown field',
        file: 'x.csv',
        bytes: 'date,store_id,product_id,units\n2024-01-01,S1,P1,1\n',
        fields: { mapping: '{"colour":"units"}' },
        status: 422,
        code: /invalid_mapping/,
        message: /colour|mapping/,
      },
      {
        name: 'too large for the cap',
        file: 'big.csv',
        bytes: Buffer.alloc(3 * 1024 * 1024, 'a'),
        status: 413,
        code: /too_large/,
        message: /limit/,
      },
    ];
    it.each(cases)('$name → $status', async ({ file, bytes, fields, status, code, message }) => {
      const before = await counts(server);
      const res = await upload(server, file, bytes, fields);
      expect(res.status).toBe(status);
      expect(res.body.error.code).toMatch(code);
      expect(res.body.error.message).toMatch(message);
      expect(await counts(server)).toEqual(before);
    });

    it('a body that is not multipart → 415', async () => {
      const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: 'date,units', headers: { 'content-type': 'text/csv' } });
      expect(res.status).toBe(415);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(/multipart/);
    });

    it('a form without the file field → 400', async () => {
      const form = new FormData();
      form.append('sheet', 'x');
      const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).error.code).toBe('missing_file');
    });

    it('a file whose last row is bad stores none of its good rows', async () => {
      const good = Array.from({ length: 3000 }, (_, i) => `2020-01-01,BATCH,P${i},1`).join('\n');
      const res = await upload(server, 'x.csv', `date,store_id,product_id,units\n${good}\n2020-01-02,BATCH,P1,oops\n`);
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(/row 3002/);
      const stores = (await (await fetch(`${server.url}/stores`)).json()).stores as { store_id: string }[];
      expect(stores.map((s) => s.store_id)).not.toContain('BATCH');
    });
  });

  it('an upload aborted half way stores nothing', async () => {
    const before = await counts(server);
    const boundary = 'x-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const rows = Array.from({ length: 20_000 }, (_, i) => `2021-01-01,HALF,P${i},${i % 7}`).join('\n');
    const body = Buffer.from(`${head}date,store_id,product_id,units\n${rows}\n\r\n--${boundary}--\r\n`);
    const url = new URL(`${server.url}/upload_data`);
    await new Promise<void>((resolve) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length },
        },
        () => resolve(),
      );
      req.on('error', () => resolve());
      // Send half of the body, then cut the connection.
      req.write(body.subarray(0, body.length >> 1), () =>
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 200),
      );
    });
    // The server notices the cut; give it a moment, then check that nothing arrived.
    await new Promise((r) => setTimeout(r, 500));
    expect(await counts(server)).toEqual(before);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
  });
});
