// Training thread: loads the data and trains off the HTTP thread, so the service keeps answering. The boosting
// itself runs in a child process (see model/engine), so a native crash cannot take the service down.
import { parentPort } from 'node:worker_threads';
import type { TrainingParams } from '../../../shared/schemas';
import { connectUrl } from '../db/connection';
import type { EnginePreference } from '../model/engine/index';
import { runTrainingJob, TrainingJobError, type JobStep, type ScopeReport } from './train-job';

export type ToWorker =
  | {
      type: 'start';
      dbUrl: string;
      scope: string;
      params: TrainingParams;
      /** The "all" job this job is part of, and its place in it. */
      parentId: number | null;
      position: { index: number; count: number };
      enginePreference?: EnginePreference;
    }
  | { type: 'abort' };
export type FromWorker =
  | { type: 'progress'; fraction: number }
  | { type: 'step'; step: JobStep }
  | { type: 'done'; modelIds: number[]; models: { scope: string; version: number }[]; report: ScopeReport[] }
  | { type: 'error'; message: string; report?: ScopeReport[] };

const port = parentPort!;
const controller = new AbortController();

port.on('message', async (msg: ToWorker) => {
  if (msg.type === 'abort') {
    controller.abort();
    return;
  }
  const sql = connectUrl(msg.dbUrl, 2);
  try {
    const { saved, report } = await runTrainingJob(
      sql,
      { scope: msg.scope, params: msg.params, parentId: msg.parentId, position: msg.position },
      {
        enginePreference: msg.enginePreference,
        signal: controller.signal,
        onProgress: (fraction) => port.postMessage({ type: 'progress', fraction } satisfies FromWorker),
        onStep: (step) => port.postMessage({ type: 'step', step } satisfies FromWorker),
      },
    );
    port.postMessage({
      type: 'done',
      modelIds: saved.map((m) => m.id),
      models: saved.map((m) => ({ scope: m.scope, version: m.version })),
      report,
    } satisfies FromWorker);
  } catch (err) {
    port.postMessage({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
      ...(err instanceof TrainingJobError ? { report: err.report } : {}),
    } satisfies FromWorker);
  } finally {
    await sql.end({ timeout: 5 });
  }
});
