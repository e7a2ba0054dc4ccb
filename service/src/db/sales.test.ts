import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SalesRecord } from '../sales/record';
import type { Database } from './connection';
import { migrate } from './migrate';
import { ANALYZE_AFTER_ROWS, countSales, listProducts, listStores, salesHistory, storeUpload } from './sales';
import { openTestDatabase, testBackends } from './testing';

const record = (date: string, unitsSold: number, over: Partial<SalesRecord> = {}): SalesRecord => ({
  date,
  storeId: 'S1',
  productId: 'P1',
  unitsSold,
  inventoryLevel: 10,
  unitsOrdered: null,
  price: 2.5,
  discount: null,
  promotion: false,
  category: 'Toys',
  region: 'North',
  unitCost: null,
  extra: null,
  ...over,
});
const upload = { filename: 'f.csv', checksum: 'x', format: 'generic', grain: 'daily' as const, rowsRead: 0, columns: {}, warnings: [] };

describe.each(testBackends)('sales store on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => db?.close());

  it('applies migrations once and is idempotent', async () => {
    expect(await migrate(db.sql)).toEqual([]);
    const rows = await db.sql`SELECT version FROM schema_migrations`;
    expect(rows.length).toBeGreaterThan(0);
  });

  it('keeps the catalog figures of uploads of new days equal to a recount (later days, earlier days, new products)', async () => {
    const at = (date: string, units: number, over: Partial<SalesRecord> = {}) => record(date, units, { storeId: 'CAT', ...over });
    // New store, then later days, then earlier days: each one goes straight into sales and adds to the figures.
    const first = await storeUpload(db, upload, [at('2024-02-10', 1), at('2024-02-11', 2, { category: null })]);
    expect(first.counts).toEqual({ inserted: 2, updated: 0 });
    await storeUpload(db, upload, [
      at('2024-02-20', 1, { category: 'Games', region: null }),
      at('2024-02-20', 4, { productId: 'P2', category: null }),
    ]);
    await storeUpload(db, upload, [at('2024-01-05', 3, { category: 'Old', region: 'South' }), at('2024-01-06', 3, { productId: 'P2' })]);
    const recount = await db.sql`
      SELECT product_id, count(*)::int AS records, min(date) AS first_date, max(date) AS last_date,
             (array_agg(category ORDER BY date DESC) FILTER (WHERE category IS NOT NULL))[1] AS category,
             (array_agg(region ORDER BY date DESC) FILTER (WHERE region IS NOT NULL))[1] AS region
      FROM sales WHERE store_id = 'CAT' GROUP BY product_id ORDER BY product_id`;
    const catalog = await db.sql`
      SELECT product_id, records, first_date, last_date, category, region FROM products WHERE store_id = 'CAT' ORDER BY product_id`;
    expect(catalog).toEqual(recount);
    expect(catalog[0]).toMatchObject({ records: 4, first_date: '2024-01-05', last_date: '2024-02-20', category: 'Games', region: 'North' });
    // The other tests here count stores.
    await db.sql`DELETE FROM sales WHERE store_id = 'CAT'`;
    await db.sql`DELETE FROM products WHERE store_id = 'CAT'`;
    await db.sql`DELETE FROM store_grains WHERE store_id = 'CAT'`;
  });

  it('renews the planner statistics after a large upload, so a store is read along its key', async () => {
    const days = Array.from({ length: 1000 }, (_, d) => new Date(Date.UTC(2022, 0, 1 + d)).toISOString().slice(0, 10));
    const records = Array.from({ length: ANALYZE_AFTER_ROWS / 1000 + 2 }, (_, p) =>
      days.map((date) => record(date, p, { storeId: 'BIG', productId: `P${p}` })),
    ).flat();
    const before = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM sales`;
    await storeUpload(db, upload, records);
    const [{ reltuples }] = await db.sql<
      { reltuples: number }[]
    >`SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = 'sales'`;
    // Fewer rows than ANALYZE samples: its count is exact.
    expect(reltuples).toBe(before[0].n + records.length);
    await db.sql`DELETE FROM sales WHERE store_id = 'BIG'`;
    await db.sql`DELETE FROM products WHERE store_id = 'BIG'`;
  });

  it('inserts new days, replaces changed days and skips identical ones', async () => {
    const first = await storeUpload(db, upload, [record('2024-01-01', 3), record('2024-01-02', 4)]);
    expect(first.counts).toEqual({ inserted: 2, updated: 0 });
    const again = await storeUpload(db, upload, [record('2024-01-01', 3), record('2024-01-02', 4)]);
    expect(again.counts).toEqual({ inserted: 0, updated: 0 });
    const overlap = await storeUpload(db, upload, [
      record('2024-01-02', 9, { extra: { weather: 'Rainy' } }),
      record('2024-01-03', 1, { unitCost: 1.25 }),
    ]);
    expect(overlap.counts).toEqual({ inserted: 1, updated: 1 });
    const history = await salesHistory(db.sql, 'S1', 'P1');
    expect(history.map((h) => [h.date, h.units_sold])).toEqual([
      ['2024-01-01', 3],
      ['2024-01-02', 9],
      ['2024-01-03', 1],
    ]);
    expect(history[1].extra).toEqual({ weather: 'Rainy' });
    const [product] = await listProducts(db.sql, 'S1');
    expect(product).toMatchObject({ product_id: 'P1', category: 'Toys', records: 3, first_date: '2024-01-01', last_date: '2024-01-03' });
    const [{ unit_cost }] = await db.sql`SELECT unit_cost FROM products WHERE store_id = 'S1' AND product_id = 'P1'`;
    expect(unit_cost).toBe(1.25);
  });

  it('stores nothing, not even the upload row, when any batch fails', async () => {
    const salesBefore = await countSales(db.sql);
    const [{ n: uploadsBefore }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM uploads`;
    // 25,000 good rows then one the database rejects (NOT NULL): the failure comes after a whole batch was written.
    const many = Array.from({ length: 25_000 }, (_, i) =>
      record(new Date(Date.UTC(2000, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), i % 5, { productId: 'BULK' }),
    );
    many.push(record('2024-02-28', 1, { productId: 'BULK', unitsSold: null as unknown as number }));
    await expect(storeUpload(db, upload, many)).rejects.toThrow(/null/i);
    expect(await countSales(db.sql)).toBe(salesBefore);
    const [{ n: uploadsAfter }] = await db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM uploads`;
    expect(uploadsAfter).toBe(uploadsBefore);
  });

  it('refuses a record that is not a calendar day before writing anything', async () => {
    const before = await countSales(db.sql);
    await expect(storeUpload(db, upload, [record('2024-01-09', 1), record('2024-02-30', 1)])).rejects.toThrow(/calendar day/);
    expect(await countSales(db.sql)).toBe(before);
  });

  it('keeps text with tabs, newlines, backslashes and quotes intact', async () => {
    const odd = 'a\tb\nc\\d "e" \'f\'';
    await storeUpload(db, upload, [record('2024-03-01', 1, { storeId: 'S9', productId: 'ODD', category: odd, extra: { note: odd } })]);
    const [row] = await salesHistory(db.sql, 'S9', 'ODD');
    expect(row.category).toBe(odd);
    expect(row.extra).toEqual({ note: odd });
  });

  it('summarises stores from the product master', async () => {
    await storeUpload(db, upload, [
      record('2023-12-30', 2, { storeId: 'S2', productId: 'A' }),
      record('2024-01-05', 2, { storeId: 'S2', productId: 'B' }),
    ]);
    const stores = (await listStores(db.sql)).filter((s) => s.store_id !== 'S9');
    expect(stores).toEqual([
      { store_id: 'S1', grain: 'daily', products: 1, records: 3, first_date: '2024-01-01', last_date: '2024-01-03' },
      { store_id: 'S2', grain: 'daily', products: 2, records: 2, first_date: '2023-12-30', last_date: '2024-01-05' },
    ]);
    expect(await salesHistory(db.sql, 'S1', 'P1', { from: '2024-01-02', to: '2024-01-02' })).toHaveLength(1);
  });
});
