// The 'wasm' engine's core: ml-xgboost 1.1.2 (XGBoost ~0.7 compiled with emscripten), driven through
// the C functions its module exports, with every matrix allocated on the WASM heap.
//
// ml-xgboost's own JS API passes arrays with ccall's 'array' type, which copies them onto the 5 MiB
// emscripten stack: training crashes above ~62k rows x 20 features. Here the matrix and labels go
// to `_malloc`ed heap memory (grows up to 2 GiB), prediction reuses one row buffer, and
// save/load go through the heap too.
//
// Exported C functions (js-interfaces.cpp of mljs/xgboost, signatures as used by its loadXGBoost.js):
//   Model create_model(float* data, float* labels, int rows, int cols)   // DMatrix with missing = -1
//   void  set_param(Model, char* name, char* value)
//   void  train_full_model(Model, int iterations)                         // UpdateOneIter x iterations
//   int   predict_one(Model, float* row, int cols, float* out)            // returns output size
//   int   save_model(Model)                                               // size of the 0.7 binary, -1 on error
//   void  get_file_content(char* out, int size)                           // copies the saved bytes
//   Model load_model(char* bytes, int size)                               // 0 on error
//   void  free_memory_model(Model)
import { createRequire } from 'node:module';
import { assertNoNaN, assertShape, toWasmMissing, WASM_MINUS_ONE_NUDGED, WASM_MISSING } from './prepare';
import type { Booster, Dataset, SavedModel } from './types';

interface EmscriptenModule {
  isReady: Promise<EmscriptenModule>;
  HEAPU8: Uint8Array;
  HEAPF32: Float32Array;
  print: (s: string) => void;
  printErr: (s: string) => void;
  _malloc(n: number): number;
  _free(p: number): void;
  _create_model(data: number, labels: number, rows: number, cols: number): number;
  _train_full_model(model: number, iterations: number): void;
  _predict_one(model: number, row: number, cols: number, out: number): number;
  _save_model(model: number): number;
  _get_file_content(out: number, size: number): void;
  _load_model(bytes: number, size: number): number;
  _free_memory_model(model: number): void;
  stackSave(): number;
  stackRestore(p: number): void;
  ccall(name: string, ret: null, argTypes: string[], args: unknown[]): void;
}

/** One instantiated emscripten runtime. After a C++ exception/abort it is retired and a fresh one is made. */
export class WasmRuntime {
  private log: string[] = [];
  dead = false;

  constructor(readonly m: EmscriptenModule) {
    const keep = (s: string) => {
      this.log.push(s);
      if (this.log.length > 20) this.log.shift();
    };
    m.print = keep;
    m.printErr = keep;
  }

  /** Runs a call into the module; a thrown C++ exception / abort becomes an Error and retires the runtime. */
  call<T>(what: string, fn: () => T): T {
    if (this.dead) throw new Error('ml-xgboost WASM runtime was retired after an earlier error; load the model again');
    const sp = this.m.stackSave();
    this.log.length = 0;
    try {
      return fn();
    } catch (err) {
      try {
        this.m.stackRestore(sp);
      } catch {
        /* ignore */
      }
      this.dead = true;
      if (current === this) current = null;
      void wasmRuntime().catch(() => undefined); // warm up the replacement for boosters to move to
      const detail =
        this.log
          .filter((l) => l.trim())
          .slice(-3)
          .join(' | ') || String(err).slice(0, 300);
      throw new Error(`ml-xgboost ${what} failed: ${detail}`);
    }
  }

  malloc(bytes: number): number {
    const p = this.m._malloc(bytes);
    if (!p) throw new Error(`ml-xgboost: out of WASM heap memory allocating ${bytes} bytes (the heap is capped at 2 GiB)`);
    return p;
  }

  setParam(model: number, name: string, value: string): void {
    this.call(`set_param(${name}=${value})`, () => this.m.ccall('set_param', null, ['number', 'string', 'string'], [model, name, value]));
  }
}

let current: WasmRuntime | null = null;
let pending: Promise<WasmRuntime> | null = null;
const req = createRequire(import.meta.url);

/** The current runtime if it is instantiated and live (synchronous). */
function liveWasmRuntime(): WasmRuntime | null {
  return current && !current.dead ? current : null;
}

/** The live WASM runtime, instantiating ml-xgboost on first use (or after a retired one). */
export function wasmRuntime(): Promise<WasmRuntime> {
  if (current && !current.dead) return Promise.resolve(current);
  pending ??= instantiate().then(
    (rt) => {
      current = rt;
      pending = null;
      return rt;
    },
    (err) => {
      pending = null;
      throw err;
    },
  );
  return pending;
}

async function instantiate(): Promise<WasmRuntime> {
  const path = req.resolve('ml-xgboost/dist/wasm/xgboost.js');
  delete req.cache[path]; // a fresh runtime each time (after a retired one)
  const listeners = new Set(process.listeners('uncaughtException'));
  // The emscripten glue tries fetch() on a file path first (fails noisily on Node 20, then falls back);
  // hide instantiateStreaming so it goes straight to the ArrayBuffer path.
  const wa = WebAssembly as unknown as { instantiateStreaming?: unknown };
  const streaming = wa.instantiateStreaming;
  wa.instantiateStreaming = undefined;
  let mod: EmscriptenModule;
  try {
    mod = req(path) as EmscriptenModule;
  } finally {
    wa.instantiateStreaming = streaming;
    // The glue installs process.on('uncaughtException', rethrow): it would override the service's own handling.
    for (const l of process.listeners('uncaughtException')) if (!listeners.has(l)) process.removeListener('uncaughtException', l);
  }
  await mod.isReady;
  return new WasmRuntime(mod);
}

/** Trains in this thread (the child process calls this). Returns the model in the 0.7 binary format. */
export async function trainWasmSync(
  data: Dataset,
  params: Array<[string, string]>,
  rounds: number,
  onRound: (round: number) => Promise<void> | void,
): Promise<Uint8Array> {
  if (data.weights) throw new Error('the wasm engine (ml-xgboost) cannot take sample weights; use the native engine');
  const rt = await wasmRuntime();
  const { rows, cols } = data;
  const px = rt.malloc(rows * cols * 4);
  let model = 0;
  try {
    const py = rt.malloc(rows * 4);
    try {
      toWasmMissing(data.features, rt.m.HEAPF32.subarray(px >> 2, (px >> 2) + rows * cols));
      rt.m.HEAPF32.set(data.labels, py >> 2);
      model = rt.call('create_model', () => rt.m._create_model(px, py, rows, cols));
    } finally {
      rt.m._free(py);
    }
  } finally {
    rt.m._free(px); // create_model copied it into its DMatrix
  }
  try {
    for (const [k, v] of params) rt.setParam(model, k, v);
    for (let r = 1; r <= rounds; r++) {
      // train_full_model(m, 1) == one UpdateOneIter; repeated calls give the same model as one call with n.
      rt.call('training', () => rt.m._train_full_model(model, 1));
      await onRound(r);
    }
    return saveWasmModel(rt, model);
  } finally {
    rt.call('free_memory_model', () => rt.m._free_memory_model(model));
  }
}

function saveWasmModel(rt: WasmRuntime, model: number): Uint8Array {
  const size = rt.call('save_model', () => rt.m._save_model(model));
  if (size <= 0) throw new Error('ml-xgboost save_model failed');
  const p = rt.malloc(size);
  try {
    rt.call('get_file_content', () => rt.m._get_file_content(p, size));
    return rt.m.HEAPU8.slice(p, p + size);
  } finally {
    rt.m._free(p);
  }
}

/** XGBoost 0.7 LearnerModelParam header: float base_score; uint32 num_feature; int num_class; ... (136 bytes). */
function legacyNumFeatures(bytes: Uint8Array): number {
  if (bytes.length < 136) throw new Error(`not an XGBoost 0.7 binary model (${bytes.length} bytes)`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (n < 1 || n > 1_000_000) throw new Error(`not an XGBoost 0.7 binary model (num_feature = ${n})`);
  return n;
}

function loadHandle(rt: WasmRuntime, bytes: Uint8Array): number {
  const p = rt.malloc(bytes.length);
  try {
    rt.m.HEAPU8.set(bytes, p);
    const h = rt.call('load_model', () => rt.m._load_model(p, bytes.length));
    if (!h) throw new Error('ml-xgboost could not load the model');
    return h;
  } finally {
    if (!rt.dead) rt.m._free(p);
  }
}

export class WasmBooster implements Booster {
  readonly engine = 'wasm' as const;
  readonly numFeatures: number;
  private handle: number;
  private rt: WasmRuntime;
  private disposed = false;

  private constructor(
    rt: WasmRuntime,
    handle: number,
    private readonly bytes: Uint8Array,
  ) {
    this.rt = rt;
    this.handle = handle;
    this.numFeatures = legacyNumFeatures(bytes);
  }

  static async load(model: SavedModel): Promise<WasmBooster> {
    if (model.format !== 'xgboost-0.7-binary') {
      throw new Error(`the wasm engine (XGBoost 0.7) can only load 'xgboost-0.7-binary' models, not '${model.format}'`);
    }
    legacyNumFeatures(model.bytes);
    const rt = await wasmRuntime();
    const bytes = model.bytes.slice();
    return new WasmBooster(rt, loadHandle(rt, bytes), bytes);
  }

  /**
   * The model's handle in a live runtime. If an error elsewhere retired the runtime this booster was
   * loaded into, it reloads itself (synchronously, from its bytes) into the replacement runtime.
   */
  private live(): { rt: WasmRuntime; h: number } {
    if (this.disposed) throw new Error('booster has been disposed');
    if (this.rt.dead) {
      const rt = liveWasmRuntime();
      if (!rt) {
        void wasmRuntime().catch(() => undefined);
        throw new Error('ml-xgboost WASM runtime is restarting after an error; retry shortly');
      }
      this.handle = loadHandle(rt, this.bytes);
      this.rt = rt;
    }
    return { rt: this.rt, h: this.handle };
  }

  predict(features: Float32Array, rows: number, cols: number): Float32Array {
    assertShape(features, rows, cols);
    if (cols !== this.numFeatures) throw new RangeError(`model expects ${this.numFeatures} features, got ${cols}`);
    const { rt, h } = this.live();
    const out = new Float32Array(rows);
    if (rows === 0) return out;
    const row = rt.malloc(cols * 4);
    const res = rt.malloc(16 * 4);
    try {
      const rowIdx = row >> 2;
      const resIdx = res >> 2;
      rt.call('predict_one', () => {
        let heap = rt.m.HEAPF32;
        for (let r = 0; r < rows; r++) {
          const base = r * cols;
          for (let c = 0; c < cols; c++) {
            const v = features[base + c];
            heap[rowIdx + c] = v === WASM_MISSING ? WASM_MINUS_ONE_NUDGED : v - v !== 0 ? WASM_MISSING : v;
          }
          const n = rt.m._predict_one(h, row, cols, res);
          if (n !== 1) throw new Error(`expected 1 output per row, got ${n}`);
          // predict_one mallocs a DMatrix inside: if that grew the memory, the old view is detached.
          if (heap.buffer !== rt.m.HEAPF32.buffer) heap = rt.m.HEAPF32;
          out[r] = heap[resIdx];
        }
      });
    } finally {
      if (!rt.dead) {
        rt.m._free(row);
        rt.m._free(res);
      }
    }
    return assertNoNaN(out, 'wasm');
  }

  save(): SavedModel {
    if (this.disposed) throw new Error('booster has been disposed');
    return { engine: 'wasm', format: 'xgboost-0.7-binary', bytes: this.bytes.slice() };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const { rt, handle } = this;
    if (!rt.dead) rt.call('free_memory_model', () => rt.m._free_memory_model(handle));
  }
}
