// Training that fails (parameters refused or unworkable, a training process killed, the whole service killed) never
// leaves a job stuck and never disturbs the model being served: the previous version stays active and answers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PredictResponse, TrainingStatusResponse, type TrainingJob } from '../../../shared/schemas';
import { openDatabase, type Database, type Sql } from '../db/connection';
import { openTestDatabase, testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales } from '../testing/trained';
import { demoCsv, multipartBody, postJson, QUICK_TRAINING, sendUpload, sleep, waitFor, waitForJob } from './fixtures';
import { cpuSeconds, descendantPids, isAlive, startServiceProcess, type ServiceProcess } from './service-process';

const LAST_DAY = '2025-06-30';
const DEMO = { stores: ['R1'], productsPerStore: 8, days: 150, endDate: LAST_DAY, seed: 7 };
/** Trains for several seconds on the demo data: long enough to be killed half way. */
const SLOW_TRAINING = { rounds: 1500, objective: 'tweedie' as const, max_depth: 10, learning_rate: 0.02 };
/** A few seconds: long enough to catch its process, short enough to run again. */
const MEDIUM_TRAINING = { rounds: 200, objective: 'tweedie' as const, max_depth: 8, learning_rate: 0.05 };

const trainingProcesses = (pid: number) => descendantPids(pid, 'train-worker');

async function predictR1(url: string) {
  const res = await postJson(url, '/predict', { store_id: 'R1', product_id: 'P0003', date: '2025-07-03' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return PredictResponse.parse(res.body);
}

async function activeVersions(url: string): Promise<number[]> {
  const status = TrainingStatusResponse.parse(await (await fetch(`${url}/training_status`)).json());
  return status.models.filter((m) => m.store_id === 'R1').map((m) => m.version);
}

async function jobCount(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM training_jobs`;
  return n;
}

describe.each(testBackends)('a training that fails, on %s', (kind) => {
  let server: TestServer;
  let served: { predicted_demand: number; model_version: string };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    await storeDemoSales(server, DEMO);
    const queued = await postJson<{ job_id: number }>(server.url, '/train_model', { store_id: 'R1', params: QUICK_TRAINING });
    const job = await waitForJob(server.url, queued.body.job_id);
    expect(job.status, job.error).toBe('succeeded');
    served = await predictR1(server.url);
    expect(served.model_version).toBe('store:R1@1');
  });
  afterAll(async () => server?.close());

  /** The first model still active and giving the same answer. */
  const expectFirstModelServing = async () => {
    expect(await activeVersions(server.url)).toEqual([1]);
    expect(await predictR1(server.url)).toMatchObject(served);
  };

  it.each([
    [{ rounds: 0 }, /rounds/],
    [{ rounds: 2.5 }, /rounds/],
    [{ rounds: 1e9 }, /rounds/],
    [{ learning_rate: 0 }, /learning_rate/],
    [{ learning_rate: 3 }, /learning_rate/],
    [{ max_depth: -1 }, /max_depth/],
    [{ objective: 'magic' }, /objective/],
    [{ holdout_days: 2 }, /holdout_days/],
    [{ engine: 'gpu' }, /engine/],
    [{ subsample: '0.5' }, /subsample/],
    [{ n_estimators: 100 }, /n_estimators|unrecognized/i],
    ['fast', /params/],
  ])('refuses params %j with a 422 naming the field, and queues nothing', async (params, field) => {
    const before = await jobCount(server.db.sql);
    const res = await postJson<{ error: { code: string; message: string } }>(server.url, '/train_model', { store_id: 'R1', params });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(field);
    expect(await jobCount(server.db.sql)).toBe(before);
  });

  it('params the data cannot support: the job fails with the reason, the first model keeps serving', async () => {
    // 150 days of history cannot hold out 140.
    const queued = await postJson<{ job_id: number }>(server.url, '/train_model', {
      store_id: 'R1',
      params: { ...QUICK_TRAINING, holdout_days: 140 },
    });
    expect(queued.status).toBe(202);
    const job = await waitForJob(server.url, queued.body.job_id);
    expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/history/) });
    expect(job.finished_at).not.toBeNull();
    await expectFirstModelServing();
  });

  it('a training process killed with SIGKILL: the job fails with the reason, the first model keeps serving', async () => {
    const queued = await postJson<{ job_id: number }>(server.url, '/train_model', { store_id: 'R1', params: SLOW_TRAINING });
    expect(queued.status).toBe(202);
    // Half way: a training process that has been boosting for a while (half a CPU-second: well past its start-up).
    const victim = await waitFor('a training process at work', () => trainingProcesses(process.pid).find((pid) => cpuSeconds(pid) >= 0.5));
    process.kill(victim, 'SIGKILL');

    const job = await waitForJob(server.url, queued.body.job_id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/SIGKILL/);
    // The job's other training process is stopped too: nothing keeps burning CPU for a failed job.
    await waitFor('the other training processes to end', () => (trainingProcesses(process.pid).length === 0 ? true : undefined), 15_000);
    await expectFirstModelServing();
    // And the next training works.
    const next = await postJson<{ job_id: number }>(server.url, '/train_model', { store_id: 'R1', params: QUICK_TRAINING });
    expect((await waitForJob(server.url, next.body.job_id)).status).toBe('succeeded');
    expect(await activeVersions(server.url)).toEqual([2]);
  });
});

describe.each(testBackends)('the service killed with SIGKILL during training, on %s', (kind) => {
  let postgresDb: Database | undefined;
  let dataDir = '';
  let service: ServiceProcess | undefined;
  let takeover: TestServer | undefined;
  let pgliteDb: Database | undefined;

  beforeAll(async () => {
    if (kind === 'postgres') postgresDb = await openTestDatabase('postgres');
    else dataDir = mkdtempSync(join(tmpdir(), 'df-train-kill-'));
  });
  afterAll(async () => {
    await takeover?.close();
    await pgliteDb?.close();
    await service?.kill();
    await postgresDb?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('its running job is taken over by another instance once its heartbeat stops, and the first model serves meanwhile', async () => {
    service = await startServiceProcess(postgresDb ? { DATABASE_URL: postgresDb.url } : { DATA_DIR: dataDir });
    const stored = await sendUpload(service.url, multipartBody('demo.csv', demoCsv(DEMO))).response;
    expect(stored.status, stored.body).toBe(200);
    const first = await postJson<{ job_id: number }>(service.url, '/train_model', { store_id: 'R1', params: QUICK_TRAINING });
    expect((await waitForJob(service.url, first.body.job_id)).status).toBe('succeeded');
    const served = await predictR1(service.url);

    const queued = await postJson<{ job_id: number }>(service.url, '/train_model', { store_id: 'R1', params: MEDIUM_TRAINING });
    const killedPid = service.pid;
    await waitFor('the service to be training', () =>
      trainingProcesses(killedPid).some((pid) => cpuSeconds(pid) >= 0.3) ? true : undefined,
    );
    const orphans = trainingProcesses(killedPid);
    await service.kill('SIGKILL');
    // Its training processes notice their parent is gone and end.
    await waitFor('the orphaned training processes to end', () => (orphans.every((pid) => !isAlive(pid)) ? true : undefined), 10_000);

    // Another instance on the same database. (PGlite is one process's database: after the kill, this one's.)
    const db = postgresDb ?? (pgliteDb = await openDatabase({ dataDir: join(dataDir, 'pglite'), poolSize: 4 }));
    const [left] = await db.sql<
      { status: string; attempts: number }[]
    >`SELECT status, attempts FROM training_jobs WHERE id = ${queued.body.job_id}`;
    expect(left).toEqual({ status: 'running', attempts: 1 });
    takeover = await startTestServer(kind, { db, training: true });

    // Until the retried job saves its model, the first model answers; then the new one, and never the first again.
    let job: TrainingJob;
    let replaced = false;
    const until = Date.now() + 90_000;
    for (;;) {
      const answer = await predictR1(takeover.url);
      if (answer.model_version === 'store:R1@2') replaced = true;
      else {
        expect(replaced, 'the first model answered after the new one had').toBe(false);
        expect(answer).toMatchObject(served);
      }
      job = (await (await fetch(`${takeover.url}/training_status/${queued.body.job_id}`)).json()) as TrainingJob;
      if (job.status === 'succeeded' || job.status === 'failed') break;
      expect(Date.now()).toBeLessThan(until);
      await sleep(250);
    }
    expect(job.status, job.error).toBe('succeeded');
    const [done] = await db.sql<{ attempts: number }[]>`SELECT attempts FROM training_jobs WHERE id = ${queued.body.job_id}`;
    expect(done.attempts).toBe(2);
    expect(await activeVersions(takeover.url)).toEqual([2]);
    expect((await predictR1(takeover.url)).model_version).toBe('store:R1@2');
  });
});
