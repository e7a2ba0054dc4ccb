// Training requests and status, shaped for the API.
import { storeDataState, storeDateSpan } from '../db/sales';
import { shapeFromSpan, untrainableReason } from '../model/index';
import type {
  ModelSummary,
  TrainingJob,
  TrainingParams,
  TrainingScopeReport,
  TrainingStatusResponse,
  TrainingStep,
} from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { storeIds } from '../db/series';
import { activeModelTracking, type ModelTracking } from '../db/snapshots';
import { activateModelVersion, childJobs, enqueueJob, getJob, listJobs, listModels, type JobRow, type ModelRow } from '../db/training';
import { modelDrift } from '../accuracy/score';
import { AppError, notFound } from '../errors';
import { parentView } from './fan-out';
import type { RunningResult } from './job-step';
import { ALL_SCOPES, GLOBAL_SCOPE, describeScope, storeScope } from './scopes';
import type { ScopeReport } from './train-job';

function modelSummary(m: ModelRow): ModelSummary {
  return {
    ...describeScope(m.scope),
    version: m.version,
    active: m.active,
    engine: m.engine,
    trained_at: new Date(m.trained_at).toISOString(),
    records: m.records,
    data_window: m.data_window as ModelSummary['data_window'],
    metrics: m.metrics,
    ...(typeof m.params?.rounds === 'number' ? { rounds: m.params.rounds } : {}),
  };
}

/** The active models' saved forecasts against what sold, by model label ("store:S1@3"). */
async function trackingOf(sql: Sql): Promise<Map<string, ModelTracking>> {
  return new Map((await activeModelTracking(sql)).map((t) => [t.model_version, t]));
}

function withTracking(summary: ModelSummary, tracked: Map<string, ModelTracking>): ModelSummary {
  const label = `${summary.scope === 'global' ? 'global' : `store:${summary.store_id}`}@${summary.version}`;
  const own = tracked.get(label);
  return { ...summary, tracked: own ? modelDrift(summary.metrics.wape ?? null, own) : null };
}

const scopeReport = (r: ScopeReport): TrainingScopeReport => ({
  ...describeScope(r.scope),
  outcome: r.outcome,
  ...(r.reason ? { reason: r.reason } : {}),
  ...(r.version !== undefined ? { version: r.version } : {}),
});

const jobStoreId = (scope: string) => (scope === ALL_SCOPES ? ALL_SCOPES : (describeScope(scope).store_id ?? scope));
const iso = (t: string | null) => (t === null ? null : new Date(t).toISOString());

/** A running fanned-out job is shown through its children (fan-out.ts). */
const showsChildren = (job: JobRow) => job.status === 'running' && job.fanned_out;

function jobSummary(job: JobRow, models: ModelRow[] = [], children: JobRow[] = []): TrainingJob {
  const produced = (job.result?.models as { scope: string; version: number }[] | undefined) ?? [];
  const view = showsChildren(job) ? parentView(children.filter((c) => c.parent_id === job.id)) : null;
  // A job queued again (its worker died) starts its report anew.
  const report = view?.report ?? (job.status === 'queued' ? [] : ((job.result?.report as ScopeReport[] | undefined) ?? []));
  // A running job's result holds its current step (job-step.ts); an ended one's, its outcome.
  const running = view ? view.step : job.status === 'running' ? (job.result as Partial<RunningResult> | null)?.step : undefined;
  const step: TrainingStep | undefined = running && {
    stage: running.stage,
    ...describeScope(running.scope),
    index: running.index,
    count: running.count,
  };
  return {
    job_id: job.id,
    store_id: jobStoreId(job.scope),
    status: job.status,
    progress: Math.max(0, Math.min(1, view?.progress ?? job.progress)),
    created_at: iso(job.created_at)!,
    started_at: iso(job.started_at),
    finished_at: iso(job.finished_at),
    ...(job.error ? { error: job.error } : {}),
    ...(produced.length
      ? { models: models.filter((m) => produced.some((p) => p.scope === m.scope && p.version === m.version)).map(modelSummary) }
      : {}),
    ...(step ? { step } : {}),
    ...(report.length ? { report: report.map(scopeReport) } : {}),
  };
}

/** Queues training of a store ("all": every store plus the global model); a scope already queued or running keeps its job. */
export async function requestTraining(sql: Sql, storeId: string, params: TrainingParams = {}) {
  const stores = await storeIds(sql);
  if (stores.length === 0) throw new AppError(422, 'no_data', 'There are no sales to train on yet: upload data first');
  if (storeId !== ALL_SCOPES && !stores.includes(storeId)) throw notFound(`Store "${storeId}"`, { store_id: storeId, stores });
  if (storeId !== ALL_SCOPES) {
    // Said before a job is queued: a store too short or too scattered to train is told so, with what it needs.
    const [span, state] = await Promise.all([storeDateSpan(sql, storeId), storeDataState(sql, storeId)]);
    const reason = span && state ? untrainableReason(storeId, shapeFromSpan(span, state.grain)) : null;
    if (reason) throw new AppError(422, 'not_enough_history', reason, { store_id: storeId });
  }
  const scope = storeId === ALL_SCOPES ? ALL_SCOPES : storeScope(storeId);
  return enqueueJob(sql, scope, params as Record<string, unknown>);
}

export async function trainingStatus(sql: Sql): Promise<TrainingStatusResponse> {
  const [models, jobs] = await Promise.all([listModels(sql), listJobs(sql, 20)]);
  const children = await childJobs(
    sql,
    jobs.filter(showsChildren).map((j) => j.id),
  );
  const tracked = await trackingOf(sql);
  return {
    models: models.filter((m) => m.active).map((m) => withTracking(modelSummary(m), tracked)),
    jobs: jobs.map((j) => jobSummary(j, models, children)),
  };
}

export async function jobStatus(sql: Sql, jobId: number): Promise<TrainingJob> {
  const job = await getJob(sql, jobId);
  if (!job) throw notFound(`Training job ${jobId}`, { job_id: jobId });
  const children = showsChildren(job) ? await childJobs(sql, [job.id]) : [];
  return jobSummary(job, job.result?.models ? await listModels(sql) : [], children);
}

export async function allModels(sql: Sql): Promise<ModelSummary[]> {
  const tracked = await trackingOf(sql);
  return (await listModels(sql)).map((m) => (m.active ? withTracking(modelSummary(m), tracked) : modelSummary(m)));
}

/** Makes an older (or newer) stored version the active model of a store, or of the global scope ("global"). */
export async function activateModel(sql: Sql, storeId: string, version: number): Promise<ModelSummary> {
  const scope = storeId === GLOBAL_SCOPE ? GLOBAL_SCOPE : storeScope(storeId);
  const row = await activateModelVersion(sql, scope, version);
  if (!row) throw notFound(`Model version ${version} of ${storeId}`, { store_id: storeId, version });
  return modelSummary(row);
}
