// One feature row of one day of a frame. The only place features are computed: training rows, backtest rows and
// serving rows all come from here.
import { resolveState, type CalendarEvents, type StateCalendar } from './calendar';
import { writeDateParts } from './dates';
import { periodRealDay } from './period';
import { codeOf, NO_EVENT_CODE, type Encodings } from './encodings';
import type { DailyFrame } from './frame';
import { allFeatureNames, FEATURE_SPEC, type FeatureSpec } from './spec';
import type { TargetTransform } from './target';

export interface FeatureContext {
  /** Stored with the model; unknown values get UNKNOWN_CODE. */
  encodings: Encodings;
  /** Events/holidays and SNAP; without it the event columns are NaN. */
  calendar?: CalendarEvents | null;
  /** Layout; default FEATURE_SPEC. Serve with the spec stored with the model. */
  spec?: FeatureSpec;
  /** Label transform for training and inverse transform for forecasts; default 'log1p'. */
  target?: TargetTransform;
}

interface CompiledSpec {
  lags: Int32Array;
  windows: Int32Array;
  /** rank of windows[k] in ascending order */
  windowRank: Int32Array;
  sortedWindows: Int32Array;
  weeks: Int32Array;
  /** Columns of the full layout (before exclude). */
  fullCols: number;
  /** Columns written to the matrix. */
  cols: number;
  /** With an exclude list: full-layout index of each matrix column; null when nothing is excluded. */
  keep: Int32Array | null;
}

interface CompiledEvents {
  enc: Encodings;
  name1: Float32Array;
  type1: Float32Array;
  name2: Float32Array;
  type2: Float32Array;
}

interface FrameCache {
  enc: Encodings;
  cal: CalendarEvents | null;
  store: number;
  product: number;
  category: number;
  state: StateCalendar | null;
  events: CompiledEvents | null;
}

const specCache = new WeakMap<FeatureSpec, CompiledSpec>();
const frameCache = new WeakMap<DailyFrame, FrameCache>();
const eventCache = new WeakMap<StateCalendar, CompiledEvents>();
let scratch = new Float64Array(16);
let fullRow = new Float32Array(64);

function compileSpec(spec: FeatureSpec): CompiledSpec {
  let c = specCache.get(spec);
  if (c) return c;
  const windows = Int32Array.from(spec.windows);
  const order = [...windows.keys()].sort((a, b) => windows[a] - windows[b]);
  const windowRank = new Int32Array(windows.length);
  order.forEach((k, r) => (windowRank[k] = r));
  const all = allFeatureNames(spec);
  let keep: Int32Array | null = null;
  if (spec.exclude && spec.exclude.length > 0) {
    const index = new Map(all.map((n, k) => [n, k]));
    keep = Int32Array.from(spec.names, (n) => {
      const k = index.get(n);
      if (k === undefined) throw new RangeError(`feature spec column '${n}' is not in its layout`);
      return k;
    });
  }
  c = {
    lags: Int32Array.from(spec.lags),
    windows,
    windowRank,
    sortedWindows: Int32Array.from(order.map((k) => windows[k])),
    weeks: Int32Array.from(spec.weekdayWeeks),
    fullCols: all.length,
    cols: spec.names.length,
    keep,
  };
  specCache.set(spec, c);
  if (scratch.length < windows.length) scratch = new Float64Array(windows.length);
  if (fullRow.length < all.length) fullRow = new Float32Array(all.length);
  return c;
}

/** Number of columns of a spec. */
export function featureCount(spec: FeatureSpec = FEATURE_SPEC): number {
  return spec.names.length;
}

function compileEvents(state: StateCalendar, enc: Encodings): CompiledEvents {
  const hit = eventCache.get(state);
  if (hit && hit.enc === enc) return hit;
  const n = state.covered.length;
  const code = (map: Record<string, number>, v: string | null) => (v === null ? NO_EVENT_CODE : codeOf(map, v));
  const c: CompiledEvents = {
    enc,
    name1: new Float32Array(n),
    type1: new Float32Array(n),
    name2: new Float32Array(n),
    type2: new Float32Array(n),
  };
  for (let t = 0; t < n; t++) {
    c.name1[t] = code(enc.eventName, state.name1[t]);
    c.type1[t] = code(enc.eventType, state.type1[t]);
    c.name2[t] = code(enc.eventName, state.name2[t]);
    c.type2[t] = code(enc.eventType, state.type2[t]);
  }
  eventCache.set(state, c);
  return c;
}

function frameInfo(frame: DailyFrame, ctx: FeatureContext): FrameCache {
  const cal = ctx.calendar ?? null;
  const hit = frameCache.get(frame);
  if (hit && hit.enc === ctx.encodings && hit.cal === cal) return hit;
  const enc = ctx.encodings;
  const state = cal ? resolveState(cal, frame.storeId, frame.region) : null;
  const info: FrameCache = {
    enc,
    cal,
    store: codeOf(enc.store, frame.storeId),
    product: codeOf(enc.product, frame.productId),
    category: frame.category === null ? NaN : codeOf(enc.category, frame.category),
    state,
    events: state ? compileEvents(state, enc) : null,
  };
  frameCache.set(frame, info);
  return info;
}

/**
 * Writes the features of day `i` of `frame` into out[offset .. offset + spec.names.length). Uses units of days
 * strictly before i only (lags, windows, sale counters) and the known inputs of day i (calendar, price, discount,
 * promotion, events). Requires i <= frame.filled. Allocation-free after the first call per frame.
 */
export function featureRow(frame: DailyFrame, i: number, ctx: FeatureContext, out: Float32Array, offset: number): void {
  if (!(i >= 0 && i < frame.length && i <= frame.filled)) {
    throw new RangeError(`featureRow: day ${i} needs units of days before it (filled ${frame.filled}, length ${frame.length})`);
  }
  const spec = ctx.spec ?? FEATURE_SPEC;
  const cs = compileSpec(spec);
  const keep = cs.keep;
  if (keep === null) {
    fullFeatureRow(frame, i, ctx, spec, cs, out, offset);
    return;
  }
  // Excluded columns: the full row into a scratch row, then the kept columns in spec order.
  const row = fullRow;
  fullFeatureRow(frame, i, ctx, spec, cs, row, 0);
  for (let k = 0; k < keep.length; k++) out[offset + k] = row[keep[k]];
}

function fullFeatureRow(
  frame: DailyFrame,
  i: number,
  ctx: FeatureContext,
  spec: FeatureSpec,
  cs: CompiledSpec,
  out: Float32Array,
  offset: number,
): void {
  const info = frameInfo(frame, ctx);
  const units = frame.units;
  let o = offset;

  // Lags (days on the gap-filled calendar; NaN before the first listed day).
  const lags = cs.lags;
  for (let k = 0; k < lags.length; k++) {
    const j = i - lags[k];
    out[o++] = j >= 0 ? units[j] : NaN;
  }

  // Rolling max over [i-w, i-1] for every window in one backwards scan.
  const sw = cs.sortedWindows;
  let run = -Infinity;
  let k = 1;
  for (let p = 0; p < sw.length; p++) {
    const end = sw[p] < i ? sw[p] : i;
    for (; k <= end; k++) {
      const u = units[i - k];
      if (u > run) run = u;
    }
    scratch[p] = k > 1 ? run : NaN;
  }

  // Rolling mean / std (sample, ddof 1) / max over the last w days before i (fewer at the start of the frame).
  const cSum = frame.cumSum;
  const cSq = frame.cumSq;
  const ws = cs.windows;
  for (let k = 0; k < ws.length; k++) {
    const a = i > ws[k] ? i - ws[k] : 0;
    const n = i - a;
    if (n === 0) {
      out[o++] = NaN;
      out[o++] = NaN;
      out[o++] = NaN;
      continue;
    }
    const s = cSum[i] - cSum[a];
    out[o++] = s / n;
    if (n >= 2) {
      const v = (cSq[i] - cSq[a] - (s * s) / n) / (n - 1);
      out[o++] = v > 0 ? Math.sqrt(v) : 0;
    } else out[o++] = NaN;
    out[o++] = scratch[cs.windowRank[k]];
  }

  // Same-weekday means over the last n weeks.
  const weeks = cs.weeks;
  for (let k = 0; k < weeks.length; k++) {
    let s = 0;
    let c = 0;
    for (let m = 1; m <= weeks[k]; m++) {
      const j = i - 7 * m;
      if (j < 0) break;
      s += units[j];
      c++;
    }
    out[o++] = c > 0 ? s / c : NaN;
  }

  const ls = frame.lastSale[i];
  out[o++] = ls >= 0 ? i - ls : NaN;
  const fs = frame.firstSale;
  out[o++] = fs >= 0 && fs < i ? i - fs : NaN;
  out[o++] = i;

  // Calendar of the target day (of a day inside the target period, in period time).
  const day = spec.grain ? periodRealDay(frame.start + i, spec.grain) : frame.start + i;
  writeDateParts(day, out, o);
  o += 4;

  // Price, discount, promotion of the target day (known inputs).
  const price = frame.price[i];
  out[o++] = price;
  const pa = i > spec.priceWindow ? i - spec.priceWindow : 0;
  const pc = frame.cumPriceCount[i] - frame.cumPriceCount[pa];
  out[o++] = pc > 0 ? price / ((frame.cumPrice[i] - frame.cumPrice[pa]) / pc) : NaN;
  out[o++] = price / frame.maxPrice[i];
  out[o++] = frame.discount[i];
  out[o++] = frame.promotion[i];

  // Events and SNAP (NaN without a calendar or outside its coverage).
  const st = info.state;
  const cal = info.cal;
  const t = cal ? day - cal.start : -1;
  if (st && cal && t >= 0 && t < cal.length && st.covered[t]) {
    const ev = info.events!;
    out[o++] = ev.name1[t];
    out[o++] = ev.type1[t];
    out[o++] = ev.name2[t];
    out[o++] = ev.type2[t];
    out[o++] = st.snap[t];
    const cap = spec.eventCap;
    const dn = st.daysToNext[t];
    out[o++] = Number.isNaN(dn) ? (cal.length - 1 - t >= cap ? cap : NaN) : dn < cap ? dn : cap;
    const dp = st.daysSincePrev[t];
    out[o++] = Number.isNaN(dp) ? (t >= cap ? cap : NaN) : dp < cap ? dp : cap;
  } else {
    for (let k = 0; k < 7; k++) out[o++] = NaN;
  }

  out[o++] = info.store;
  out[o++] = info.product;
  out[o++] = info.category;
  if (o - offset !== cs.fullCols) throw new Error(`featureRow wrote ${o - offset} columns, spec has ${cs.fullCols}`);
}
