// Graceful shutdown on a real server: requests in flight finish, nothing new gets in, a running training job goes
// back to the queue, and a request that outlives the deadline is cut rather than keeping the process up.
import { afterEach, describe, expect, it } from 'vitest';
import { getJob } from './db/training';
import { testBackends } from './db/testing';
import { holdDatabase } from './testing/hold-database';
import { startTestServer, type TestServer } from './testing/server';
import { storeDemoSales } from './testing/trained';

describe.each(testBackends)('graceful shutdown on %s', (kind) => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('lets requests in flight finish, then refuses new connections', async () => {
    server = await startTestServer(kind);
    const url = server.url;
    const hold = await holdDatabase(server.db, 1_000);
    const inFlight = fetch(`${url}/stores`);
    await expect.poll(() => server!.readiness.requestsInFlight, { timeout: 5_000 }).toBe(1);

    const stopping = server.shutDown({ timeoutMs: 10_000 });
    expect(await server.readiness.check()).toMatchObject({ ready: false, reason: 'shutting_down' });
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    // Told not to reuse the connection, which is about to close.
    expect(answer.headers.get('connection')).toBe('close');
    expect(await answer.json()).toEqual({ stores: [] });
    expect(await stopping).toEqual({ cutRequests: 0 });
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    await hold.released;
  });

  it('cuts a request still running at the deadline', async () => {
    server = await startTestServer(kind);
    const hold = await holdDatabase(server.db, 2_000);
    const inFlight = fetch(`${server.url}/stores`).then(
      (res) => res.status,
      () => 'connection closed',
    );
    await expect.poll(() => server!.readiness.requestsInFlight, { timeout: 5_000 }).toBe(1);
    expect(await server.shutDown({ timeoutMs: 200 })).toEqual({ cutRequests: 1 });
    expect(await inFlight).toBe('connection closed');
    await hold.released;
  });

  it('puts a running training job back in the queue, not counted as an attempt', async () => {
    server = await startTestServer(kind, { training: true });
    await storeDemoSales(server, { stores: ['G1'], productsPerStore: 12, days: 400, endDate: '2025-03-01', seed: 5 });
    const res = await fetch(`${server.url}/train_model`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Many rounds: still training when the shutdown comes.
      body: JSON.stringify({ store_id: 'G1', params: { rounds: 5000, objective: 'tweedie' } }),
    });
    const { job_id } = (await res.json()) as { job_id: number };
    const db = server.db;
    await expect.poll(async () => (await getJob(db.sql, job_id))?.status, { timeout: 30_000, interval: 100 }).toBe('running');

    await server.shutDown({ timeoutMs: 5_000 });
    const job = await getJob(db.sql, job_id);
    expect(job).toMatchObject({ status: 'queued', worker: null, attempts: 0, finished_at: null });
    const requeued = await server.metrics.registry.getSingleMetricAsString('training_job_duration_seconds');
    expect(requeued).toMatch(/training_job_duration_seconds_count\{outcome="requeued"\} 1/);
  });
});
