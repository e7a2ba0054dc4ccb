// ForecastModel: the blend of a store model with the global model, as served (forecasts and explanations are the
// weighted combination of the members'), and its artifact (round trip, and refusal of one this code cannot serve), on
// both engines.
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoSales } from '../demo/generate';
import { buildEncodings, buildTrainingMatrix, makeFeatureSpec, type SeriesInput } from '../features/index';
import type { SalesRecord } from '../sales/record';
import { MODEL_ARTIFACT_VERSION, ModelLoadError } from './artifact';
import { getEngine, nativeUnavailableReason, type EngineName, type TrainParams } from './engine/index';
import { ForecastModel } from './forecast-model';
import { DEFAULT_SETTINGS } from './settings';

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
  let store: ForecastModel;
  let global: ForecastModel;

  beforeAll(async () => {
    const engine = getEngine(engineName);
    const fit = async (data: SeriesInput[], rounds: number): Promise<ForecastModel> => {
      const encodings = buildEncodings(data);
      const ctx = { encodings, spec, target: 'raw' as const };
      const matrix = buildTrainingMatrix(data, ctx);
      const trainParams: TrainParams = {
        objective: 'tweedie',
        rounds,
        learningRate: 0.3,
        maxDepth: 4,
        minChildWeight: 1,
        subsample: 1,
        colsampleByTree: 1,
        lambda: 1,
      };
      const booster = await engine.train(matrix, trainParams);
      // Only what forecasting and explaining read is real here; the artifact tests below use a fitted model.
      const description = {
        settings: DEFAULT_SETTINGS,
        trainParams,
        target: 'raw' as const,
        spec,
        encodings,
        intervals: null as never,
        residuals: { horizon: 0, predicted: [], actual: [] },
        metrics: null as never,
        dataWindow: null as never,
        records: matrix.rows,
        ensemble: null,
        grain: 'daily' as const,
        selection: { grain: 'daily' as const, fastFrom: 0, methods: { fast: 'model', slow: 'model', intermittent: 'model' } as const },
      };
      return new ForecastModel(description, booster);
    };
    [store, global] = [await fit(storeSeries, 8), await fit(series, 20)];
  }, 60_000);
  /** The store model's booster served with the global model as its partner (a view: disposing it is not needed). */
  const blended = (weight: number) =>
    new ForecastModel({ ...store, dataWindow: store.dataWindow, ensemble: null }, store.booster, { partner: { model: global, weight } });

  it('forecasts (1 - w) x store + w x global, each member forecasting recursively on its own', () => {
    const options = { origin: '2025-06-30', horizon: 10 };
    const own = store.forecast(storeSeries, options);
    const partner = global.forecast(storeSeries, options);
    const blend = blended(0.3).forecast(storeSeries, options);
    blend.forEach((f, k) => f.values.forEach((v, h) => expect(v).toBeCloseTo(0.7 * own[k].values[h] + 0.3 * partner[k].values[h], 6)));
    expect(own.some((f, k) => f.values.some((v, h) => Math.abs(v - partner[k].values[h]) > 1e-3))).toBe(true);
  });

  it('moves a product served by a simple method under a what-if as the model moves, and leaves it alone without one', () => {
    const simple = new ForecastModel(
      {
        ...store,
        dataWindow: store.dataWindow,
        ensemble: null,
        grain: 'daily',
        selection: {
          grain: 'daily',
          fastFrom: 0,
          methods: { fast: 'baseline:moving_average', slow: 'baseline:moving_average', intermittent: 'baseline:moving_average' },
        },
      },
      store.booster,
    );
    const options = { origin: '2025-06-30', horizon: 7 };
    const plain = simple.forecast(storeSeries, options);
    const cut = [{ productId: storeSeries[0].productId, priceFactor: 0.6, promotion: true }];
    const moved = simple.forecast(storeSeries, { ...options, scenario: cut });
    const modelPlain = store.forecast(storeSeries, options)[0].values;
    const modelCut = store.forecast(storeSeries, { ...options, scenario: cut })[0].values;
    expect(plain[0].method).toBe('baseline:moving_average');
    moved[0].values.forEach((v, h) => expect(v).toBeCloseTo((plain[0].values[h] * (modelCut[h] + 0.5)) / (modelPlain[h] + 0.5), 6));
    expect(moved[0].values.reduce((a, b) => a + b, 0)).toBeGreaterThan(plain[0].values.reduce((a, b) => a + b, 0));
    // The other products are not in the what-if: their simple forecasts stay as they were.
    expect(moved.slice(1).map((f) => f.values)).toEqual(plain.slice(1).map((f) => f.values));
  });

  it("explains the blend as the weighted sum of its members' explanations", () => {
    const options = { origin: '2025-06-30', top: 1000 };
    const byFeature = (m: ForecastModel) => new Map(m.explain(storeSeries[0], options).map((c) => [c.feature, c.contribution]));
    const own = byFeature(store);
    const partner = byFeature(global);
    const blend = byFeature(blended(0.5));
    expect(blend.size).toBeGreaterThan(0);
    for (const [feature, value] of blend) expect(value).toBeCloseTo(0.5 * (own.get(feature) ?? 0) + 0.5 * (partner.get(feature) ?? 0), 2);
  });
});

describe.each(engines)('the model artifact (%s)', (engineName) => {
  const series = toSeries(generateDemoSales({ stores: ['A'], productsPerStore: 3, days: 120, endDate: '2025-06-30', seed: 5 }));
  const engine = getEngine(engineName);
  let model: ForecastModel;

  beforeAll(async () => {
    ({ model } = await ForecastModel.fit({ series, engine, settings: { rounds: 8, maxDepth: 3 } }));
  }, 60_000);

  const request = { origin: '2025-06-30', horizon: 14 };

  it('round-trips: a model loaded from its artifact forecasts, explains and bounds exactly as the fitted one', async () => {
    const artifact = model.toArtifact();
    expect(artifact.artifact_version).toBe(MODEL_ARTIFACT_VERSION);
    // As the registry stores it: JSON columns and the booster's bytes.
    const stored = { ...JSON.parse(JSON.stringify({ ...artifact, bytes: undefined })), bytes: artifact.bytes };
    const loaded = await ForecastModel.fromArtifact(stored, { engine });
    try {
      expect(loaded.forecast(series, request)).toEqual(model.forecast(series, request));
      expect(loaded.explain(series[0], { origin: request.origin })).toEqual(model.explain(series[0], { origin: request.origin }));
      expect(loaded.dailyIntervals([5, 5], [0.8, 0.95])).toEqual(model.dailyIntervals([5, 5], [0.8, 0.95]));
      expect(loaded.metrics).toEqual(model.metrics);
      expect(loaded.metrics.wape).not.toBeNull();
    } finally {
      loaded.dispose();
    }
  });

  it('refuses a stale artifact with a reason and what to do', async () => {
    const artifact = model.toArtifact();
    const refusal = (stale: object) => ForecastModel.fromArtifact(stale, { engine });
    await expect(refusal({ ...artifact, spec: { ...artifact.spec, version: 'features-v0' } })).rejects.toThrow(
      /trained on other features \(feature spec features-v0 is not features-v1\); retrain it/,
    );
    await expect(refusal({ ...artifact, spec: { ...artifact.spec, names: artifact.spec.names.slice(1) } })).rejects.toThrow(
      /trained on other features/,
    );
    await expect(refusal({ ...artifact, intervals: { ...artifact.intervals, version: 'intervals-v0' } })).rejects.toThrow(
      /intervals are calibrated as intervals-v0, this service reads intervals-v1; retrain it/,
    );
    await expect(refusal({ ...artifact, artifact_version: MODEL_ARTIFACT_VERSION + 1 })).rejects.toThrow(
      new RegExp(`artifact version ${MODEL_ARTIFACT_VERSION + 1}, this service reads version ${MODEL_ARTIFACT_VERSION}`),
    );
    await expect(refusal({ ...artifact, encodings: undefined })).rejects.toThrow(/not readable \(encodings/);
    await expect(refusal({ ...artifact, ensemble: { model_id: 7, scope: 'global', weight: 0.5 } })).rejects.toThrow(
      /blended with model 7, which was not given/,
    );
    await expect(refusal({ ...artifact, spec: { ...artifact.spec, version: 'features-v0' } })).rejects.toBeInstanceOf(ModelLoadError);
  });
});
