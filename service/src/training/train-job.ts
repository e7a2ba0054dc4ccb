// One training job: its scope (a store, or the global model) fitted as a ForecastModel and saved as the scope's new
// active model. Runs inside a training thread; the HTTP thread only books the job. An "all" job is fanned out into
// one such job per scope (fan-out.ts), which reports what it came to (trained, skipped with the reason, failed with
// the reason); the steps it goes through are told to `onStep` as they begin.
import type { TrainingParams } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { storeGrains } from '../db/sales';
import { loadCalendarDays, loadSeries, storeIds } from '../db/series';
import {
  artifactColumns,
  loadActiveModel,
  loadBacktest,
  saveActiveModel,
  saveBacktests,
  siblingModelId,
  type ModelRow,
  type StoredBacktest,
} from '../db/training';
import { calendarOrNull, type SeriesInput } from '../features/index';
import {
  ForecastModel,
  PARTNER_WEIGHT,
  settingsFromParams,
  storedEncodings,
  storeShape,
  seriesKey,
  untrainableReason,
  type BacktestForecasts,
  type BacktestPartner,
  type FitStage,
} from '../model/index';
import { selectEngine, type EnginePreference } from '../model/engine/index';
import { GLOBAL_SCOPE, storeScope } from './scopes';

/** What one scope of the job came to. */
export interface ScopeReport {
  scope: string;
  outcome: 'trained' | 'skipped' | 'failed';
  reason?: string;
  version?: number;
}

/** preparing: loading the scope's sales; backtest and final_fit: the phases of the fit (model/fit.ts); saving: storing it. */
export type TrainingStage = 'preparing' | FitStage | 'saving';

/** The step a job has begun: a stage of its `index`-th scope (from 1) of `count`. */
export interface JobStep {
  stage: TrainingStage;
  scope: string;
  index: number;
  count: number;
}

/** A job that trained nothing, with what each of its scopes came to. */
export class TrainingJobError extends Error {
  constructor(
    message: string,
    readonly report: ScopeReport[],
  ) {
    super(message);
    this.name = 'TrainingJobError';
  }
}

export interface TrainingJobResult {
  saved: ModelRow[];
  report: ScopeReport[];
}

/** The scopes an "all" job fans out to: the global model first (each store's model is then blended with it). */
export async function scopesOfAllJob(sql: Sql): Promise<string[]> {
  return [GLOBAL_SCOPE, ...(await storeIds(sql)).map(storeScope)];
}

/** The share of a job's progress its loading takes (the global model's: about a quarter of its time at 10 stores). */
const LOAD_SHARE = 0.15;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Trains one scope (a store, or the global model) and saves it as the scope's active model. A job that is part of
 * an "all" job (parentId) blends a store's model with that job's global model, through the global model's holdout
 * forecasts saved beside it; `position` is the job's place in its "all" job, for the steps it reports.
 */
export async function runTrainingJob(
  sql: Sql,
  job: { scope: string; params: TrainingParams; parentId?: number | null; position?: { index: number; count: number } },
  options: {
    onProgress?: (fraction: number) => void;
    /** Told each step as it begins. */
    onStep?: (step: JobStep) => void;
    signal?: AbortSignal;
    enginePreference?: EnginePreference;
  } = {},
): Promise<TrainingJobResult> {
  const { scope } = job;
  const { index, count } = job.position ?? { index: 1, count: 1 };
  const step = (stage: TrainingStage) => options.onStep?.({ stage, scope, index, count });
  options.signal?.throwIfAborted();
  step('preparing');
  const engine = await selectEngine(job.params.engine ?? options.enginePreference);
  const calendar = calendarOrNull(await loadCalendarDays(sql));
  const grains = await storeGrains(sql);
  // Each store trains at its own grain; the global model learns from the daily stores that can be trained.
  const storeId = scope === GLOBAL_SCOPE ? null : scope.slice('store:'.length);
  const grain = storeId === null ? 'daily' : (grains.get(storeId) ?? 'daily');
  // Loading counts as progress: the global model's series are read store by store.
  const loaded = (fraction: number) => options.onProgress?.(LOAD_SHARE * fraction);
  const series = storeId === null ? await loadGlobalSeries(sql, grains, loaded) : await loadSeries(sql, { storeId });
  loaded(1);
  const reason = storeId === null ? null : untrainableReason(storeId, storeShape(series, grain));
  if (reason !== null || series.length === 0) {
    const why =
      reason ?? (storeId === null ? 'no daily store has enough history for a model of all stores' : `no sales stored for ${scope}`);
    throw new TrainingJobError(why, [{ scope, outcome: 'skipped', reason: why }]);
  }
  try {
    const previous = await loadActiveModel(sql, scope);
    const partner = storeId !== null && grain === 'daily' && job.parentId ? await globalPartner(sql, job.parentId, storeId) : null;
    const { model, backtest } = await ForecastModel.fit({
      series,
      grain,
      calendar,
      previousEncodings: storedEncodings(previous?.encodings),
      settings: settingsFromParams(job.params),
      partner,
      engine,
      signal: options.signal,
      onProgress: (f) => options.onProgress?.(LOAD_SHARE + (1 - LOAD_SHARE) * f),
      // The backtest and the final fit, named as the fit begins each.
      onStage: (stage) => step(stage),
    });
    let row: ModelRow;
    try {
      step('saving');
      row = await saveActiveModel(sql, artifactColumns(scope, model.toArtifact()));
    } finally {
      model.dispose();
    }
    if (scope === GLOBAL_SCOPE) await saveBacktests(sql, row.id, backtestsByStore(series, backtest));
    return { saved: [row], report: [{ scope, outcome: 'trained', version: row.version }] };
  } catch (err) {
    // Stopping (shutdown) ends the job as it is; any other failure is the scope's.
    if (options.signal?.aborted) throw err;
    throw new TrainingJobError(messageOf(err), [{ scope, outcome: 'failed', reason: messageOf(err) }]);
  }
}

/** The global model of this store's "all" job, with its holdout forecasts of the store, when it was trained. */
async function globalPartner(sql: Sql, parentId: number, storeId: string): Promise<BacktestPartner | null> {
  const modelId = await siblingModelId(sql, parentId, GLOBAL_SCOPE);
  const stored = modelId === null ? null : await loadBacktest(sql, modelId, storeId);
  if (modelId === null || stored === null) return null;
  const backtest: BacktestForecasts = new Map(Object.entries(stored).map(([productId, f]) => [seriesKey(storeId, productId), f]));
  return { modelId, scope: GLOBAL_SCOPE, weight: PARTNER_WEIGHT, backtest };
}

function backtestsByStore(series: SeriesInput[], backtest: BacktestForecasts): Map<string, Record<string, StoredBacktest>> {
  const out = new Map<string, Record<string, StoredBacktest>>();
  for (const s of series) {
    const forecast = backtest.get(seriesKey(s.storeId, s.productId));
    if (!forecast) continue;
    let ofStore = out.get(s.storeId);
    if (!ofStore) out.set(s.storeId, (ofStore = {}));
    ofStore[s.productId] = forecast;
  }
  return out;
}

/**
 * The global model's series, read store by store (each store read is a step of progress): those of the daily stores
 * that can be trained (weekly, monthly and sparse stores have their own models).
 */
async function loadGlobalSeries(sql: Sql, grains: Map<string, string>, onLoaded: (fraction: number) => void): Promise<SeriesInput[]> {
  const daily = (await storeIds(sql)).filter((id) => (grains.get(id) ?? 'daily') === 'daily');
  const out: SeriesInput[] = [];
  for (const [i, storeId] of daily.entries()) {
    const series = await loadSeries(sql, { storeId });
    if (untrainableReason(storeId, storeShape(series, 'daily')) === null) for (const s of series) out.push(s);
    onLoaded((i + 1) / daily.length);
  }
  return out;
}
