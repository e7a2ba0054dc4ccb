// An "all" job fanned out in the queue: its children are booked in order (the global model first, the stores
// waiting for it), claimed like any job, and the parent shows and ends with what they came to, whichever way each
// ended (trained, skipped, failed, or its worker died).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/connection';
import { openTestDatabase, testBackends } from '../db/testing';
import {
  childJobs,
  claimJob,
  enqueueJob,
  fanOutJob,
  finishJob,
  getJob,
  jobPosition,
  listJobs,
  recoverStaleJobs,
  type JobRow,
} from '../db/training';
import { endFinishedParents, parentView } from './fan-out';

describe.each(testBackends)('an "all" training job fanned out on %s', (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => db?.close());
  afterEach(async () => {
    await db.sql`DELETE FROM training_jobs`;
  });

  /** A claimed "all" job with a child per scope. */
  const fannedOut = async (scopes: string[]) => {
    await enqueueJob(db.sql, 'all', { rounds: 5 });
    const parent = (await claimJob(db.sql, 'w1'))!;
    expect(parent.scope).toBe('all');
    const children = await fanOutJob(db.sql, parent, scopes);
    return { parent: (await getJob(db.sql, parent.id))!, children };
  };
  const claim = async () => (await claimJob(db.sql, 'w1'))?.scope ?? null;

  it('books the children in order; the stores wait for the global model to end, then any worker takes them', async () => {
    const { parent, children } = await fannedOut(['global', 'store:A', 'store:B']);
    expect(parent).toMatchObject({ status: 'running', fanned_out: true, worker: null });
    expect(children.map((c) => [c.scope, c.status, c.parent_id, c.after_id])).toEqual([
      ['global', 'queued', parent.id, null],
      ['store:A', 'queued', parent.id, children[0].id],
      ['store:B', 'queued', parent.id, children[0].id],
    ]);
    expect(children.every((c) => (c.params as { rounds: number }).rounds === 5)).toBe(true);
    expect(await Promise.all(children.map((c) => jobPosition(db.sql, c)))).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));

    expect(await claim()).toBe('global');
    expect(await claim()).toBeNull(); // the stores wait while the global model trains
    await finishJob(db.sql, children[0].id, { status: 'failed', error: 'no daily store' });
    // Its failure does not hold them back: they train without a partner.
    expect([await claim(), await claim(), await claim()]).toEqual(['store:A', 'store:B', null]);
  });

  it('a store may train on its own while it is also a child of an "all" job', async () => {
    const { children } = await fannedOut(['global', 'store:A']);
    const own = await enqueueJob(db.sql, 'store:A', {});
    expect(own.created).toBe(true);
    expect(own.job.id).not.toBe(children[1].id);
    // The "all" job itself is still the open one of its scope.
    expect((await enqueueJob(db.sql, 'all', {})).created).toBe(false);
  });

  it('is shown through its children while they run, and /training_status lists the parent only', async () => {
    const { parent, children } = await fannedOut(['global', 'store:A', 'store:B', 'store:C']);
    await claimJob(db.sql, 'w1');
    await finishJob(db.sql, children[0].id, {
      status: 'succeeded',
      result: { models: [{ scope: 'global', version: 1 }], report: [{ scope: 'global', outcome: 'trained', version: 1 }] },
    });
    await claimJob(db.sql, 'w1');
    const step = { stage: 'backtest', scope: 'store:A', index: 2, count: 4 };
    await db.sql`UPDATE training_jobs SET progress = 0.5, result = ${db.sql.json({ step, report: [] })} WHERE id = ${children[1].id}`;
    const view = parentView(await childJobs(db.sql, [parent.id]));
    expect(view.progress).toBeCloseTo((1 + 0.5) / 4, 6);
    expect(view.step).toEqual(step);
    expect(view.report).toEqual([{ scope: 'global', outcome: 'trained', version: 1 }]);
    expect((await listJobs(db.sql)).map((j) => j.id)).toEqual([parent.id]);
  });

  it('ends once its children have: the report in their order, whichever way each ended', async () => {
    const { parent, children } = await fannedOut(['global', 'store:A', 'store:B', 'store:C']);
    const [global, a, b, c] = children;
    const ended = async (child: JobRow, outcome: Parameters<typeof finishJob>[2]) => {
      await db.sql`UPDATE training_jobs SET status = 'running', attempts = 1 WHERE id = ${child.id}`;
      await finishJob(db.sql, child.id, outcome);
    };
    await ended(global, {
      status: 'succeeded',
      result: { models: [{ scope: 'global', version: 3 }], report: [{ scope: 'global', outcome: 'trained', version: 3 }] },
    });
    await ended(a, {
      status: 'failed',
      error: 'Store "A" has 30 days of sales',
      result: { report: [{ scope: 'store:A', outcome: 'skipped', reason: 'Store "A" has 30 days of sales' }] },
    });
    await ended(b, {
      status: 'succeeded',
      result: { models: [{ scope: 'store:B', version: 2 }], report: [{ scope: 'store:B', outcome: 'trained', version: 2 }] },
    });
    expect(await endFinishedParents(db.sql)).toBe(0); // C is still queued
    // C's worker dies twice: the queue gives up on it (no report of its own).
    await db.sql`UPDATE training_jobs SET status = 'running', attempts = 2, heartbeat_at = now() - interval '1 hour' WHERE id = ${c.id}`;
    expect(await recoverStaleJobs(db.sql, 60, 2)).toEqual({ requeued: 0, failed: 1 });
    expect((await getJob(db.sql, parent.id))!.status).toBe('running'); // no heartbeat of its own, never recovered

    expect(await endFinishedParents(db.sql)).toBe(1);
    expect(await endFinishedParents(db.sql)).toBe(0); // once
    const done = (await getJob(db.sql, parent.id))!;
    expect(done).toMatchObject({ status: 'succeeded', progress: 1, error: null });
    expect(done.finished_at).not.toBeNull();
    expect(done.result).toEqual({
      models: [
        { scope: 'global', version: 3 },
        { scope: 'store:B', version: 2 },
      ],
      report: [
        { scope: 'global', outcome: 'trained', version: 3 },
        { scope: 'store:A', outcome: 'skipped', reason: 'Store "A" has 30 days of sales' },
        { scope: 'store:B', outcome: 'trained', version: 2 },
        { scope: 'store:C', outcome: 'failed', reason: 'the training worker stopped responding 2 times' },
      ],
    });
  });

  it('fails when no child trained a model, with their reasons', async () => {
    const { parent, children } = await fannedOut(['global', 'store:A']);
    await finishJob(db.sql, children[0].id, {
      status: 'failed',
      error: 'no daily store',
      result: { report: [{ scope: 'global', outcome: 'skipped', reason: 'no daily store.' }] },
    });
    await finishJob(db.sql, children[1].id, { status: 'failed', error: 'A is too short.' });
    expect(await endFinishedParents(db.sql)).toBe(1);
    const done = (await getJob(db.sql, parent.id))!;
    expect(done.status).toBe('failed');
    expect(done.error).toBe('no daily store. A is too short.');
  });
});
