// One training job: the scopes it covers, each trained with the pipeline and saved as the scope's new active model.
// Runs inside the training thread; the HTTP thread only books the job.
import type { TrainingParams } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { loadCalendar, loadSeries, storeIds } from '../db/series';
import { loadActiveModel, saveActiveModel, type ModelRow } from '../db/training';
import type { Encodings } from '../features/index';
import { selectEngine, type EnginePreference } from '../model/engine/index';
import { calibrateIntervals } from '../forecast/index';
import { PARTNER_WEIGHT, trainScope, type BacktestPartner, type TrainingSettings } from './pipeline';
import { ALL_SCOPES, GLOBAL_SCOPE, storeScope } from './scopes';

/** API parameter names to pipeline settings. */
export function settingsFromParams(params: TrainingParams = {}): Partial<TrainingSettings> {
  const settings: Partial<TrainingSettings> = {
    objective: params.objective,
    rounds: params.rounds,
    learningRate: params.learning_rate,
    maxDepth: params.max_depth,
    minChildWeight: params.min_child_weight,
    subsample: params.subsample,
    colsampleByTree: params.colsample_bytree,
    lambda: params.lambda,
    holdoutDays: params.holdout_days,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<TrainingSettings>;
}

export async function scopesOfJob(sql: Sql, jobScope: string): Promise<string[]> {
  if (jobScope !== ALL_SCOPES) return [jobScope];
  // The global model first: each store's model is then blended with it (pipeline.ts, BacktestPartner).
  return [GLOBAL_SCOPE, ...(await storeIds(sql)).map(storeScope)];
}

export async function runTrainingJob(
  sql: Sql,
  job: { scope: string; params: TrainingParams },
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal; enginePreference?: EnginePreference } = {},
): Promise<ModelRow[]> {
  const engine = await selectEngine(job.params.engine ?? options.enginePreference);
  const scopes = await scopesOfJob(sql, job.scope);
  const calendar = await loadCalendar(sql);
  const saved: ModelRow[] = [];
  // Set once the global model of this job is saved: its backtest covers every store's holdout from the same data.
  let globalPartner: BacktestPartner | null = null;
  for (const [index, scope] of scopes.entries()) {
    options.signal?.throwIfAborted();
    const series = await loadSeries(sql, scope === GLOBAL_SCOPE ? {} : { storeId: scope.slice('store:'.length) });
    if (series.length === 0) throw new Error(`no sales stored for ${scope}`);
    const previous = await loadActiveModel(sql, scope);
    const result = await trainScope({
      series,
      calendar,
      previousEncodings: previous?.encodings as Encodings | undefined,
      settings: settingsFromParams(job.params),
      partner: scope === GLOBAL_SCOPE ? null : globalPartner,
      engine,
      signal: options.signal,
      onProgress: (f) => options.onProgress?.((index + f) / scopes.length),
    });
    const row = await saveActiveModel(sql, {
      scope,
      engine: result.model.engine,
      format: result.model.format,
      params: {
        ...result.trainParams,
        target: result.target,
        settings: result.settings,
        ...(result.ensemble
          ? { ensemble: { model_id: result.ensemble.modelId, scope: result.ensemble.scope, weight: result.ensemble.weight } }
          : {}),
      },
      features: result.spec,
      encodings: result.encodings,
      metrics: result.metrics as unknown as Record<string, unknown>,
      residuals: result.residuals,
      intervals: calibrateIntervals(result.residuals),
      dataWindow: result.dataWindow,
      records: result.records,
      bytes: result.model.bytes,
    });
    saved.push(row);
    if (scope === GLOBAL_SCOPE) globalPartner = { modelId: row.id, scope, weight: PARTNER_WEIGHT, backtest: result.backtest };
  }
  return saved;
}
