// Training benchmark at the coarse grains: weekly and monthly data sets from ../shared/data, each store fitted by the
// product's code path (ForecastModel.fit with its grain) on all but a held-out tail (13 weeks, 6 months), and scored
// there. Prints, per data set, the model alone, every simple method, and what the service serves (the method chosen
// per kind of series on the backtest), side by side; then how often each method was chosen.
//   npm run bench:train   (runs bench/train.ts, then this)      npx tsx bench/train-grains.ts   (this alone)
//   BENCH_GRAIN_SETS=dominicks,m5_weekly,m5_monthly (default all)   BENCH_ENGINES=native (default: native if installed, else wasm)
//   BENCH_SETTINGS='{"rounds":60}' (ModelSettings over the defaults)   BENCH_UNTIL=2015-12-31 (drop later records: a validation window)
// The chosen methods are picked on the same holdout they are scored on, so the "served" column is optimistic by the
// choice among a handful of candidates; the model and baseline columns are not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelMetrics } from '../shared/schemas';
import { addDays, type SeriesInput } from '../service/src/features/index';
import { parseSalesFile } from '../service/src/ingest/index';
import { getEngine, nativeUnavailableReason, type EngineName } from '../service/src/model/engine/index';
import { BASELINES, ForecastModel } from '../service/src/model/index';
import type { SalesRecord } from '../service/src/sales/record';
import { loadM5Series, m5Available } from './fixtures/m5';
import { fmt, printTable, SHARED_DATA } from './lib';

interface DataSet {
  name: string;
  grain: 'weekly' | 'monthly';
  series: () => Promise<SeriesInput[]>;
}

function bySeries(records: SalesRecord[]): SeriesInput[] {
  const out = new Map<string, SeriesInput>();
  for (const r of records) {
    const key = `${r.storeId}\u0000${r.productId}`;
    let s = out.get(key);
    if (!s) out.set(key, (s = { storeId: r.storeId, productId: r.productId, category: r.category, records: [] }));
    s.records.push(r);
  }
  for (const s of out.values()) s.records.sort((a, b) => a.date.localeCompare(b.date));
  return [...out.values()];
}

/** Daily series summed into whole periods (Monday weeks, calendar months); the part periods at either end are dropped. */
function summed(daily: SeriesInput[], grain: 'weekly' | 'monthly'): SeriesInput[] {
  let first = '9999';
  let last = '0000';
  for (const s of daily) {
    for (const r of s.records) {
      if (r.date < first) first = r.date;
      if (r.date > last) last = r.date;
    }
  }
  const startOf = (d: string) =>
    grain === 'weekly' ? addDays(d, -((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7)) : `${d.slice(0, 7)}-01`;
  const from = startOf(first) === first ? first : grain === 'weekly' ? addDays(startOf(first), 7) : startOf(addDays(startOf(first), 31));
  const nextStart = (d: string) => (grain === 'weekly' ? addDays(d, 7) : startOf(addDays(d, 31)));
  const lastWhole =
    nextStart(startOf(last)) === addDays(last, 1)
      ? startOf(last)
      : grain === 'weekly'
        ? addDays(startOf(last), -7)
        : startOf(addDays(startOf(last), -1));
  return daily.map((s) => {
    const periods = new Map<string, SalesRecord>();
    for (const r of s.records) {
      const p = startOf(r.date);
      if (p < from || p > lastWhole) continue;
      const e = periods.get(p);
      if (e) {
        e.unitsSold += r.unitsSold;
        if (r.price !== null) e.price = r.price;
      } else periods.set(p, { ...r, date: p });
    }
    return { ...s, records: [...periods.values()] };
  });
}

const SETS: DataSet[] = [
  {
    name: 'dominicks',
    grain: 'weekly',
    series: async () => {
      const file = 'orangeJuice_long.csv';
      const parsed = await parseSalesFile({ filename: file, data: readFileSync(join(SHARED_DATA, 'dominicks_oj', file)) });
      return bySeries(parsed.records);
    },
  },
  { name: 'm5_weekly', grain: 'weekly', series: async () => summed(loadM5Series(), 'weekly') },
  { name: 'm5_monthly', grain: 'monthly', series: async () => summed(loadM5Series(), 'monthly') },
];

/** Pools store figures: WAPE from absolute errors and actual totals, RMSSE and MASE as means over series. */
class Pool {
  private absErr = 0;
  private actual = 0;
  private rmsse = 0;
  private mase = 0;
  private series = 0;
  add(f: Pick<NonNullable<ModelMetrics['model']>, 'mae' | 'wape' | 'rmsse' | 'mase'> | undefined, points: number, series: number) {
    if (!f || f.mae === null) return;
    const err = f.mae * points;
    this.absErr += err;
    if (f.wape !== null && f.wape > 0) this.actual += err / f.wape;
    if (f.rmsse !== null && f.rmsse !== undefined) this.rmsse += f.rmsse * series;
    if (f.mase !== null) this.mase += f.mase * series;
    this.series += series;
  }
  figures() {
    return {
      wape: this.actual > 0 ? this.absErr / this.actual : null,
      rmsse: this.series > 0 ? this.rmsse / this.series : null,
      mase: this.series > 0 ? this.mase / this.series : null,
    };
  }
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : fmt(x, 3));

async function runSet(set: DataSet, engineName: EngineName) {
  const t0 = performance.now();
  const until = process.env.BENCH_UNTIL;
  const all = (await set.series())
    .map((s) => (until ? { ...s, records: s.records.filter((r) => r.date <= until) } : s))
    .filter((s) => s.records.length > 0);
  const settings = process.env.BENCH_SETTINGS ? JSON.parse(process.env.BENCH_SETTINGS) : {};
  const stores = [...new Set(all.map((s) => s.storeId))].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const engine = getEngine(engineName);
  const columns = ['model', ...BASELINES, 'served'] as const;
  const pools = Object.fromEntries(columns.map((c) => [c, new Pool()])) as Record<(typeof columns)[number], Pool>;
  // The out-of-sample check of the choice: chosen on the holdout's first half, scored on its second half.
  const check = { served: new Pool(), model: new Pool(), best: new Pool() };
  const chosen = new Map<string, number>();
  const perStore: Record<string, string | number>[] = [];
  let holdout: NonNullable<ModelMetrics['holdout']> | null = null;
  let skipped = 0;
  for (const store of stores) {
    const series = all.filter((s) => s.storeId === store);
    let model: ForecastModel;
    try {
      ({ model } = await ForecastModel.fit({ series, grain: set.grain, engine, settings }));
    } catch (err) {
      skipped++;
      console.log(`  ${set.name} ${store}: not trained (${(err as Error).message})`);
      continue;
    }
    const m = model.metrics;
    model.dispose();
    if (!m.holdout) throw new Error(`${set.name} ${store}: the fit reported no holdout`);
    holdout = m.holdout;
    const points = m.holdout.points;
    const n = m.holdout.series;
    pools.model.add(m.model, points, n);
    for (const b of BASELINES) pools[b].add(m.baselines?.[b], points, n);
    pools.served.add(m, points, n);
    const c = m.selection_check;
    if (c) {
      const late = Math.round((points * c.periods) / m.holdout.periods!);
      check.served.add(c.served, late, n);
      check.model.add(c.model, late, n);
      check.best.add(c.best_baseline?.figures, late, n);
    }
    for (const s of m.selection ?? []) {
      const key = `${s.kind}: ${s.method}`;
      chosen.set(key, (chosen.get(key) ?? 0) + s.series);
    }
    perStore.push({
      store,
      series: n,
      'RMSSE model': f3(m.model?.rmsse),
      'RMSSE best baseline': `${f3(m.best_baseline?.figures.rmsse)} (${m.best_baseline?.name ?? '-'})`,
      'RMSSE served': f3(m.rmsse),
      'WAPE model': f3(m.model?.wape),
      'WAPE served': f3(m.wape),
      chosen: (m.selection ?? []).map((s) => `${s.kind} ${s.method}`).join(', '),
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  if (perStore.length <= 12) printTable(`[${set.name}] per store (${set.grain})`, perStore);
  const rows = columns.map((c) => {
    const f = pools[c].figures();
    const model = pools.model.figures();
    return {
      method: c === 'served' ? 'served (chosen per kind on the backtest)' : c,
      WAPE: f3(f.wape),
      MASE: f3(f.mase),
      RMSSE: f3(f.rmsse),
      'RMSSE / model': model.rmsse && f.rmsse !== null ? fmt(f.rmsse / model.rmsse, 3) : '-',
    };
  });
  printTable(
    `[${set.name}] ${set.grain}, ${stores.length - skipped} stores, ${all.length.toLocaleString('en-US')} series; holdout ` +
      `${holdout ? `${holdout.periods} ${set.grain === 'weekly' ? 'weeks' : 'months'} ${holdout.from} .. ${holdout.to}` : '-'}; ` +
      `${engineName} engine, ${fmt(seconds, 1)} s`,
    rows,
  );
  const checkRows = (
    [
      ['model', check.model],
      ['best simple method of each store', check.best],
      ['served: methods chosen on the first half only', check.served],
    ] as const
  ).map(([method, pool]) => {
    const f = pool.figures();
    const model = check.model.figures();
    return {
      method,
      WAPE: f3(f.wape),
      MASE: f3(f.mase),
      RMSSE: f3(f.rmsse),
      'RMSSE / model': model.rmsse && f.rmsse !== null ? fmt(f.rmsse / model.rmsse, 3) : '-',
    };
  });
  printTable(`[${set.name}] check of the choice: the second half of the holdout, methods chosen on the first half alone`, checkRows);
  const total = [...chosen.values()].reduce((a, b) => a + b, 0);
  printTable(
    `[${set.name}] method chosen, series served by each (kind: method)`,
    [...chosen.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => ({ 'kind: method': k, series: v, share: `${fmt((100 * v) / total, 1)}%` })),
  );
}

async function main() {
  const wanted = (process.env.BENCH_GRAIN_SETS ?? SETS.map((s) => s.name).join(',')).split(',').map((s) => s.trim());
  const engineName = (process.env.BENCH_ENGINES?.split(',')[0] ??
    ((await nativeUnavailableReason()) === null ? 'native' : 'wasm')) as EngineName;
  console.log(`\nCoarse grains (${engineName} engine): ${wanted.join(', ')}`);
  for (const set of SETS.filter((s) => wanted.includes(s.name))) {
    if (set.name.startsWith('m5') && !m5Available()) {
      console.log(`${set.name}: M5 not found, skipped`);
      continue;
    }
    await runSet(set, engineName);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
