// Budget benchmark: M5 (10 Walmart stores) uploaded and trained in-process on embedded PGlite, with made-up unit costs
// (60% of each product's last price) and stock (0 to 1.5 weeks of its recent sales, seeded), then POST /purchase_plan
// for every store without a budget (the unconstrained plan) and at 25%, 50% and 75% of its cost: what is spent, and
// the units expected to be short over the protection period against the unconstrained plan's.
//   npm run bench:plan            (BENCH_SKIP_TRAIN=1: plan with the simple methods, as an untrained store is)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PurchasePlanResponse, StoresResponse } from '../shared/schemas';
import { startTestServer } from '../service/src/testing/server';
import { rng } from '../service/src/forecast/testing';
import { M5_DIR, m5Available } from './fixtures/m5';
import { fmt, printTable } from './lib';

if (!m5Available()) {
  console.log(`M5 is not at ${M5_DIR}: nothing to measure`);
  process.exit(0);
}

const server = await startTestServer('pglite', { training: true, MAX_UPLOAD_MB: 512 });
const send = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(server.url + path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as unknown;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};
const upload = async (text: string, name: string) => {
  const form = new FormData();
  form.append('file', new Blob([text]), name);
  const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
};

try {
  const started = performance.now();
  const text = readFileSync(resolve(M5_DIR, 'sales.csv'), 'utf8');
  await upload(text, 'sales.csv');
  console.log(`M5 uploaded in ${fmt((performance.now() - started) / 1000, 1)} s`);

  // Each product's last price and its last week's sales, from the file.
  const lines = text.split('\n').slice(1).filter(Boolean);
  const last = new Map<string, { date: string; price: number; week: number[] }>();
  for (const line of lines) {
    const [date, store, item, units, price] = line.split(',');
    const key = `${store},${item}`;
    const own = last.get(key) ?? { date, price: NaN, week: [] };
    own.date = date;
    if (price) own.price = Number(price);
    own.week.push(Number(units));
    if (own.week.length > 7) own.week.shift();
    last.set(key, own);
  }
  // Made-up stock on the last day (0 to 1.5 weeks of recent sales) and costs (60% of the last price).
  const rand = rng(42);
  const stock = [...last.entries()].map(([key, v]) => {
    const weekly = v.week.reduce((a, b) => a + b, 0);
    const [store, item] = key.split(',');
    const units = v.week[v.week.length - 1];
    return { store, item, date: v.date, units, price: v.price, inventory: Math.round(rand() * 1.5 * weekly) };
  });
  await upload(
    [
      'date,store_id,item_id,units,sell_price,inventory_level',
      ...stock.map((s) => `${s.date},${s.store},${s.item},${s.units},${Number.isFinite(s.price) ? s.price : ''},${s.inventory}`),
    ].join('\n'),
    'stock.csv',
  );
  for (const s of stock) {
    if (Number.isFinite(s.price)) await send('PUT', `/products/${s.store}/${s.item}`, { unit_cost: Math.round(s.price * 0.6 * 100) / 100 });
  }

  if (!['1', 'true'].includes(process.env.BENCH_SKIP_TRAIN ?? '')) {
    const trainStarted = performance.now();
    const job = (await send('POST', '/train_model', { store_id: 'all' })) as { job_id: number };
    for (;;) {
      const status = (await send('GET', `/training_status/${job.job_id}`)) as { status: string; error?: string };
      if (status.status === 'failed') throw new Error(status.error);
      if (status.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`trained all stores in ${fmt((performance.now() - trainStarted) / 1000, 1)} s`);
  }

  const stores = StoresResponse.parse(await send('GET', '/stores')).stores.map((s) => s.store_id);
  const total = { unconstrained: 0, short: 0, units: 0 };
  const byShare = new Map<number, { budget: number; spend: number; short: number; units: number; lines: number }>();
  for (const storeId of stores) {
    const full = PurchasePlanResponse.parse(await send('POST', '/purchase_plan', { store_id: storeId, horizon_days: 7 }));
    total.unconstrained += full.unconstrained_spend;
    total.short += full.expected_units_short_unconstrained;
    total.units += full.units;
    for (const share of [0.25, 0.5, 0.75]) {
      const budget = full.unconstrained_spend * share;
      const cut = PurchasePlanResponse.parse(await send('POST', '/purchase_plan', { store_id: storeId, horizon_days: 7, budget }));
      const row = byShare.get(share) ?? { budget: 0, spend: 0, short: 0, units: 0, lines: 0 };
      row.budget += budget;
      row.spend += cut.spend;
      row.short += cut.expected_units_short;
      row.units += cut.units;
      row.lines += cut.lines.length;
      byShare.set(share, row);
    }
  }
  const rows = [
    ...[...byShare.entries()].map(([share, r]) => ({
      budget: `${share * 100}% of the plan's cost`,
      'budget $': fmt(r.budget, 0),
      'spent $': fmt(r.spend, 0),
      'units bought': fmt(r.units, 0),
      'expected units short': fmt(r.short, 0),
      'vs unconstrained': `${fmt(r.short / total.short, 2)}x`,
    })),
    {
      budget: 'none (unconstrained plan)',
      'budget $': '-',
      'spent $': fmt(total.unconstrained, 0),
      'units bought': fmt(total.units, 0),
      'expected units short': fmt(total.short, 0),
      'vs unconstrained': '1.00x',
    },
  ];
  printTable(
    `Budget plans on M5 (${stores.length} stores, made-up costs at 60% of price and stock of 0-1.5 weeks; protection = 7-day lead time + 7-day review)`,
    rows,
  );
} finally {
  await server.close();
}
