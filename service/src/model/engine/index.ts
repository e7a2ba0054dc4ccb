// Engine selection and the two Engine implementations.
//
//   const engine = await selectEngine();            // XGBOOST_ENGINE=native|wasm|auto (default auto)
//   const booster = await engine.train(data, params, { onProgress, signal });   // trains in a child process
//   const yhat = booster.predict(features, rows, cols);                         // in-process, synchronous
//   const saved = booster.save();  ...  const again = await engine.load(saved);
import { baseScore, validateDataset, validateParams, xgboostParams } from './prepare';
import { trainInChildProcess } from './trainer';
import type { Booster, Dataset, Engine, EngineName, EnginePreference, SavedModel, TrainOptions, TrainParams } from './types';

export * from './types';

async function nativeModule() {
  return import('./native');
}

/** null when the native engine is usable here, else the reason (for logs and test skips). */
export async function nativeUnavailableReason(): Promise<string | null> {
  try {
    return (await nativeModule()).nativeUnavailableReason();
  } catch (err) {
    return `native engine could not be initialised: ${(err as Error).message}`;
  }
}

function checkTrainInput(name: EngineName, data: Dataset, params: TrainParams): void {
  validateParams(params);
  validateDataset(data, params);
  if (name === 'wasm' && data.weights) throw new Error('the wasm engine (ml-xgboost) cannot take sample weights; use the native engine');
}

export const wasmEngine: Engine = {
  name: 'wasm',
  async available() {
    try {
      await (await import('./wasm')).wasmRuntime();
      return true;
    } catch {
      return false;
    }
  },
  async train(data: Dataset, params: TrainParams, opts?: TrainOptions): Promise<Booster> {
    checkTrainInput('wasm', data, params);
    const xgb = xgboostParams('wasm', params, baseScore(data, params), 1);
    const bytes = await trainInChildProcess('wasm', data, xgb, params.rounds, 1, opts);
    return this.load({ engine: 'wasm', format: 'xgboost-0.7-binary', bytes });
  },
  async load(model: SavedModel): Promise<Booster> {
    return (await import('./wasm')).WasmBooster.load(model);
  },
};

export const nativeEngine: Engine = {
  name: 'native',
  async available() {
    return (await nativeUnavailableReason()) === null;
  },
  async train(data: Dataset, params: TrainParams, opts?: TrainOptions): Promise<Booster> {
    checkTrainInput('native', data, params);
    const { nativeApi, defaultThreads } = await nativeModule();
    nativeApi(); // fail here, with the reason, rather than in the child
    const nthread = defaultThreads();
    const xgb = xgboostParams('native', params, baseScore(data, params), nthread);
    const bytes = await trainInChildProcess('native', data, xgb, params.rounds, nthread, opts);
    return this.load({ engine: 'native', format: 'xgboost-ubj', bytes });
  },
  async load(model: SavedModel): Promise<Booster> {
    return (await nativeModule()).NativeBooster.load(model);
  },
};

export function getEngine(name: EngineName): Engine {
  return name === 'native' ? nativeEngine : wasmEngine;
}

function parsePreference(value: string | undefined): EnginePreference {
  const v = (value ?? 'auto').trim().toLowerCase() || 'auto';
  if (v === 'native' || v === 'wasm' || v === 'auto') return v;
  throw new Error(`XGBOOST_ENGINE must be native, wasm or auto, got '${value}'`);
}

/**
 * The engine to use: `preference`, else XGBOOST_ENGINE, else 'auto' (native when libxgboost loads,
 * otherwise ml-xgboost). Asking for 'native' explicitly when it is unavailable throws with the reason.
 */
export async function selectEngine(preference?: EnginePreference): Promise<Engine> {
  const pref = preference ?? parsePreference(process.env.XGBOOST_ENGINE);
  if (pref === 'wasm') return wasmEngine;
  const reason = await nativeUnavailableReason();
  if (reason === null) return nativeEngine;
  if (pref === 'native') throw new Error(`XGBOOST_ENGINE=native but ${reason}`);
  return wasmEngine;
}
