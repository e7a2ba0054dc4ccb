import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse, ProductsResponse, StoresResponse } from '../../../shared/schemas';
import {
  HistoryResponse as HistorySchema,
  ProductsResponse as ProductsSchema,
  StoresResponse as StoresSchema,
} from '../../../shared/schemas';
import { storeUpload } from '../db/sales';
import { testBackends } from '../db/testing';
import { generateDemoSales } from '../demo/generate';
import { startTestServer, type TestServer } from '../testing/server';

describe.each(testBackends)('catalog endpoints on %s', (kind) => {
  let server: TestServer;
  const demo = generateDemoSales({ stores: ['N1', 'N2'], productsPerStore: 6, days: 60, endDate: '2025-03-31', seed: 3 });
  const get = async <T>(path: string) => {
    const res = await fetch(server.url + path);
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    server = await startTestServer(kind);
    await storeUpload(
      server.db,
      { filename: 'demo', checksum: 'demo', format: 'demo', grain: 'daily', rowsRead: demo.length, columns: {}, warnings: [] },
      demo,
    );
  });
  afterAll(async () => server?.close());

  it('GET /stores lists each store with products, records and date range', async () => {
    const { status, body } = await get<StoresResponse>('/stores');
    expect(status).toBe(200);
    expect(StoresSchema.parse(body)).toEqual(body);
    const n1 = demo.filter((r) => r.storeId === 'N1');
    expect(body.stores.map((s) => s.store_id)).toEqual(['N1', 'N2']);
    expect(body.stores[0]).toEqual({
      store_id: 'N1',
      grain: 'daily',
      products: 6,
      records: n1.length,
      first_date: n1.map((r) => r.date).sort()[0],
      last_date: '2025-03-31',
      demo: false,
    });
  });

  it("GET /products/{store} lists the store's products with category; unknown store → 404", async () => {
    const { status, body } = await get<ProductsResponse>('/products/N2');
    expect(status).toBe(200);
    expect(ProductsSchema.parse(body)).toEqual(body);
    expect(body.products).toHaveLength(6);
    expect(body.products[0]).toMatchObject({ product_id: 'P0001', category: 'Groceries', last_date: '2025-03-31' });
    const missing = await get<{ error: { code: string; message: string } }>('/products/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', message: expect.stringContaining('NOPE') });
  });

  it('GET /history returns the stored days in date order, filtered by from/to', async () => {
    const { status, body } = await get<HistoryResponse>('/history/N1/P0002?from=2025-03-01&to=2025-03-10');
    expect(status).toBe(200);
    expect(HistorySchema.parse(body)).toEqual(body);
    const expected = demo.filter((r) => r.storeId === 'N1' && r.productId === 'P0002' && r.date >= '2025-03-01' && r.date <= '2025-03-10');
    expect(body.grain).toBe('daily');
    expect(body.history.map((h) => [h.date, h.period_end, h.units_sold, h.price, h.promotion, h.inventory_level])).toEqual(
      expected.map((r) => [r.date, r.date, r.unitsSold, r.price, r.promotion, r.inventoryLevel]),
    );
  });

  it('answers unknown products and bad queries in the error shape', async () => {
    const unknown = await get<{ error: { code: string } }>('/history/N1/NOPE');
    expect(unknown.status).toBe(404);
    const badDate = await get<{ error: { code: string; message: string } }>('/history/N1/P0001?from=2025-02-30');
    expect(badDate.status).toBe(422);
    expect(badDate.body.error.message).toMatch(/from/);
    const reversed = await get<{ error: { code: string; message: string } }>('/history/N1/P0001?from=2025-03-10&to=2025-03-01');
    expect(reversed.status).toBe(422);
    const noRoute = await get<{ error: { code: string } }>('/nothing/here');
    expect(noRoute.status).toBe(404);
    expect(noRoute.body.error.code).toBe('not_found');
  });

  it('GET /health answers and /openapi.json documents the endpoints', async () => {
    expect((await get<{ status: string }>('/health')).body.status).toBe('ok');
    const doc = await get<{ paths: Record<string, unknown> }>('/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/stores', '/products/{store_id}', '/history/{store_id}/{product_id}', '/upload_data']),
    );
  });
});
