// Products by name: an upload's description column is stored per product and GET /products answers it beside the id.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BulkPredictResponse, ProductsResponse as ProductsSchema, type ProductsResponse } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { parseSalesFile } from '../ingest';
import { planColumns } from '../ingest/headers';
import { startTestServer, type TestServer } from '../testing/server';

async function upload(server: TestServer, name: string, csv: string) {
  const form = new FormData();
  form.append('file', new Blob([csv]), name);
  const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as { records?: number; columns?: Record<string, string> } };
}

async function products(server: TestServer, store: string) {
  const res = await fetch(`${server.url}/products/${store}`);
  const body = (await res.json()) as ProductsResponse;
  expect(ProductsSchema.parse(body)).toEqual(body);
  return Object.fromEntries(body.products.map((p) => [p.product_id, p.description]));
}

const days = (n: number) => Array.from({ length: n }, (_, i) => `2025-03-${String(i + 1).padStart(2, '0')}`);

describe('description columns', () => {
  it.each([['Description'], ['Name'], ['Item Name'], ['Product name'], ['item_desc'], ['PRODUCT_DESCRIPTION']])(
    'recognises "%s" as the products\' names, not as an extra column',
    async (header) => {
      const plan = planColumns(['Date', 'Store', 'SKU', header, 'Qty'], undefined);
      expect(plan.descriptionColumn).toBe(3);
      expect(plan.extras).toEqual([]);
      const parsed = await parseSalesFile({
        filename: 'f.csv',
        data: Buffer.from(`Date,Store,SKU,${header},Qty\n2025-03-01,S1,A,  Orange juice 1l ,2\n2025-03-02,S1,A,,3\n`),
      });
      expect(parsed.records.map((r) => [r.date, r.description, r.extra])).toEqual([
        ['2025-03-01', 'Orange juice 1l', null],
        ['2025-03-02', null, null],
      ]);
      expect(parsed.columns).not.toHaveProperty(header);
    },
  );

  it('leaves a column mapped to a field alone, and files without one unchanged', async () => {
    // A file whose ids are names: the "Name" column feeds product_id by the mapping, so it describes nothing.
    const mapped = planColumns(['Date', 'Name', 'Qty'], { product_id: 'Name' });
    expect(mapped.descriptionColumn).toBeNull();
    const plain = await parseSalesFile({ filename: 'f.csv', data: Buffer.from('Date,Store,SKU,Qty\n2025-03-01,S1,A,2\n') });
    expect(plain.records[0]).not.toHaveProperty('description');
  });

  it('sums receipt lines and keeps the last non-empty description of the day', async () => {
    const csv =
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate\n1,A,White mug,2,2025-03-01\n2,A,,1,2025-03-01\n3,B,Tea towel,1,2025-03-01\n';
    const parsed = await parseSalesFile({ filename: 'lines.csv', data: Buffer.from(csv) });
    expect(parsed.records.map((r) => [r.productId, r.unitsSold, r.description])).toEqual([
      ['A', 3, 'White mug'],
      ['B', 1, 'Tea towel'],
    ]);
  });

  it('cuts very long descriptions', async () => {
    const parsed = await parseSalesFile({ filename: 'f.csv', data: Buffer.from(`Date,SKU,Name,Qty\n2025-03-01,A,${'x'.repeat(500)},2\n`) });
    expect(parsed.records[0].description).toHaveLength(200);
  });
});

describe.each(testBackends)('product descriptions through GET /products on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => server?.close());

  it('stores the latest non-empty description per product and answers it; products without one answer null', async () => {
    const rows = days(10).flatMap((d, i) => [
      // The name changes on the 6th; the last day's cell is empty, which changes nothing.
      `${d},D1,P0001,${i === 9 ? '' : i < 5 ? 'Orange juice' : 'Orange juice 1l'},${i + 1}`,
      `${d},D1,P0002,,${i}`,
    ]);
    const first = await upload(server, 'named.csv', ['Date,Store ID,Product ID,Item Name,Units Sold', ...rows].join('\n'));
    expect(first.status).toBe(200);
    expect(first.body.records).toBe(20);
    expect(await products(server, 'D1')).toEqual({ P0001: 'Orange juice 1l', P0002: null });

    // A later upload that names P0002 and leaves P0001 unnamed: P0001 keeps its name.
    const second = await upload(
      server,
      'more.csv',
      ['Date,Store ID,Product ID,Description,Units Sold', '2025-03-11,D1,P0001,,4', '2025-03-11,D1,P0002,Apple juice 1l,5'].join('\n'),
    );
    expect(second.status).toBe(200);
    expect(await products(server, 'D1')).toEqual({ P0001: 'Orange juice 1l', P0002: 'Apple juice 1l' });

    // A file without the column changes no name.
    expect((await upload(server, 'plain.csv', 'Date,Store ID,Product ID,Units Sold\n2025-03-12,D1,P0001,6\n')).status).toBe(200);
    expect(await products(server, 'D1')).toEqual({ P0001: 'Orange juice 1l', P0002: 'Apple juice 1l' });

    // The description is the product's, not each day's: the history keeps no copy of it.
    const history = (await (await fetch(`${server.url}/history/D1/P0001`)).json()) as { history: { extra: unknown }[] };
    expect(history.history.every((h) => h.extra === null)).toBe(true);
  });

  it("names each product of a store's bulk plan, and its CSV and XLSX exports, beside its id", async () => {
    const lines = days(20).flatMap((d, i) => [`${d},D2,A1,Oat milk 1l,${i % 5}`, `${d},D2,A2,,${i % 3}`]);
    expect((await upload(server, 'named.csv', ['Date,Store ID,Product ID,Item Name,Units Sold', ...lines].join('\n'))).status).toBe(200);
    const res = await fetch(`${server.url}/bulk_predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ store_id: 'D2', horizon_days: 7 }),
    });
    expect(res.status).toBe(200);
    const plan = BulkPredictResponse.parse(await res.json());
    expect(Object.fromEntries(plan.predictions.map((p) => [p.product_id, p.product_name]))).toEqual({ A1: 'Oat milk 1l', A2: null });

    const csv = (await (await fetch(`${server.url}/bulk_predict/D2.csv?horizon_days=7&lead_time_days=2`)).text()).split('\r\n');
    expect(csv).toContain('Lead time,2 days'); // the header block says what was asked
    const header = csv.findIndex((l) => l.startsWith('Product,'));
    expect(csv[header]).toMatch(/^Product,Product name,Category,/);
    expect(
      csv
        .slice(header + 1)
        .filter(Boolean)
        .map((l) => l.split(',').slice(0, 2))
        .sort(),
    ).toEqual([
      ['A1', 'Oat milk 1l'],
      ['A2', ''],
    ]);
    const xlsx = new ExcelJS.Workbook();
    await xlsx.xlsx.load(await (await fetch(`${server.url}/bulk_predict/D2.xlsx?horizon_days=7`)).arrayBuffer());
    const sheet = xlsx.getWorksheet('Bulk Predictions D2')!;
    const names: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n > header + 1) names.push(row.getCell(2).value);
    });
    expect(sheet.getRow(header + 1).getCell(2).value).toBe('Product name');
    expect(names.sort()).toEqual(['Oat milk 1l', null]);
  });
});
