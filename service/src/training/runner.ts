// Claims queued training jobs from Postgres (several instances share the queue) and runs each in a training thread,
// up to `workers` at once. A claimed "all" job is fanned out into one job per model (fan-out.ts) rather than run.
import { hostname } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { TrainingParams } from '../../../shared/schemas';
import type { Database } from '../db/connection';
import { claimJob, finishJob, heartbeatJob, jobPosition, recoverStaleJobs, requeueJob, type JobRow } from '../db/training';
import type { EnginePreference } from '../model/engine/index';
import type { TrainingOutcome } from '../observability/metrics';
import { endFinishedParents, fanOut } from './fan-out';
import { recordJobStep } from './job-step';
import { ALL_SCOPES } from './scopes';
import type { FromWorker, ToWorker } from './worker';

export interface RunnerOptions {
  db: Database;
  logger: Logger;
  /** How often to look for queued jobs. */
  pollMs?: number;
  /** A running job without a heartbeat for this long belongs to a dead worker. */
  staleSeconds?: number;
  maxAttempts?: number;
  enginePreference?: EnginePreference;
  /** Told how each job this instance ran ended and how long it took (the training duration metric). */
  metrics?: { observeTraining(outcome: TrainingOutcome, seconds: number): void };
  /** On stop, how long a running job gets to abort before its thread is terminated. */
  abortGraceMs?: number;
  /** Jobs this instance runs at once (TRAINING_WORKERS), each in its own thread; default 1. */
  workers?: number;
}

export interface TrainingRunner {
  /** Look for work now (after a job was queued). */
  wake(): void;
  /**
   * Stop taking jobs; each running job is aborted (its thread terminated if it does not stop within abortGraceMs) and
   * put back in the queue for another instance.
   */
  stop(): Promise<void>;
}

// The service runs from its TypeScript sources: the entry registers tsx's loader inside the thread.
const WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

export function startTrainingRunner(options: RunnerOptions): TrainingRunner {
  const { db, logger } = options;
  const pollMs = options.pollMs ?? 2000;
  const staleSeconds = options.staleSeconds ?? 60;
  const maxAttempts = options.maxAttempts ?? 2;
  const workers = Math.max(1, options.workers ?? 1);
  const workerId = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  let claiming = false;
  let stopped = false;
  // Jobs claimed and not yet ended by this instance (counted before their thread starts).
  let active = 0;
  const current = new Map<number, { job: JobRow; worker: Worker }>();
  // Jobs being run (and the claim in progress); stop() waits for them.
  const running = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    running.add(work);
    void work.finally(() => running.delete(work));
  };

  // Claims jobs while a worker is free; each job runs on its own, and a worker that frees up looks again.
  const tick = () => {
    if (claiming || stopped || active >= workers) return;
    claiming = true;
    track(
      (async () => {
        try {
          const recovered = await recoverStaleJobs(db.sql, staleSeconds, maxAttempts);
          if (recovered.requeued || recovered.failed) logger.warn(recovered, 'recovered training jobs of a dead worker');
          // Children that died (recovered above) may have been the last of their job.
          await endFinishedParents(db.sql);
          while (!stopped && active < workers) {
            const job = await claimJob(db.sql, workerId);
            if (!job) break;
            if (stopped) {
              // Claimed while shutting down: hand it straight back.
              await requeueJob(db.sql, job.id);
            } else if (job.scope === ALL_SCOPES && !job.fanned_out) {
              const children = await fanOut(db.sql, job);
              logger.info({ job_id: job.id, children: children.length }, 'training job fanned out');
            } else {
              active++;
              track(
                runJob(job)
                  .catch((err) => logger.error({ err, job_id: job.id }, 'training runner error'))
                  .finally(() => {
                    active--;
                    setImmediate(tick);
                  }),
              );
            }
          }
        } catch (err) {
          logger.error({ err }, 'training runner error');
        } finally {
          claiming = false;
        }
      })(),
    );
  };

  const runJob = async (job: JobRow) => {
    const started = performance.now();
    const log = logger.child({ job_id: job.id, scope: job.scope });
    const seconds = () => (performance.now() - started) / 1000;
    log.info({ attempt: job.attempts }, 'training started');
    const position = await jobPosition(db.sql, job);
    const worker = new Worker(WORKER_ENTRY);
    current.set(job.id, { job, worker });
    let progress = 0;
    const heartbeat = setInterval(() => void heartbeatJob(db.sql, job.id, progress).catch(() => {}), 2000);
    // Steps are written in order, and all of them before the job's end is.
    let steps: Promise<void> = Promise.resolve();
    try {
      const outcome = await new Promise<FromWorker>((resolve) => {
        worker.on('message', (msg: FromWorker) => {
          if (msg.type === 'progress') progress = Math.min(0.99, msg.fraction);
          else if (msg.type === 'step') {
            const state = { step: msg.step };
            steps = steps.then(() => recordJobStep(db.sql, job.id, state)).catch((err) => log.warn({ err }, 'could not record the step'));
          } else resolve(msg);
        });
        worker.on('error', (err) => resolve({ type: 'error', message: err.message }));
        worker.on('exit', (code) => resolve({ type: 'error', message: `training thread exited with code ${code}` }));
        worker.postMessage({
          type: 'start',
          dbUrl: db.url,
          scope: job.scope,
          params: job.params as TrainingParams,
          parentId: job.parent_id,
          position,
          enginePreference: options.enginePreference,
        } satisfies ToWorker);
      });
      await steps;
      if (stopped && outcome.type !== 'done') {
        await requeueJob(db.sql, job.id);
        options.metrics?.observeTraining('requeued', seconds());
        log.info({ seconds: seconds() }, 'training interrupted by shutdown; job queued again');
      } else if (outcome.type === 'done') {
        // Finished just as the shutdown began: the models are saved, so the job counts as done.
        await finishJob(db.sql, job.id, {
          status: 'succeeded',
          modelId: outcome.modelIds.at(-1),
          result: { models: outcome.models, report: outcome.report },
        });
        options.metrics?.observeTraining('succeeded', seconds());
        log.info({ models: outcome.models, report: outcome.report, seconds: seconds() }, 'training succeeded');
      } else if (outcome.type === 'error') {
        await finishJob(db.sql, job.id, {
          status: 'failed',
          error: outcome.message,
          ...(outcome.report ? { result: { report: outcome.report } } : {}),
        });
        options.metrics?.observeTraining('failed', seconds());
        log.warn({ error: outcome.message, seconds: seconds() }, 'training failed; previous model stays active');
      }
      // The last child of an "all" job ends it.
      if (job.parent_id !== null) await endFinishedParents(db.sql);
    } finally {
      clearInterval(heartbeat);
      current.delete(job.id);
      await worker.terminate();
    }
  };

  const timer = setInterval(tick, pollMs);
  timer.unref();
  setImmediate(tick);

  return {
    wake: () => setImmediate(tick),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      const terminations = [...current.values()].map(({ job, worker }) => {
        worker.postMessage({ type: 'abort' } satisfies ToWorker);
        // A thread busy in synchronous work cannot see the abort: terminate it; its job is requeued all the same.
        return setTimeout(() => {
          logger.warn({ job_id: job.id }, 'training thread did not stop in time; terminating it');
          void worker.terminate();
        }, options.abortGraceMs ?? 5_000);
      });
      while (running.size) await Promise.all([...running]);
      terminations.forEach(clearTimeout);
    },
  };
}
