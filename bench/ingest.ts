// Ingest benchmark: upload M5's sales.csv (527,800 rows) over HTTP into PGlite and into PostgreSQL, next to
// `psql \copy` of the same file as the floor. Prints rows/s, the ratio to the floor and the service's peak RSS, and
// how /stores and /ready answer while the upload runs (probed one request after another, 100 ms apart).
//   npm run bench:ingest            (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres)
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase as freshDatabaseOn, fmt, printTable, SHARED_DATA, startService } from './lib';

const FILE = join(SHARED_DATA, 'm5/sales.csv');
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const freshDatabase = (name: string) => freshDatabaseOn(ADMIN_URL, name);

interface Probes {
  ms: number[];
  failed: number;
}

/** Requests `path` one after another until `done()`: latencies, and answers other than 200. */
async function probeUntil(url: string, path: string, done: () => boolean): Promise<Probes> {
  const probes: Probes = { ms: [], failed: 0 };
  while (!done()) {
    const started = performance.now();
    const res = await fetch(url + path);
    await res.arrayBuffer();
    probes.ms.push(performance.now() - started);
    if (res.status !== 200) probes.failed++;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return probes;
}

async function uploadOnce(url: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)]), 'sales.csv');
  let done = false;
  const started = performance.now();
  const [{ res, body }, stores, ready] = await Promise.all([
    fetch(`${url}/upload_data`, { method: 'POST', body: form }).then(async (res) => {
      const body = (await res.json()) as { records: number; inserted: number; skipped: number; error?: unknown };
      done = true;
      return { res, body };
    }),
    probeUntil(url, '/stores', () => done),
    probeUntil(url, '/ready', () => done),
  ]);
  if (!res.ok) throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return { seconds: (performance.now() - started) / 1000, body, stores, ready };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
/** "p50 / max ms", with the count of answers other than 200. */
const during = (p?: Probes) =>
  p ? `${fmt(median(p.ms), 0)} / ${fmt(Math.max(...p.ms), 0)}${p.failed ? ` (${p.failed} not 200)` : ''}` : '-';

async function main() {
  const bytes = readFileSync(FILE);
  const rows = bytes.toString('utf8').trimEnd().split('\n').length - 1;
  console.log(`M5 sales.csv: ${rows.toLocaleString()} rows, ${fmt(statSync(FILE).size / 2 ** 20, 1)} MiB`);

  const results: { target: string; seconds: number; rss?: number; note: string; stores?: Probes; ready?: Probes }[] = [];

  // Floor: psql \copy into a bare table (no keys, no upsert), the fastest a client can load this file.
  let postgresUp = true;
  try {
    const floorUrl = await freshDatabase('bench_ingest_floor');
    execFileSync('psql', [
      floorUrl,
      '-q',
      '-c',
      'CREATE TABLE m5 (date date, store_id text, item_id text, units float8, sell_price float8)',
    ]);
    const started = performance.now();
    execFileSync('psql', [floorUrl, '-q', '-c', `\\copy m5 FROM '${FILE}' WITH (FORMAT csv, HEADER true)`]);
    results.push({ target: 'psql \\copy (floor)', seconds: (performance.now() - started) / 1000, note: 'bare table, no keys' });
  } catch (err) {
    postgresUp = false;
    console.log(`PostgreSQL at ${ADMIN_URL} is not reachable: ${(err as Error).message.split('\n')[0]}`);
  }

  const targets: { name: string; env: () => Promise<Record<string, string>> }[] = [
    { name: 'service -> PGlite', env: async () => ({}) },
    ...(postgresUp
      ? [{ name: 'service -> PostgreSQL', env: async () => ({ DATABASE_URL: await freshDatabase('bench_ingest_service') }) }]
      : []),
  ];
  let port = 18_400;
  for (const target of targets) {
    const service = await startService(await target.env(), port++);
    try {
      const first = await uploadOnce(service.url, bytes);
      results.push({
        target: `${target.name} (new rows)`,
        seconds: first.seconds,
        rss: service.peakRssMiB(),
        note: `${first.body.inserted} inserted`,
        stores: first.stores,
        ready: first.ready,
      });
      const again = await uploadOnce(service.url, bytes);
      results.push({
        target: `${target.name} (same file again)`,
        seconds: again.seconds,
        rss: service.peakRssMiB(),
        note: `${again.body.skipped} unchanged`,
        stores: again.stores,
        ready: again.ready,
      });
    } finally {
      await service.stop();
    }
  }

  const floor = results.find((r) => r.target.startsWith('psql'))?.seconds;
  printTable(
    `Ingest of ${rows.toLocaleString()} rows (${new Date().toISOString().slice(0, 10)}, ${process.platform}, node ${process.version})`,
    results.map((r) => ({
      target: r.target,
      seconds: fmt(r.seconds),
      'rows/s': Math.round(rows / r.seconds).toLocaleString('en-US'),
      'x floor time': floor ? fmt(r.seconds / floor, 1) : '-',
      'peak RSS MiB': r.rss ? fmt(r.rss, 0) : '-',
      '/stores during, p50 / max ms': during(r.stores),
      '/ready during, p50 / max ms': during(r.ready),
      note: r.note,
    })),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
