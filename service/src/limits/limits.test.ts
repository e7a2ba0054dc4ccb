// Rate, size and time limits over real HTTP, each answering in the error shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../shared/schemas';
import { createApiKey } from '../auth/keys';
import { testBackends } from '../db/testing';
import { holdDatabase } from '../testing/hold-database';
import { startTestServer, type TestServer } from '../testing/server';
import { RateLimiter } from './rate-limit';

const CSV = 'date,store,sku,units\n2024-01-01,S1,A,3\n2024-01-02,S1,A,4\n';

async function upload(url: string, csv: string, headers: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'sales.csv');
  const res = await fetch(`${url}/upload_data`, { method: 'POST', body: form, headers });
  return { status: res.status, body: (await res.json()) as ErrorBody & { records?: number } };
}

describe('token bucket', () => {
  it('allows a minute of requests at once, then refills at the per-minute rate, per client', () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(limiter.take('b').ok).toBe(true);
    now += 9_000;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('forgets clients idle long enough to be full again', () => {
    let now = 0;
    const limiter = new RateLimiter(60, () => now);
    for (let i = 0; i < 1000; i++) limiter.take(`client ${i}`);
    expect(limiter.clients).toBe(1000);
    now += 61_000;
    limiter.take('new');
    expect(limiter.clients).toBe(1);
  });
});

describe.each(testBackends)('request limits on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      env: { MAX_JSON_BODY_KB: '1', REQUEST_TIMEOUT_MS: '400', MAX_UPLOAD_COLUMNS: '5' },
    });
  });
  afterAll(async () => server?.close());

  it('answers 413 in the error shape for a JSON body over the limit, declared or streamed', async () => {
    const body = JSON.stringify({ store_id: 'S1', product_id: 'x'.repeat(2000), date: '2024-01-01' });
    const declared = await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'payload_too_large', details: { max_bytes: 1024 } } });

    const chunks = [body.slice(0, 800), body.slice(800)];
    const streamed = await fetch(`${server.url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('keeps uploads to their own limits: bigger than a JSON body is fine, more columns than the cap is 413', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')},S${i},A,${i}`).join('\n');
    const ok = await upload(server.url, `date,store,sku,units\n${rows}\n`);
    expect(ok.status).toBe(200);
    expect(ok.body.records).toBe(100);

    const wide = await upload(server.url, 'date,store,sku,units,a,b\n2024-01-01,S1,A,3,1,2\n');
    expect(wide.status).toBe(413);
    expect(wide.body.error).toMatchObject({ code: 'too_many_columns', details: { maxColumns: 5, columns: 6 } });
    expect(wide.body.error.message).toMatch(/6 columns, more than the 5/);
  });

  it('answers 408 in the error shape when a request takes longer than REQUEST_TIMEOUT_MS, but lets uploads finish', async () => {
    const hold = await holdDatabase(server.db, 1_500);
    const [slow, slowUpload] = await Promise.all([fetch(`${server.url}/stores`), upload(server.url, CSV)]);
    expect(slow.status).toBe(408);
    expect(await slow.json()).toMatchObject({ error: { code: 'request_timeout', message: expect.stringMatching(/longer than 0.4 s/) } });
    expect(slowUpload.status).toBe(200);
    await hold.released;
  });
});

describe.each(testBackends)('rate limit on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { RATE_LIMIT_PER_MIN: '3' }, apiKeyCacheMs: 0 });
  });
  afterAll(async () => server?.close());

  it('counts per client address while no key exists', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/stores`)).status).toBe(200);
    const limited = await fetch(`${server.url}/stores`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('answers 429 with Retry-After per key once its minute is used up', async () => {
    const a = await createApiKey(server.db.sql, 'a');
    const b = await createApiKey(server.db.sql, 'b');
    const asA = { authorization: `Bearer ${a.key}` };
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/stores`, { headers: asA })).status).toBe(200);
    const limited = await fetch(`${server.url}/stores`, { headers: asA });
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(20);
    expect(await limited.json()).toMatchObject({
      error: { code: 'rate_limited', details: { limit_per_minute: 3, retry_after_seconds: retryAfter } },
    });
    // Another key has its own allowance; probes are not counted.
    expect((await fetch(`${server.url}/stores`, { headers: { 'x-api-key': b.key } })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});
