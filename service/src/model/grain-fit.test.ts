// Models at each grain, and the method choice: a weekly model is trained, scored and served in weeks (seasonal naive
// at 52 weeks, a 13-week holdout), a monthly one in months; a kind of series on which a baseline beat the model on the
// backtest is served by that baseline, exactly.
import { describe, expect, it } from 'vitest';
import { generateDemoSales } from '../demo/generate';
import { addDays, dailyUnits, periodOrdinal, periodTimeDate, toPeriodTime, type Grain, type SeriesInput } from '../features/index';
import type { SalesRecord } from '../sales/record';
import { baselineForecast, type BaselineName } from './baselines';
import { getEngine } from './engine/index';
import { ForecastModel } from './forecast-model';

/** Daily demo sales summed into weeks starting on Mondays, or calendar months, as a weekly or monthly file would hold. */
function coarse(records: SalesRecord[], grain: 'weekly' | 'monthly'): SeriesInput[] {
  const byKey = new Map<string, { s: SeriesInput; periods: Map<string, SalesRecord> }>();
  for (const r of records) {
    const key = `${r.storeId}|${r.productId}`;
    let e = byKey.get(key);
    if (!e)
      byKey.set(key, (e = { s: { storeId: r.storeId, productId: r.productId, category: r.category, records: [] }, periods: new Map() }));
    const dow = (new Date(`${r.date}T00:00:00Z`).getUTCDay() + 6) % 7;
    const start = grain === 'weekly' ? addDays(r.date, -dow) : `${r.date.slice(0, 7)}-01`;
    const p = e.periods.get(start);
    if (p) p.unitsSold += r.unitsSold;
    else e.periods.set(start, { ...r, date: start, inventoryLevel: null, extra: null });
  }
  return [...byKey.values()].map(({ s, periods }) => ({
    ...s,
    records: [...periods.values()].sort((a, b) => a.date.localeCompare(b.date)),
  }));
}

const demo = generateDemoSales({ stores: ['W'], productsPerStore: 8, days: 3 * 364, endDate: '2025-06-29', seed: 5 });
const engine = getEngine('wasm');

describe.each<['weekly' | 'monthly', number, number, string]>([
  ['weekly', 13, 52, '2025-06-23'],
  ['monthly', 6, 12, '2025-06-01'],
])('a %s model', (grain, holdout, season, lastStart) => {
  it(`is scored on a ${holdout}-period holdout against the seasonal naive of ${season} periods, and forecasts in periods`, async () => {
    // The last period must be whole: drop a trailing part month.
    const series = coarse(demo, grain).map((s) => ({ ...s, records: s.records.filter((r) => r.date <= lastStart) }));
    const { model } = await ForecastModel.fit({ series, grain, engine, settings: { rounds: 20, objective: 'tweedie' } });
    try {
      const m = model.metrics;
      expect(m.grain).toBe(grain);
      expect(m.season).toBe(season);
      expect(m.holdout!.periods).toBe(holdout);
      expect(m.holdout!.to).toBe(lastStart);
      expect(Object.keys(m.baselines!).sort()).toEqual(['croston_sba', 'exponential_smoothing', 'moving_average', 'seasonal_naive', 'tsb']);
      // The served figures are those of the chosen methods, never worse than the best simple method's.
      expect(m.best_baseline).not.toBeNull();
      expect(m.rmsse!).toBeLessThanOrEqual(m.best_baseline!.figures.rmsse! + 1e-9);
      for (const s of m.selection!) {
        const best = Math.min(...s.candidates.map((c) => c.rmsse ?? Infinity));
        expect(s.figures.rmsse).toBeCloseTo(best, 9);
      }
      // The choice checked out of sample: chosen on the first half of the holdout, scored on the second.
      expect(m.selection_check).toMatchObject({ periods: holdout - Math.floor(holdout / 2) });
      expect(m.selection_check!.served.rmsse).not.toBeNull();
      expect(model.spec.lags).toContain(season);
      const forecasts = model.forecast(series, { origin: lastStart, horizon: 3 });
      const next = grain === 'weekly' ? ['2025-06-30', '2025-07-07', '2025-07-14'] : ['2025-07-01', '2025-08-01', '2025-09-01'];
      for (const f of forecasts) {
        expect(f.dates).toEqual(next);
        expect(f.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      }
      // A year-ago peak is within the model's reach: the seasonal lag is a feature.
      expect(periodOrdinal(next[0], grain) - periodOrdinal(lastStart, grain)).toBe(1);
    } finally {
      model.dispose();
    }
  }, 120_000);
});

describe('method choice', () => {
  it('serves a kind of series by the baseline that beat the model on its backtest, exactly as that baseline forecasts', async () => {
    const series = coarse(demo, 'weekly').map((s) => ({ ...s, records: s.records.filter((r) => r.date <= '2025-06-23') }));
    // A model that cannot learn (one round at a tiny rate predicts about its starting value) loses to every baseline.
    const { model } = await ForecastModel.fit({
      series,
      grain: 'weekly',
      engine,
      settings: { rounds: 1, learningRate: 0.01, objective: 'squared' },
    });
    try {
      expect(model.metrics.selection!.length).toBeGreaterThan(0);
      for (const s of model.metrics.selection!) {
        expect(s.method).toMatch(/^baseline:/);
        expect(model.selection.methods[s.kind]).toBe(s.method);
        const own = s.candidates.find((c) => c.method === 'model')!;
        expect(own.rmsse!).toBeGreaterThan(s.figures.rmsse!);
      }
      const forecasts = model.forecast(series, { origin: '2025-06-23', horizon: 4 });
      forecasts.forEach((f, k) => {
        expect(f.method).toMatch(/^baseline:/);
        const history = dailyUnits(toPeriodTime(series[k], 'weekly'), { to: periodTimeDate('2025-06-23', 'weekly') }).values;
        const expected = baselineForecast(f.method.slice('baseline:'.length) as BaselineName, history, 4, 'weekly' as Grain);
        expect(f.values).toEqual(expected);
      });
    } finally {
      model.dispose();
    }
  }, 120_000);
});
