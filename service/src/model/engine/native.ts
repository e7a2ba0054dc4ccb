// The 'native' engine's core: the system libxgboost (1.7.x) through koffi's synchronous calls.
// Training runs in a child process (see trainer.ts); loading and prediction run in-process.
import { availableParallelism } from 'node:os';
import koffi, { type LibraryHandle } from 'koffi';
import { assertNoNaN, assertShape, toNativeMissing } from './prepare';
import type { Booster, Dataset, ImportanceType, ModelFormat, SavedModel } from './types';

type Handle = bigint;

const CANDIDATES = [
  'libxgboost.so.0',
  'libxgboost.so',
  '/usr/lib/x86_64-linux-gnu/libxgboost.so.0',
  '/usr/local/lib/libxgboost.so',
  'libxgboost.dylib',
];

let handleType: unknown = null;

function bind(lib: LibraryHandle) {
  handleType ??= koffi.pointer('XGHandle', koffi.opaque());
  const f = (sig: string) => lib.func(sig);
  return {
    XGBoostVersion: f('void XGBoostVersion(_Out_ int* major, _Out_ int* minor, _Out_ int* patch)'),
    XGBGetLastError: f('const char* XGBGetLastError()'),
    XGBSetGlobalConfig: f('int XGBSetGlobalConfig(const char* config)'),
    XGDMatrixCreateFromMat_omp: f(
      'int XGDMatrixCreateFromMat_omp(const float* data, uint64_t nrow, uint64_t ncol, float missing, _Out_ XGHandle* out, int nthread)',
    ),
    XGDMatrixSetFloatInfo: f('int XGDMatrixSetFloatInfo(XGHandle dmat, const char* field, const float* array, uint64_t len)'),
    XGDMatrixFree: f('int XGDMatrixFree(XGHandle dmat)'),
    XGBoosterCreate: f('int XGBoosterCreate(XGHandle* dmats, uint64_t len, _Out_ XGHandle* out)'),
    XGBoosterFree: f('int XGBoosterFree(XGHandle booster)'),
    XGBoosterSetParam: f('int XGBoosterSetParam(XGHandle booster, const char* name, const char* value)'),
    XGBoosterUpdateOneIter: f('int XGBoosterUpdateOneIter(XGHandle booster, int iter, XGHandle dtrain)'),
    XGBoosterPredict: f(
      'int XGBoosterPredict(XGHandle booster, XGHandle dmat, int option_mask, uint32_t ntree_limit, int training, _Out_ uint64_t* out_len, _Out_ void** out_result)',
    ),
    XGBoosterSaveModelToBuffer: f(
      'int XGBoosterSaveModelToBuffer(XGHandle booster, const char* config, _Out_ uint64_t* out_len, _Out_ void** out_dptr)',
    ),
    XGBoosterLoadModelFromBuffer: f('int XGBoosterLoadModelFromBuffer(XGHandle booster, const void* buf, uint64_t len)'),
    XGBoosterGetNumFeature: f('int XGBoosterGetNumFeature(XGHandle booster, _Out_ uint64_t* out)'),
    XGBoosterBoostedRounds: f('int XGBoosterBoostedRounds(XGHandle booster, _Out_ int* out)'),
    // 1.7 has no XGBoosterGetScore: importance is XGBoosterFeatureScore.
    XGBoosterFeatureScore: f(
      'int XGBoosterFeatureScore(XGHandle booster, const char* config, _Out_ uint64_t* out_n_features, _Out_ void** out_features, _Out_ uint64_t* out_dim, _Out_ void** out_shape, _Out_ void** out_scores)',
    ),
  };
}

export type XgbApi = ReturnType<typeof bind>;

interface Loaded {
  api: XgbApi;
  version: string;
  path: string;
}

let loaded: Loaded | null = null;
let loadError: string | null = null;

/** Loads libxgboost once; `XGBOOST_LIBRARY_PATH` overrides the search. Throws with the reason if it can't. */
export function nativeApi(): Loaded {
  if (loaded) return loaded;
  if (loadError !== null) throw new Error(loadError);
  // libgomp reads this when it is loaded. Its default (spinning threads at barriers) collapses when
  // another process holds a core: 100 rounds of 200k x 20 went from ~2.4 s to 6-30 s on 2 busy cores,
  // PASSIVE kept 2.4-5 s. It also keeps idle OpenMP threads from eating the service's CPU after predict.
  process.env.OMP_WAIT_POLICY ??= 'PASSIVE';
  const explicit = process.env.XGBOOST_LIBRARY_PATH;
  const tried: string[] = [];
  for (const path of explicit ? [explicit] : CANDIDATES) {
    let lib: LibraryHandle;
    try {
      lib = koffi.load(path);
    } catch (err) {
      tried.push(`${path}: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    try {
      const api = bind(lib);
      const major = [0];
      const minor = [0];
      const patch = [0];
      api.XGBoostVersion(major, minor, patch);
      const version = `${major[0]}.${minor[0]}.${patch[0]}`;
      if (major[0] < 1 || (major[0] === 1 && minor[0] < 6)) {
        tried.push(`${path}: XGBoost ${version} is too old (need >= 1.6)`);
        continue;
      }
      api.XGBSetGlobalConfig('{"verbosity":0}'); // no warnings on stderr (e.g. on loading 0.7 models)
      loaded = { api, version, path };
      return loaded;
    } catch (err) {
      tried.push(`${path}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  loadError = `native XGBoost library not available (${tried.join('; ')})`;
  throw new Error(loadError);
}

/** null when the native engine can be used, else why not. */
export function nativeUnavailableReason(): string | null {
  try {
    nativeApi();
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

function ok(api: XgbApi, rc: number, what: string): void {
  if (rc !== 0) throw new Error(`XGBoost ${what} failed: ${api.XGBGetLastError() as string}`);
}

export const defaultThreads = () => Math.max(1, availableParallelism());

function createDMatrix(api: XgbApi, features: Float32Array, rows: number, cols: number, nthread: number): Handle {
  const out: [Handle | null] = [null];
  ok(api, api.XGDMatrixCreateFromMat_omp(features, rows, cols, NaN, out, nthread), 'XGDMatrixCreateFromMat');
  return out[0] as Handle;
}

/** Trains in this thread (the child process calls this). Returns the model as UBJ bytes. */
export async function trainNativeSync(
  data: Dataset,
  params: Array<[string, string]>,
  rounds: number,
  nthread: number,
  onRound: (round: number) => Promise<void> | void,
): Promise<Uint8Array> {
  const { api } = nativeApi();
  const dtrain = createDMatrix(api, toNativeMissing(data.features, false), data.rows, data.cols, nthread);
  let booster: Handle | null = null;
  try {
    ok(api, api.XGDMatrixSetFloatInfo(dtrain, 'label', data.labels, data.rows), 'set label');
    if (data.weights) ok(api, api.XGDMatrixSetFloatInfo(dtrain, 'weight', data.weights, data.rows), 'set weight');
    const out: [Handle | null] = [null];
    ok(api, api.XGBoosterCreate([dtrain], 1, out), 'XGBoosterCreate');
    booster = out[0] as Handle;
    for (const [k, v] of params) ok(api, api.XGBoosterSetParam(booster, k, v), `XGBoosterSetParam(${k}=${v})`);
    for (let r = 1; r <= rounds; r++) {
      ok(api, api.XGBoosterUpdateOneIter(booster, r - 1, dtrain), `training round ${r}`);
      await onRound(r);
    }
    return saveToBuffer(api, booster, 'ubj');
  } finally {
    if (booster !== null) api.XGBoosterFree(booster);
    api.XGDMatrixFree(dtrain);
  }
}

function saveToBuffer(api: XgbApi, booster: Handle, format: 'ubj' | 'json'): Uint8Array {
  const len: [number | bigint] = [0];
  const ptr: [bigint | null] = [null];
  ok(api, api.XGBoosterSaveModelToBuffer(booster, JSON.stringify({ format }), len, ptr), 'XGBoosterSaveModelToBuffer');
  // The buffer belongs to the booster and is only valid until its next call: copy it out.
  return new Uint8Array(koffi.view(ptr[0], Number(len[0]))).slice();
}

const FORMAT_OK: ModelFormat[] = ['xgboost-ubj', 'xgboost-json', 'xgboost-0.7-binary'];

export class NativeBooster implements Booster {
  readonly engine = 'native' as const;
  readonly numFeatures: number;
  private handle: Handle | null;
  /** A model trained by ml-xgboost: feed it -1 exactly as ml-xgboost saw it in training. */
  private readonly legacy: boolean;

  private constructor(
    private readonly api: XgbApi,
    handle: Handle,
    private readonly source: SavedModel,
    private readonly nthread: number,
  ) {
    this.handle = handle;
    this.legacy = source.format === 'xgboost-0.7-binary';
    const n: [number | bigint] = [0];
    ok(api, api.XGBoosterGetNumFeature(handle, n), 'XGBoosterGetNumFeature');
    this.numFeatures = Number(n[0]);
  }

  static load(model: SavedModel, nthread = defaultThreads()): NativeBooster {
    if (!FORMAT_OK.includes(model.format)) throw new Error(`the native engine cannot load '${model.format}' models`);
    const { api } = nativeApi();
    const out: [Handle | null] = [null];
    ok(api, api.XGBoosterCreate(null, 0, out), 'XGBoosterCreate');
    const h = out[0] as Handle;
    try {
      ok(api, api.XGBoosterLoadModelFromBuffer(h, model.bytes, model.bytes.length), 'XGBoosterLoadModelFromBuffer');
      ok(api, api.XGBoosterSetParam(h, 'nthread', String(nthread)), 'XGBoosterSetParam(nthread)');
      const src: SavedModel = { engine: model.engine, format: model.format, bytes: model.bytes.slice() };
      return new NativeBooster(api, h, src, nthread);
    } catch (err) {
      api.XGBoosterFree(h);
      throw err;
    }
  }

  private live(): Handle {
    if (this.handle === null) throw new Error('booster has been disposed');
    return this.handle;
  }

  private run(features: Float32Array, rows: number, cols: number, mask: number, perRow: number): Float32Array {
    assertShape(features, rows, cols);
    if (cols !== this.numFeatures) throw new RangeError(`model expects ${this.numFeatures} features, got ${cols}`);
    const h = this.live();
    if (rows === 0) return new Float32Array(0);
    const { api } = this;
    const dm = createDMatrix(api, toNativeMissing(features, this.legacy), rows, cols, this.nthread);
    try {
      const len: [number | bigint] = [0];
      const ptr: [bigint | null] = [null];
      ok(api, api.XGBoosterPredict(h, dm, mask, 0, 0, len, ptr), 'XGBoosterPredict');
      const n = Number(len[0]);
      if (n !== rows * perRow) throw new Error(`XGBoosterPredict returned ${n} values, expected ${rows * perRow}`);
      return new Float32Array(koffi.view(ptr[0], n * 4)).slice();
    } finally {
      api.XGDMatrixFree(dm);
    }
  }

  predict(features: Float32Array, rows: number, cols: number): Float32Array {
    return assertNoNaN(this.run(features, rows, cols, 0, 1), 'native');
  }

  contributions(features: Float32Array, rows: number, cols: number): Float32Array {
    return this.run(features, rows, cols, 4 /* pred_contribs */, cols + 1);
  }

  importance(type: ImportanceType = 'gain'): Record<number, number> {
    const h = this.live();
    const { api } = this;
    const nFeat: [number | bigint] = [0];
    const names: [bigint | null] = [null];
    const dim: [number | bigint] = [0];
    const shape: [bigint | null] = [null];
    const scores: [bigint | null] = [null];
    ok(
      api,
      api.XGBoosterFeatureScore(h, JSON.stringify({ importance_type: type }), nFeat, names, dim, shape, scores),
      'XGBoosterFeatureScore',
    );
    const n = Number(nFeat[0]);
    const out: Record<number, number> = {};
    for (let i = 0; i < this.numFeatures; i++) out[i] = 0;
    if (n === 0) return out;
    const featureNames = koffi.decode(names[0], 'const char *', n) as string[];
    const values = new Float32Array(koffi.view(scores[0], n * 4));
    for (let i = 0; i < n; i++) {
      const m = /^f(\d+)$/.exec(featureNames[i]);
      if (m) out[Number(m[1])] = values[i];
    }
    return out;
  }

  /** Number of trees (boosting rounds) in the model. */
  rounds(): number {
    const out = [0];
    ok(this.api, this.api.XGBoosterBoostedRounds(this.live(), out), 'XGBoosterBoostedRounds');
    return out[0];
  }

  save(): SavedModel {
    this.live();
    // A model that came from ml-xgboost is returned as it was, so the wasm engine can still load it.
    return { ...this.source, bytes: this.source.bytes.slice() };
  }

  dispose(): void {
    if (this.handle === null) return;
    this.api.XGBoosterFree(this.handle);
    this.handle = null;
  }
}
