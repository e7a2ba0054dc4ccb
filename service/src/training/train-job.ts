// One training job: the scopes it covers, each fitted as a ForecastModel and saved as the scope's new active model.
// Runs inside the training thread; the HTTP thread only books the job.
import type { TrainingParams } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { storeGrains } from '../db/sales';
import { loadCalendarDays, loadSeries, storeIds } from '../db/series';
import { artifactColumns, loadActiveModel, saveActiveModel, type ModelRow } from '../db/training';
import { calendarOrNull } from '../features/index';
import {
  ForecastModel,
  PARTNER_WEIGHT,
  settingsFromParams,
  storedEncodings,
  storeShape,
  untrainableReason,
  type BacktestPartner,
} from '../model/index';
import { selectEngine, type EnginePreference } from '../model/engine/index';
import { ALL_SCOPES, GLOBAL_SCOPE, storeScope } from './scopes';

async function scopesOfJob(sql: Sql, jobScope: string): Promise<string[]> {
  if (jobScope !== ALL_SCOPES) return [jobScope];
  // The global model first: each store's model is then blended with it (model/fit.ts, BacktestPartner).
  return [GLOBAL_SCOPE, ...(await storeIds(sql)).map(storeScope)];
}

export async function runTrainingJob(
  sql: Sql,
  job: { scope: string; params: TrainingParams },
  options: { onProgress?: (fraction: number) => void; signal?: AbortSignal; enginePreference?: EnginePreference } = {},
): Promise<ModelRow[]> {
  const engine = await selectEngine(job.params.engine ?? options.enginePreference);
  const scopes = await scopesOfJob(sql, job.scope);
  const calendar = calendarOrNull(await loadCalendarDays(sql));
  const grains = await storeGrains(sql);
  const saved: ModelRow[] = [];
  const skipped: { scope: string; reason: string }[] = [];
  // Set once the global model of this job is saved: its backtest covers every store's holdout from the same data.
  let globalPartner: BacktestPartner | null = null;
  for (const [index, scope] of scopes.entries()) {
    options.signal?.throwIfAborted();
    // Each store trains at its own grain; the global model learns from the daily stores that can be trained.
    const storeId = scope === GLOBAL_SCOPE ? null : scope.slice('store:'.length);
    const grain = storeId === null ? 'daily' : (grains.get(storeId) ?? 'daily');
    const stored = await loadSeries(sql, storeId === null ? {} : { storeId });
    const series = storeId === null ? globalSeries(stored, grains) : stored;
    const reason = storeId === null ? null : untrainableReason(storeId, storeShape(series, grain));
    if (reason !== null || series.length === 0) {
      // An `all` job trains what can be trained; a store's own job says why it cannot (POST /train_model refuses it first).
      if (job.scope !== ALL_SCOPES) throw new Error(reason ?? `no sales stored for ${scope}`);
      skipped.push({ scope, reason: reason ?? 'no daily store can be trained for a global model' });
      continue;
    }
    const previous = await loadActiveModel(sql, scope);
    const { model, backtest } = await ForecastModel.fit({
      series,
      grain,
      calendar,
      previousEncodings: storedEncodings(previous?.encodings),
      settings: settingsFromParams(job.params),
      partner: scope === GLOBAL_SCOPE || grain !== 'daily' ? null : globalPartner,
      engine,
      signal: options.signal,
      onProgress: (f) => options.onProgress?.((index + f) / scopes.length),
    });
    let row: ModelRow;
    try {
      row = await saveActiveModel(sql, artifactColumns(scope, model.toArtifact()));
    } finally {
      model.dispose();
    }
    saved.push(row);
    if (scope === GLOBAL_SCOPE) globalPartner = { modelId: row.id, scope, weight: PARTNER_WEIGHT, backtest };
  }
  if (saved.length === 0) throw new Error(skipped.map((s) => s.reason).join(' '));
  return saved;
}

/** The global model's series: those of daily stores that can be trained (weekly, monthly and sparse stores have their own). */
function globalSeries(stored: Awaited<ReturnType<typeof loadSeries>>, grains: Map<string, string>) {
  const byStore = new Map<string, typeof stored>();
  for (const s of stored) {
    if ((grains.get(s.storeId) ?? 'daily') !== 'daily') continue;
    byStore.set(s.storeId, [...(byStore.get(s.storeId) ?? []), s]);
  }
  return [...byStore].filter(([storeId, series]) => untrainableReason(storeId, storeShape(series, 'daily')) === null).flatMap(([, s]) => s);
}
