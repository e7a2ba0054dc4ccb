// While M5's sales.csv (527,800 rows) uploads over HTTP, the instance stays in service: every /ready answers 200,
// and every /stores answers within 1 s with the catalog as it was before the upload or as it is after it, never
// anything in between. Right after the upload's answer, /stores lists its stores. On PGlite the upload's transaction
// holds the embedded database for tens of seconds; on PostgreSQL readers never wait for it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { M5_DIR, m5Available } from '../../../bench/fixtures/m5';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';

const READ_LIMIT_MS = 1_000;
const POLL_GAP_MS = 100;

interface Probe {
  path: string;
  status: number;
  ms: number;
  body: string;
}

async function probe(url: string, path: string): Promise<Probe> {
  const started = performance.now();
  const res = await fetch(url + path);
  const body = await res.text();
  return { path, status: res.status, ms: performance.now() - started, body };
}

/** Probes `path` one request after another (POLL_GAP_MS apart) until `done()`. */
async function pollUntil(url: string, path: string, done: () => boolean): Promise<Probe[]> {
  const probes: Probe[] = [];
  while (!done()) {
    probes.push(await probe(url, path));
    await new Promise((resolve) => setTimeout(resolve, POLL_GAP_MS));
  }
  return probes;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
};

describe.skipIf(!m5Available())(`reads during the M5 upload (needs ${M5_DIR})`, () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it.each(testBackends)(
    '%s: /ready stays 200 and /stores answers within 1 s, before or after the upload',
    async (kind) => {
      const server = await startTestServer(kind, { MAX_UPLOAD_MB: 200 });
      servers.push(server);
      const bytes = readFileSync(join(M5_DIR, 'sales.csv'));

      expect((await probe(server.url, '/ready')).status).toBe(200);
      const before = await probe(server.url, '/stores');
      expect(before.status).toBe(200);

      let done = false;
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), 'sales.csv');
      const started = performance.now();
      const upload = fetch(`${server.url}/upload_data`, { method: 'POST', body: form }).then(async (res) => {
        const body = await res.text();
        // Read at once, as a client would right after the upload's answer.
        const after = await probe(server.url, '/stores');
        done = true;
        return { status: res.status, body, after, seconds: (performance.now() - started) / 1000 };
      });
      const [uploaded, ready, stores] = await Promise.all([
        upload,
        pollUntil(server.url, '/ready', () => done),
        pollUntil(server.url, '/stores', () => done),
      ]);

      expect(uploaded.status, uploaded.body).toBe(200);
      expect(JSON.parse(uploaded.body)).toMatchObject({ records: 527_800 });
      const after = JSON.parse(uploaded.after.body) as { stores: { store_id: string }[] };
      expect(after.stores.map((s) => s.store_id)).toEqual(expect.arrayContaining(['CA_1', 'WI_3']));

      const summary = (probes: Probe[]) =>
        `${probes.length} requests, p50 ${percentile(
          probes.map((p) => p.ms),
          0.5,
        ).toFixed(0)} ms, ` + `max ${Math.max(...probes.map((p) => p.ms)).toFixed(0)} ms`;
      console.log(`${kind}: M5 upload ${uploaded.seconds.toFixed(1)} s; during it /ready ${summary(ready)}; /stores ${summary(stores)}`);
      // Enough probes that the upload was really watched (it takes seconds on either database).
      expect(ready.length).toBeGreaterThan(3);
      expect(stores.length).toBeGreaterThan(3);
      expect(ready.filter((p) => p.status !== 200)).toEqual([]);
      expect(stores.filter((p) => p.status !== 200)).toEqual([]);
      expect(stores.filter((p) => p.ms > READ_LIMIT_MS).map((p) => Math.round(p.ms))).toEqual([]);
      // Each answer is the catalog before or after the upload, never one half way.
      const odd = stores.filter((p) => p.body !== before.body && p.body !== uploaded.after.body);
      expect(odd.map((p) => p.body.slice(0, 200))).toEqual([]);
    },
    240_000,
  );
});
