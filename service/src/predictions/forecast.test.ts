// The blend of a store model with the global model, as served: forecasts and explanations are the weighted
// combination of the members', on both engines.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoSales } from '../demo/generate';
import { buildEncodings, buildTrainingMatrix, makeFeatureSpec, type SeriesInput } from '../features/index';
import { getEngine, nativeUnavailableReason, type EngineName } from '../model/engine/index';
import type { SalesRecord } from '../sales/record';
import { explainFirstDay, forecastProducts, type PredictiveModel } from './forecast';

function toSeries(records: SalesRecord[]): SeriesInput[] {
  const byKey = new Map<string, SeriesInput>();
  for (const r of records) {
    const key = `${r.storeId}|${r.productId}`;
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { storeId: r.storeId, productId: r.productId, category: r.category, records: [] }));
    s.records.push(r);
  }
  return [...byKey.values()];
}

const nativeMissing = await nativeUnavailableReason();
const engines: EngineName[] = nativeMissing ? ['wasm'] : ['native', 'wasm'];
if (nativeMissing) console.warn(`native engine skipped in forecast.test.ts: ${nativeMissing}`);

describe.each(engines)('a store model blended with a global model (%s)', (engineName) => {
  const series = toSeries(generateDemoSales({ stores: ['A', 'B'], productsPerStore: 3, days: 200, endDate: '2025-06-30', seed: 3 }));
  const storeSeries = series.filter((s) => s.storeId === 'A');
  const spec = makeFeatureSpec({ exclude: ['days_since_last_sale'] });
  let store: PredictiveModel;
  let global: PredictiveModel;

  beforeAll(async () => {
    const engine = getEngine(engineName);
    const fit = async (data: SeriesInput[], rounds: number): Promise<PredictiveModel> => {
      const encodings = buildEncodings(data);
      const ctx = { encodings, spec, target: 'raw' as const };
      const matrix = buildTrainingMatrix(data, ctx);
      const booster = await engine.train(matrix, {
        objective: 'tweedie',
        rounds,
        learningRate: 0.3,
        maxDepth: 4,
        minChildWeight: 1,
        subsample: 1,
        colsampleByTree: 1,
        lambda: 1,
      });
      return { booster, encodings, spec, target: 'raw', intervals: null as never };
    };
    [store, global] = [await fit(storeSeries, 8), await fit(series, 20)];
  }, 60_000);

  it('forecasts (1 - w) x store + w x global, each member forecasting recursively on its own', () => {
    const options = { origin: '2025-06-30', horizon: 10 };
    const own = forecastProducts(store, storeSeries, options);
    const partner = forecastProducts(global, storeSeries, options);
    const blend = forecastProducts({ ...store, partner: { model: global, weight: 0.3 } }, storeSeries, options);
    blend.forEach((f, k) => f.values.forEach((v, h) => expect(v).toBeCloseTo(0.7 * own[k].values[h] + 0.3 * partner[k].values[h], 6)));
    expect(own.some((f, k) => f.values.some((v, h) => Math.abs(v - partner[k].values[h]) > 1e-3))).toBe(true);
  });

  it("explains the blend as the weighted sum of its members' explanations", () => {
    const options = { origin: '2025-06-30', top: 1000 };
    const byFeature = (m: PredictiveModel) => new Map(explainFirstDay(m, storeSeries[0], options).map((c) => [c.feature, c.contribution]));
    const own = byFeature(store);
    const partner = byFeature(global);
    const blend = byFeature({ ...store, partner: { model: global, weight: 0.5 } });
    expect(blend.size).toBeGreaterThan(0);
    for (const [feature, value] of blend) expect(value).toBeCloseTo(0.5 * (own.get(feature) ?? 0) + 0.5 * (partner.get(feature) ?? 0), 2);
  });
});
