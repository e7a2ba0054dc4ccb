// Prediction benchmark: latency of /bulk_predict for a store with 1,000 products and of a 28-day /forecast, with a
// warm model, over real HTTP on 127.0.0.1 (client-observed, so an upper bound of the server-side time); and the
// coverage of the 80% / 95% intervals on the last 28 days of M5, which no model saw.
//   npm run bench:predict          (BENCH_SKIP_COVERAGE=1 to time only, BENCH_SKIP_LATENCY=1 for coverage only)
import { storeUpload } from '../service/src/db/sales';
import { generateDemoSales } from '../service/src/demo/generate';
import { loadM5Calendar, loadM5Series } from './fixtures/m5';
import { formatDay, parseDay, type SeriesInput } from '../service/src/features/index';
import { selectEngine } from '../service/src/model/engine/index';
import { startTestServer } from '../service/src/testing/server';
import { ForecastModel, PARTNER_WEIGHT } from '../service/src/model/index';
import { fmt, printTable } from './lib';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

async function latency() {
  const server = await startTestServer('pglite', { training: true });
  try {
    const records = generateDemoSales({ stores: ['BIG'], productsPerStore: 1000, days: 400, endDate: '2025-06-30', seed: 9 });
    await storeUpload(
      server.db,
      { filename: 'bench', checksum: 'bench', format: 'demo', grain: 'daily', rowsRead: records.length, columns: {}, warnings: [] },
      records,
    );
    const post = async (path: string, body: unknown) => {
      const started = performance.now();
      const res = await fetch(server.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { job_id?: number; error?: unknown };
      if (!res.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
      return { ms: performance.now() - started, json };
    };
    const trainStarted = performance.now();
    const { json: job } = await post('/train_model', { store_id: 'BIG', params: { objective: 'tweedie' } });
    for (;;) {
      const status = (await (await fetch(`${server.url}/training_status/${job.job_id}`)).json()) as { status: string; error?: string };
      if (status.status === 'failed') throw new Error(status.error);
      if (status.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const trainSeconds = (performance.now() - trainStarted) / 1000;

    const runs = async (n: number, path: string, body: (i: number) => unknown) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) times.push((await post(path, body(i))).ms);
      return times;
    };
    const cold = await runs(1, '/bulk_predict', () => ({ store_id: 'BIG' }));
    await runs(2, '/bulk_predict', () => ({ store_id: 'BIG' }));
    const bulk = await runs(15, '/bulk_predict', () => ({ store_id: 'BIG' }));
    const forecast = await runs(200, '/forecast', (i) => ({
      store_id: 'BIG',
      product_id: `P${String((i % 1000) + 1).padStart(4, '0')}`,
      horizon_days: 28,
    }));
    const context = await runs(100, '/predict_with_context', (i) => ({
      store_id: 'BIG',
      product_id: `P${String((i % 1000) + 1).padStart(4, '0')}`,
    }));
    printTable(`Serving latency, warm model (1 store x 1,000 products x 400 days; trained in ${fmt(trainSeconds, 1)} s)`, [
      { request: '/bulk_predict (1,000 products, 7 days) first call', n: 1, 'p50 ms': fmt(cold[0], 0), 'p95 ms': '-', target: '-' },
      {
        request: '/bulk_predict (1,000 products, 7 days)',
        n: bulk.length,
        'p50 ms': fmt(quantile(bulk, 0.5), 0),
        'p95 ms': fmt(quantile(bulk, 0.95), 0),
        target: '<= 100',
      },
      {
        request: '/forecast (one product, 28 days, 2 levels)',
        n: forecast.length,
        'p50 ms': fmt(quantile(forecast, 0.5), 1),
        'p95 ms': fmt(quantile(forecast, 0.95), 1),
        target: '<= 20',
      },
      {
        request: '/predict_with_context',
        n: context.length,
        'p50 ms': fmt(quantile(context, 0.5), 1),
        'p95 ms': fmt(quantile(context, 0.95), 1),
        target: '-',
      },
    ]);
  } finally {
    await server.close();
  }
}

async function coverage() {
  const all = loadM5Series();
  const calendar = loadM5Calendar();
  const lastDay = all.reduce((m, s) => (s.records.at(-1)!.date > m ? s.records.at(-1)!.date : m), '');
  const origin = formatDay(parseDay(lastDay) - 28);
  const engine = await selectEngine('auto');
  const stores = [...new Set(all.map((s) => s.storeId))];
  const levels = [0.8, 0.95];
  const inside = levels.map(() => 0);
  let points = 0;
  const perStore: Record<string, string | number>[] = [];
  // As an "all" job: the global model first, then each store's model, served blended with it. The models and their
  // interval calibration see nothing after the origin.
  const seenAll: SeriesInput[] = all
    .map((s) => ({ ...s, records: s.records.filter((r) => r.date <= origin) }))
    .filter((s) => s.records.length > 0);
  const globalFit = await ForecastModel.fit({ series: seenAll, calendar, engine });
  const globalArtifact = globalFit.model.toArtifact();
  globalFit.model.dispose();
  for (const store of stores) {
    const full = all.filter((s) => s.storeId === store);
    const seen = seenAll.filter((s) => s.storeId === store);
    const partner = { modelId: 0, scope: 'global', weight: PARTNER_WEIGHT, backtest: globalFit.backtest };
    const trained = await ForecastModel.fit({ series: seen, calendar, engine, partner });
    if (!trained.model.ensemble) throw new Error(`${store}: the global backtest does not cover the store's holdout`);
    // Served as the service serves it: loaded from its artifact with its partner (which the loaded model then owns).
    const model = await ForecastModel.fromArtifact(trained.model.toArtifact(), {
      engine,
      loadPartner: () => ForecastModel.fromArtifact(globalArtifact, { engine }),
    });
    trained.model.dispose();
    const forecasts = model.forecast(seen, { origin, horizon: 28, calendar });
    const storeInside = levels.map(() => 0);
    let storePoints = 0;
    forecasts.forEach((f) => {
      const actual = new Map(full.find((s) => s.productId === f.productId)!.records.map((r) => [r.date, r.unitsSold]));
      const bounds = model.dailyIntervals(f.values, levels);
      f.dates.forEach((date, i) => {
        const y = actual.get(date) ?? 0;
        storePoints++;
        bounds[i].forEach((b, k) => {
          if (y >= b.lower - 1e-9 && y <= b.upper + 1e-9) storeInside[k]++;
        });
      });
    });
    model.dispose();
    points += storePoints;
    storeInside.forEach((v, k) => (inside[k] += v));
    perStore.push({
      store,
      points: storePoints,
      '80% coverage': fmt((100 * storeInside[0]) / storePoints, 1),
      '95% coverage': fmt((100 * storeInside[1]) / storePoints, 1),
    });
  }
  perStore.push({
    store: 'all',
    points,
    '80% coverage': fmt((100 * inside[0]) / points, 1),
    '95% coverage': fmt((100 * inside[1]) / points, 1),
  });
  printTable(
    `Interval coverage on M5's last 28 days (${formatDay(parseDay(origin) + 1)}..${lastDay}), store models blended with the global model, engine ${engine.name}`,
    perStore,
  );
}

async function main() {
  if (process.env.BENCH_SKIP_LATENCY !== '1') await latency();
  if (process.env.BENCH_SKIP_COVERAGE !== '1') await coverage();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
