// Removing data over HTTP: a store, a product, an upload undone (or refused), the demo data; each answer checked
// against the contract and against what the database holds afterwards, on both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DemoRemovalResponse,
  ErrorBody,
  ProductRemovalResponse,
  StoreRemovalResponse,
  StoresResponse,
  UploadResponse,
  UploadUndoResponse,
} from '../../../shared/schemas';
import { createApiKey } from '../auth/keys';
import { storeUpload } from '../db/sales';
import { testBackends } from '../db/testing';
import { generateDemoSales } from '../demo/generate';
import { QUICK_TRAINING } from '../reliability/fixtures';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales, trainAndWait } from '../testing/trained';

const LAST_DAY = '2024-06-30';

describe.each(testBackends)('removing data on %s', (kind) => {
  let server: TestServer;

  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(server.url + path, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const upload = async (csv: string, name = 'sales.csv') => {
    const form = new FormData();
    form.append('file', new Blob([csv]), name);
    const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
    const body = (await res.json()) as unknown;
    expect(res.status, JSON.stringify(body)).toBe(200);
    return UploadResponse.parse(body);
  };
  const csv = (rows: [string, string, string, number][]) =>
    ['date,store_id,product_id,units_sold', ...rows.map((r) => r.join(','))].join('\n') + '\n';
  const stores = async () => StoresResponse.parse((await send('GET', '/stores')).body).stores;
  const errorOf = (body: unknown) => ErrorBody.parse(body).error;
  const count = async (table: string, where: string, ...params: string[]) => {
    const [{ n }] = await server.db.sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params);
    return n;
  };
  const salesOf = async (storeId: string) =>
    server.db.sql<{ product_id: string; date: string; units_sold: number; upload_id: number }[]>`
      SELECT product_id, date, units_sold, upload_id::int FROM sales WHERE store_id = ${storeId} ORDER BY product_id, date`;

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    await storeDemoSales(server, { stores: ['R1', 'R2'], productsPerStore: 4, days: 90, endDate: LAST_DAY, seed: 11 });
  });
  afterAll(async () => server?.close());

  it('DELETE /stores/{store_id} removes its sales, products, models and jobs in one go, and nothing is served for it after', async () => {
    await trainAndWait(server, 'R1', QUICK_TRAINING);
    const predict = { store_id: 'R1', product_id: 'P0001', date: '2024-07-03' };
    expect((await send('POST', '/predict', predict)).status).toBe(200); // the store's data and model are now cached
    const rows = await count('sales', 'store_id = $1', 'R1');

    const res = await send('DELETE', '/stores/R1');
    expect(res.status).toBe(200);
    expect(StoreRemovalResponse.parse(res.body)).toEqual({
      store_id: 'R1',
      removed: { sales_rows: rows, products: 4, models: 1, jobs: 1 },
    });
    expect(await count('sales', 'store_id = $1', 'R1')).toBe(0);
    expect(await count('products', 'store_id = $1', 'R1')).toBe(0);
    expect(await count('models', 'scope = $1', 'store:R1')).toBe(0);
    expect(await count('training_jobs', 'scope = $1', 'store:R1')).toBe(0);
    expect(await count('sales', 'store_id = $1', 'R2')).toBe(90 * 4);

    expect((await stores()).map((s) => s.store_id)).toEqual(['R2']);
    const after = await send('POST', '/predict', predict);
    expect(after.status).toBe(404);
    expect(errorOf(after.body).code).toBe('not_found');
    expect((await send('GET', '/products/R1')).status).toBe(404);
    const again = await send('DELETE', '/stores/R1');
    expect(again.status).toBe(404);
    expect(errorOf(again.body)).toMatchObject({ code: 'not_found', message: expect.stringContaining('R1') });
  }, 120_000);

  it('DELETE /products/{store_id}/{product_id} removes one product; the store keeps the others', async () => {
    const predict = { store_id: 'R2', product_id: 'P0001', date: '2024-07-03' };
    expect((await send('POST', '/predict', predict)).status).toBe(200); // no model yet (a baseline answers): the store's data is cached
    const res = await send('DELETE', '/products/R2/P0001');
    expect(res.status).toBe(200);
    expect(ProductRemovalResponse.parse(res.body)).toEqual({
      store_id: 'R2',
      product_id: 'P0001',
      removed: { sales_rows: 90, products: 1, models: 0, jobs: 0 },
    });
    expect(await count('sales', 'store_id = $1 AND product_id = $2', 'R2', 'P0001')).toBe(0);
    expect(await count('products', 'store_id = $1', 'R2')).toBe(3);
    expect((await stores()).find((s) => s.store_id === 'R2')).toMatchObject({ products: 3, records: 270 });
    expect((await send('GET', '/history/R2/P0001')).status).toBe(404);
    expect((await send('POST', '/predict', predict)).status).toBe(404);
    expect((await send('DELETE', '/products/R2/P0001')).status).toBe(404);
    expect((await send('DELETE', '/products/NOPE/P0002')).status).toBe(404);
  });

  it('refuses with 409 while a training job over the store runs, and removes nothing', async () => {
    const [{ id }] = await server.db.sql<{ id: number }[]>`
      INSERT INTO training_jobs (scope, status, started_at, heartbeat_at) VALUES ('store:R2', 'running', now(), now())
      RETURNING id::int`;
    try {
      const res = await send('DELETE', '/stores/R2');
      expect(res.status).toBe(409);
      expect(errorOf(res.body)).toMatchObject({ code: 'training_running', details: { job_ids: [id], store_ids: ['R2'] } });
      expect(await count('sales', 'store_id = $1', 'R2')).toBe(270);
    } finally {
      await server.db.sql`DELETE FROM training_jobs WHERE id = ${id}`;
    }
  });

  it('DELETE /uploads/{upload_id} undoes an upload of new days: its rows and products are gone', async () => {
    const first = await upload(
      csv([
        ['2024-01-01', 'U1', 'A', 3],
        ['2024-01-02', 'U1', 'A', 4],
        ['2024-01-01', 'U1', 'B', 5],
      ]),
    );
    expect(first).toMatchObject({ inserted: 3, updated: 0 });
    expect((await stores()).map((s) => s.store_id)).toContain('U1');

    const res = await send('DELETE', `/uploads/${first.upload_id}`);
    expect(res.status).toBe(200);
    expect(UploadUndoResponse.parse(res.body)).toEqual({
      upload_id: first.upload_id,
      stores: ['U1'],
      restored_rows: 0,
      removed: { sales_rows: 3, products: 2, models: 0, jobs: 0 },
    });
    expect(await count('sales', 'store_id = $1', 'U1')).toBe(0);
    expect(await count('products', 'store_id = $1', 'U1')).toBe(0);
    expect((await stores()).map((s) => s.store_id)).not.toContain('U1');

    const again = await send('DELETE', `/uploads/${first.upload_id}`);
    expect(again.status).toBe(409);
    expect(errorOf(again.body).code).toBe('already_undone');
    expect((await send('DELETE', '/uploads/999999')).status).toBe(404);
    for (const bad of ['abc', '0', '-1', '1e0', '0x1']) expect((await send('DELETE', `/uploads/${bad}`)).status, bad).toBe(422);
  });

  it('undoing an upload that replaced days puts the previous values back, with correct product figures', async () => {
    const before = await upload(
      csv([
        ['2024-02-01', 'U2', 'A', 1],
        ['2024-02-02', 'U2', 'A', 2],
        ['2024-02-03', 'U2', 'A', 3],
        ['2024-02-01', 'U2', 'B', 7],
      ]),
    );
    const stored = await salesOf('U2');
    const productsBefore = (await send('GET', '/products/U2')).body;
    const change = await upload(
      csv([
        ['2024-02-02', 'U2', 'A', 20],
        ['2024-02-03', 'U2', 'A', 3],
        ['2024-02-04', 'U2', 'A', 40],
        ['2024-02-01', 'U2', 'C', 9],
      ]),
    );
    expect(change).toMatchObject({ inserted: 2, updated: 1, skipped: 1 });
    // Only the replaced day's previous values are kept: new and unchanged days cost nothing to undo.
    expect(await count('upload_changes', 'upload_id = $1', String(before.upload_id))).toBe(0);
    expect(
      await count(
        'upload_changes',
        'upload_id = $1 AND units_sold = 2 AND previous_upload_id = $2',
        String(change.upload_id),
        String(before.upload_id),
      ),
    ).toBe(1);
    expect(await count('upload_changes', 'upload_id = $1', String(change.upload_id))).toBe(1);
    expect((await send('GET', '/products/U2')).body).toMatchObject({ products: [{ records: 4, last_date: '2024-02-04' }, {}, {}] });

    const res = await send('DELETE', `/uploads/${change.upload_id}`);
    expect(res.status).toBe(200);
    expect(UploadUndoResponse.parse(res.body)).toEqual({
      upload_id: change.upload_id,
      stores: ['U2'],
      restored_rows: 1,
      removed: { sales_rows: 2, products: 1, models: 0, jobs: 0 },
    });
    expect(await salesOf('U2')).toEqual(stored);
    expect(stored.every((r) => r.upload_id === before.upload_id)).toBe(true);
    expect((await send('GET', '/products/U2')).body).toEqual(productsBefore);
    expect(await count('upload_changes', 'upload_id = $1', String(change.upload_id))).toBe(0);
  });

  it('refuses to undo an upload that a later upload overlapped, naming it, until that one is undone', async () => {
    const first = await upload(
      csv([
        ['2024-03-01', 'U3', 'A', 1],
        ['2024-03-02', 'U3', 'A', 2],
      ]),
    );
    const later = await upload(csv([['2024-03-02', 'U3', 'A', 5]]));
    expect(later).toMatchObject({ updated: 1 });

    const refused = await send('DELETE', `/uploads/${first.upload_id}`);
    expect(refused.status).toBe(409);
    const error = errorOf(refused.body);
    expect(error).toMatchObject({ code: 'undo_conflict', details: { upload_id: first.upload_id, later_uploads: [later.upload_id] } });
    expect(error.message).toContain(String(later.upload_id));
    expect((await salesOf('U3')).map((r) => r.units_sold)).toEqual([1, 5]);

    expect((await send('DELETE', `/uploads/${later.upload_id}`)).status).toBe(200);
    expect((await salesOf('U3')).map((r) => r.units_sold)).toEqual([1, 2]);
    const undone = await send('DELETE', `/uploads/${first.upload_id}`);
    expect(undone.status).toBe(200);
    expect(UploadUndoResponse.parse(undone.body).removed.sales_rows).toBe(2);
    expect(await count('sales', 'store_id = $1', 'U3')).toBe(0);
  });

  it('marks demo stores, warns on uploads into them, and DELETE /demo removes the demo data but keeps the rows uploaded there', async () => {
    const demo = generateDemoSales({ stores: ['DM1', 'DM2'], productsPerStore: 3, days: 60, endDate: LAST_DAY, seed: 4 });
    await storeUpload(
      server.db,
      { filename: 'demo', checksum: 'demo', format: 'demo', grain: 'daily', rowsRead: demo.length, columns: {}, warnings: [], demo: true },
      demo,
    );
    const listed = await stores();
    expect(listed.filter((s) => s.demo).map((s) => s.store_id)).toEqual(['DM1', 'DM2']);
    expect(listed.find((s) => s.store_id === 'R2')?.demo).toBe(false);

    const mine = await upload(
      csv([
        ['2024-07-01', 'DM1', 'MINE', 3],
        ['2024-06-30', 'DM1', 'P0001', 99],
      ]),
    );
    expect(mine.warnings.join(' ')).toMatch(/"DM1" holds generated demo data.*DELETE \/demo/);
    expect(mine).toMatchObject({ inserted: 1, updated: 1 });
    const ordinary = await upload(csv([['2024-07-01', 'U4', 'A', 1]]));
    expect(ordinary.warnings.join(' ')).not.toMatch(/demo/);

    await trainAndWait(server, 'DM2', QUICK_TRAINING);
    const res = await send('DELETE', '/demo');
    expect(res.status).toBe(200);
    expect(DemoRemovalResponse.parse(res.body)).toEqual({
      stores: ['DM1', 'DM2'],
      removed: { sales_rows: demo.length - 1, products: 5, models: 1, jobs: 1 },
    });
    // The buyer's rows stay, as their own store; nothing of the demo is left.
    expect((await salesOf('DM1')).map((r) => [r.product_id, r.units_sold])).toEqual([
      ['MINE', 3],
      ['P0001', 99],
    ]);
    expect(await count('sales', 'store_id = $1', 'DM2')).toBe(0);
    const after = await stores();
    expect(after.find((s) => s.store_id === 'DM1')).toMatchObject({ demo: false, products: 2, records: 2 });
    expect(after.map((s) => s.store_id)).not.toContain('DM2');
    expect((await send('POST', '/predict', { store_id: 'DM2', product_id: 'P0001', date: '2024-07-03' })).status).toBe(404);

    // Undoing the buyer's upload now deletes the day it had replaced: the demo value it replaced is gone for good.
    expect(UploadUndoResponse.parse((await send('DELETE', `/uploads/${mine.upload_id}`)).body)).toMatchObject({ restored_rows: 0 });
    expect(await count('sales', 'store_id = $1', 'DM1')).toBe(0);

    const nothing = await send('DELETE', '/demo');
    expect(DemoRemovalResponse.parse(nothing.body)).toEqual({ stores: [], removed: { sales_rows: 0, products: 0, models: 0, jobs: 0 } });
  }, 120_000);
});

describe.each(testBackends)('removing demo data after the start-up training on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    const demo = generateDemoSales({ stores: ['DX'], productsPerStore: 3, days: 90, endDate: LAST_DAY, seed: 8 });
    const meta = { filename: 'demo', checksum: 'demo', format: 'demo', grain: 'daily' as const, rowsRead: demo.length };
    await storeUpload(server.db, { ...meta, columns: {}, warnings: [], demo: true }, demo);
  });
  afterAll(async () => server?.close());

  it("takes the global model trained on demo data alone along with the demo stores' models", async () => {
    await trainAndWait(server, 'all', QUICK_TRAINING);
    const scopes = async () => (await server.db.sql<{ scope: string }[]>`SELECT scope FROM models ORDER BY scope`).map((m) => m.scope);
    expect(await scopes()).toEqual(['global', 'store:DX']);
    const res = await fetch(`${server.url}/demo`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(DemoRemovalResponse.parse(await res.json())).toEqual({
      stores: ['DX'],
      // The store's own part of the "all" job goes with it; the "all" job and its global part stay, detached.
      removed: { sales_rows: 270, products: 3, models: 2, jobs: 1 },
    });
    expect(await scopes()).toEqual([]);
    const jobs = await server.db.sql<{ scope: string; status: string; model_id: number | null }[]>`
      SELECT scope, status, model_id FROM training_jobs ORDER BY id`;
    expect(jobs).toEqual([
      { scope: 'all', status: 'succeeded', model_id: null },
      { scope: 'global', status: 'succeeded', model_id: null },
    ]);
    expect((await (await fetch(`${server.url}/stores`)).json()) as unknown).toEqual({ stores: [] });
  }, 120_000);
});

describe.each(testBackends)('removal endpoints behind the API key on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, { apiKeyCacheMs: 0 });
    await storeDemoSales(server, { stores: ['K1'], productsPerStore: 2, days: 20, endDate: LAST_DAY, seed: 2 });
  });
  afterAll(async () => server?.close());

  it('answers 401 without a key once keys exist, and removes with one', async () => {
    const { key } = await createApiKey(server.db.sql, 'remover');
    for (const path of ['/stores/K1', '/products/K1/P0001', '/uploads/1', '/demo']) {
      const res = await fetch(server.url + path, { method: 'DELETE' });
      expect(res.status, path).toBe(401);
      expect(ErrorBody.safeParse(await res.json()).success).toBe(true);
    }
    const [{ n }] = await server.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sales WHERE store_id = 'K1'`;
    expect(n).toBe(40);
    const res = await fetch(`${server.url}/stores/K1`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(StoreRemovalResponse.parse(await res.json()).removed).toEqual({ sales_rows: 40, products: 2, models: 0, jobs: 0 });
  });
});
