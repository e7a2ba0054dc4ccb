// The engine layer's behaviour on both XGBoost engines: training, prediction, save/load, constraints, crashes.
// Long file: one suite runs over both engines, plus the cross-engine checks; split, each half would repeat the set-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nativeEngine,
  nativeUnavailableReason,
  selectEngine,
  TrainingProcessError,
  wasmEngine,
  type Booster,
  type Dataset,
  type Engine,
  type TrainParams,
} from './index';

const nativeSkip = await nativeUnavailableReason();
if (nativeSkip) console.warn(`native XGBoost engine tests are skipped: ${nativeSkip}`);

// ---- synthetic data --------------------------------------------------------------------------

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

function poissonSample(r: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= r();
  } while (p > l);
  return k - 1;
}

/** y = 3*x0 + 2*(x1 > 0.5) + 1.5*(x2 missing) + noise; x2 is NaN in ~30% of rows. */
function regressionData(rows: number, cols: number, seed: number): Dataset {
  const r = rng(seed);
  const features = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) features[i * cols + j] = r();
    const missing = r() < 0.3;
    if (missing) features[i * cols + 2] = NaN;
    const x0 = features[i * cols];
    const x1 = features[i * cols + 1];
    labels[i] = 3 * x0 + 2 * (x1 > 0.5 ? 1 : 0) + (missing ? 1.5 : 0) + 0.1 * gaussian(r);
  }
  return { features, rows, cols, labels };
}

/** Counts ~ Poisson(exp(0.3 + 1.2*x0 - 0.5*x1)). */
function countData(rows: number, cols: number, seed: number): Dataset {
  const r = rng(seed);
  const features = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) features[i * cols + j] = r();
    labels[i] = poissonSample(r, Math.exp(0.3 + 1.2 * features[i * cols] - 0.5 * features[i * cols + 1]));
  }
  return { features, rows, cols, labels };
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

function std(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / a.length);
}

function rmse(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i] - y[i]) ** 2;
  return Math.sqrt(s / y.length);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const base: TrainParams = {
  objective: 'squared',
  rounds: 80,
  learningRate: 0.2,
  maxDepth: 4,
  minChildWeight: 1,
  subsample: 0.9,
  colsampleByTree: 1,
  lambda: 1,
  seed: 7,
};

const COLS = 8;
const train = regressionData(4000, COLS, 1);
const test = regressionData(2000, COLS, 2);

// ---- both engines ----------------------------------------------------------------------------

describe.each([
  { name: 'wasm', engine: wasmEngine as Engine, skip: null as string | null },
  { name: 'native', engine: nativeEngine as Engine, skip: nativeSkip },
])('$name engine', ({ engine, skip }) => {
  const needs = (ctx: { skip: (note?: string) => never }) => {
    if (skip) ctx.skip(`native XGBoost unavailable: ${skip}`);
  };
  let booster: Booster | null = null;

  beforeAll(async () => {
    if (!skip) booster = await engine.train(train, base);
  });
  afterAll(() => booster?.dispose());

  it('is available', async (ctx) => {
    needs(ctx);
    expect(await engine.available()).toBe(true);
  });

  it('learns y = 3*x0 + 2*(x1>0.5) + 1.5*(x2 missing) + noise, NaNs in x2', (ctx) => {
    needs(ctx);
    const b = booster!;
    expect(b.engine).toBe(engine.name);
    expect(b.numFeatures).toBe(COLS);
    const p = b.predict(test.features, test.rows, test.cols);
    expect(p).toHaveLength(test.rows);
    const err = rmse(p, test.labels);
    expect(err).toBeLessThan(0.15 * std(test.labels)); // std ~1.5, noise 0.1
    // The missing-x2 effect is learned: same row with x2 present vs NaN differs by ~1.5.
    const row = new Float32Array([0.5, 0.2, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const rowNaN = row.slice();
    rowNaN[2] = NaN;
    const [a, c] = b.predict(new Float32Array([...row, ...rowNaN]), 2, COLS);
    expect(c - a).toBeGreaterThan(1.2);
    expect(c - a).toBeLessThan(1.8);
  });

  it('poisson and tweedie on counts: non-negative, mean close to the label mean', async (ctx) => {
    needs(ctx);
    const tr = countData(5000, 5, 3);
    const te = countData(3000, 5, 4);
    for (const objective of ['poisson', 'tweedie'] as const) {
      const b = await engine.train(tr, { ...base, objective, rounds: 60, learningRate: 0.1, maxDepth: 3 });
      try {
        const p = b.predict(te.features, te.rows, te.cols);
        for (const v of p) {
          expect(Number.isNaN(v)).toBe(false);
          expect(v).toBeGreaterThanOrEqual(0);
        }
        expect(Math.abs(mean(p) - mean(te.labels)) / mean(te.labels)).toBeLessThan(0.08);
        // And it tracks the rate: mean prediction is higher where x0 is high.
        const hi: number[] = [];
        const lo: number[] = [];
        for (let i = 0; i < te.rows; i++) (te.features[i * 5] > 0.5 ? hi : lo).push(p[i]);
        expect(mean(hi)).toBeGreaterThan(1.5 * mean(lo));
      } finally {
        b.dispose();
      }
      // One small step from base_score: it must start at the label mean (0.7's reg:tweedie takes a margin).
      const one = await engine.train(tr, { ...base, objective, rounds: 1, learningRate: 0.01 });
      expect(Math.abs(mean(one.predict(te.features, te.rows, te.cols)) / mean(tr.labels) - 1)).toBeLessThan(0.02);
      one.dispose();
    }
  });

  it('monotone constraints: a constrained column can only lower the prediction, whatever the data say', async (ctx) => {
    needs(ctx);
    // y falls with x0 overall but wiggles (sin), and rises with x1.
    const rows = 4000;
    const features = new Float32Array(rows * 2);
    const labels = new Float32Array(rows);
    let seed = 11;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < rows; i++) {
      const x0 = rand();
      const x1 = rand();
      features[i * 2] = x0;
      features[i * 2 + 1] = x1;
      labels[i] = 5 - 2 * x0 + Math.sin(12 * x0) + x1 + 0.05 * (rand() - 0.5);
    }
    const grid = new Float32Array(100 * 2);
    for (let k = 0; k < 100; k++) {
      grid[k * 2] = k / 99;
      grid[k * 2 + 1] = 0.5;
    }
    const rises = (p: ArrayLike<number>) => Array.from(p).some((v, k) => k > 0 && v > p[k - 1] + 1e-6);
    const free = await engine.train({ features, labels, rows, cols: 2 }, { ...base, rounds: 60 });
    const held = await engine.train({ features, labels, rows, cols: 2 }, { ...base, rounds: 60, monotone: [-1, 0] });
    try {
      expect(rises(free.predict(grid, 100, 2))).toBe(true); // the wiggle is learned without the constraint
      expect(rises(held.predict(grid, 100, 2))).toBe(false);
    } finally {
      free.dispose();
      held.dispose();
    }
    await expect(engine.train({ features, labels, rows, cols: 2 }, { ...base, monotone: [-1] })).rejects.toThrow(/monotone has 1 entries/);
  });

  it('save -> load gives identical predictions', async (ctx) => {
    needs(ctx);
    const saved = booster!.save();
    expect(saved.engine).toBe(engine.name);
    expect(saved.format).toBe(engine.name === 'wasm' ? 'xgboost-0.7-binary' : 'xgboost-ubj');
    const again = await engine.load(saved);
    try {
      expect(again.predict(test.features, test.rows, test.cols)).toEqual(booster!.predict(test.features, test.rows, test.cols));
      expect(again.save().bytes).toEqual(saved.bytes);
    } finally {
      again.dispose();
    }
  });

  it('rejects a matrix with the wrong number of columns, and a disposed booster', async (ctx) => {
    needs(ctx);
    expect(() => booster!.predict(new Float32Array(6), 2, 3)).toThrow(/expects 8 features/);
    const again = await engine.load(booster!.save());
    again.dispose();
    again.dispose();
    expect(() => again.predict(test.features, test.rows, test.cols)).toThrow(/disposed/);
  });

  it('trains on 200,000 rows x 20 features', async (ctx) => {
    needs(ctx);
    const big = regressionData(200_000, 20, 5);
    const b = await engine.train(big, { ...base, rounds: engine.name === 'wasm' ? 8 : 20, maxDepth: 6, learningRate: 0.5 });
    try {
      const hold = regressionData(5000, 20, 6);
      const p = b.predict(hold.features, hold.rows, hold.cols);
      expect(p).toHaveLength(hold.rows);
      expect(rmse(p, hold.labels)).toBeLessThan(0.3 * std(hold.labels));
    } finally {
      b.dispose();
    }
  }, 90_000);

  it('reports progress per round and keeps the main thread free while training', async (ctx) => {
    needs(ctx);
    const data = regressionData(30_000, 20, 8);
    const rounds: Array<[number, number]> = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    try {
      const b = await engine.train(data, { ...base, rounds: 25, maxDepth: 6 }, { onProgress: (r, total) => rounds.push([r, total]) });
      b.dispose();
    } finally {
      clearInterval(timer);
    }
    const elapsed = Date.now() - started;
    expect(rounds.map(([r]) => r)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(rounds.every(([, total]) => total === 25)).toBe(true);
    // A blocked event loop would tick ~0 times; allow generous slack for a loaded machine.
    expect(ticks).toBeGreaterThan(Math.min(20, (elapsed / 10) * 0.25));
  });

  it('abort kills training and rejects with AbortError', async (ctx) => {
    needs(ctx);
    const data = regressionData(20_000, 20, 9);
    const ac = new AbortController();
    let afterAbort = 0;
    let aborted = false;
    const t0 = Date.now();
    const p = engine.train(
      data,
      { ...base, rounds: 100_000, maxDepth: 6 },
      {
        signal: ac.signal,
        onProgress: (r) => {
          if (aborted) afterAbort++;
          if (r === 2) {
            aborted = true;
            ac.abort();
          }
        },
      },
    );
    await expect(p).rejects.toMatchObject({ name: 'AbortError', message: 'training aborted' });
    expect(Date.now() - t0).toBeLessThan(30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(afterAbort).toBe(0);
    // Already aborted: rejects without starting anything.
    await expect(engine.train(data, base, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a training process that segfaults rejects cleanly and this process carries on', async (ctx) => {
    needs(ctx);
    const small = regressionData(2000, 4, 10);
    const err = await engine.train(small, { ...base, rounds: 10 }, { crashForTest: { afterRound: 2, signal: 'SIGSEGV' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrainingProcessError);
    expect((err as Error).message).toBe('training process exited with signal SIGSEGV');
    expect((err as TrainingProcessError).signal).toBe('SIGSEGV');
    // This process is fine: serving still works (and the following tests train again).
    expect(booster!.predict(test.features, test.rows, test.cols)).toHaveLength(test.rows);
  });

  it('validates before starting a process', async (ctx) => {
    needs(ctx);
    await expect(engine.train(train, { ...base, rounds: 0 })).rejects.toThrow(/rounds/);
    await expect(engine.train(train, { ...base, learningRate: 2 })).rejects.toThrow(/learningRate/);
    await expect(engine.train({ ...train, labels: new Float32Array(3) }, base)).rejects.toThrow(/labels/);
    const bad = { ...train, labels: train.labels.slice() };
    bad.labels[5] = NaN;
    await expect(engine.train(bad, base)).rejects.toThrow(/label 5 is not finite/);
    const neg = { ...train, labels: train.labels.map((v) => v - 10) };
    await expect(engine.train(neg, { ...base, objective: 'poisson' })).rejects.toThrow(/negative/);
  });
});

// ---- wasm specifics --------------------------------------------------------------------------

/** x0 in {-1, 1, NaN}: y = 10, 0, 5. If -1 read as missing, -1 and NaN rows would be merged (~7.5). */
function minusOneData(rows: number, seed: number): Dataset {
  const r = rng(seed);
  const cols = 3;
  const features = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const k = i % 3;
    features[i * cols] = k === 0 ? -1 : k === 1 ? 1 : NaN;
    features[i * cols + 1] = r();
    features[i * cols + 2] = r() * 2 - 1;
    labels[i] = (k === 0 ? 10 : k === 1 ? 0 : 5) + 0.1 * gaussian(r);
  }
  return { features, rows, cols, labels };
}

const probe = new Float32Array([-1, 0.5, 0, 1, 0.5, 0, NaN, 0.5, 0]);

describe('wasm engine specifics', () => {
  it('a real -1 is not treated as missing', async () => {
    const b = await wasmEngine.train(minusOneData(3000, 11), { ...base, rounds: 60, learningRate: 0.3, maxDepth: 3 });
    try {
      const [atMinusOne, atOne, atMissing] = b.predict(probe, 3, 3);
      expect(atMinusOne).toBeCloseTo(10, 0);
      expect(atOne).toBeCloseTo(0, 0);
      expect(atMissing).toBeCloseTo(5, 0);
    } finally {
      b.dispose();
    }
  });

  it('an error inside ml-xgboost retires its runtime; loaded boosters move to a fresh one', async () => {
    const data = regressionData(1000, 4, 15);
    const b = await wasmEngine.train(data, { ...base, rounds: 10 });
    const before = b.predict(data.features, data.rows, data.cols);
    const listeners = process.listeners('uncaughtException').length;
    // A header that passes the size check, then garbage: XGBoost 0.7 traps inside WASM.
    const junk = new Uint8Array(400).map((_, i) => (i * 37) & 255);
    new DataView(junk.buffer).setUint32(4, 4, true);
    await expect(wasmEngine.load({ engine: 'wasm', format: 'xgboost-0.7-binary', bytes: junk })).rejects.toThrow(
      /ml-xgboost load_model failed/,
    );
    const other = await wasmEngine.load(b.save()); // waits for the replacement runtime
    expect(other.predict(data.features, data.rows, data.cols)).toEqual(before);
    expect(b.predict(data.features, data.rows, data.cols)).toEqual(before); // reloaded itself
    expect(process.listeners('uncaughtException')).toHaveLength(listeners); // emscripten's handler removed
    b.dispose();
    other.dispose();
  });

  it('refuses sample weights and native-format models, with the reason', async () => {
    await expect(wasmEngine.train({ ...train, weights: new Float32Array(train.rows).fill(1) }, base)).rejects.toThrow(/weights/);
    await expect(wasmEngine.load({ engine: 'native', format: 'xgboost-ubj', bytes: new Uint8Array(200) })).rejects.toThrow(
      /only load 'xgboost-0.7-binary'/,
    );
    await expect(wasmEngine.load({ engine: 'wasm', format: 'xgboost-0.7-binary', bytes: new Uint8Array(10) })).rejects.toThrow(
      /not an XGBoost 0.7 binary model/,
    );
  });
});

// ---- cross-engine ----------------------------------------------------------------------------

describe('format compatibility (ml-xgboost model in the native engine)', () => {
  it('a wasm-trained model loads in the native engine with predictions equal within 1e-5', async (ctx) => {
    if (nativeSkip) ctx.skip(`native XGBoost unavailable: ${nativeSkip}`);
    const wasm = await wasmEngine.train(train, base);
    const saved = wasm.save();
    const native = await nativeEngine.load(saved);
    try {
      // Test rows with NaN in x2, plus some -1 values: both engines must read them the same way.
      const x = test.features.slice();
      for (let i = 0; i < test.rows; i += 7) x[i * COLS + 3] = -1;
      expect(maxAbsDiff(native.predict(x, test.rows, COLS), wasm.predict(x, test.rows, COLS))).toBeLessThan(1e-5);
      expect(native.save()).toMatchObject({ engine: 'wasm', format: 'xgboost-0.7-binary' });
      // Native extras work on the legacy model too.
      expect(native.contributions!(x.subarray(0, 10 * COLS), 10, COLS)).toHaveLength(10 * (COLS + 1));
    } finally {
      wasm.dispose();
      native.dispose();
    }
    // Count objectives too (base_score and the exp link must carry over).
    const counts = countData(3000, 5, 14);
    const tw = await wasmEngine.train(counts, { ...base, objective: 'tweedie', rounds: 30, learningRate: 0.1 });
    const tn = await nativeEngine.load(tw.save());
    try {
      expect(maxAbsDiff(tn.predict(counts.features, counts.rows, 5), tw.predict(counts.features, counts.rows, 5))).toBeLessThan(1e-5);
    } finally {
      tw.dispose();
      tn.dispose();
    }
    // The -1 case: the native engine reads a real -1 exactly as the wasm engine did.
    const m = await wasmEngine.train(minusOneData(3000, 12), { ...base, rounds: 40, learningRate: 0.3, maxDepth: 3 });
    const n = await nativeEngine.load(m.save());
    try {
      expect(maxAbsDiff(n.predict(probe, 3, 3), m.predict(probe, 3, 3))).toBeLessThan(1e-5);
    } finally {
      m.dispose();
      n.dispose();
    }
  }, 60_000);
});

describe('native engine specifics', () => {
  it('contributions sum to the prediction; importance ranks the informative features first', async (ctx) => {
    if (nativeSkip) ctx.skip(`native XGBoost unavailable: ${nativeSkip}`);
    const b = await nativeEngine.train(train, base);
    try {
      const rows = 50;
      const x = test.features.subarray(0, rows * COLS);
      const pred = b.predict(x, rows, COLS);
      const contrib = b.contributions!(x, rows, COLS);
      expect(contrib).toHaveLength(rows * (COLS + 1));
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j <= COLS; j++) s += contrib[i * (COLS + 1) + j];
        expect(s).toBeCloseTo(pred[i], 3); // squared error: margin == prediction
      }
      const imp = b.importance!();
      expect(Object.keys(imp).map(Number)).toEqual(Array.from({ length: COLS }, (_, i) => i));
      const ranked = Object.entries(imp)
        .sort((a, c) => c[1] - a[1])
        .map(([k]) => Number(k));
      expect(ranked.slice(0, 3).sort()).toEqual([0, 1, 2]);
      expect(b.importance!('weight')[0]).toBeGreaterThan(0);
    } finally {
      b.dispose();
    }
  });

  it('honours sample weights', async (ctx) => {
    if (nativeSkip) ctx.skip(`native XGBoost unavailable: ${nativeSkip}`);
    // Every row appears twice with labels 0 and 10; weights make label 10 count 9x more.
    const rows = 2000;
    const features = new Float32Array(rows * 2);
    const labels = new Float32Array(rows);
    const weights = new Float32Array(rows);
    const r = rng(13);
    for (let i = 0; i < rows; i += 2) {
      features[i * 2] = features[(i + 1) * 2] = r();
      features[i * 2 + 1] = features[(i + 1) * 2 + 1] = r();
      labels[i] = 0;
      weights[i] = 1;
      labels[i + 1] = 10;
      weights[i + 1] = 9;
    }
    const b = await nativeEngine.train({ features, rows, cols: 2, labels, weights }, { ...base, rounds: 50, learningRate: 0.3 });
    try {
      expect(mean(b.predict(features, rows, 2))).toBeCloseTo(9, 0);
    } finally {
      b.dispose();
    }
  });
});

describe('selectEngine', () => {
  it('honours the preference and XGBOOST_ENGINE', async () => {
    expect((await selectEngine('wasm')).name).toBe('wasm');
    expect((await selectEngine('auto')).name).toBe(nativeSkip ? 'wasm' : 'native');
    if (nativeSkip) await expect(selectEngine('native')).rejects.toThrow(/not available/);
    else expect((await selectEngine('native')).name).toBe('native');
    const saved = process.env.XGBOOST_ENGINE;
    try {
      process.env.XGBOOST_ENGINE = 'wasm';
      expect((await selectEngine()).name).toBe('wasm');
      process.env.XGBOOST_ENGINE = 'gpu';
      await expect(selectEngine()).rejects.toThrow(/XGBOOST_ENGINE must be native, wasm or auto/);
    } finally {
      if (saved === undefined) delete process.env.XGBOOST_ENGINE;
      else process.env.XGBOOST_ENGINE = saved;
    }
  });
});
