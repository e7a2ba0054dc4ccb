// One training job: the scopes it covers, each fitted as a ForecastModel and saved as the scope's new active model.
// Runs inside the training thread; the HTTP thread only books the job. An "all" job trains what can be trained and
// reports per scope (trained, skipped with the reason, failed with the reason); the steps it goes through are told
// to `onStep` as they begin.
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
  type FitStage,
} from '../model/index';
import { selectEngine, type EnginePreference } from '../model/engine/index';
import { ALL_SCOPES, GLOBAL_SCOPE, storeScope } from './scopes';

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

async function scopesOfJob(sql: Sql, jobScope: string): Promise<string[]> {
  if (jobScope !== ALL_SCOPES) return [jobScope];
  // The global model first: each store's model is then blended with it (model/fit.ts, BacktestPartner).
  return [GLOBAL_SCOPE, ...(await storeIds(sql)).map(storeScope)];
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function runTrainingJob(
  sql: Sql,
  job: { scope: string; params: TrainingParams },
  options: {
    onProgress?: (fraction: number) => void;
    /** Told each step as it begins, with the report so far. */
    onStep?: (step: JobStep, report: readonly ScopeReport[]) => void;
    signal?: AbortSignal;
    enginePreference?: EnginePreference;
  } = {},
): Promise<TrainingJobResult> {
  const engine = await selectEngine(job.params.engine ?? options.enginePreference);
  const scopes = await scopesOfJob(sql, job.scope);
  const calendar = calendarOrNull(await loadCalendarDays(sql));
  const grains = await storeGrains(sql);
  const all = job.scope === ALL_SCOPES;
  const saved: ModelRow[] = [];
  const report: ScopeReport[] = [];
  const step = (stage: TrainingStage, scope: string, index: number) =>
    options.onStep?.({ stage, scope, index: index + 1, count: scopes.length }, report);
  // Set once the global model of this job is saved: its backtest covers every store's holdout from the same data.
  let globalPartner: BacktestPartner | null = null;
  for (const [index, scope] of scopes.entries()) {
    options.signal?.throwIfAborted();
    step('preparing', scope, index);
    // Each store trains at its own grain; the global model learns from the daily stores that can be trained.
    const storeId = scope === GLOBAL_SCOPE ? null : scope.slice('store:'.length);
    const grain = storeId === null ? 'daily' : (grains.get(storeId) ?? 'daily');
    const stored = await loadSeries(sql, storeId === null ? {} : { storeId });
    const series = storeId === null ? globalSeries(stored, grains) : stored;
    const reason = storeId === null ? null : untrainableReason(storeId, storeShape(series, grain));
    if (reason !== null || series.length === 0) {
      const why =
        reason ?? (storeId === null ? 'no daily store has enough history for a model of all stores' : `no sales stored for ${scope}`);
      // An `all` job trains what can be trained; a store's own job says why it cannot (POST /train_model refuses it first).
      if (!all) throw new TrainingJobError(why, [{ scope, outcome: 'skipped', reason: why }]);
      report.push({ scope, outcome: 'skipped', reason: why });
      continue;
    }
    try {
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
        // The backtest and the final fit, named as the fit begins each.
        onStage: (stage) => step(stage, scope, index),
      });
      let row: ModelRow;
      try {
        step('saving', scope, index);
        row = await saveActiveModel(sql, artifactColumns(scope, model.toArtifact()));
      } finally {
        model.dispose();
      }
      saved.push(row);
      report.push({ scope, outcome: 'trained', version: row.version });
      if (scope === GLOBAL_SCOPE) globalPartner = { modelId: row.id, scope, weight: PARTNER_WEIGHT, backtest };
    } catch (err) {
      // Stopping (shutdown) ends the job; any other failure ends this scope only, in an `all` job.
      if (options.signal?.aborted) throw err;
      report.push({ scope, outcome: 'failed', reason: messageOf(err) });
      if (!all) throw new TrainingJobError(messageOf(err), report);
    }
  }
  if (saved.length === 0) throw new TrainingJobError(report.map((r) => r.reason).join(' '), report);
  return { saved, report };
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
