import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SalesRecord } from '../sales/record';
import type { Database } from './connection';
import { storeUpload } from './sales';
import { loadSeries } from './series';
import { openTestDatabase, testBackends } from './testing';
import { seriesColumns, toDailyFrame, type SeriesInput } from '../features/index';

/** The series as data: what it says, not whether its records are built yet or its columns carried. */
const plain = (s: SeriesInput): SeriesInput => ({
  storeId: s.storeId,
  productId: s.productId,
  category: s.category,
  region: s.region,
  records: s.records,
});

/** The columns a series carries equal those made from its records, and so do its frames. */
function expectColumnsOfRecords(s: SeriesInput) {
  expect(s.columns?.owner).toBe(s);
  const own = { ...s.columns!, owner: null };
  expect(own).toEqual({ ...seriesColumns(plain(s)), owner: null });
  expect(toDailyFrame(s, { horizon: 3 })).toEqual(toDailyFrame(plain(s), { horizon: 3 }));
}

const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10);
const record = (productId: string, n: number, over: Partial<SalesRecord> = {}): SalesRecord => ({
  date: day(n),
  storeId: 'S,1',
  productId,
  unitsSold: n * 1.5,
  inventoryLevel: n % 3 === 0 ? null : n,
  unitsOrdered: null,
  price: n % 4 === 0 ? null : 0.1 + n / 7,
  discount: n % 2 === 0 ? null : -0.25,
  promotion: n % 5 === 0 ? null : n % 2 === 0,
  category: 'Toys, games',
  region: null,
  unitCost: null,
  extra: null,
  ...over,
});

describe.each(testBackends)('loadSeries on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => db?.close());

  it('gives every stored value back, in date order, whatever the upload order, commas and NULLs', async () => {
    const constant = Array.from({ length: 20 }, (_, n) => record('P,1', n));
    // Category changing over time and sometimes missing; a region on some days; closed days.
    const changing = Array.from({ length: 20 }, (_, n) =>
      record('P2', n, {
        category: n < 5 ? null : n < 12 ? 'Old "cat"' : 'New\\cat',
        region: n % 6 === 0 ? 'North' : null,
        closed: n === 7 || n === 8,
      }),
    );
    const shuffled = [...constant, ...changing].sort((a, b) => ((a.unitsSold * 7919) % 13) - ((b.unitsSold * 7919) % 13));
    await storeUpload(
      db,
      { filename: 'f', checksum: 'x', format: 'generic', grain: 'daily', rowsRead: 40, columns: {}, warnings: [] },
      shuffled,
    );

    const series = await loadSeries(db.sql, { storeId: 'S,1' });
    // The columns come first; records are built when read.
    for (const s of series) expectColumnsOfRecords(s);
    const expected = (records: SalesRecord[]) => records.map((r) => ({ ...r, closed: r.closed === true }));
    expect(series.map((s) => s.productId)).toEqual(['P,1', 'P2']);
    expect(series[0].records).toEqual(expected(constant));
    expect(series[1].records).toEqual(expected(changing));
    // The series' category and region: its latest non-empty ones.
    expect(series[0]).toMatchObject({ category: 'Toys, games', region: null });
    expect(series[1]).toMatchObject({ category: 'New\\cat', region: 'North' });
    expect((await loadSeries(db.sql, { storeId: 'S,1', productIds: ['P2'] })).map(plain)).toEqual([plain(series[1])]);
    // Records replaced: the columns go with the old ones.
    const replaced = series[0];
    replaced.records = replaced.records.slice(0, 5);
    expect(replaced.columns).toBeUndefined();
    expect(toDailyFrame(replaced)).toEqual(toDailyFrame({ ...plain(replaced), records: expected(constant).slice(0, 5) }));
  });

  it('reads a large store in product ranges: the same series as one read, a product the catalog lacks included', async () => {
    // 600 products: four ranges at once. Ids sort as text (P10 < P9), as the database orders them.
    const ids = Array.from({ length: 600 }, (_, i) => `P${(i * 7919) % 600}`);
    const records = ids.flatMap((productId, i) => [0, 1, 2].map((n) => record(productId, n + (i % 5), { storeId: 'BIG' })));
    await storeUpload(
      db,
      { filename: 'big', checksum: 'big', format: 'generic', grain: 'daily', rowsRead: records.length, columns: {}, warnings: [] },
      records,
    );
    const oneRead = await loadSeries(db.sql, { storeId: 'BIG', productIds: ids });
    expect(oneRead.length).toBe(600);
    // The first, the last and the middle products (in the database's order) vanish from the catalog, so the ranges'
    // bounds move: their sales are still read.
    const order = oneRead.map((x) => x.productId);
    const gone = [order[0], order[299], order[300], order[599]];
    await db.sql`DELETE FROM products WHERE store_id = 'BIG' AND product_id = ANY(${gone}::text[])`;
    const inRanges = await loadSeries(db.sql, { storeId: 'BIG' });
    expect(inRanges.map((x) => x.productId)).toEqual(order);
    expect(inRanges.map(plain)).toEqual(oneRead.map(plain));
    for (const s of inRanges) expectColumnsOfRecords(s);
  });
});
