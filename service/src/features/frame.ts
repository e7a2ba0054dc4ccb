// The gap-filled daily frame of one (store, product) series: the single input every feature is computed from.
import type { SalesRecord } from '../sales/record';
import { formatDay, parseDay } from './dates';

export interface SeriesInput {
  storeId: string;
  productId: string;
  category: string | null;
  /** State/region, used to pick the calendar's SNAP flags; defaults to the records' region. */
  region?: string | null;
  /** One record per day (duplicates are summed), preferably sorted by date; days may be missing. */
  records: SalesRecord[];
  /**
   * The records' numbers as typed arrays, when whoever built the series made them (db/series.ts does, and builds
   * `records` only when something reads them): frames, histories and plans then read no record objects. Used only
   * while `owner` is this very object (a copy with other records does not inherit them).
   */
  columns?: SeriesColumns;
}

/** What frames and plans need of each record, in record order (see setColumn for the rules). */
export interface SeriesColumns {
  owner: SeriesInput | null;
  /** Epoch day. */
  day: Int32Array;
  /** Units sold; 0 when not a finite number. */
  units: Float64Array;
  /** NaN when not a valid price (> 0). */
  price: Float64Array;
  /** NaN when not a valid discount (>= 0). */
  discount: Float64Array;
  /** 1/0, NaN when unknown. */
  promotion: Float64Array;
  /** Inventory level; NaN when not recorded. */
  inventory: Float64Array;
  /** 1 when the shelf was empty (inventory <= 0) or the store closed. */
  stockout: Uint8Array;
  /** The first record's category / region that has one (seriesCategory, seriesRegion). */
  category: string | null;
  region: string | null;
}

/** An empty set of columns for n records, to be filled with setColumn. */
export function newColumns(n: number): SeriesColumns {
  // One allocation, not eight: allocating typed arrays cost more than filling them for 1,000 series.
  const buffer = new ArrayBuffer(n * 45);
  const f = new Float64Array(buffer, 0, 5 * n);
  return {
    owner: null,
    units: f.subarray(0, n),
    price: f.subarray(n, 2 * n),
    discount: f.subarray(2 * n, 3 * n),
    promotion: f.subarray(3 * n, 4 * n),
    inventory: f.subarray(4 * n, 5 * n),
    day: new Int32Array(buffer, 40 * n, n),
    stockout: new Uint8Array(buffer, 44 * n, n),
    category: null,
    region: null,
  };
}

/** Fills column k from record r (day: its epoch day, parsed once by the caller). */
export function setColumn(c: SeriesColumns, k: number, r: SalesRecord, day: number): void {
  c.day[k] = day;
  c.units[k] = validNumber(r.unitsSold) ? r.unitsSold : 0;
  c.price[k] = validPrice(r.price) ? r.price : NaN;
  c.discount[k] = validNumber(r.discount) && r.discount >= 0 ? r.discount : NaN;
  c.promotion[k] = typeof r.promotion === 'boolean' ? (r.promotion ? 1 : 0) : NaN;
  c.inventory[k] = validNumber(r.inventoryLevel) ? r.inventoryLevel : NaN;
  c.stockout[k] = (validNumber(r.inventoryLevel) && r.inventoryLevel <= 0) || r.closed === true ? 1 : 0;
  if (c.category === null && r.category) c.category = r.category;
  if (c.region === null && r.region) c.region = r.region;
}

/** The columns the series carries as its own, or null (then read its records). */
export function ownColumns(series: SeriesInput): SeriesColumns | null {
  return series.columns && series.columns.owner === series ? series.columns : null;
}

/** How many records the series has, without building them when its columns are at hand. */
export function recordCount(series: SeriesInput): number {
  return ownColumns(series)?.day.length ?? series.records.length;
}

/** The epoch days of the series' first and last records (NaN when it has none). */
export function recordSpan(series: SeriesInput): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  const own = ownColumns(series);
  if (own) {
    for (const d of own.day) {
      if (d < first) first = d;
      if (d > last) last = d;
    }
  } else {
    for (const r of series.records) {
      const d = parseDay(r.date);
      if (d < first) first = d;
      if (d > last) last = d;
    }
  }
  return Number.isFinite(first) ? { first, last } : { first: NaN, last: NaN };
}

/** The series' columns: its own when it carries them, else made from its records now. */
export function seriesColumns(series: SeriesInput): SeriesColumns {
  const own = ownColumns(series);
  if (own) return own;
  const records = series.records;
  const c = newColumns(records.length);
  for (let k = 0; k < records.length; k++) setColumn(c, k, records[k], parseDay(records[k].date));
  return c;
}

/** Known-future inputs for forecast days. Later overrides win; omitted fields keep the default. */
/** The series' category: its own, else the first record's that has one. */
export function seriesCategory(s: SeriesInput): string | null {
  if (s.category) return s.category;
  const own = ownColumns(s);
  if (own) return own.category;
  for (const r of s.records) if (r.category) return r.category;
  return null;
}

export interface ScenarioOverride {
  /** Restrict to a store / product (omitted = all). */
  storeId?: string;
  productId?: string;
  /** Inclusive YYYY-MM-DD range of forecast days (omitted = all forecast days). */
  from?: string;
  to?: string;
  /** Absolute price. */
  price?: number;
  /** Multiplies the price those days would otherwise have (e.g. 0.9 for a 10% cut). */
  priceFactor?: number;
  discount?: number;
  promotion?: boolean;
}

export interface FrameOptions {
  /** Last day of history (YYYY-MM-DD): records after it are ignored (except as future inputs, see futureInputs) and
   * days between the last record and it are zero-sales days. Default: the series' last record. */
  until?: string;
  /** Forecast days appended after `until` with unknown units and known-future inputs. */
  horizon?: number;
  scenario?: ScenarioOverride[];
  /**
   * Inputs of forecast days: 'last' (default) = last known price, no discount, no promotion;
   * 'recorded' = price/discount/promotion of records after `until` where the input has them (planned prices, as in M5
   * where sell prices of the evaluation weeks are given), falling back to 'last'. Units of those records are never used.
   */
  futureInputs?: 'last' | 'recorded';
}

/**
 * Index 0 is the first listed day: the first record, or, when the series has prices, the first day with a price or
 * with positive units (M5: sell_price is empty before the item is on sale). Days before it do not exist in the frame
 * (lags reaching there are NaN). Days [0, history) are observed: a day without a record is a zero-sales day.
 * Days [history, length) are forecast days.
 */
export interface DailyFrame {
  storeId: string;
  productId: string;
  category: string | null;
  region: string | null;
  /** Epoch day of index 0. */
  start: number;
  /** Number of observed days. */
  history: number;
  /** history + forecast days. */
  length: number;
  /** Units, negatives clipped to 0; NaN for forecast days not yet filled (setUnits). */
  units: Float64Array;
  /** Price (forward-filled; NaN before the first known price or when the data has none). */
  price: Float64Array;
  /** Discount: the record's value; 0 on days without one when the data has discounts; NaN when it has none. */
  discount: Float64Array;
  /** Promotion 1/0, same rules as discount. */
  promotion: Float64Array;
  hasPrice: boolean;
  hasDiscount: boolean;
  hasPromotion: boolean;
  /**
   * 1 on observed days whose record says the shelf was empty (inventory level <= 0): sales that day are a lower
   * bound of demand, not demand; or that the store was closed (record.closed): no demand could be seen. Training
   * does not learn from those days (censored) and intervals are not calibrated on them.
   */
  stockout: Uint8Array;
  /** Units are known for [0, filled); the derived arrays below are valid up to filled. */
  filled: number;
  /** cumSum[i] = sum of units[0..i-1]; cumSq likewise of squares. */
  cumSum: Float64Array;
  cumSq: Float64Array;
  /** lastSale[i] = last index < i with units > 0, -1 if none. */
  lastSale: Int32Array;
  /** First index with units > 0 among the filled days, -1 if none. */
  firstSale: number;
  /** Prefix sums of known prices and their count (cumPrice[i] over price[0..i-1]). */
  cumPrice: Float64Array;
  cumPriceCount: Int32Array;
  /** Max known price over [0, i]; NaN if none. */
  maxPrice: Float64Array;
}

const validPrice = (p: number | null | undefined): p is number => typeof p === 'number' && Number.isFinite(p) && p > 0;
const validNumber = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export function seriesRegion(s: SeriesInput): string | null {
  if (s.region) return s.region;
  const own = ownColumns(s);
  if (own) return own.region;
  for (const r of s.records) if (r.region) return r.region;
  return null;
}

export function toDailyFrame(series: SeriesInput, opts: FrameOptions = {}): DailyFrame {
  const cols = seriesColumns(series);
  const n = cols.day.length;
  const horizon = opts.horizon ?? 0;
  if (!Number.isInteger(horizon) || horizon < 0) throw new RangeError(`horizon must be a non-negative integer, got ${horizon}`);
  const days = cols.day;
  let hasPrice = false,
    hasDiscount = false,
    hasPromotion = false;
  let firstRecord = Infinity,
    lastRecord = -Infinity,
    firstPrice = Infinity,
    firstPositive = Infinity;
  for (let k = 0; k < n; k++) {
    const d = days[k];
    if (d < firstRecord) firstRecord = d;
    if (d > lastRecord) lastRecord = d;
    if (!Number.isNaN(cols.price[k])) {
      hasPrice = true;
      if (d < firstPrice) firstPrice = d;
    }
    if (!Number.isNaN(cols.discount[k])) hasDiscount = true;
    if (!Number.isNaN(cols.promotion[k])) hasPromotion = true;
    if (cols.units[k] > 0 && d < firstPositive) firstPositive = d;
  }
  let end: number;
  if (opts.until !== undefined) end = parseDay(opts.until);
  else if (n > 0) end = lastRecord;
  else end = NaN; // no records, no until: an empty frame that cannot be forecast
  const listing = n === 0 ? Infinity : hasPrice ? Math.min(firstPrice, firstPositive) : firstRecord;
  const start = Number.isNaN(end) ? 0 : listing <= end ? listing : end + 1;
  const history = Number.isNaN(end) ? 0 : Math.max(0, end - start + 1);
  const length = Number.isNaN(end) ? 0 : history + horizon;

  const units = new Float64Array(length);
  const price = new Float64Array(length).fill(NaN);
  const discount = new Float64Array(length).fill(NaN);
  const promotion = new Float64Array(length).fill(NaN);
  const stockout = new Uint8Array(length);
  const futureRecorded = opts.futureInputs === 'recorded';
  for (let k = 0; k < n; k++) {
    const i = days[k] - start;
    if (i < 0 || i >= length) continue;
    if (i < history) {
      units[i] += cols.units[k];
      if (cols.stockout[k] === 1) stockout[i] = 1;
    } else if (!futureRecorded) continue;
    if (!Number.isNaN(cols.price[k])) price[i] = cols.price[k];
    if (!Number.isNaN(cols.discount[k])) discount[i] = cols.discount[k];
    if (!Number.isNaN(cols.promotion[k])) promotion[i] = cols.promotion[k];
  }
  for (let i = 0; i < history; i++) units[i] = units[i] > 0 ? units[i] : 0;
  for (let i = history; i < length; i++) units[i] = NaN;
  // Forward-fill prices (forecast days get the last known price); discount/promotion default to 0 ("none").
  let last = NaN;
  for (let i = 0; i < length; i++) {
    if (Number.isNaN(price[i])) price[i] = last;
    else last = price[i];
    if (Number.isNaN(discount[i]) && hasDiscount) discount[i] = 0;
    if (Number.isNaN(promotion[i]) && hasPromotion) promotion[i] = 0;
  }
  if (opts.scenario && horizon > 0) applyScenario(series, opts.scenario, start, history, length, price, discount, promotion);

  const frame: DailyFrame = {
    storeId: series.storeId,
    productId: series.productId,
    category: seriesCategory(series),
    region: seriesRegion(series),
    start,
    history,
    length,
    units,
    price,
    discount,
    promotion,
    hasPrice,
    hasDiscount,
    hasPromotion,
    stockout,
    filled: 0,
    cumSum: new Float64Array(length + 1),
    cumSq: new Float64Array(length + 1),
    lastSale: new Int32Array(length + 1).fill(-1),
    firstSale: -1,
    cumPrice: new Float64Array(length + 1),
    cumPriceCount: new Int32Array(length + 1),
    maxPrice: new Float64Array(length),
  };
  let mx = NaN;
  for (let i = 0; i < length; i++) {
    const p = price[i];
    const known = !Number.isNaN(p);
    frame.cumPrice[i + 1] = frame.cumPrice[i] + (known ? p : 0);
    frame.cumPriceCount[i + 1] = frame.cumPriceCount[i] + (known ? 1 : 0);
    if (known && !(p <= mx)) mx = p;
    frame.maxPrice[i] = mx;
  }
  extendFilled(frame, history);
  return frame;
}

/**
 * A copy of the frame to forecast into, leaving the original as it was. Only what setUnits writes is copied; the
 * inputs (prices, promotions, stock-outs) are shared, read-only once built. Fresh memory is slow to touch (about
 * 2.6 ms per MB here): a 1,000-product store's full copies were 66 MB.
 */
export function cloneFrame(f: DailyFrame): DailyFrame {
  return { ...f, units: f.units.slice(), cumSum: f.cumSum.slice(), cumSq: f.cumSq.slice(), lastSale: f.lastSale.slice() };
}

function applyScenario(
  series: SeriesInput,
  scenario: ScenarioOverride[],
  start: number,
  history: number,
  length: number,
  price: Float64Array,
  discount: Float64Array,
  promotion: Float64Array,
): void {
  for (const o of scenario) {
    if (o.storeId !== undefined && o.storeId !== series.storeId) continue;
    if (o.productId !== undefined && o.productId !== series.productId) continue;
    const from = Math.max(history, o.from !== undefined ? parseDay(o.from) - start : history);
    const to = Math.min(length - 1, o.to !== undefined ? parseDay(o.to) - start : length - 1);
    if (o.price !== undefined && !validPrice(o.price)) throw new RangeError(`scenario price must be > 0, got ${o.price}`);
    if (o.priceFactor !== undefined && !(validNumber(o.priceFactor) && o.priceFactor > 0))
      throw new RangeError(`scenario priceFactor must be > 0`);
    if (o.discount !== undefined && !(validNumber(o.discount) && o.discount >= 0)) throw new RangeError(`scenario discount must be >= 0`);
    for (let i = from; i <= to; i++) {
      if (o.price !== undefined) price[i] = o.price;
      if (o.priceFactor !== undefined) price[i] *= o.priceFactor;
      if (o.discount !== undefined) discount[i] = o.discount;
      if (o.promotion !== undefined) promotion[i] = o.promotion ? 1 : 0;
    }
  }
}

/** Recomputes the derived prefix arrays from `from` (<= filled) up to `to`. Units of [from, to) must be known. */
function extendFilled(f: DailyFrame, to: number, from = f.filled): void {
  const { units, cumSum, cumSq, lastSale } = f;
  // firstSale = -1 means no sale in [0, filled); only a correction before it needs a rescan.
  if (f.firstSale >= from) {
    f.firstSale = -1;
    for (let j = 0; j < from; j++)
      if (units[j] > 0) {
        f.firstSale = j;
        break;
      }
  }
  for (let j = from; j < to; j++) {
    const u = units[j];
    cumSum[j + 1] = cumSum[j] + u;
    cumSq[j + 1] = cumSq[j] + u * u;
    lastSale[j + 1] = u > 0 ? j : lastSale[j];
    if (u > 0 && f.firstSale < 0) f.firstSale = j;
  }
  f.filled = to;
}

/**
 * Sets the units of day i (a forecast day, or a correction); negatives clip to 0. Days after i that were filled are
 * recomputed; filling proceeds in order, so i must be <= filled.
 */
export function setUnits(f: DailyFrame, i: number, value: number): void {
  if (!(i >= 0 && i < f.length && i <= f.filled)) throw new RangeError(`setUnits: day ${i} is not fillable (filled up to ${f.filled})`);
  if (!Number.isFinite(value)) throw new RangeError(`setUnits: units must be finite, got ${value}`);
  f.units[i] = value > 0 ? value : 0;
  extendFilled(f, Math.max(f.filled, i + 1), i);
}

/**
 * Gap-filled units (negatives clipped to 0) of the listed days in [from, to] (inclusive; default: the whole history),
 * on the same calendar the features use: the actuals of a backtest window, or the training history of a baseline /
 * MASE scale. Not-yet-listed days are left out; `to` after the last record zero-fills.
 */
export function dailyUnits(series: SeriesInput, opts: { from?: string; to?: string } = {}): { dates: string[]; values: number[] } {
  const { start, values } = dailyUnitsFrom(series, opts);
  return { dates: values.map((_, i) => formatDay(start + i)), values };
}

/** dailyUnits without the dates (formatting 730 dates per series was most of a 1,000-product store forecast's cost). */
export function dailyValues(series: SeriesInput, opts: { from?: string; to?: string } = {}): number[] {
  return dailyUnitsFrom(series, opts).values;
}

function dailyUnitsFrom(series: SeriesInput, opts: { from?: string; to?: string }): { start: number; values: number[] } {
  const f = toDailyFrame(series, opts.to !== undefined ? { until: opts.to } : {});
  const a = opts.from !== undefined ? Math.max(0, parseDay(opts.from) - f.start) : 0;
  const values: number[] = [];
  for (let i = a; i < f.history; i++) values.push(f.units[i]);
  return { start: f.start + a, values };
}
