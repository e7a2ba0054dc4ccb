// A whole chain trained at once: an "all" job trains what can be trained and says, per store, what became of it
// (trained, skipped with the reason, failed with the reason), and while it runs which step of which store it is on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrainingJob as TrainingJobSchema, type TrainingJob, type TrainingStep } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales } from '../testing/trained';
import { runTrainingJob, type JobStep, type TrainingJobError } from './train-job';

const FAST = { rounds: 20, objective: 'tweedie' as const, max_depth: 4 };
const LAST_DAY = '2025-06-30';

describe.each(testBackends)('the report of a training job on %s', (kind) => {
  let server: TestServer;
  const train = async (storeId: string, params: object) => {
    const res = await fetch(`${server.url}/train_model`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ store_id: storeId, params }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { job_id: number }).job_id;
  };
  /** Polls the job until it ends, keeping every step seen while it ran. */
  const follow = async (jobId: number) => {
    const steps: TrainingStep[] = [];
    const until = Date.now() + 240_000;
    for (;;) {
      const job = TrainingJobSchema.parse(await (await fetch(`${server.url}/training_status/${jobId}`)).json()) as TrainingJob;
      if (job.step) steps.push(job.step);
      if (job.status !== 'queued' && job.status !== 'running') return { job, steps };
      if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
    // LONG has over a year of sales, SHORT 150 days, TINY 30 days (a model needs 57).
    await storeDemoSales(server, { stores: ['LONG'], productsPerStore: 6, days: 400, endDate: LAST_DAY, seed: 3 }, 'long');
    await storeDemoSales(server, { stores: ['SHORT'], productsPerStore: 6, days: 150, endDate: LAST_DAY, seed: 4 }, 'short');
    await storeDemoSales(server, { stores: ['TINY'], productsPerStore: 3, days: 30, endDate: LAST_DAY, seed: 5 }, 'tiny');
  }, 120_000);
  afterAll(async () => server?.close());

  it('"all" trains every store it can, skips the one too short with its reason, and names each step while running', async () => {
    const { job, steps } = await follow(await train('all', FAST));
    expect(job.status, job.error).toBe('succeeded');
    expect(job.step).toBeUndefined(); // only while running
    const byStore = Object.fromEntries(job.report!.map((r) => [r.store_id ?? 'global', r]));
    expect(Object.keys(byStore).sort()).toEqual(['LONG', 'SHORT', 'TINY', 'global']);
    expect(byStore.global).toMatchObject({ scope: 'global', outcome: 'trained', version: 1 });
    expect(byStore.LONG).toMatchObject({ scope: 'store', outcome: 'trained', version: 1 });
    expect(byStore.SHORT).toMatchObject({ outcome: 'trained', version: 1 });
    expect(byStore.TINY.outcome).toBe('skipped');
    expect(byStore.TINY.reason).toMatch(/^Store "TINY" has 30 days of sales; a model needs at least 57 days/);
    expect(byStore.TINY.version).toBeUndefined();
    // The models of the job are those the report says were trained.
    expect(job.models!.map((m) => m.store_id ?? 'global').sort()).toEqual(['LONG', 'SHORT', 'global']);
    expect(job.models!.every((m) => m.rounds === FAST.rounds)).toBe(true);

    // Steps: the global model first, then the stores in order, each counted out of four.
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) {
      expect(step.count).toBe(4);
      expect(['preparing', 'backtest', 'final_fit', 'saving']).toContain(step.stage);
      expect(step.store_id).toBe([null, 'LONG', 'SHORT', 'TINY'][step.index - 1]);
      expect(step.scope).toBe(step.index === 1 ? 'global' : 'store');
    }
    // The backtest is most of a fit (with the fixed objective the final fit trains beside it), so a poll sees it.
    expect(steps.some((s) => s.stage === 'backtest')).toBe(true);
    const order = steps.map((s) => s.index);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  }, 300_000);

  it('"all" carries on past a store whose training fails, and says why it failed', async () => {
    // 100 held-out days leave SHORT (150 days) too little to learn from; LONG still trains.
    const { job } = await follow(await train('all', { ...FAST, holdout_days: 100 }));
    expect(job.status, job.error).toBe('succeeded');
    const byStore = Object.fromEntries(job.report!.map((r) => [r.store_id ?? 'global', r]));
    expect(byStore.LONG).toMatchObject({ outcome: 'trained', version: 2 });
    expect(byStore.SHORT.outcome).toBe('failed');
    expect(byStore.SHORT.reason).toMatch(/history/);
    expect(byStore.TINY.outcome).toBe('skipped');
    // SHORT keeps the model it had.
    const models = (await (await fetch(`${server.url}/models`)).json()) as {
      models: { store_id: string | null; version: number; active: boolean }[];
    };
    expect(models.models.filter((m) => m.store_id === 'SHORT' && m.active).map((m) => m.version)).toEqual([1]);
  }, 300_000);

  it("a store's own job that fails reports that store as failed, with the error", async () => {
    const { job } = await follow(await train('SHORT', { ...FAST, holdout_days: 100 }));
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/history/);
    expect(job.report).toEqual([{ scope: 'store', store_id: 'SHORT', outcome: 'failed', reason: job.error }]);
  }, 120_000);

  it('goes through preparing, backtest, final fit and saving for each model, in that order', async () => {
    // Each model's job as the training thread runs it, every step it tells kept (a poll may miss a short one).
    const told: JobStep[] = [];
    const scopes = ['global', 'store:LONG', 'store:SHORT', 'store:TINY'];
    const outcomes: string[] = [];
    for (const [i, scope] of scopes.entries()) {
      const job = { scope, params: FAST, position: { index: i + 1, count: scopes.length } };
      try {
        const { report } = await runTrainingJob(server.db.sql, job, { onStep: (step) => told.push({ ...step }) });
        outcomes.push(...report.map((r) => r.outcome));
      } catch (err) {
        outcomes.push(...(err as TrainingJobError).report.map((r) => r.outcome));
      }
    }
    expect(outcomes).toEqual(['trained', 'trained', 'trained', 'skipped']);
    const stagesOf = (index: number) => told.filter((s) => s.index === index).map((s) => s.stage);
    const trained = ['preparing', 'backtest', 'final_fit', 'saving'];
    expect([1, 2, 3].map(stagesOf)).toEqual([trained, trained, trained]); // the global model, LONG, SHORT
    expect(stagesOf(4)).toEqual(['preparing']); // TINY, skipped before any fit
    expect(told.map((s) => s.scope)).toEqual([
      ...trained.map(() => 'global'),
      ...trained.map(() => 'store:LONG'),
      ...trained.map(() => 'store:SHORT'),
      'store:TINY',
    ]);
    expect(told.every((s) => s.count === 4)).toBe(true);
  }, 300_000);
});
