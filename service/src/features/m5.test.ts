// The M5 extract (280 series x 1,885 days): matrix invariants and train/serve equality on real data.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CalendarEvents } from './calendar';
import { formatDay, parseDay } from './dates';
import { buildEncodings, UNKNOWN_CODE } from './encodings';
import { recursiveForecast } from './forecast';
import type { SeriesInput } from './frame';
import { buildTrainingMatrix, type TrainingMatrix } from './matrix';
import { loadM5Calendar, loadM5Series, m5Available } from '../../../bench/fixtures/m5';
import type { FeatureContext } from './row';
import { FEATURE_SPEC } from './spec';

describe.runIf(m5Available())('M5 training matrix', () => {
  let series: SeriesInput[];
  let calendar: CalendarEvents;
  let ctx: FeatureContext;
  let m: TrainingMatrix;
  let buildMs = 0;

  beforeAll(() => {
    series = loadM5Series();
    calendar = loadM5Calendar();
    ctx = { encodings: buildEncodings(series, { calendar }), calendar };
    const t = performance.now();
    m = buildTrainingMatrix(series, ctx);
    buildMs = performance.now() - t;
  });

  it('has one row per listed day, builds in seconds', () => {
    expect(series.length).toBe(280);
    let listedDays = 0;
    for (const s of series) {
      const first = s.records.findIndex((r) => r.price !== null || r.unitsSold > 0);
      if (first >= 0) listedDays += s.records.length - first;
    }
    expect(m.rows).toBe(listedDays);
    expect(m.cols).toBe(FEATURE_SPEC.names.length);
    expect(buildMs).toBeLessThan(10_000);
  });

  it('no feature equals -1, no NaN or negative label, codes are known', () => {
    let minusOne = 0;
    for (let k = 0; k < m.features.length; k++) if (m.features[k] === -1) minusOne++;
    expect(minusOne).toBe(0);
    let badLabel = 0;
    for (let r = 0; r < m.rows; r++) if (!(m.labels[r] >= 0)) badLabel++;
    expect(badLabel).toBe(0);
    const cols = ['store', 'product', 'category', 'event_name_1', 'snap', 'day_of_week', 'price'].map((n) => m.names.indexOf(n));
    for (let r = 0; r < m.rows; r += 997) {
      for (const c of cols) {
        const v = m.features[r * m.cols + c];
        expect(Number.isNaN(v)).toBe(false);
        expect(v).not.toBe(UNKNOWN_CODE);
      }
    }
  });

  it('christmas is an event and SNAP follows the state', () => {
    const ca = series.findIndex((s) => s.storeId === 'CA_1');
    const xmas = parseDay('2015-12-25');
    const r = m.day.findIndex((d, k) => d === xmas && m.seriesIdx[k] === ca);
    const row = m.features.subarray(r * m.cols, (r + 1) * m.cols);
    expect(row[m.names.indexOf('event_name_1')]).toBe(ctx.encodings.eventName.Christmas);
    expect(row[m.names.indexOf('days_to_event')]).toBe(0);
    const snapDays = calendar.states.get('CA')!.snap;
    expect(row[m.names.indexOf('snap')]).toBe(snapDays[xmas - calendar.start]);
  });

  it('served step-1 rows equal training rows bitwise on real series', () => {
    const sample = series.filter((_, k) => k % 23 === 0);
    const sm = buildTrainingMatrix(sample, ctx);
    for (const date of ['2014-06-15', '2016-03-27']) {
      let served: Float32Array | null = null;
      recursiveForecast(
        sample,
        1,
        (x, rows) => {
          served = x.slice();
          return new Float32Array(rows);
        },
        ctx,
        { origin: formatDay(parseDay(date) - 1), futureInputs: 'recorded' },
      );
      const d = parseDay(date);
      for (let s = 0; s < sample.length; s++) {
        const r = sm.day.findIndex((x, k) => x === d && sm.seriesIdx[k] === s);
        if (r < 0) continue; // not listed yet
        const a = new Uint32Array(sm.features.buffer, r * sm.cols * 4, sm.cols);
        const b = new Uint32Array(served!.buffer, s * sm.cols * 4, sm.cols);
        expect(Array.from(b)).toEqual(Array.from(a));
      }
    }
  });
});
