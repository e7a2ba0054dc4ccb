// The JSON log lines: every line a request writes carries its request id; training lines carry the job id.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../db/testing';
import { createLogger } from '../logger';
import { holdDatabase } from '../testing/hold-database';
import { startTestServer, type TestServer } from '../testing/server';
import { storeDemoSales, trainAndWait } from '../testing/trained';

type Line = Record<string, unknown> & { msg: string };

describe.each(testBackends)('structured logs on %s', (kind) => {
  let server: TestServer;
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const text of chunk.toString().split('\n')) if (text.trim()) lines.push(JSON.parse(text));
      done();
    },
  });
  const linesOf = (requestId: string) => lines.filter((l) => l.request_id === requestId);

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true, logger: createLogger('info', sink), env: { REQUEST_TIMEOUT_MS: '300' } });
    await storeDemoSales(server, { stores: ['L1'], productsPerStore: 3, days: 120, endDate: '2025-03-01', seed: 8 });
  });
  afterAll(async () => server?.close());

  it('writes one access line per request with its id, route pattern, status and time', async () => {
    const res = await fetch(`${server.url}/products/L1`, { headers: { 'x-request-id': 'req-access-1' } });
    expect(res.headers.get('x-request-id')).toBe('req-access-1');
    await expect.poll(() => linesOf('req-access-1').length).toBe(1);
    expect(linesOf('req-access-1')[0]).toMatchObject({
      msg: 'request',
      level: 30,
      service: 'demand-forecasting',
      method: 'GET',
      path: '/products/L1',
      route: '/products/:store_id',
      status: 200,
      ms: expect.any(Number),
    });
  });

  it('puts the request id on the lines a request writes besides its access line', async () => {
    const hold = await holdDatabase(server.db, 800);
    expect((await fetch(`${server.url}/stores`, { headers: { 'x-request-id': 'req-slow-1' } })).status).toBe(408);
    await hold.released;
    await expect
      .poll(() =>
        linesOf('req-slow-1')
          .map((l) => l.msg)
          .sort(),
      )
      .toEqual(['request', 'request timed out']);
  });

  it('logs training with the job id, and each prediction with its request id and model', async () => {
    await trainAndWait(server, 'L1', { rounds: 20, max_depth: 3 });
    const started = lines.find((l) => l.msg === 'training started')!;
    expect(started.job_id).toEqual(expect.any(Number));
    expect(lines.find((l) => l.msg === 'training succeeded')).toMatchObject({
      job_id: started.job_id,
      scope: 'store:L1',
      seconds: expect.any(Number),
    });

    const products = (await (await fetch(`${server.url}/products/L1`)).json()) as { products: { product_id: string }[] };
    const res = await fetch(`${server.url}/forecast`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-forecast-1' },
      body: JSON.stringify({ store_id: 'L1', product_id: products.products[0].product_id, horizon_days: 7 }),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => linesOf('req-forecast-1').length).toBe(2);
    expect(linesOf('req-forecast-1').find((l) => l.msg === 'forecast')).toMatchObject({
      store_id: 'L1',
      days: 7,
      model_version: expect.stringMatching(/^store:L1@1/),
    });
  });
});
