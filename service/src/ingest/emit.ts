// The second pass of an upload: its spooled rows -> one SalesRecord per (store, product, date), handed on in batches.
// Rows of a series that never repeats a day are records as they stand; only series that repeat days (receipt lines,
// repeated rows) are merged in memory, so a daily file of any size streams through.
import { tidy } from '../features/period';
import type { SalesRecord } from '../sales/record';
import { letOthersIn } from './cells';
import type { Typed } from './columns';
import type { RowSpool } from './spool';

/** A record with its product's name in words, when the file has a description column (headers.ts). */
export type DescribedRecord = SalesRecord & {
  /** The last non-empty description among the rows of the record. */
  description?: string | null;
};

/** A text column as dictionary ids per row (-1 empty) into its distinct values. */
export interface Interned {
  ids: Int32Array;
  values: string[];
}

/** Where a dictionary column sits in a spooled batch, and its values. */
export interface SpooledText {
  at: number;
  values: string[];
}

/** Everything pass 1 decided about how rows become records. Positions index a spooled batch. */
export interface RecordPlan {
  spool: RowSpool;
  /** Batch positions of the row numbers and the series of each row. */
  seriesAt: number;
  dateAt: number;
  /** Per series: 1 when its rows repeat a day and are merged; null merges every series (receipt lines). */
  repeats: Uint8Array | null;
  /** Per date key: its epoch day as read (records group by it) and the date the record is stored under. */
  dayOfKey: Int32Array;
  storedDateOfKey: string[];
  firstDay: number;
  lastDay: number;
  store: SpooledText | null;
  defaultStore: string;
  product: SpooledText;
  /** Units per row of a batch; NaN = empty (counted as 0). */
  units: (batch: Typed[]) => Float64Array;
  /** Per row of a batch whether the store was open: 1 / 0 closed / -1 unknown; absent when the file does not say. */
  open?: (batch: Typed[]) => Int8Array;
  inventoryAt?: number;
  orderedAt?: number;
  priceAt?: number;
  discountAt?: number;
  unitCostAt?: number;
  promotionAt?: number;
  category?: SpooledText;
  region?: SpooledText;
  description?: SpooledText;
  extras: { name: string; at: number; values: (string | number)[] }[];
  /** Rows are receipt lines: sum them, weight prices by quantity, drop per-line details. */
  transactions: boolean;
}

export interface EmitCounts {
  records: number;
  /** Days whose returns exceeded their sales (net units < 0): stored as 0 units sold, since returns are not demand. */
  moreReturnsThanSales: number;
  closed: number;
  /** Records dated after today (UTC) and the latest of them. */
  future: { records: number; latest: string; today: string } | null;
}

export type RecordSink = (records: DescribedRecord[]) => Promise<void> | void;

/** Records handed to the sink at a time. */
const SINK_BATCH = 20_000;

/** One batch of rows with the plan's columns picked out. */
interface Rows {
  rowNumbers: Int32Array;
  series: Int32Array;
  dates: Int32Array;
  store: Int32Array | null;
  product: Int32Array;
  units: Float64Array;
  open?: Int8Array;
  inventory?: Float64Array;
  ordered?: Float64Array;
  price?: Float64Array;
  discount?: Float64Array;
  unitCost?: Float64Array;
  promotion?: Int8Array;
  category?: Int32Array;
  region?: Int32Array;
  description?: Int32Array;
  extras: Int32Array[];
}

function pick(plan: RecordPlan, batch: Typed[]): Rows {
  const f64 = (at: number | undefined) => (at === undefined ? undefined : (batch[at] as Float64Array));
  const i32 = (c: SpooledText | undefined) => (c === undefined ? undefined : (batch[c.at] as Int32Array));
  return {
    rowNumbers: batch[0] as Int32Array,
    series: batch[plan.seriesAt] as Int32Array,
    dates: batch[plan.dateAt] as Int32Array,
    store: plan.store ? (batch[plan.store.at] as Int32Array) : null,
    product: batch[plan.product.at] as Int32Array,
    units: plan.units(batch),
    open: plan.open?.(batch),
    inventory: f64(plan.inventoryAt),
    ordered: f64(plan.orderedAt),
    price: f64(plan.priceAt),
    discount: f64(plan.discountAt),
    unitCost: f64(plan.unitCostAt),
    promotion: plan.promotionAt === undefined ? undefined : (batch[plan.promotionAt] as Int8Array),
    category: i32(plan.category),
    region: i32(plan.region),
    description: i32(plan.description),
    extras: plan.extras.map((x) => batch[x.at] as Int32Array),
  };
}

const num = (a: Float64Array | undefined, row: number): number | null => {
  if (a === undefined) return null;
  const v = a[row];
  return Number.isNaN(v) ? null : v;
};
const text = (c: SpooledText | undefined, ids: Int32Array | undefined, row: number): string | null => {
  if (c === undefined || ids === undefined) return null;
  const id = ids[row];
  return id < 0 ? null : c.values[id];
};

/** A record of one row (daily files): values as they stand, units as given. */
function rowRecord(plan: RecordPlan, rows: Rows, row: number): DescribedRecord {
  let extra: Record<string, string | number> | null = null;
  for (let k = 0; k < plan.extras.length; k++) {
    const id = rows.extras[k][row];
    if (id < 0) continue;
    const x = plan.extras[k];
    extra ??= {};
    // A column headed "__proto__" is data like any other: define it rather than assign (which would set the prototype).
    if (x.name === '__proto__')
      Object.defineProperty(extra, x.name, { value: x.values[id], enumerable: true, writable: true, configurable: true });
    else extra[x.name] = x.values[id];
  }
  const promo = rows.promotion ? rows.promotion[row] : -1;
  const u = rows.units[row];
  const record: DescribedRecord = {
    date: plan.storedDateOfKey[rows.dates[row]],
    storeId: rows.store ? plan.store!.values[rows.store[row]] : plan.defaultStore,
    productId: plan.product.values[rows.product[row]],
    unitsSold: Number.isNaN(u) ? 0 : u,
    inventoryLevel: num(rows.inventory, row),
    unitsOrdered: num(rows.ordered, row),
    price: num(rows.price, row),
    discount: num(rows.discount, row),
    promotion: promo < 0 ? null : promo === 1,
    category: text(plan.category, rows.category, row),
    region: text(plan.region, rows.region, row),
    unitCost: num(rows.unitCost, row),
    extra,
  };
  // Only files that say whether the store was open carry the flag; the last row of the day decides, as for the rest.
  if (rows.open) record.closed = rows.open[row] === 0;
  if (plan.description) record.description = text(plan.description, rows.description, row);
  return record;
}

/** The rows of one series and day seen so far. */
interface Group {
  record: DescribedRecord;
  rows: number;
  units: number;
  /** Receipt lines: quantity and value of the lines that sold at a price. */
  soldQty: number;
  soldValue: number;
}

function addToGroup(plan: RecordPlan, rows: Rows, row: number, group: Group | undefined): Group {
  const u = rows.units[row];
  if (!plan.transactions) {
    // Units add up; every other value is the last row's, and the description the last one given.
    const record = rowRecord(plan, rows, row);
    if (group === undefined) return { record, rows: 1, units: Number.isNaN(u) ? 0 : u, soldQty: 0, soldValue: 0 };
    if (!Number.isNaN(u)) group.units += u;
    group.rows++;
    if (plan.description && record.description === null) record.description = group.record.description;
    group.record = record;
    return group;
  }
  if (group === undefined) {
    group = {
      record: {
        date: plan.storedDateOfKey[rows.dates[row]],
        storeId: rows.store ? plan.store!.values[rows.store[row]] : plan.defaultStore,
        productId: plan.product.values[rows.product[row]],
        unitsSold: 0,
        inventoryLevel: null,
        unitsOrdered: null,
        price: null,
        discount: null,
        promotion: null,
        category: null,
        region: null,
        unitCost: null,
        extra: null,
      },
      rows: 0,
      units: 0,
      soldQty: 0,
      soldValue: 0,
    };
    if (plan.description) group.record.description = null;
  }
  group.rows++;
  if (plan.description) group.record.description = text(plan.description, rows.description, row) ?? group.record.description;
  if (Number.isNaN(u)) return group;
  group.units += u;
  const price = num(rows.price, row);
  if (u > 0 && price !== null) {
    group.soldQty += u;
    group.soldValue += u * price;
  }
  const r = group.record;
  r.category = text(plan.category, rows.category, row) ?? r.category;
  r.region = text(plan.region, rows.region, row) ?? r.region;
  r.unitCost = num(rows.unitCost, row) ?? r.unitCost;
  return group;
}

function groupRecord(plan: RecordPlan, g: Group): DescribedRecord {
  const r = g.record;
  if (plan.transactions) {
    r.unitsSold = tidy(g.units);
    r.price = g.soldQty > 0 ? Math.round((g.soldValue / g.soldQty) * 1e6) / 1e6 : null;
  } else r.unitsSold = g.rows > 1 ? tidy(g.units) : g.units;
  return r;
}

/**
 * Reads the spool once and hands every record to the sink in batches. Records of series without repeated days come
 * in file order; merged ones follow at the end.
 */
export async function emitRecords(plan: RecordPlan, sink: RecordSink): Promise<EmitCounts> {
  const span = plan.lastDay - plan.firstDay + 1;
  const groups = new Map<number, Group>();
  const counts: EmitCounts = { records: 0, moreReturnsThanSales: 0, closed: 0, future: null };
  const today = new Date().toISOString().slice(0, 10);
  let futureRecords = 0;
  let latest = '';
  let out: DescribedRecord[] = [];
  const put = async (record: DescribedRecord) => {
    if (record.unitsSold < 0) {
      counts.moreReturnsThanSales++;
      record.unitsSold = 0;
    }
    if (record.closed === true) counts.closed++;
    if (record.date > today) {
      futureRecords++;
      if (record.date > latest) latest = record.date;
    }
    counts.records++;
    out.push(record);
    if (out.length >= SINK_BATCH) {
      const full = out;
      out = [];
      await sink(full);
    }
  };

  for (const batch of plan.spool.batches()) {
    const rows = pick(plan, batch);
    const n = rows.series.length;
    for (let row = 0; row < n; row++) {
      const series = rows.series[row];
      if (plan.repeats !== null && plan.repeats[series] === 0) {
        await put(rowRecord(plan, rows, row));
        continue;
      }
      const key = series * span + (plan.dayOfKey[rows.dates[row]] - plan.firstDay);
      groups.set(key, addToGroup(plan, rows, row, groups.get(key)));
    }
    // Requests that came in meanwhile (/ready, /stores during a large upload) are answered between batches.
    await letOthersIn();
  }
  for (const g of groups.values()) await put(groupRecord(plan, g));
  groups.clear();
  if (out.length > 0) await sink(out);
  if (futureRecords > 0) counts.future = { records: futureRecords, latest, today };
  return counts;
}
