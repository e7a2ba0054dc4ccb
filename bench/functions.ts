// Cell-function benchmark: 10,000 concurrent DEMAND.* invocations (as one Excel recalculation of a planning sheet)
// through the add-in's real batcher and API client against the service in its own process (demo data, two trained
// stores), over HTTP on 127.0.0.1. Counts HTTP requests and times a cold recalculation, a warm one (cache), a
// warm one whose version check is due, and, for scale, cells sent one request each.
//   npm run bench:functions
import { isoToExcelSerial } from '../addin/src/mapping/csv';
import { QueryBatcher } from '../addin/src/functions/batcher';
import { forecast, interval, reorder, status, useBatcher } from '../addin/src/functions/functions';
import { settingsConnection } from '../addin/src/functions/register';
import { StoresResponse } from '../shared/schemas';
import { fmt, printTable, startService } from './lib';

const STORES = ['S001', 'S002'];
const PRODUCTS = Array.from({ length: 50 }, (_, i) => `P${String(i + 1).padStart(4, '0')}`);
const CELLS = 10_000;

// The rate limit is a per-client guard, not what this measures (the unbatched comparison alone sends hundreds).
const service = await startService({ SEED_DEMO: '1', RATE_LIMIT_PER_MIN: '0' }, 8797);
try {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(service.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const trainStarted = performance.now();
  for (const store of STORES) {
    const job = (await post('/train_model', { store_id: store })) as { job_id: number };
    for (;;) {
      const s = (await (await fetch(`${service.url}/training_status/${job.job_id}`)).json()) as { status: string; error?: string };
      if (s.status === 'failed') throw new Error(s.error);
      if (s.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  const trainSeconds = (performance.now() - trainStarted) / 1000;
  const stores = StoresResponse.parse(await (await fetch(`${service.url}/stores`)).json()).stores;
  const lastDay = stores.find((s) => s.store_id === STORES[0])!.last_date;
  const serial = (k: number) => isoToExcelSerial(lastDay) + k;

  let requests = 0;
  let clock = 0;
  const batcher = new QueryBatcher({
    connect: settingsConnection(async () => ({ serviceUrl: service.url, apiKey: '' }), {
      fetch: (...args) => {
        requests++;
        return fetch(...args);
      },
    }),
    revalidateMs: 60_000,
    now: () => clock,
  });
  useBatcher(batcher);

  /** 10,000 single-cell FORECASTs: 2 stores x 50 products x the next 100 days. */
  const forecastSheet = () =>
    Array.from({ length: CELLS }, (_, i) =>
      forecast([[STORES[i % 2]]], [[PRODUCTS[Math.floor(i / 2) % 50]]], [[serial(1 + Math.floor(i / 100))]]),
    );
  /** 10,000 cells of a planning sheet: per store and product 88 daily forecasts, 10 intervals, REORDER and STATUS. */
  const planningSheet = () =>
    STORES.flatMap((store) =>
      PRODUCTS.flatMap((product) => [
        ...Array.from({ length: 88 }, (_, d) => forecast([[store]], [[product]], [[serial(d + 1)]])),
        ...Array.from({ length: 10 }, (_, d) => interval([[store]], [[product]], [[serial(d + 1)]])),
        reorder([[store]], [[product]], [[20]]),
        status([[store]], [[product]], [[20]]),
      ]),
    );

  const rows: Record<string, string | number>[] = [];
  const recalc = async (sheetName: string, label: string, sheet: () => Promise<unknown>[]) => {
    const before = { requests, queries: batcher.stats.queriesSent };
    const started = performance.now();
    const calls = sheet();
    const results = await Promise.allSettled(calls);
    const seconds = (performance.now() - started) / 1000;
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length)
      throw new Error(`${failed.length} cells failed, e.g. ${String((failed[0] as PromiseRejectedResult).reason?.message)}`);
    rows.push({
      sheet: sheetName,
      recalculation: label,
      invocations: calls.length,
      'HTTP requests': requests - before.requests,
      'queries sent': batcher.stats.queriesSent - before.queries,
      'total s': fmt(seconds, 2),
      'cells/s': fmt(calls.length / seconds, 0),
    });
  };

  for (const [name, sheet] of [
    ['10,000 x FORECAST (2 stores x 50 products x 100 days)', forecastSheet],
    ['planning sheet (FORECAST, INTERVAL, REORDER, STATUS)', planningSheet],
  ] as const) {
    batcher.invalidate();
    clock = 0;
    await recalc(name, 'cold (empty cache)', sheet);
    clock = 30_000;
    await recalc(name, 'warm (same model and data)', sheet);
    clock = 120_000;
    await recalc(name, 'warm, version re-check due', sheet);
  }

  // For scale: the same cells without batching, one POST /forecast each (sequential, as a per-cell add-in would).
  const sample = 300;
  const started = performance.now();
  for (let i = 0; i < sample; i++) {
    const day = new Date(Date.parse(`${lastDay}T00:00:00Z`) + (1 + (i % 100)) * 86_400_000).toISOString().slice(0, 10);
    await post('/forecast', { store_id: STORES[i % 2], product_id: PRODUCTS[i % 50], start_date: day, horizon_days: 1 });
  }
  const perCell = (performance.now() - started) / 1000 / sample;
  rows.push({
    sheet: '10,000 x FORECAST without batching',
    recalculation: `one /forecast per cell (${sample} measured, extrapolated)`,
    invocations: CELLS,
    'HTTP requests': CELLS,
    'queries sent': CELLS,
    'total s': fmt(perCell * CELLS, 1),
    'cells/s': fmt(1 / perCell, 0),
  });

  printTable(
    `Excel cell functions: one recalculation through the batcher (models trained in ${fmt(trainSeconds, 1)} s; service peak RSS ${fmt(service.peakRssMiB(), 0)} MiB)`,
    rows,
  );
} finally {
  await service.stop();
}
