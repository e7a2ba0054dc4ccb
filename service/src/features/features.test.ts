// Unit tests of the feature pipeline: dates, lags and windows, encodings, calendar features, the shared featureRow,
// recursiveForecast, the spec and the target transform.
// Long file: the groups share one set of fixtures (rec, makeSeries, rowOf) and together pin down one contract, that
// training and serving build identical rows.
import { describe, expect, it } from 'vitest';
import type { SalesRecord } from '../sales/record';
import { buildCalendar } from './calendar';
import { civilPacked, daysFromCivil, formatDay, isoWeek, parseDay, dayOfWeek, writeDateParts } from './dates';
import { buildEncodings, UNKNOWN_CODE, type Encodings } from './encodings';
import { recursiveForecast } from './forecast';
import { dailyUnits, setUnits, toDailyFrame, type SeriesInput } from './frame';
import { buildTrainingMatrix } from './matrix';
import { featureRow, type FeatureContext } from './row';
import { checkFeatureSpec, FEATURE_SPEC, makeFeatureSpec } from './spec';
import { decodeTarget, encodeTarget } from './target';

const COLS = FEATURE_SPEC.names.length;
const col = (name: string) => {
  const k = FEATURE_SPEC.names.indexOf(name);
  if (k < 0) throw new Error(`no column ${name}`);
  return k;
};
const addDays = (date: string, n: number) => formatDay(parseDay(date) + n);

function rec(date: string, unitsSold: number, o: Partial<SalesRecord> = {}): SalesRecord {
  return {
    date,
    storeId: 'S1',
    productId: 'P1',
    unitsSold,
    inventoryLevel: null,
    unitsOrdered: null,
    price: null,
    discount: null,
    promotion: null,
    category: null,
    region: null,
    unitCost: null,
    extra: null,
    ...o,
  };
}

/** n consecutive days from start, units(k), price(k) (null = no price). */
function makeSeries(
  start: string,
  n: number,
  units: (k: number) => number,
  o: Partial<SeriesInput> & { price?: (k: number) => number | null; skip?: (k: number) => boolean } = {},
): SeriesInput {
  const records: SalesRecord[] = [];
  for (let k = 0; k < n; k++) {
    if (o.skip?.(k)) continue;
    records.push(
      rec(addDays(start, k), units(k), { price: o.price ? o.price(k) : null, storeId: o.storeId ?? 'S1', productId: o.productId ?? 'P1' }),
    );
  }
  return { storeId: o.storeId ?? 'S1', productId: o.productId ?? 'P1', category: o.category ?? 'FOODS', region: o.region ?? null, records };
}

function rowOf(
  m: { features: Float32Array; cols: number; day: Int32Array; seriesIdx: Int32Array; rows: number },
  date: string,
  series = 0,
): Float32Array {
  const d = parseDay(date);
  for (let r = 0; r < m.rows; r++) if (m.day[r] === d && m.seriesIdx[r] === series) return m.features.slice(r * m.cols, (r + 1) * m.cols);
  throw new Error(`no row for ${date}`);
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

describe('dates', () => {
  it('parses, formats and computes calendar parts', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(formatDay(parseDay('2016-02-29'))).toBe('2016-02-29');
    expect(parseDay('2011-01-29')).toBe(daysFromCivil(2011, 1, 29));
    expect(() => parseDay('2016-02-30')).toThrow(RangeError);
    expect(() => parseDay('2016-2-3')).toThrow(RangeError);
    expect(dayOfWeek(parseDay('2024-01-01'))).toBe(0); // Monday
    expect(dayOfWeek(parseDay('2011-01-29'))).toBe(5); // Saturday
    expect(isoWeek(parseDay('2021-01-03'))).toBe(53);
    expect(isoWeek(parseDay('2021-01-04'))).toBe(1);
    expect(isoWeek(parseDay('2020-12-31'))).toBe(53);
    expect(isoWeek(parseDay('2019-12-30'))).toBe(1);
    // the lookup table agrees with the direct computation (and out-of-range days work)
    const out = new Float32Array(4);
    for (const d of [
      parseDay('1899-12-31'),
      parseDay('1900-01-01'),
      parseDay('2016-03-27'),
      parseDay('2199-12-31'),
      parseDay('2200-01-01'),
      ...Array.from({ length: 800 }, (_, k) => 15_000 + k * 7 + (k % 7)),
    ]) {
      writeDateParts(d, out, 0);
      const ymd = civilPacked(d);
      expect(Array.from(out)).toEqual([dayOfWeek(d), ymd % 100, isoWeek(d), Math.floor(ymd / 100) % 100]);
      expect(formatDay(d)).toBe(
        `${Math.floor(ymd / 10000)}-${String(Math.floor(ymd / 100) % 100).padStart(2, '0')}-${String(ymd % 100).padStart(2, '0')}`,
      );
    }
  });
});

describe('lags and windows', () => {
  const base = (k: number) => (k * 7) % 5; // 0..4, deterministic
  const n = 200;
  const target = 150;
  const s0 = makeSeries('2020-01-01', n, base);
  const spiked = makeSeries('2020-01-01', n, (k) => (k === target ? 10_000 : base(k)));
  const enc = buildEncodings([s0]);
  const ctx: FeatureContext = { encodings: enc };

  it('never include the target day', () => {
    const a = buildTrainingMatrix([s0], ctx);
    const b = buildTrainingMatrix([spiked], ctx);
    const date = addDays('2020-01-01', target);
    const ra = rowOf(a, date);
    const rb = rowOf(b, date);
    expect(bits(rb)).toEqual(bits(ra));
    for (const v of rb) expect(v).not.toBe(10_000);
    // ... but the next day sees it (lag_1, roll_max_7)
    const next = rowOf(b, addDays(date, 1));
    expect(next[col('lag_1')]).toBe(10_000);
    expect(next[col('roll_max_7')]).toBe(10_000);
    // and the label of the target day is the spike
    const r = b.day.indexOf(parseDay(date));
    expect(b.labels[r]).toBeCloseTo(Math.log1p(10_000), 4);
  });

  it('computes rolling stats over the w days before the target day', () => {
    const m = buildTrainingMatrix([s0], ctx);
    const i = 120;
    const row = rowOf(m, addDays('2020-01-01', i));
    const prev = Array.from({ length: 28 }, (_, k) => base(i - 28 + k));
    const mean = prev.reduce((a, b) => a + b, 0) / 28;
    const sd = Math.sqrt(prev.reduce((a, b) => a + (b - mean) ** 2, 0) / 27);
    expect(row[col('roll_mean_28')]).toBeCloseTo(mean, 5);
    expect(row[col('roll_std_28')]).toBeCloseTo(sd, 5);
    expect(row[col('roll_max_28')]).toBe(Math.max(...prev));
    expect(row[col('lag_1')]).toBe(base(i - 1));
    expect(row[col('lag_14')]).toBe(base(i - 14));
    expect(row[col('weekday_mean_4w')]).toBeCloseTo((base(i - 7) + base(i - 14) + base(i - 21) + base(i - 28)) / 4, 5);
    expect(Number.isNaN(row[col('lag_364')])).toBe(true);
    // first listed day: no history at all
    const first = rowOf(m, '2020-01-01');
    expect(Number.isNaN(first[col('lag_1')])).toBe(true);
    expect(Number.isNaN(first[col('roll_mean_7')])).toBe(true);
    expect(first[col('days_listed')]).toBe(0);
  });

  it('counts lags in calendar days on the gap-filled calendar (missing day = 0 sales)', () => {
    // Records every day except day 10..12 (missing), units = day number + 1
    const s = makeSeries('2021-03-01', 40, (k) => k + 1, { skip: (k) => k >= 10 && k <= 12 });
    const m = buildTrainingMatrix([s], { encodings: buildEncodings([s]) });
    expect(m.rows).toBe(40); // the missing days are rows too (zero sales)
    const r17 = rowOf(m, addDays('2021-03-01', 17));
    expect(r17[col('lag_7')]).toBe(0); // day 10 was missing
    const r25 = rowOf(m, addDays('2021-03-01', 25));
    expect(r25[col('lag_7')]).toBe(19); // day 18 -> units 19
    const r13 = rowOf(m, addDays('2021-03-01', 13));
    expect(r13[col('lag_1')]).toBe(0);
    expect(r13[col('lag_4')]).toBe(10); // day 9
    expect(r13[col('days_since_last_sale')]).toBe(4);
    const missing = m.day.indexOf(parseDay(addDays('2021-03-01', 11)));
    expect(m.labels[missing]).toBe(0);
  });

  it('clips negative units to 0 and sums duplicate days', () => {
    const s: SeriesInput = {
      storeId: 'S1',
      productId: 'P1',
      category: null,
      records: [rec('2021-01-01', 3), rec('2021-01-02', -2), rec('2021-01-03', 1), rec('2021-01-03', 4), rec('2021-01-04', 0)],
    };
    const m = buildTrainingMatrix([s], { encodings: buildEncodings([s]), target: 'raw' });
    expect(Array.from(m.labels)).toEqual([3, 0, 5, 0]);
    expect(rowOf(m, '2021-01-03')[col('lag_1')]).toBe(0);
    expect(Number.isNaN(rowOf(m, '2021-01-01')[col('category')])).toBe(true); // no category = missing, not unknown
  });
});

describe('listing', () => {
  it('days before the first price are not training rows and not history', () => {
    const s = makeSeries('2021-01-01', 30, () => 0, { price: (k) => (k < 10 ? null : 2.5) });
    s.records[15].unitsSold = 3;
    const m = buildTrainingMatrix([s], { encodings: buildEncodings([s]) });
    expect(m.rows).toBe(20);
    expect(formatDay(m.day[0])).toBe('2021-01-11');
    const r = rowOf(m, '2021-01-11');
    expect(Number.isNaN(r[col('lag_1')])).toBe(true); // before listing = unknown, not 0
    expect(r[col('price')]).toBeCloseTo(2.5, 6);
    expect(rowOf(m, '2021-01-12')[col('lag_1')]).toBe(0);
    expect(rowOf(m, '2021-01-20')[col('days_since_first_sale')]).toBe(4);
    expect(Number.isNaN(rowOf(m, '2021-01-16')[col('days_since_first_sale')])).toBe(true); // 01-16 is the day of the first sale itself: not yet seen
  });

  it('without prices, the first record is the first listed day', () => {
    const s = makeSeries('2021-01-05', 10, (k) => k);
    const f = toDailyFrame(s);
    expect(formatDay(f.start)).toBe('2021-01-05');
    expect(f.history).toBe(10);
    expect(Number.isNaN(f.price[0])).toBe(true);
  });

  it('dailyUnits gives gap-filled actuals of listed days', () => {
    const s = makeSeries('2021-01-01', 10, (k) => k, { price: (k) => (k < 2 ? null : 1), skip: (k) => k === 5 });
    expect(dailyUnits(s)).toEqual({
      dates: ['2021-01-02', '2021-01-03', '2021-01-04', '2021-01-05', '2021-01-06', '2021-01-07', '2021-01-08', '2021-01-09', '2021-01-10'],
      values: [1, 2, 3, 4, 0, 6, 7, 8, 9],
    });
    expect(dailyUnits(s, { from: '2021-01-09', to: '2021-01-12' }).values).toEqual([8, 9, 0, 0]);
  });

  it('minHistoryDays and from/to restrict rows', () => {
    const s = makeSeries('2021-01-01', 100, (k) => k % 3);
    const ctx = { encodings: buildEncodings([s]) };
    expect(buildTrainingMatrix([s], ctx, { minHistoryDays: 30 }).rows).toBe(70);
    const m = buildTrainingMatrix([s], ctx, { from: '2021-02-01', to: '2021-02-10' });
    expect(m.rows).toBe(10);
    expect(formatDay(m.day[0])).toBe('2021-02-01');
    expect(buildTrainingMatrix([s], ctx, { fillTo: '2021-04-30' }).rows).toBe(120);
  });
});

describe('encodings', () => {
  const a = makeSeries('2021-01-01', 5, () => 1, { storeId: 'B', productId: 'x', category: 'FOODS' });
  const b = makeSeries('2021-01-01', 5, () => 1, { storeId: 'A', productId: 'y', category: 'HOBBIES' });

  it('start at 0, stay stable when rebuilt with previous and new values', () => {
    const e1 = buildEncodings([a, b]);
    expect(e1.store).toEqual({ A: 0, B: 1 });
    const c = makeSeries('2021-01-01', 5, () => 1, { storeId: 'AA', productId: 'constructor', category: 'FOODS' });
    const e2 = buildEncodings([c, a], { previous: JSON.parse(JSON.stringify(e1)) as Encodings });
    expect(e2.store).toEqual({ A: 0, B: 1, AA: 2 });
    expect(e2.product).toEqual({ x: 0, y: 1, constructor: 2 });
  });

  it('unknown store/product/category at serving get UNKNOWN_CODE', () => {
    const enc = buildEncodings([a]);
    const fresh = makeSeries('2021-01-01', 20, () => 1, { storeId: 'NEW', productId: 'toString', category: 'GARDEN' });
    let captured: Float32Array | null = null;
    recursiveForecast(
      [fresh, a],
      1,
      (x, rows) => {
        captured = x.slice();
        return new Float32Array(rows);
      },
      { encodings: enc },
    );
    const row = captured!;
    expect(row[col('store')]).toBe(UNKNOWN_CODE);
    expect(row[col('product')]).toBe(UNKNOWN_CODE);
    expect(row[col('category')]).toBe(UNKNOWN_CODE);
    expect(row[COLS + col('store')]).toBe(0);
    expect(UNKNOWN_CODE).not.toBe(-1);
    expect(Math.fround(UNKNOWN_CODE)).toBe(UNKNOWN_CODE);
  });
});

describe('calendar features', () => {
  const cal = buildCalendar([
    ...Array.from({ length: 60 }, (_, k) => ({ date: addDays('2021-01-01', k), state: 'CA', snap: k % 10 === 0 })),
    ...Array.from({ length: 60 }, (_, k) => ({ date: addDays('2021-01-01', k), state: 'TX', snap: false })),
    {
      date: '2021-01-20',
      state: 'CA',
      events: [
        { name: 'Fest', type: 'Cultural' },
        { name: 'Game', type: 'Sporting' },
      ],
    },
    { date: '2021-01-20', state: 'TX', events: [{ name: 'Fest', type: 'Cultural' }] },
  ]);
  const s = makeSeries('2021-01-01', 40, () => 1, { storeId: 'CA_1' });
  const enc = buildEncodings([s], { calendar: cal });

  it('encodes events from 1, SNAP per state (store prefix), distances capped', () => {
    expect(enc.eventName).toEqual({ Fest: 1, Game: 2 });
    const m = buildTrainingMatrix([s], { encodings: enc, calendar: cal });
    const ev = rowOf(m, '2021-01-20');
    expect([ev[col('event_name_1')], ev[col('event_type_1')], ev[col('event_name_2')], ev[col('event_type_2')]]).toEqual([
      1,
      enc.eventType.Cultural,
      2,
      enc.eventType.Sporting,
    ]);
    expect(ev[col('days_to_event')]).toBe(0);
    const before = rowOf(m, '2021-01-15');
    expect(before[col('event_name_1')]).toBe(0);
    expect(before[col('days_to_event')]).toBe(5);
    expect(before[col('days_since_event')]).toBe(NaN); // no event since calendar start, less than the cap of days covered
    expect(rowOf(m, '2021-01-11')[col('snap')]).toBe(1);
    expect(rowOf(m, '2021-01-12')[col('snap')]).toBe(0);
    // region-less, prefix-less store: union of events, SNAP unknown
    const t = makeSeries('2021-01-01', 40, () => 1, { storeId: 'X' });
    const mt = buildTrainingMatrix([t], { encodings: enc, calendar: cal });
    expect(rowOf(mt, '2021-01-20')[col('event_name_2')]).toBe(2);
    expect(Number.isNaN(rowOf(mt, '2021-01-20')[col('snap')])).toBe(true);
    // outside the calendar: NaN
    const late = makeSeries('2021-01-01', 90, () => 1, { storeId: 'CA_1' });
    const ml = buildTrainingMatrix([late], { encodings: enc, calendar: cal });
    expect(Number.isNaN(rowOf(ml, '2021-03-15')[col('event_name_1')])).toBe(true);
    // an event name the encodings do not know
    const enc0 = buildEncodings([s]);
    expect(rowOf(buildTrainingMatrix([s], { encodings: enc0, calendar: cal }), '2021-01-20')[col('event_name_1')]).toBe(UNKNOWN_CODE);
  });
});

describe('training and serving share featureRow', () => {
  // Series with price changes, discount, promotion, a gap and a calendar.
  function rich(): SeriesInput {
    const records: SalesRecord[] = [];
    for (let k = 0; k < 420; k++) {
      if (k % 37 === 5) continue; // gaps
      const date = addDays('2020-01-01', k);
      records.push(
        rec(date, ((k * 13) % 7) + (k % 30 === 0 ? 20 : 0), {
          price: k < 3 ? null : k < 200 ? 4 : 3.5 + (k % 50 === 0 ? -1 : 0),
          discount: k % 11 === 0 ? 0.2 : null,
          promotion: k % 17 === 0,
        }),
      );
    }
    return { storeId: 'CA_1', productId: 'P1', category: 'FOODS', records };
  }
  const cal = buildCalendar(
    Array.from({ length: 500 }, (_, k) => ({
      date: addDays('2020-01-01', k),
      state: 'CA',
      snap: k % 3 === 0,
      events: k % 45 === 0 ? [{ name: `E${k % 4}`, type: 'T' }] : [],
    })),
  );
  const s = rich();
  const ctx: FeatureContext = { encodings: buildEncodings([s], { calendar: cal }), calendar: cal };
  const train = buildTrainingMatrix([s], ctx);

  it.each(['2020-07-01', '2020-07-19', '2021-02-20', '2020-10-26'])('served step-1 row of %s equals its training row bitwise', (date) => {
    let served: Float32Array | null = null;
    recursiveForecast(
      [s],
      1,
      (x, rows) => {
        served = x.slice();
        return new Float32Array(rows);
      },
      ctx,
      { origin: addDays(date, -1), futureInputs: 'recorded' },
    );
    expect(bits(served!)).toEqual(bits(rowOf(train, date)));
  });

  it('with scenario inputs instead of recorded ones', () => {
    const date = '2021-01-14';
    const r = s.records.find((x) => x.date === date)!;
    let served: Float32Array | null = null;
    recursiveForecast(
      [s],
      1,
      (x, rows) => {
        served = x.slice();
        return new Float32Array(rows);
      },
      ctx,
      { origin: addDays(date, -1), scenario: [{ price: r.price!, discount: r.discount ?? 0, promotion: r.promotion! }] },
    );
    expect(bits(served!)).toEqual(bits(rowOf(train, date)));
  });

  it('featureRow on a frame extended with true units reproduces every training row', () => {
    const origin = '2020-09-30';
    const h = 60;
    const f = toDailyFrame(s, { until: origin, horizon: h, futureInputs: 'recorded' });
    const full = toDailyFrame(s);
    const out = new Float32Array(COLS);
    for (let k = 0; k < h; k++) {
      const i = f.history + k;
      featureRow(f, i, ctx, out, 0);
      expect(bits(out)).toEqual(bits(rowOf(train, formatDay(f.start + i))));
      setUnits(f, i, full.units[i]);
    }
  });
});

describe('recursiveForecast', () => {
  it('step k uses the predictions of steps 1..k-1 (predict = lag_1 + 1)', () => {
    const s = makeSeries('2021-01-01', 30, (k) => k % 4); // last day (k=29) -> 1
    const t = makeSeries('2021-01-01', 20, () => 5, { productId: 'P2' });
    const lag1 = col('lag_1');
    const calls: number[] = [];
    const res = recursiveForecast(
      [s, t],
      5,
      (x, rows, cols) => {
        calls.push(rows);
        const out = new Float32Array(rows);
        for (let r = 0; r < rows; r++) out[r] = x[r * cols + lag1] + 1;
        return out;
      },
      { encodings: buildEncodings([s, t]), target: 'raw' },
    );
    expect(calls).toEqual([2, 2, 2, 2, 2]); // batched across series
    expect(res[0].values).toEqual([2, 3, 4, 5, 6]);
    expect(res[0].dates).toEqual(['2021-01-31', '2021-02-01', '2021-02-02', '2021-02-03', '2021-02-04']);
    expect(res[1].values).toEqual([6, 7, 8, 9, 10]);
    expect(res[1].dates[0]).toBe('2021-01-21');
  });

  it('origin ignores later data, zero-fills up to it; log1p inverse and clipping', () => {
    const s = makeSeries('2021-01-01', 30, () => 3);
    const lag1 = col('lag_1');
    const seen: number[] = [];
    const res = recursiveForecast(
      [s],
      3,
      (x, rows, cols) => {
        seen.push(x[lag1], x[cols - 3 + 0] /* store */);
        return Float32Array.from({ length: rows }, () => Math.log1p(2));
      },
      { encodings: buildEncodings([s]) },
      { origin: '2021-01-10' },
    );
    expect(res[0].dates[0]).toBe('2021-01-11');
    expect(seen[0]).toBe(3);
    expect(res[0].values.map((v) => +v.toFixed(5))).toEqual([2, 2, 2]);
    const past = recursiveForecast(
      [s],
      2,
      (_x, rows) => new Float32Array(rows).fill(-5),
      { encodings: buildEncodings([s]) },
      { origin: '2021-03-01' },
    );
    expect(past[0].values).toEqual([0, 0]);
    expect(past[0].dates[0]).toBe('2021-03-02');
  });

  it('uses the last known price unless a scenario overrides it', () => {
    const s = makeSeries('2021-01-01', 30, () => 3, { price: (k) => (k < 20 ? 2 : 2.5) });
    const pc = col('price');
    const promo = col('promotion');
    const prices: number[] = [];
    recursiveForecast(
      [s],
      4,
      (x, rows, _cols) => {
        prices.push(x[pc]);
        expect(Number.isNaN(x[promo])).toBe(true); // data has no promotion column
        return new Float32Array(rows);
      },
      { encodings: buildEncodings([s]) },
      {
        scenario: [
          { from: '2021-02-02', to: '2021-02-02', price: 1.99 },
          { productId: 'other', price: 9 },
          { from: '2021-02-03', priceFactor: 0.8 },
        ],
      },
    );
    expect(prices.map((p) => +p.toFixed(4))).toEqual([2.5, 2.5, 1.99, 2]); // 01-31, 02-01, 02-02 (override), 02-03 (x0.8)
  });

  it('rejects non-finite predictions and wrong lengths', () => {
    const s = makeSeries('2021-01-01', 10, () => 1);
    const ctx = { encodings: buildEncodings([s]) };
    expect(() => recursiveForecast([s], 2, (_x, rows) => new Float32Array(rows).fill(NaN), ctx)).toThrow(RangeError);
    expect(() => recursiveForecast([s], 2, () => new Float32Array(0), ctx)).toThrow(RangeError);
  });

  it('series without records: empty without an origin, a cold-start forecast with one', () => {
    const e: SeriesInput = { storeId: 'S', productId: 'P', category: null, records: [] };
    const s = makeSeries('2021-01-01', 10, () => 1);
    const ctx = { encodings: buildEncodings([s]) };
    const res = recursiveForecast([e, s], 2, (_x, rows) => new Float32Array(rows), ctx);
    expect(res[0].dates).toEqual([]);
    expect(res[1].dates.length).toBe(2);
    const withOrigin = recursiveForecast(
      [e],
      2,
      (_x, rows) => new Float32Array(rows).fill(1),
      { ...ctx, target: 'raw' },
      { origin: '2021-01-10' },
    );
    expect(withOrigin[0]).toEqual({ storeId: 'S', productId: 'P', dates: ['2021-01-11', '2021-01-12'], values: [1, 1] });
  });
});

describe('spec and target', () => {
  it('spec is versioned and custom specs work end to end', () => {
    expect(() => checkFeatureSpec(JSON.parse(JSON.stringify(FEATURE_SPEC)))).not.toThrow();
    expect(() => checkFeatureSpec({ ...FEATURE_SPEC, version: 'features-v0' })).toThrow();
    const spec = makeFeatureSpec({ lags: [1, 7], windows: [3], weekdayWeeks: [] });
    const s = makeSeries('2021-01-01', 10, (k) => k);
    const m = buildTrainingMatrix([s], { encodings: buildEncodings([s]), spec });
    expect(m.cols).toBe(spec.names.length);
    const r = rowOf(m, '2021-01-06');
    expect([r[0], r[2], r[3], r[4]]).toEqual([4, 3, 1, 4]); // lag_1, roll_mean_3, roll_std_3, roll_max_3
    expect(() => makeFeatureSpec({ lags: [0] })).toThrow(RangeError);
  });

  it('log1p/raw transforms', () => {
    expect(encodeTarget(-3, 'log1p')).toBe(0);
    expect(encodeTarget(3, 'raw')).toBe(3);
    expect(decodeTarget(Math.log1p(5), 'log1p')).toBeCloseTo(5, 10);
    expect(decodeTarget(-0.5, 'log1p')).toBe(0);
    expect(decodeTarget(-2, 'raw')).toBe(0);
    expect(() => decodeTarget(Infinity, 'raw')).toThrow(RangeError);
  });
});

describe('feature layouts with excluded columns', () => {
  it('drops exactly the excluded columns and keeps the others bitwise equal', () => {
    const s = makeSeries('2024-01-01', 120, (k) => (k * 7) % 11, { price: (k) => 2 + (k % 3) });
    const enc = buildEncodings([s]);
    const trimmed = makeFeatureSpec({ exclude: ['days_since_last_sale', 'roll_std_7', 'roll_max_28'] });
    expect(trimmed.names).toHaveLength(FEATURE_SPEC.names.length - 3);
    expect(trimmed.names).not.toContain('roll_std_7');
    const full = buildTrainingMatrix([s], { encodings: enc, spec: FEATURE_SPEC });
    const part = buildTrainingMatrix([s], { encodings: enc, spec: trimmed });
    expect(part.rows).toBe(full.rows);
    for (let r = 0; r < full.rows; r += 17) {
      trimmed.names.forEach((name, j) => {
        const fj = FEATURE_SPEC.names.indexOf(name);
        expect(Object.is(part.features[r * part.cols + j], full.features[r * full.cols + fj]), `${name} row ${r}`).toBe(true);
      });
    }
    expect(() => makeFeatureSpec({ exclude: ['no_such_column'] })).toThrow(/not a column/);
    expect(JSON.parse(JSON.stringify(trimmed))).toEqual(trimmed);
  });
});

describe('stock-out days', () => {
  const enc = () => buildEncodings([makeSeries('2024-01-01', 5, () => 1)]);
  it('are flagged from an empty shelf and not learned from, while their zeros stay in the lags', () => {
    const records = [
      rec('2024-01-01', 5, { inventoryLevel: 10 }),
      rec('2024-01-02', 0, { inventoryLevel: 0 }), // out of stock all day
      rec('2024-01-03', 4, { inventoryLevel: 0 }), // sold out during the day: demand was at least 4
      rec('2024-01-04', 6, { inventoryLevel: 12 }),
      rec('2024-01-05', 3, { inventoryLevel: null }), // no stock figure: a normal day
    ];
    const s: SeriesInput = { storeId: 'S1', productId: 'P1', category: 'FOODS', region: null, records };
    expect(Array.from(toDailyFrame(s).stockout)).toEqual([0, 1, 1, 0, 0]);
    const m = buildTrainingMatrix([s], { encodings: enc(), target: 'raw' });
    expect(Array.from(m.day, formatDay)).toEqual(['2024-01-01', '2024-01-04', '2024-01-05']);
    expect(Array.from(m.labels)).toEqual([5, 6, 3]);
    // The 4th's lag 2 still reads the 2nd's recorded 0.
    expect(rowOf(m, '2024-01-04')[m.names.indexOf('lag_2')]).toBe(0);
    expect(buildTrainingMatrix([s], { encodings: enc(), target: 'raw' }, { keepStockouts: true }).rows).toBe(5);
  });

  it('include closed days (store shut): censored like stock-outs, not learned from as zero demand', () => {
    const records = [
      rec('2024-01-01', 5),
      rec('2024-01-02', 0, { closed: true }), // Open = 0: no demand could be seen
      rec('2024-01-03', 6, { closed: false }),
      rec('2024-01-04', 4),
    ];
    const s: SeriesInput = { storeId: 'S1', productId: 'P1', category: 'FOODS', region: null, records };
    expect(Array.from(toDailyFrame(s).stockout)).toEqual([0, 1, 0, 0]);
    const m = buildTrainingMatrix([s], { encodings: enc(), target: 'raw' });
    expect(Array.from(m.day, formatDay)).toEqual(['2024-01-01', '2024-01-03', '2024-01-04']);
  });
});
