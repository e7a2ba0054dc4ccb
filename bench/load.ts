// Load benchmark: 50 concurrent clients on /predict and on /bulk_predict for a fixed time each, against the real
// service (a child process with the generated demo data and a trained model) on 127.0.0.1. Prints requests, errors,
// throughput and latency percentiles as the clients saw them (the client shares the machine's cores).
//   npm run bench:load     (LOAD_CLIENTS=50, LOAD_SECONDS=15; BENCH_DATABASE_URL, default
//                           postgres://postgres@127.0.0.1:5432/postgres, adds a PostgreSQL run when reachable)
import { freshDatabase as freshDatabaseOn, fmt, printTable, startService, type RunningService } from './lib';

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 15);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const STORE = 'S001';

interface Run {
  requests: number;
  errors: number;
  /** The first few distinct failures, to say what went wrong. */
  failures: Set<string>;
  latencies: number[];
  seconds: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;

/** `clients` loops, each sending one request after the other until the time is up. */
async function hammer(url: string, path: string, body: () => unknown): Promise<Run> {
  const run: Run = { requests: 0, errors: 0, failures: new Set(), latencies: [], seconds: 0 };
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      try {
        const res = await fetch(url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body()),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 120)}`);
        run.latencies.push(performance.now() - sent);
      } catch (err) {
        run.errors++;
        const cause = (err as Error).cause as { code?: string; message?: string } | undefined;
        if (run.failures.size < 5) run.failures.add(`${(err as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`);
      }
      run.requests++;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  run.seconds = (performance.now() - started) / 1000;
  return run;
}

async function post<T>(url: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as T & { error?: unknown };
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function measure(target: string, service: RunningService): Promise<Record<string, string | number>[]> {
  const { url } = service;
  const stores = (await (await fetch(`${url}/stores`)).json()) as { stores: { store_id: string; records: number; last_date: string }[] };
  const store = stores.stores.find((s) => s.store_id === STORE);
  if (!store) throw new Error(`the demo data has no store ${STORE}`);
  const products = ((await (await fetch(`${url}/products/${STORE}`)).json()) as { products: { product_id: string }[] }).products.map(
    (p) => p.product_id,
  );

  const trainStarted = performance.now();
  const job = await post<{ job_id: number }>(url, '/train_model', { store_id: STORE });
  for (;;) {
    const status = (await (await fetch(`${url}/training_status/${job.job_id}`)).json()) as { status: string; error?: string };
    if (status.status === 'failed') throw new Error(`training failed: ${status.error}`);
    if (status.status === 'succeeded') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(
    `${target}: ${STORE} (${products.length} products, ${store.records} records) trained in ${fmt((performance.now() - trainStarted) / 1000, 1)} s`,
  );

  const predictBody = () => ({
    store_id: STORE,
    product_id: products[Math.floor(Math.random() * products.length)],
    date: addDays(store.last_date, 1 + Math.floor(Math.random() * 28)),
  });
  const bulkBody = () => ({ store_id: STORE, horizon_days: 7 });
  // Warm: the model loaded and the store's forecast computed once, as on a service that has been up a while.
  await post(url, '/predict', predictBody());
  await post(url, '/bulk_predict', bulkBody());

  const rows: Record<string, string | number>[] = [];
  for (const [name, path, body] of [
    ['/predict (one product, one day)', '/predict', predictBody],
    [`/bulk_predict (${products.length} products, 7 days)`, '/bulk_predict', bulkBody],
  ] as const) {
    const run = await hammer(url, path, body);
    const sorted = [...run.latencies].sort((a, b) => a - b);
    if (run.errors) console.log(`${target} ${path}: ${run.errors} errors, e.g. ${[...run.failures].join(' | ')}`);
    rows.push({
      database: target,
      request: name,
      clients: CLIENTS,
      seconds: fmt(run.seconds, 1),
      requests: run.requests,
      errors: run.errors,
      'req/s': fmt(run.requests / run.seconds, 0),
      'p50 ms': fmt(quantile(sorted, 0.5), 1),
      'p95 ms': fmt(quantile(sorted, 0.95), 1),
      'p99 ms': fmt(quantile(sorted, 0.99), 1),
      'max ms': fmt(sorted.at(-1) ?? NaN, 0),
    });
  }
  rows.forEach((r) => (r['peak RSS MiB'] = fmt(service.peakRssMiB(), 0)));
  return rows;
}

async function freshDatabase(name: string): Promise<string | null> {
  try {
    return await freshDatabaseOn(ADMIN_URL, name);
  } catch (err) {
    console.log(`PostgreSQL at ${ADMIN_URL} is not reachable (${(err as Error).message.split('\n')[0]}): PGlite only`);
    return null;
  }
}

async function main() {
  const rows: Record<string, string | number>[] = [];
  const postgresUrl = await freshDatabase('bench_load');
  const targets: [string, Record<string, string>][] = [
    ['PGlite', {}],
    ...(postgresUrl ? [['PostgreSQL', { DATABASE_URL: postgresUrl }] as [string, Record<string, string>]] : []),
  ];
  let port = 18_600;
  for (const [target, env] of targets) {
    // Demo data (3 stores x 50 products x 2 years) seeded at start; no rate limit: 50 clients from one address is the point.
    const service = await startService({ ...env, SEED_DEMO: '1', RATE_LIMIT_PER_MIN: '0' }, port++);
    try {
      rows.push(...(await measure(target, service)));
    } finally {
      await service.stop();
    }
  }
  printTable(`Load: ${CLIENTS} concurrent clients for ${SECONDS} s per endpoint, real HTTP on 127.0.0.1, client-observed latency`, rows);
  if (rows.some((r) => Number(r.errors) > 0)) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
