// The training endpoints' work: queue a training (waking this instance's runner), and the models and jobs, shaped
// for the API (training/status.ts).
import type { ModelSummary, TrainModelRequest, TrainModelResponse, TrainingJob, TrainingStatusResponse } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { activateModel, allModels, jobStatus, requestTraining, trainingStatus } from './status';

export class TrainingService {
  constructor(
    private readonly sql: Sql,
    /** Called when a new job was queued, so this instance's runner picks it up at once. */
    private readonly onQueued: () => void = () => {},
  ) {}

  /** Queues training of a store ("all": every store plus a global model); a scope already queued or running keeps its job. */
  async train(request: TrainModelRequest): Promise<TrainModelResponse> {
    const { job, created } = await requestTraining(this.sql, request.store_id, request.params);
    if (created) this.onQueued();
    return { job_id: job.id, status: job.status, store_id: request.store_id };
  }

  /**
   * Queues training of each store with the default parameters (RETRAIN_AFTER_UPLOAD: after an upload added days to
   * them); a store already queued or training keeps its job.
   */
  async retrain(storeIds: string[]): Promise<{ store_id: string; job_id: number }[]> {
    const out: { store_id: string; job_id: number }[] = [];
    let queued = false;
    for (const storeId of storeIds) {
      const { job, created } = await requestTraining(this.sql, storeId);
      queued ||= created;
      out.push({ store_id: storeId, job_id: job.id });
    }
    if (queued) this.onQueued();
    return out;
  }

  /** Active models with their holdout metrics, and recent jobs. */
  status(): Promise<TrainingStatusResponse> {
    return trainingStatus(this.sql);
  }

  job(jobId: number): Promise<TrainingJob> {
    return jobStatus(this.sql, jobId);
  }

  async models(): Promise<{ models: ModelSummary[] }> {
    return { models: await allModels(this.sql) };
  }

  /** Makes a stored version the active model of a store, or of "global". */
  activate(storeId: string, version: number): Promise<ModelSummary> {
    return activateModel(this.sql, storeId, version);
  }
}
