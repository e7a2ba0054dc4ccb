import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHAIN_CATEGORIES, chainChunks, chainFileName, chainRows, writeChain, type ChainOptions } from './chain';

const SMALL: ChainOptions = { stores: 2, products: 30, days: 400, endDate: '2025-12-31', seed: 5 };
const text = (options: ChainOptions) => [...chainChunks(options)].join('');
const dataLines = (csv: string) => csv.trimEnd().split('\n').slice(1);

describe('generated chain', () => {
  const csv = text(SMALL);
  const rows = dataLines(csv).map((line) => {
    const [date, store, product, units, price, promotion, category] = line.split(',');
    return { date, store, product, units: Number(units), priceText: price, price: Number(price), promotion, category };
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const dir = mkdtempSync(join(tmpdir(), 'chain-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has a header and one row per store x product x day, ending on the requested day', () => {
    expect(csv.startsWith('date,store_id,product_id,units_sold,price,promotion,category\n')).toBe(true);
    expect(rows).toHaveLength(2 * 30 * 400);
    expect(chainRows(SMALL)).toBe(rows.length);
    expect(new Set(rows.map((r) => r.store))).toEqual(new Set(['S001', 'S002']));
    expect(new Set(rows.map((r) => `${r.store}/${r.product}`)).size).toBe(60);
    const dates = [...new Set(rows.map((r) => r.date))].sort();
    expect(dates).toHaveLength(400);
    expect(dates.at(-1)).toBe('2025-12-31');
    expect(dates[0]).toBe('2024-11-27');
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(text(SMALL)).toBe(csv);
    expect(text({ ...SMALL, seed: 6 })).not.toBe(csv);
  });

  it('holds the same rows in date order, and leaves out the category column on request', () => {
    const byDate = dataLines(text({ ...SMALL, order: 'date' }));
    expect(byDate[0].startsWith('2024-11-27,S001,P0001,')).toBe(true);
    expect(byDate[1].startsWith('2024-11-27,S001,P0002,')).toBe(true);
    expect([...byDate].sort()).toEqual(dataLines(csv).sort());
    const bare = text({ ...SMALL, category: false });
    expect(bare.split('\n', 1)[0]).toBe('date,store_id,product_id,units_sold,price,promotion');
    expect(dataLines(bare)[0].split(',')).toHaveLength(6);
  });

  it('has plausible values: whole non-negative units, positive prices, promotions with lift, weekends and slow movers', () => {
    expect(rows.every((r) => Number.isInteger(r.units) && r.units >= 0)).toBe(true);
    expect(rows.every((r) => r.price > 0 && /^\d+\.\d\d$/.test(r.priceText))).toBe(true);
    expect(rows.every((r) => r.promotion === '0' || r.promotion === '1')).toBe(true);
    expect(rows.every((r) => CHAIN_CATEGORIES.includes(r.category))).toBe(true);
    const promoShare = rows.filter((r) => r.promotion === '1').length / rows.length;
    expect(promoShare).toBeGreaterThan(0.05);
    expect(promoShare).toBeLessThan(0.35);
    expect(mean(rows.filter((r) => r.promotion === '1').map((r) => r.units))).toBeGreaterThan(
      mean(rows.filter((r) => r.promotion === '0').map((r) => r.units)),
    );
    const dow = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();
    const weekend = mean(rows.filter((r) => dow(r.date) === 0 || dow(r.date) === 6).map((r) => r.units));
    const midweek = mean(rows.filter((r) => dow(r.date) === 2 || dow(r.date) === 3).map((r) => r.units));
    expect(weekend).toBeGreaterThan(midweek * 1.15);
    expect(rows.filter((r) => r.date.endsWith('-12-25')).every((r) => r.units === 0)).toBe(true);
    const perSeries = new Map<string, number[]>();
    for (const r of rows) perSeries.set(`${r.store}/${r.product}`, [...(perSeries.get(`${r.store}/${r.product}`) ?? []), r.units]);
    const zeroShares = [...perSeries.values()].map((units) => units.filter((u) => u === 0).length / units.length);
    expect(zeroShares.filter((z) => z > 0.6).length).toBeGreaterThanOrEqual(4); // slow and intermittent products
    expect(zeroShares.filter((z) => z < 0.05).length).toBeGreaterThanOrEqual(20);
  });

  it('writes the file in chunks to the same bytes, under a name naming its parameters', async () => {
    const path = join(dir, chainFileName(SMALL));
    expect(chainFileName(SMALL)).toBe('chain-2s-30p-400d-2025-12-31-seed5.csv');
    const written = await writeChain(path, { ...SMALL, chunkBytes: 4096 });
    expect(readFileSync(path, 'utf8')).toBe(csv);
    expect(written).toEqual({ rows: 24_000, bytes: Buffer.byteLength(csv) });
  });

  it('refuses sizes it cannot name', () => {
    expect(() => chainRows({ stores: 0 })).toThrow(/stores/);
    expect(() => chainRows({ stores: 1000 })).toThrow(/999/);
    expect(() => chainRows({ stores: 1, endDate: 'soon' })).toThrow(/endDate/);
  });
});
