// SQL for the model registry and training jobs.
import type { ModelMetrics } from '../../../shared/schemas';
import type { ModelArtifact } from '../model/index';
import type { Sql } from './connection';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobRow {
  id: number;
  scope: string;
  status: JobStatus;
  params: Record<string, unknown>;
  progress: number;
  error: string | null;
  model_id: number | null;
  attempts: number;
  worker: string | null;
  created_at: string;
  started_at: string | null;
  heartbeat_at: string | null;
  finished_at: string | null;
  result: Record<string, unknown> | null;
  /** The "all" job this job is part of (db/migrations/008). */
  parent_id: number | null;
  /** The job that must end before this one may start. */
  after_id: number | null;
  /** Its children are booked and do its work. */
  fanned_out: boolean;
}

const JOB_COLUMNS = `id::int, scope, status, params, progress, error, model_id::int, attempts, worker,
  created_at, started_at, heartbeat_at, finished_at, result, parent_id::int, after_id::int, fanned_out`;
const OPEN = `('queued', 'running')`;

/** Queues a job for the scope, or returns the one already queued or running for it. */
export async function enqueueJob(sql: Sql, scope: string, params: Record<string, unknown>): Promise<{ job: JobRow; created: boolean }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await sql<JobRow[]>`
      INSERT INTO training_jobs (scope, params) VALUES (${scope}, ${sql.json(params as never)})
      ON CONFLICT (scope) WHERE status IN ('queued', 'running') AND parent_id IS NULL DO NOTHING
      RETURNING ${sql.unsafe(JOB_COLUMNS)}`;
    if (inserted.length) return { job: inserted[0], created: true };
    const open = await sql<JobRow[]>`
      SELECT ${sql.unsafe(JOB_COLUMNS)} FROM training_jobs
      WHERE scope = ${scope} AND status IN ('queued', 'running') AND parent_id IS NULL`;
    // The open job may have finished between the two statements: then queue again.
    if (open.length) return { job: open[0], created: false };
  }
  throw new Error(`could not queue a training job for ${scope}`);
}

/**
 * Claims the oldest queued job that may start (the job it waits for has ended) for this worker; instances sharing
 * the database never claim the same job.
 */
export async function claimJob(sql: Sql, worker: string): Promise<JobRow | null> {
  const rows = await sql<JobRow[]>`
    UPDATE training_jobs SET status = 'running', worker = ${worker}, started_at = now(), heartbeat_at = now(),
                             attempts = attempts + 1, progress = 0, error = NULL
    WHERE id = (SELECT j.id FROM training_jobs j
                WHERE j.status = 'queued'
                  AND NOT EXISTS (SELECT 1 FROM training_jobs w WHERE w.id = j.after_id AND w.status IN ${sql.unsafe(OPEN)})
                ORDER BY j.created_at, j.id
                FOR UPDATE SKIP LOCKED LIMIT 1)
    RETURNING ${sql.unsafe(JOB_COLUMNS)}`;
  return rows[0] ?? null;
}

/**
 * Books a fanned-out job's children in one transaction: the first scope's job, then the others, each waiting for
 * the first to end. From then on the parent has no worker: it ends when its children have (finishJob once).
 */
export async function fanOutJob(sql: Sql, parent: JobRow, scopes: string[]): Promise<JobRow[]> {
  return sql.begin(async (tx) => {
    const params = tx.json(parent.params as never);
    const [first] = await tx<JobRow[]>`
      INSERT INTO training_jobs (scope, params, parent_id) VALUES (${scopes[0]}, ${params}, ${parent.id})
      RETURNING ${tx.unsafe(JOB_COLUMNS)}`;
    const rest =
      scopes.length > 1
        ? await tx<JobRow[]>`
          INSERT INTO training_jobs (scope, params, parent_id, after_id)
          SELECT s, ${params}, ${parent.id}, ${first.id} FROM unnest(${tx.array(scopes.slice(1))}::text[]) WITH ORDINALITY AS t(s, n)
          ORDER BY n
          RETURNING ${tx.unsafe(JOB_COLUMNS)}`
        : [];
    await tx`UPDATE training_jobs SET fanned_out = true, worker = NULL, result = NULL WHERE id = ${parent.id}`;
    return [first, ...rest.sort((a, b) => a.id - b.id)];
  });
}

/** The children of these jobs, in the order they were booked. */
export async function childJobs(sql: Sql, parentIds: number[]): Promise<JobRow[]> {
  if (parentIds.length === 0) return [];
  return sql<JobRow[]>`SELECT ${sql.unsafe(JOB_COLUMNS)} FROM training_jobs
                       WHERE parent_id = ANY(${sql.array(parentIds)}::bigint[]) ORDER BY id`;
}

/** Running fanned-out jobs none of whose children is still queued or running: they can be ended. */
export async function parentsToEnd(sql: Sql): Promise<JobRow[]> {
  return sql<JobRow[]>`
    SELECT ${sql.unsafe(JOB_COLUMNS)} FROM training_jobs p
    WHERE p.status = 'running' AND p.fanned_out
      AND NOT EXISTS (SELECT 1 FROM training_jobs c WHERE c.parent_id = p.id AND c.status IN ${sql.unsafe(OPEN)})`;
}

/** A child's place among its siblings (from 1) and their number: the step it reports is "index of count". */
export async function jobPosition(sql: Sql, job: JobRow): Promise<{ index: number; count: number }> {
  if (job.parent_id === null) return { index: 1, count: 1 };
  const [row] = await sql<{ index: number; count: number }[]>`
    SELECT count(*) FILTER (WHERE id <= ${job.id})::int AS index, count(*)::int AS count
    FROM training_jobs WHERE parent_id = ${job.parent_id}`;
  return row;
}

/** The model a sibling of this scope saved, if it succeeded (a store's job blends with its job's global model). */
export async function siblingModelId(sql: Sql, parentId: number, scope: string): Promise<number | null> {
  const [row] = await sql<{ model_id: number | null }[]>`
    SELECT model_id::int FROM training_jobs WHERE parent_id = ${parentId} AND scope = ${scope} AND status = 'succeeded'`;
  return row?.model_id ?? null;
}

export interface StoredBacktest {
  origin: string;
  values: number[];
}

/** A model's holdout forecasts, one row per store, keyed by product (so any instance's store job can read its own). */
export async function saveBacktests(sql: Sql, modelId: number, byStore: Map<string, Record<string, StoredBacktest>>): Promise<void> {
  const rows = [...byStore].map(([store_id, forecasts]) => ({ model_id: modelId, store_id, forecasts: sql.json(forecasts as never) }));
  for (let i = 0; i < rows.length; i += 100) await sql`INSERT INTO model_backtests ${sql(rows.slice(i, i + 100))} ON CONFLICT DO NOTHING`;
}

export async function loadBacktest(sql: Sql, modelId: number, storeId: string): Promise<Record<string, StoredBacktest> | null> {
  const [row] = await sql<{ forecasts: Record<string, StoredBacktest> }[]>`
    SELECT forecasts FROM model_backtests WHERE model_id = ${modelId} AND store_id = ${storeId}`;
  return row?.forecasts ?? null;
}

export async function heartbeatJob(sql: Sql, id: number, progress: number): Promise<void> {
  await sql`UPDATE training_jobs SET heartbeat_at = now(), progress = ${progress}
            WHERE id = ${id} AND status = 'running'`;
}

/** Ends a job; `once`: only if it is still running (false when another instance ended it first). */
export async function finishJob(
  sql: Sql,
  id: number,
  outcome: { status: 'succeeded' | 'failed' | 'cancelled'; error?: string; modelId?: number; result?: Record<string, unknown> },
  options: { once?: boolean } = {},
): Promise<boolean> {
  const rows = await sql`UPDATE training_jobs SET status = ${outcome.status}, error = ${outcome.error ?? null},
              model_id = ${outcome.modelId ?? null}, result = ${outcome.result ? sql.json(outcome.result as never) : null},
              progress = CASE WHEN ${outcome.status} = 'succeeded' THEN 1 ELSE progress END, finished_at = now()
            WHERE id = ${id} AND (${!options.once} OR status = 'running') RETURNING id`;
  return rows.length > 0;
}

/**
 * Jobs whose worker stopped sending heartbeats (a killed process) go back to the queue, or fail after maxAttempts:
 * never stuck "running".
 */
export async function recoverStaleJobs(sql: Sql, staleSeconds: number, maxAttempts: number): Promise<{ requeued: number; failed: number }> {
  const failed = await sql`
    UPDATE training_jobs SET status = 'failed', finished_at = now(),
           error = 'the training worker stopped responding ' || attempts || ' times'
    WHERE status = 'running' AND NOT fanned_out AND heartbeat_at < now() - make_interval(secs => ${staleSeconds})
      AND attempts >= ${maxAttempts}
    RETURNING id`;
  // A fanned-out job has no worker of its own (its children have heartbeats).
  const requeued = await sql`
    UPDATE training_jobs SET status = 'queued', worker = NULL
    WHERE status = 'running' AND NOT fanned_out AND heartbeat_at < now() - make_interval(secs => ${staleSeconds})
    RETURNING id`;
  return { requeued: requeued.length, failed: failed.length };
}

export async function getJob(sql: Sql, id: number): Promise<JobRow | null> {
  const rows = await sql<JobRow[]>`SELECT ${sql.unsafe(JOB_COLUMNS)} FROM training_jobs WHERE id = ${id}`;
  return rows[0] ?? null;
}

/** The latest requested jobs (a fanned-out job's children are shown through it). */
export async function listJobs(sql: Sql, limit = 20): Promise<JobRow[]> {
  return sql<JobRow[]>`SELECT ${sql.unsafe(JOB_COLUMNS)} FROM training_jobs WHERE parent_id IS NULL ORDER BY id DESC LIMIT ${limit}`;
}

// ---------------------------------------------------------------- models

export interface NewModel {
  scope: string;
  engine: string;
  format: string;
  params: Record<string, unknown>;
  features: unknown;
  encodings: unknown;
  metrics: ModelMetrics;
  residuals: unknown;
  intervals: unknown;
  dataWindow: Record<string, unknown>;
  records: number;
  bytes: Uint8Array;
}

export interface ModelRow {
  id: number;
  scope: string;
  version: number;
  engine: string;
  format: string;
  params: Record<string, unknown>;
  features: unknown;
  encodings: unknown;
  /** Written from ModelArtifact.metrics (saveModelArtifact). */
  metrics: ModelMetrics;
  residuals: unknown;
  intervals: unknown;
  data_window: Record<string, unknown>;
  records: number;
  active: boolean;
  trained_at: string;
}

/**
 * The registry's columns of a model artifact. `params` holds the final fit's engine parameters, the target, the
 * settings, the blend partner and the artifact version, the layout rows had before the artifact was versioned (so
 * the partner query below reads old and new rows alike).
 */
export function artifactColumns(scope: string, artifact: ModelArtifact): NewModel {
  return {
    scope,
    engine: artifact.engine,
    format: artifact.format,
    params: {
      artifact_version: artifact.artifact_version,
      ...artifact.train_params,
      target: artifact.target,
      settings: artifact.settings,
      ...(artifact.ensemble ? { ensemble: artifact.ensemble } : {}),
      // The grain and the method chosen per kind of series (params is free-form JSON: no column needed).
      ...(artifact.grain ? { grain: artifact.grain } : {}),
      ...(artifact.selection ? { selection: artifact.selection } : {}),
    },
    features: artifact.spec,
    encodings: artifact.encodings,
    metrics: artifact.metrics,
    residuals: artifact.residuals,
    intervals: artifact.intervals,
    dataWindow: artifact.data_window,
    records: artifact.records,
    bytes: artifact.bytes,
  };
}

/**
 * A stored model as the artifact it was saved from, unchecked (ForecastModel.fromArtifact checks it). Rows saved
 * before artifacts carried a version have exactly version 1's content: they read as version 1.
 */
export function storedArtifact(row: ModelRow & { bytes: Uint8Array }): unknown {
  const { artifact_version = 1, target = 'log1p', settings, ensemble = null, grain, selection, ...trainParams } = row.params;
  return {
    ...(grain ? { grain } : {}),
    ...(selection ? { selection } : {}),
    artifact_version,
    engine: row.engine,
    format: row.format,
    settings,
    train_params: trainParams,
    target,
    spec: row.features,
    encodings: row.encodings,
    intervals: row.intervals,
    residuals: row.residuals,
    metrics: row.metrics,
    data_window: row.data_window,
    records: row.records,
    ensemble,
    bytes: row.bytes,
  };
}

const MODEL_COLUMNS = `id::int, scope, version, engine, format, params, features, encodings, metrics, residuals, intervals,
  data_window, records, active, trained_at`;

/** Saves a new version of the scope's model and makes it the active one, in one transaction. */
export async function saveActiveModel(sql: Sql, model: NewModel, keepVersions = 5): Promise<ModelRow> {
  return sql.begin(async (tx) => {
    // Serialises version numbering per scope across instances.
    await tx`SELECT pg_advisory_xact_lock(hashtext(${'model:' + model.scope}))`;
    const [{ next }] = await tx<{ next: number }[]>`
      SELECT coalesce(max(version), 0) + 1 AS next FROM models WHERE scope = ${model.scope}`;
    await tx`UPDATE models SET active = false WHERE scope = ${model.scope} AND active`;
    const [row] = await tx<ModelRow[]>`
      INSERT INTO models (scope, version, engine, format, params, features, encodings, metrics, residuals, intervals,
                          data_window, records, model, active)
      VALUES (${model.scope}, ${next}, ${model.engine}, ${model.format}, ${tx.json(model.params as never)},
              ${tx.json(model.features as never)}, ${tx.json(model.encodings as never)}, ${tx.json(model.metrics as never)},
              ${tx.json(model.residuals as never)}, ${tx.json(model.intervals as never)}, ${tx.json(model.dataWindow as never)},
              ${model.records},
              ${Buffer.from(model.bytes)}, true)
      RETURNING ${tx.unsafe(MODEL_COLUMNS)}`;
    // Keep the last few versions, and any older one a kept model is blended with (params.ensemble.model_id); jobs
    // may still point at those deleted, so detach them first.
    const expired = tx`SELECT id FROM models WHERE scope = ${model.scope} AND version <= ${next - keepVersions}
                         AND id NOT IN (SELECT (params->'ensemble'->>'model_id')::bigint FROM models
                                        WHERE params->'ensemble'->>'model_id' IS NOT NULL)`;
    await tx`UPDATE training_jobs SET model_id = NULL WHERE model_id IN (${expired})`;
    await tx`DELETE FROM models WHERE id IN (${expired})`;
    return row;
  });
}

export async function activateModelVersion(sql: Sql, scope: string, version: number): Promise<ModelRow | null> {
  return sql.begin(async (tx) => {
    const exists = await tx`SELECT 1 FROM models WHERE scope = ${scope} AND version = ${version}`;
    if (!exists.length) return null;
    await tx`UPDATE models SET active = false WHERE scope = ${scope} AND active`;
    const [row] = await tx<ModelRow[]>`UPDATE models SET active = true WHERE scope = ${scope} AND version = ${version}
                                       RETURNING ${tx.unsafe(MODEL_COLUMNS)}`;
    return row;
  });
}

export async function listModels(sql: Sql, options: { activeOnly?: boolean } = {}): Promise<ModelRow[]> {
  return options.activeOnly
    ? sql<ModelRow[]>`SELECT ${sql.unsafe(MODEL_COLUMNS)} FROM models WHERE active ORDER BY scope`
    : sql<ModelRow[]>`SELECT ${sql.unsafe(MODEL_COLUMNS)} FROM models ORDER BY scope, version DESC`;
}

export async function loadActiveModel(sql: Sql, scope: string): Promise<(ModelRow & { bytes: Uint8Array }) | null> {
  return loadModelWhere(sql, sql`scope = ${scope} AND active`);
}

/**
 * Puts a running job back in the queue (its instance is shutting down). The interrupted run does not count as an
 * attempt: attempts exist to give up on jobs that kill their worker, and a shutdown is not the job's doing.
 */
export async function requeueJob(sql: Sql, id: number): Promise<void> {
  await sql`UPDATE training_jobs SET status = 'queued', worker = NULL, progress = 0, attempts = greatest(attempts - 1, 0)
            WHERE id = ${id} AND status = 'running'`;
}

/** Ids of the active models of these scopes (cheap: lets every instance notice a newly activated model). */
export async function activeModelIds(sql: Sql, scopes: string[]): Promise<{ id: number; scope: string }[]> {
  return sql<{ id: number; scope: string }[]>`SELECT id::int, scope FROM models WHERE active AND scope = ANY(${sql.array(scopes)}::text[])`;
}

export async function loadModelById(sql: Sql, id: number): Promise<(ModelRow & { bytes: Uint8Array }) | null> {
  return loadModelWhere(sql, sql`id = ${id}`);
}

async function loadModelWhere(sql: Sql, where: ReturnType<Sql>): Promise<(ModelRow & { bytes: Uint8Array }) | null> {
  const rows = await sql<(ModelRow & { model: Buffer })[]>`SELECT ${sql.unsafe(MODEL_COLUMNS)}, model FROM models WHERE ${where}`;
  if (!rows.length) return null;
  const { model, ...rest } = rows[0];
  return { ...rest, bytes: new Uint8Array(model) };
}
