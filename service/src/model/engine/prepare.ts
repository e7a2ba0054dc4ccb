// Validation, parameter mapping and missing-value conversion shared by both engines.
import type { Dataset, EngineName, TrainParams } from './types';

/** ml-xgboost's C wrapper creates its DMatrix with missing = -1 (it throws on NaN). */
export const WASM_MISSING = -1;
/**
 * What a real -1 becomes before it reaches a model trained by ml-xgboost: the next float32 towards
 * zero (-0.99999994), so it never reads as missing yet lands on the same side of every split a
 * model trained on the nudged data can contain.
 */
export const WASM_MINUS_ONE_NUDGED = Math.fround(-1 + 2 ** -24);

export function assertShape(features: Float32Array, rows: number, cols: number): void {
  if (!(features instanceof Float32Array)) throw new TypeError('features must be a Float32Array');
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`cols must be a positive integer, got ${cols}`);
  if (features.length !== rows * cols) {
    throw new RangeError(`features has ${features.length} values, expected rows x cols = ${rows} x ${cols} = ${rows * cols}`);
  }
}

export function validateDataset(data: Dataset, params: TrainParams): void {
  assertShape(data.features, data.rows, data.cols);
  if (data.rows < 1) throw new RangeError('dataset has no rows');
  if (params.monotone !== undefined && params.monotone.length !== data.cols) {
    throw new RangeError(`monotone has ${params.monotone.length} entries, the dataset ${data.cols} columns`);
  }
  if (!(data.labels instanceof Float32Array) || data.labels.length !== data.rows) {
    throw new RangeError(`labels must be a Float32Array of length rows (${data.rows})`);
  }
  const nonNegative = params.objective !== 'squared';
  for (let i = 0; i < data.rows; i++) {
    const y = data.labels[i];
    if (!Number.isFinite(y)) throw new RangeError(`label ${i} is not finite (${y})`);
    if (nonNegative && y < 0) throw new RangeError(`label ${i} is negative (${y}); objective '${params.objective}' needs labels >= 0`);
  }
  if (data.weights !== undefined) {
    if (!(data.weights instanceof Float32Array) || data.weights.length !== data.rows) {
      throw new RangeError(`weights must be a Float32Array of length rows (${data.rows})`);
    }
    for (let i = 0; i < data.rows; i++) {
      const w = data.weights[i];
      if (!Number.isFinite(w) || w < 0) throw new RangeError(`weight ${i} must be finite and >= 0, got ${w}`);
    }
  }
}

function check(ok: boolean, what: string, value: unknown): void {
  if (!ok) throw new RangeError(`invalid training parameter ${what}: ${String(value)}`);
}

export function validateParams(p: TrainParams): void {
  check(p.objective === 'squared' || p.objective === 'poisson' || p.objective === 'tweedie', 'objective', p.objective);
  check(Number.isInteger(p.rounds) && p.rounds >= 1, 'rounds (integer >= 1)', p.rounds);
  check(Number.isFinite(p.learningRate) && p.learningRate > 0 && p.learningRate <= 1, 'learningRate (0, 1]', p.learningRate);
  check(Number.isInteger(p.maxDepth) && p.maxDepth >= 1 && p.maxDepth <= 30, 'maxDepth (integer 1..30)', p.maxDepth);
  check(Number.isFinite(p.minChildWeight) && p.minChildWeight >= 0, 'minChildWeight (>= 0)', p.minChildWeight);
  check(Number.isFinite(p.subsample) && p.subsample > 0 && p.subsample <= 1, 'subsample (0, 1]', p.subsample);
  check(Number.isFinite(p.colsampleByTree) && p.colsampleByTree > 0 && p.colsampleByTree <= 1, 'colsampleByTree (0, 1]', p.colsampleByTree);
  check(Number.isFinite(p.lambda) && p.lambda >= 0, 'lambda (>= 0)', p.lambda);
  if (p.monotone !== undefined) {
    check(
      Array.isArray(p.monotone) && p.monotone.every((m) => m === -1 || m === 0 || m === 1),
      'monotone (-1, 0 or 1 per column)',
      p.monotone,
    );
  }
  if (p.tweedieVariancePower !== undefined) {
    check(
      Number.isFinite(p.tweedieVariancePower) && p.tweedieVariancePower > 1 && p.tweedieVariancePower < 2,
      'tweedieVariancePower (1, 2)',
      p.tweedieVariancePower,
    );
  }
  if (p.seed !== undefined) check(Number.isInteger(p.seed) && p.seed >= 0 && p.seed < 2 ** 31, 'seed (integer 0..2^31-1)', p.seed);
}

/** Weighted label mean; the starting prediction (base_score), on the response scale. */
export function baseScore(data: Dataset, params: TrainParams): number {
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < data.rows; i++) {
    const w = data.weights ? data.weights[i] : 1;
    sum += w * data.labels[i];
    wsum += w;
  }
  const mean = wsum > 0 ? sum / wsum : 0;
  // Count objectives take log(base_score): keep it strictly positive.
  return params.objective === 'squared' ? mean : Math.max(mean, 1e-6);
}

const WASM_MONOTONE_TREE_METHOD = 'approx';

/** TrainParams -> XGBoost parameter strings, for the given engine (XGBoost 0.7 vs 1.7 names). */
export function xgboostParams(engine: EngineName, p: TrainParams, base: number, nthread: number): Array<[string, string]> {
  const objective =
    p.objective === 'squared'
      ? engine === 'wasm'
        ? 'reg:linear'
        : 'reg:squarederror'
      : p.objective === 'poisson'
        ? 'count:poisson'
        : 'reg:tweedie';
  const out: Array<[string, string]> = [
    ['booster', 'gbtree'],
    ['objective', objective],
    // XGBoost 0.7's hist updater ignores monotone constraints (its exact and approx ones honour them).
    ['tree_method', engine === 'wasm' && p.monotone?.some((m) => m !== 0) ? WASM_MONOTONE_TREE_METHOD : 'hist'],
    ['eta', String(p.learningRate)],
    ['max_depth', String(p.maxDepth)],
    ['min_child_weight', String(p.minChildWeight)],
    ['subsample', String(p.subsample)],
    ['colsample_bytree', String(p.colsampleByTree)],
    ['lambda', String(p.lambda)],
    ['seed', String(p.seed ?? 0)],
    // base_score is given on the response scale and XGBoost maps it to the margin (log for count
    // objectives) - except XGBoost 0.7's reg:tweedie, which uses it as the margin as is.
    ['base_score', String(engine === 'wasm' && p.objective === 'tweedie' ? Math.log(base) : base)],
  ];
  if (p.objective === 'tweedie') out.push(['tweedie_variance_power', String(p.tweedieVariancePower ?? 1.5)]);
  if (p.monotone?.some((m) => m !== 0)) out.push(['monotone_constraints', `(${p.monotone.join(',')})`]);
  if (engine === 'wasm') {
    out.push(['silent', '1']);
  } else {
    out.push(['nthread', String(nthread)], ['verbosity', '0'], ['validate_parameters', '1']);
  }
  return out;
}

/**
 * Writes `src` into `dst` the way ml-xgboost needs it: NaN / ±Infinity -> -1 (its missing marker),
 * a real -1 -> WASM_MINUS_ONE_NUDGED. `dst` may be a view on the WASM heap.
 */
export function toWasmMissing(src: Float32Array, dst: Float32Array): void {
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v === WASM_MISSING) dst[i] = WASM_MINUS_ONE_NUDGED;
    else if (v - v !== 0)
      dst[i] = WASM_MISSING; // NaN or ±Infinity
    else dst[i] = v;
  }
}

/**
 * The matrix as the native engine gets it: ±Infinity -> NaN (missing). With `nudgeMinusOne` (a model
 * trained by ml-xgboost) a real -1 is nudged exactly as ml-xgboost's own input is, so both engines see
 * identical values. Returns `src` itself when nothing needs changing.
 */
export function toNativeMissing(src: Float32Array, nudgeMinusOne: boolean): Float32Array {
  const n = src.length;
  let i = 0;
  for (; i < n; i++) {
    const v = src[i];
    if (v === Infinity || v === -Infinity || (nudgeMinusOne && v === -1)) break;
  }
  if (i === n) return src;
  const out = new Float32Array(src);
  for (; i < n; i++) {
    const v = out[i];
    if (v === Infinity || v === -Infinity) out[i] = NaN;
    else if (nudgeMinusOne && v === -1) out[i] = WASM_MINUS_ONE_NUDGED;
  }
  return out;
}

/** Throws if any prediction is NaN (a corrupt model or input), so callers never see NaN. */
export function assertNoNaN(pred: Float32Array, engine: EngineName): Float32Array {
  for (let i = 0; i < pred.length; i++) {
    if (Number.isNaN(pred[i])) throw new Error(`${engine} engine produced a NaN prediction at row ${i}`);
  }
  return pred;
}
