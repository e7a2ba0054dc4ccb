// Rows (as columns) -> one SalesRecord per (store, product, date), sorted by store, product, date.
import { tidy } from '../features/period';
import { letOthersIn } from './cells';
import type { SalesRecord } from '../sales/record';

/** A record with its product's name in words, when the file has a description column (headers.ts). */
export type DescribedRecord = SalesRecord & {
  /** The last non-empty description among the rows of the record. */
  description?: string | null;
};

export interface Interned {
  /** Per row: index into `values`, -1 when empty. */
  ids: Int32Array;
  values: string[];
}

export interface AggregateInput {
  n: number;
  /** Per row: index into dateIso / dateDay. */
  dateIds: Int32Array;
  dateIso: string[];
  dateDay: Int32Array;
  store: Interned | null;
  defaultStore: string;
  product: Interned;
  /** NaN = empty (counted as 0). */
  units: Float64Array;
  inventory?: Float64Array;
  ordered?: Float64Array;
  price?: Float64Array;
  discount?: Float64Array;
  unitCost?: Float64Array;
  /** 1 / 0 / -1 empty */
  promotion?: Int8Array;
  /** Store open that day: 1 open / 0 closed / -1 unknown. */
  open?: Int8Array;
  category?: Interned;
  region?: Interned;
  /** The product's name in words, per row. */
  description?: Interned;
  extras: { name: string; ids: Int32Array; values: (string | number)[] }[];
  /** Rows are receipt lines: sum them, weight prices by quantity, drop per-line details. */
  transactions: boolean;
}

export interface Aggregated {
  records: DescribedRecord[];
  /** Rows merged into an earlier row with the same store, product and date. */
  merged: number;
  /** Days whose returns exceeded their sales (net units < 0): stored as 0 units sold, since returns are not demand. */
  moreReturnsThanSales: number;
}

/** Rank of each distinct value in sorted order, so rows can be ordered by integers. */
function ranks(values: string[]): Int32Array {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
  const rank = new Int32Array(values.length);
  order.forEach((id, r) => (rank[id] = r));
  return rank;
}

function sortRows(input: AggregateInput, storeRank: Int32Array, productRank: Int32Array): Uint32Array {
  const { n, dateIds, dateDay } = input;
  const sr = (row: number) => (input.store ? storeRank[input.store.ids[row]] : 0);
  const pr = (row: number) => productRank[input.product.ids[row]];
  let minDay = Infinity;
  let maxDay = -Infinity;
  for (const d of dateDay) {
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const S = input.store ? input.store.values.length : 1;
  const P = input.product.values.length;
  const D = maxDay - minDay + 1;
  // Ties keep file order (the row index is the last key), so "last value wins" means last in the file.
  const key = (row: number) => ((sr(row) * P + pr(row)) * D + (dateDay[dateIds[row]] - minDay)) * n + row;

  const order = new Uint32Array(n);
  if (S * P * D * n < Number.MAX_SAFE_INTEGER) {
    const keys = new Float64Array(n);
    let sorted = true;
    for (let row = 0; row < n; row++) {
      keys[row] = key(row);
      if (row > 0 && keys[row] < keys[row - 1]) sorted = false;
    }
    if (!sorted) keys.sort();
    for (let i = 0; i < n; i++) order[i] = keys[i] % n;
    return order;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => sr(a) - sr(b) || pr(a) - pr(b) || dateDay[dateIds[a]] - dateDay[dateIds[b]] || a - b);
}

const num = (a: Float64Array | undefined, row: number): number | null => {
  if (a === undefined) return null;
  const v = a[row];
  return Number.isNaN(v) ? null : v;
};
const text = (c: Interned | undefined, row: number): string | null => {
  if (c === undefined) return null;
  const id = c.ids[row];
  return id < 0 ? null : c.values[id];
};

/** The last non-empty text among the rows order[from..to), or null. */
function lastText(c: Interned, order: Uint32Array, from: number, to: number): string | null {
  for (let i = to - 1; i >= from; i--) {
    const id = c.ids[order[i]];
    if (id >= 0) return c.values[id];
  }
  return null;
}

/** Groups per stretch of work between two letOthersIn() (tens of milliseconds). */
const GROUPS_PER_STRETCH = 20_000;

export async function aggregate(input: AggregateInput): Promise<Aggregated> {
  const { n, store, product, dateIds, dateIso, dateDay } = input;
  const storeRank = store ? ranks(store.values) : new Int32Array(0);
  const productRank = ranks(product.values);
  const order = sortRows(input, storeRank, productRank);
  await letOthersIn();

  const records: DescribedRecord[] = [];
  let merged = 0;
  let moreReturnsThanSales = 0;

  let groups = 0;
  for (let g = 0; g < n;) {
    if (++groups % GROUPS_PER_STRETCH === 0) await letOthersIn();
    const first = order[g];
    const s = store ? store.ids[first] : -1;
    const p = product.ids[first];
    const day = dateDay[dateIds[first]];
    let end = g + 1;
    while (end < n) {
      const row = order[end];
      if (product.ids[row] !== p || dateDay[dateIds[row]] !== day || (store !== null && store.ids[row] !== s)) break;
      end++;
    }
    merged += end - g - 1;

    const record = input.transactions ? transactionRecord(input, order, g, end) : dailyRecord(input, order, g, end);
    record.storeId = store ? store.values[s] : input.defaultStore;
    record.productId = product.values[p];
    record.date = dateIso[dateIds[first]];
    // Only files with a description column carry the property, so the records of others keep their shape.
    if (input.description) (record as DescribedRecord).description = lastText(input.description, order, g, end);
    if (record.unitsSold < 0) {
      moreReturnsThanSales++;
      record.unitsSold = 0;
    }
    records.push(record);
    g = end;
  }
  return { records, merged, moreReturnsThanSales };
}

function dailyRecord(input: AggregateInput, order: Uint32Array, from: number, to: number): SalesRecord {
  let units = 0;
  for (let i = from; i < to; i++) {
    const u = input.units[order[i]];
    if (!Number.isNaN(u)) units += u;
  }
  const last = order[to - 1];
  let extra: Record<string, string | number> | null = null;
  for (const x of input.extras) {
    const id = x.ids[last];
    if (id < 0) continue;
    extra ??= {};
    // A column headed "__proto__" is data like any other: define it rather than assign (which would set the prototype).
    if (x.name === '__proto__')
      Object.defineProperty(extra, x.name, { value: x.values[id], enumerable: true, writable: true, configurable: true });
    else extra[x.name] = x.values[id];
  }
  const promo = input.promotion ? input.promotion[last] : -1;
  const record: SalesRecord = {
    date: '',
    storeId: '',
    productId: '',
    unitsSold: to - from > 1 ? tidy(units) : units,
    inventoryLevel: num(input.inventory, last),
    unitsOrdered: num(input.ordered, last),
    price: num(input.price, last),
    discount: num(input.discount, last),
    promotion: promo < 0 ? null : promo === 1,
    category: text(input.category, last),
    region: text(input.region, last),
    unitCost: num(input.unitCost, last),
    extra,
  };
  // Only files that say whether the store was open carry the flag; the last row of the day decides, as for the rest.
  if (input.open) record.closed = input.open[last] === 0;
  return record;
}

function transactionRecord(input: AggregateInput, order: Uint32Array, from: number, to: number): SalesRecord {
  let units = 0;
  let soldQty = 0;
  let soldValue = 0;
  let category: string | null = null;
  let region: string | null = null;
  let unitCost: number | null = null;
  for (let i = from; i < to; i++) {
    const row = order[i];
    const u = input.units[row];
    if (Number.isNaN(u)) continue;
    units += u;
    const price = num(input.price, row);
    if (u > 0 && price !== null) {
      soldQty += u;
      soldValue += u * price;
    }
    category = text(input.category, row) ?? category;
    region = text(input.region, row) ?? region;
    unitCost = num(input.unitCost, row) ?? unitCost;
  }
  return {
    date: '',
    storeId: '',
    productId: '',
    unitsSold: tidy(units),
    inventoryLevel: null,
    unitsOrdered: null,
    price: soldQty > 0 ? Math.round((soldValue / soldQty) * 1e6) / 1e6 : null,
    discount: null,
    promotion: null,
    category,
    region,
    unitCost,
    extra: null,
  };
}
