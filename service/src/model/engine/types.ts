// The engine layer's contract: one Booster interface over two XGBoost engines.
//
// - 'native': the system's libxgboost (1.7.x) through koffi, multi-threaded, `hist` trees.
// - 'wasm':   ml-xgboost 1.1.2, XGBoost ~0.7 compiled to WebAssembly, single-threaded.
//
// Feature matrices are dense, row-major Float32Array (rows x cols); a missing value is NaN
// (±Infinity is treated as missing too). Both engines see exactly the same semantics.

export type EngineName = 'native' | 'wasm';
export type EnginePreference = EngineName | 'auto';

export type Objective = 'squared' | 'poisson' | 'tweedie';

export interface TrainParams {
  objective: Objective;
  /** Boosting rounds (trees), >= 1. */
  rounds: number;
  /** eta, in (0, 1]. */
  learningRate: number;
  /** >= 1. */
  maxDepth: number;
  /** >= 0. */
  minChildWeight: number;
  /** Row subsampling per tree, in (0, 1]. */
  subsample: number;
  /** Column subsampling per tree, in (0, 1]. */
  colsampleByTree: number;
  /** L2 regularisation on leaf weights, >= 0. */
  lambda: number;
  /** Only for 'tweedie', in (1, 2). Default 1.5. */
  tweedieVariancePower?: number;
  /** Random seed for subsampling. Default 0. */
  seed?: number;
  /**
   * Per column: +1 the prediction may only rise with the value, -1 only fall, 0 free. Absent = all free. Keeps a
   * what-if sane: a lower price must never forecast fewer sales.
   */
  monotone?: number[];
}

export interface Dataset {
  /** Row-major rows x cols; NaN = missing. */
  features: Float32Array;
  rows: number;
  cols: number;
  /** One finite label per row (>= 0 for poisson / tweedie). */
  labels: Float32Array;
  /** Optional per-row sample weights (finite, >= 0). Native engine only. */
  weights?: Float32Array;
}

/**
 * - 'xgboost-0.7-binary': the legacy binary format ml-xgboost writes; loadable by both engines.
 * - 'xgboost-ubj':        XGBoost >= 1.6 Universal Binary JSON; native engine only.
 * - 'xgboost-json':       XGBoost >= 1.0 JSON; native engine only (accepted by load, not produced).
 */
export type ModelFormat = 'xgboost-0.7-binary' | 'xgboost-ubj' | 'xgboost-json';

export interface SavedModel {
  /** The engine that produced the bytes. */
  engine: EngineName;
  format: ModelFormat;
  bytes: Uint8Array;
}

export type ImportanceType = 'gain' | 'total_gain' | 'weight' | 'cover' | 'total_cover';

export interface Booster {
  readonly engine: EngineName;
  /** Number of feature columns the model was trained on; predict() requires exactly this many. */
  readonly numFeatures: number;
  /**
   * Predictions on the objective's response scale (poisson / tweedie are already exp'd), one per
   * row. Synchronous and batched; never contains NaN (throws instead).
   */
  predict(features: Float32Array, rows: number, cols: number): Float32Array;
  /**
   * SHAP contributions, row-major rows x (cols + 1), the last column is the bias. They sum to the
   * margin: the prediction for 'squared', log(prediction) for 'poisson' / 'tweedie'. Native only.
   */
  contributions?(features: Float32Array, rows: number, cols: number): Float32Array;
  /** Importance per feature index (every index 0..numFeatures-1 present). Default type 'gain'. Native only. */
  importance?(type?: ImportanceType): Record<number, number>;
  save(): SavedModel;
  /** Frees the native / WASM memory. The booster is unusable afterwards; calling twice is a no-op. */
  dispose(): void;
}

export interface TrainOptions {
  /** Called after each boosting round (1-based round, total rounds), from the main thread. */
  onProgress?: (round: number, total: number) => void;
  /** Aborting kills the training process; train() rejects with an AbortError. */
  signal?: AbortSignal;
  /**
   * Test-only: make the training process kill itself with `signal` once `afterRound` rounds are
   * done (0 = before training starts), to exercise crash handling.
   * @internal
   */
  crashForTest?: { afterRound: number; signal: NodeJS.Signals };
}

export interface Engine {
  readonly name: EngineName;
  available(): Promise<boolean>;
  /** Trains in a separate child process; the returned booster lives in this process. */
  train(data: Dataset, params: TrainParams, opts?: TrainOptions): Promise<Booster>;
  load(model: SavedModel): Promise<Booster>;
}

/** Rejection of train() when its AbortSignal fires. */
export class TrainingAbortedError extends Error {
  constructor(cause?: unknown) {
    super('training aborted', { cause });
    this.name = 'AbortError';
  }
}

/** Rejection of train() when the training child process dies without delivering a model. */
export class TrainingProcessError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    /** The tail of the child's stderr, for diagnosis. */
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'TrainingProcessError';
  }
}
