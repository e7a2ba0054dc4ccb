// One training job: the scopes it covers, each fitted as a ForecastModel and saved as the scope's new active model.
// Runs inside the training thread; the HTTP thread only books the job.
import type { TrainingParams } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { storeGrains } from '../db/sales';
import { loadCalendarDays, loadSeries, storeIds } from '../db/series';
import { artifactColumns, loadActiveModel, saveActiveModel, type ModelRow } from '../db/training';
import { calendarOrNull, dailyView } from '../features/index';
import { ForecastModel, PARTNER_WEIGHT, settingsFromParams, storedEncodings, type BacktestPartner } from '../model/index';
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
  // Set once the global model of this job is saved: its backtest covers every store's holdout from the same data.
  let globalPartner: BacktestPartner | null = null;
  for (const [index, scope] of scopes.entries()) {
    options.signal?.throwIfAborted();
    // The daily model reads weekly and monthly stores through their daily view (features/period.ts).
    const stored = await loadSeries(sql, scope === GLOBAL_SCOPE ? {} : { storeId: scope.slice('store:'.length) });
    const series = stored.map((s) => dailyView(s, grains.get(s.storeId) ?? 'daily'));
    if (series.length === 0) throw new Error(`no sales stored for ${scope}`);
    const previous = await loadActiveModel(sql, scope);
    const { model, backtest } = await ForecastModel.fit({
      series,
      calendar,
      previousEncodings: storedEncodings(previous?.encodings),
      settings: settingsFromParams(job.params),
      partner: scope === GLOBAL_SCOPE ? null : globalPartner,
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
  return saved;
}
