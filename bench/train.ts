// Training benchmark on M5 (../shared/data/m5): the product's training code path (ForecastModel.fit) per store and for the
// global model, with each engine. The last 28 days of the file are the holdout: each scope's backtest model never sees
// them, forecasts them recursively from the day before, and the same settings are then refit on all data (as in
// production). Prints per store and overall WAPE, MASE, RMSSE and dollar-weighted RMSSE (M5's level-12 weights) of the
// model, of seasonal naive, of a 28-day moving average and of simple exponential smoothing, the global model against
// the per-store models, and wall time and peak memory per engine.
//   npm run bench:train
//   BENCH_ENGINES=native,wasm (default both)   BENCH_STORES=CA_1,TX_2 (default all)   BENCH_GLOBAL=0 (skip global)
//   BENCH_WASM_ROUNDS=n (wasm rounds; default: the model's own)   BENCH_OBJECTIVE=auto|tweedie|poisson|squared
//   BENCH_SETTINGS='{"rounds":100,"maxTrainingRows":null}' (any ModelSettings over the model's defaults)
//   BENCH_DUMP=scores.json (per-series RMSSE of every forecast, for analysis)
//   BENCH_UNTIL=2016-02-28 (drop the days after it, so the holdout is the 28 days up to it: the validation windows of
//   service/src/model/README.md end 2015-03-28, 2015-04-25, 2016-01-31 and 2016-02-28)
// Long file: one benchmark script; its measuring (wall time, CPU and peak memory of the training workers), scoring
// (the model against three baselines) and reporting parts exist only for it.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseDay, toDailyFrame, type SeriesInput } from '../service/src/features/index';
import { loadM5Calendar, loadM5Series, m5Available, M5_DIR } from './fixtures/m5';
import {
  evaluate,
  exponentialSmoothingForecast,
  meanOf,
  movingAverageForecast,
  salesValue,
  seasonalNaiveForecast,
  weightedMeanOf,
} from '../service/src/metrics/index';
import { getEngine, nativeUnavailableReason, type Engine, type EngineName } from '../service/src/model/engine/index';
import {
  DEFAULT_SETTINGS,
  ForecastModel,
  PARTNER_WEIGHT,
  seriesKey,
  type BacktestForecasts,
  type BacktestPartner,
  type FitInput,
  type ModelSettings,
} from '../service/src/model/index';
import type { ModelMetrics } from '../shared/schemas';
import { fmt, printTable } from './lib';

/** The original Python system of this design: all M5 stores plus a global model, native XGBoost, 2 cores. */
const REFERENCE_SECONDS = 17.2;

// ---------------------------------------------------------------- memory: this process and its training children

function procStatus(pid: number): { rss: number; hwm: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch {
    return null; // gone
  }
}

/** Direct and indirect children of `root` (scans /proc: no /proc/<pid>/task/<pid>/children here). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may contain spaces and parentheses, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length) {
    const p = frontier.pop()!;
    for (const [pid, pp] of parent) {
      if (pp === p) {
        out.push(pid);
        frontier.push(pid);
      }
    }
  }
  return out;
}

const workers = new Map<number, boolean>();
function isTrainingWorker(pid: number): boolean {
  let known = workers.get(pid);
  if (known === undefined) {
    try {
      known = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('train-worker');
    } catch {
      known = false;
    }
    workers.set(pid, known);
  }
  return known;
}

/**
 * Looks for new training processes every 200 ms (a /proc scan costs ~4 ms of CPU) and reads the memory of the known
 * ones every 50 ms: the peak of each (VmHWM) and the peak of this process + its training processes together.
 */
class MemorySampler {
  private timers: NodeJS.Timeout[] = [];
  childPeak = 0;
  combinedPeak = 0;
  private live = new Set<number>();
  private seen = new Set<number>();
  private selfStart = 0;

  start(): void {
    // Reset this process's peak (VmHWM) so each engine's run reports its own (Linux: clear_refs 5).
    try {
      writeFileSync('/proc/self/clear_refs', '5');
    } catch {
      /* not permitted: the peak then covers the whole run so far */
    }
    this.selfStart = procStatus(process.pid)!.hwm;
    const discover = () => {
      for (const pid of descendants(process.pid)) {
        if (this.seen.has(pid) || !isTrainingWorker(pid)) continue; // not tsx's esbuild service
        this.seen.add(pid);
        this.live.add(pid);
      }
      sample();
    };
    const sample = () => {
      let sum = procStatus(process.pid)?.rss ?? 0;
      for (const pid of this.live) {
        const s = procStatus(pid);
        if (!s) {
          this.live.delete(pid);
          continue;
        }
        this.childPeak = Math.max(this.childPeak, s.hwm);
        sum += s.rss;
      }
      this.combinedPeak = Math.max(this.combinedPeak, sum);
    };
    discover();
    this.timers.push(setInterval(discover, 200), setInterval(sample, 50));
  }

  stop(): { selfPeak: number; selfPeakBefore: number; childPeak: number; combinedPeak: number; children: number } {
    for (const t of this.timers) clearInterval(t);
    return {
      selfPeak: procStatus(process.pid)!.hwm,
      selfPeakBefore: this.selfStart,
      childPeak: this.childPeak,
      combinedPeak: this.combinedPeak,
      children: this.seen.size,
    };
  }
}

/** What the tables read of a fitted scope: the model's description and its own backtest forecasts. */
type ScopeTrainingResult = Pick<ForecastModel, 'settings' | 'residuals' | 'records' | 'metrics' | 'ensemble'> & {
  backtest: BacktestForecasts;
};

/** ForecastModel.fit, keeping what the tables read (the bench scores backtests; the booster is freed at once). */
async function trainScope(input: FitInput): Promise<ScopeTrainingResult> {
  const { model, backtest } = await ForecastModel.fit(input);
  model.dispose();
  const { settings, residuals, records, metrics, ensemble } = model;
  return { settings, residuals, records, metrics, ensemble, backtest };
}

// ---------------------------------------------------------------- timing of the fits trainScope asks for

/**
 * CPU seconds of this process and of its children that have exited (the training processes): user + system, from
 * /proc/self/stat. Unlike wall time it barely moves when other work shares the machine.
 */
function cpuSeconds(): { self: number; children: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number); // f[0] is field 3 (state)
  const tick = 100; // USER_HZ
  return { self: (f[11] + f[12]) / tick, children: (f[13] + f[14]) / tick };
}

interface FitTiming {
  rows: number;
  cols: number;
  rounds: number;
  start: number;
  end: number;
}

/** The engine trainScope gets: the real one, recording when each fit starts and ends. */
function timedEngine(engine: Engine, log: FitTiming[]): Engine {
  return {
    name: engine.name,
    available: () => engine.available(),
    load: (model) => engine.load(model),
    async train(data, params, opts) {
      const fit: FitTiming = { rows: data.rows, cols: data.cols, rounds: params.rounds, start: performance.now(), end: NaN };
      log.push(fit);
      try {
        return await engine.train(data, params, opts);
      } finally {
        fit.end = performance.now();
      }
    },
  };
}

/** Wall time covered by a set of (possibly overlapping) intervals, in seconds. */
function covered(fits: FitTiming[]): number {
  const sorted = [...fits].sort((a, b) => a.start - b.start);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  for (const f of sorted) {
    if (f.start > to) {
      total += to - from > 0 ? to - from : 0;
      from = f.start;
      to = f.end;
    } else if (f.end > to) to = f.end;
  }
  total += to - from > 0 ? to - from : 0;
  return total / 1000;
}

// ---------------------------------------------------------------- metrics per series from the backtest

interface SeriesScore {
  storeId: string;
  productId: string;
  actual: number[];
  /** What is served: for a store model of a run with the global model, the blend of the two. */
  model: number[];
  /** This scope's model alone. */
  own: number[];
  naive: number[];
  average: number[];
  /** Simple exponential smoothing, alpha fitted per series (M5's ES benchmark). */
  smoothing: number[];
  train: number[];
  /** M5's level-12 weight: dollar sales of the last 28 training days. */
  weight: number;
}

/**
 * The holdout of every series the scope scored, in trainScope's order (series with records, listed before the origin,
 * with a full holdout), joined with the backtest forecasts kept in result.residuals (predicted[h][k]).
 */
function seriesScores(series: SeriesInput[], result: ScopeTrainingResult): SeriesScore[] {
  const days = result.settings.holdoutDays;
  const lastByStore = new Map<string, string>();
  for (const s of series) for (const r of s.records) if (r.date > (lastByStore.get(s.storeId) ?? '')) lastByStore.set(s.storeId, r.date);
  const out: SeriesScore[] = [];
  for (const s of series.filter((x) => x.records.length > 0)) {
    const last = lastByStore.get(s.storeId)!;
    // Gap-filled units on the features' calendar (what dailyUnits returns), cut at the store's origin.
    const frame = toDailyFrame(s, { until: last });
    const cut = parseDay(last) - days - frame.start + 1;
    if (cut <= 0 || cut + days > frame.history) continue;
    const train = Array.from(frame.units.subarray(0, cut));
    const actual = Array.from(frame.units.subarray(cut, cut + days));
    const k = out.length;
    const model = result.residuals.predicted.map((step) => step[k]);
    if (result.residuals.actual.some((step, h) => step[k] !== actual[h]))
      throw new Error(`holdout of ${s.storeId}/${s.productId} does not line up`);
    out.push({
      storeId: s.storeId,
      productId: s.productId,
      actual,
      model,
      own: result.backtest.get(seriesKey(s.storeId, s.productId))!.values,
      naive: seasonalNaiveForecast(train, days),
      average: movingAverageForecast(train, days),
      smoothing: exponentialSmoothingForecast(train, days),
      train,
      weight: salesValue(train, frame.price.subarray(0, cut), 28),
    });
  }
  if (out.length !== result.residuals.predicted[0]?.length) throw new Error('series count differs from the backtest');
  return out;
}

interface Figures {
  wape: number | null;
  mase: number | null;
  rmsse: number | null;
  /** RMSSE weighted as M5 weighs item x store series (their dollar sales): what its published level-12 scores are. */
  wrmsse: number | null;
}

function figures(rows: SeriesScore[], pick: (s: SeriesScore) => number[]): Figures {
  let err = 0;
  let sum = 0;
  const mases: (number | null)[] = [];
  const rmsses: (number | null)[] = [];
  for (const s of rows) {
    const pred = pick(s);
    const e = evaluate(s.actual, pred, s.train);
    mases.push(e.mase);
    rmsses.push(e.rmsse);
    for (let h = 0; h < s.actual.length; h++) {
      err += Math.abs(pred[h] - s.actual[h]);
      sum += s.actual[h];
    }
  }
  return {
    wape: sum > 0 ? err / sum : null,
    mase: meanOf(mases),
    rmsse: meanOf(rmsses),
    wrmsse: weightedMeanOf(
      rmsses,
      rows.map((s) => s.weight),
    ),
  };
}

const f3 = (x: number | null) => (x === null ? '-' : fmt(x, 3));
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '-' : fmt(a / b, 3));

function accuracyRow(label: string, rows: SeriesScore[], extra: Record<string, string | number> = {}): Record<string, string | number> {
  const m = figures(rows, (s) => s.model);
  const sn = figures(rows, (s) => s.naive);
  const ma = figures(rows, (s) => s.average);
  const es = figures(rows, (s) => s.smoothing);
  return {
    scope: label,
    series: rows.length,
    'WAPE model': f3(m.wape),
    'WAPE SN': f3(sn.wape),
    'WAPE MA28': f3(ma.wape),
    'WAPE ES': f3(es.wape),
    'MASE model': f3(m.mase),
    'MASE SN': f3(sn.mase),
    'MASE MA28': f3(ma.mase),
    'MASE ES': f3(es.mase),
    'RMSSE model': f3(m.rmsse),
    'RMSSE SN': f3(sn.rmsse),
    'RMSSE MA28': f3(ma.rmsse),
    'RMSSE ES': f3(es.rmsse),
    'model/SN': ratio(m.rmsse, sn.rmsse),
    'model/MA28': ratio(m.rmsse, ma.rmsse),
    'model/ES': ratio(m.rmsse, es.rmsse),
    'WRMSSE model': f3(m.wrmsse),
    'WRMSSE SN': f3(sn.wrmsse),
    'WRMSSE MA28': f3(ma.wrmsse),
    'WRMSSE ES': f3(es.wrmsse),
    'W model/SN': ratio(m.wrmsse, sn.wrmsse),
    'W model/MA28': ratio(m.wrmsse, ma.wrmsse),
    'W model/ES': ratio(m.wrmsse, es.wrmsse),
    ...extra,
  };
}

// ---------------------------------------------------------------- one engine: every store, then the global model

interface ScopeRun {
  scope: string;
  seconds: number;
  cpu: { self: number; children: number };
  result: ScopeTrainingResult;
  scores: SeriesScore[];
  fits: FitTiming[];
}

async function runEngine(
  name: EngineName,
  all: SeriesInput[],
  calendar: ReturnType<typeof loadM5Calendar>,
  stores: string[],
  withGlobal: boolean,
) {
  const settings: Partial<ModelSettings> = process.env.BENCH_SETTINGS ? JSON.parse(process.env.BENCH_SETTINGS) : {};
  if (process.env.BENCH_OBJECTIVE) settings.objective = process.env.BENCH_OBJECTIVE as ModelSettings['objective'];
  if (name === 'wasm' && process.env.BENCH_WASM_ROUNDS) settings.rounds = Number(process.env.BENCH_WASM_ROUNDS);
  const fits: FitTiming[] = [];
  const engine = timedEngine(getEngine(name), fits);
  const memory = new MemorySampler();
  memory.start();
  const runs: ScopeRun[] = [];
  // As an "all" training job does: the global model first, then each store's model blended with it.
  const scopes = [
    ...(withGlobal ? [{ scope: 'global', series: all }] : []),
    ...stores.map((s) => ({ scope: s, series: all.filter((x) => x.storeId === s) })),
  ];
  let partner: BacktestPartner | null = null;
  for (const { scope, series } of scopes) {
    const first = fits.length;
    const c0 = cpuSeconds();
    const t0 = performance.now();
    const result = await trainScope({ series, calendar, engine, settings, partner: scope === 'global' ? null : partner });
    if (scope === 'global') partner = { modelId: 0, scope, weight: PARTNER_WEIGHT, backtest: result.backtest };
    const seconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 30)); // let the last training process be reaped
    const c1 = cpuSeconds();
    const cpu = { self: c1.self - c0.self, children: c1.children - c0.children };
    const run: ScopeRun = { scope, seconds, cpu, result, scores: seriesScores(series, result), fits: fits.slice(first) };
    runs.push(run);
    const served = figures(run.scores, (s) => s.model).rmsse;
    console.log(
      `  ${name} ${scope}: ${fmt(seconds, 1)} s, ${result.records.toLocaleString('en-US')} final rows, ${result.metrics.objective}, ` +
        `RMSSE ${f3(served)} (fit ${f3(result.metrics.rmsse ?? null)}${result.ensemble ? `; alone ${f3(figures(run.scores, (s) => s.own).rmsse)}` : ''})`,
    );
  }
  // trainScope calls only: scoring per series for these tables is the bench's own work.
  const total = runs.reduce((t, x) => t + x.seconds, 0);
  const cpu = { self: runs.reduce((t, x) => t + x.cpu.self, 0), children: runs.reduce((t, x) => t + x.cpu.children, 0) };
  return { name, runs, total, cpu, memory: memory.stop(), settings: runs[0]?.result.settings };
}

/** How many series each method serves (chosen per store and kind of series on the backtest). */
function printMethodChoice(engine: string, runs: ScopeRun[]) {
  const chosen = new Map<string, number>();
  for (const run of runs) {
    for (const s of run.result.metrics.selection ?? [])
      chosen.set(`${s.kind}: ${s.method}`, (chosen.get(`${s.kind}: ${s.method}`) ?? 0) + s.series);
  }
  const total = [...chosen.values()].reduce((a, b) => a + b, 0);
  // The out-of-sample check of the choice (series-weighted mean RMSSE over the stores).
  const mean = (pick: (c: NonNullable<ModelMetrics['selection_check']>) => number | null | undefined) => {
    let sum = 0;
    let n = 0;
    for (const run of runs) {
      const c = run.result.metrics.selection_check;
      const v = c ? pick(c) : null;
      if (v === null || v === undefined) continue;
      sum += v * run.result.metrics.holdout!.series;
      n += run.result.metrics.holdout!.series;
    }
    return n > 0 ? sum / n : null;
  };
  console.log(
    `\n[${engine}] Check of the choice, second half of the holdout (RMSSE): model ${f3(mean((c) => c.model.rmsse))}, ` +
      `best simple method of each store ${f3(mean((c) => c.best_baseline?.figures.rmsse))}, ` +
      `served with the methods chosen on the first half alone ${f3(mean((c) => c.served.rmsse))}`,
  );
  printTable(
    `[${engine}] Method chosen per store and kind of series on the backtest: series served by each`,
    [...chosen.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => ({ 'kind: method': k, series: v, share: `${fmt((100 * v) / total, 1)}%` })),
  );
}

// ---------------------------------------------------------------- main

async function main() {
  if (!m5Available()) throw new Error(`M5 extract not found in ${M5_DIR}`);
  const t0 = performance.now();
  const until = process.env.BENCH_UNTIL;
  if (until !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(until)) throw new Error(`BENCH_UNTIL: ${until} is not YYYY-MM-DD`);
  const all = loadM5Series().map((s) => (until ? { ...s, records: s.records.filter((r) => r.date <= until) } : s));
  const calendar = loadM5Calendar();
  const loadSeconds = (performance.now() - t0) / 1000;
  const allStores = [...new Set(all.map((s) => s.storeId))].sort();
  const stores = process.env.BENCH_STORES
    ? process.env.BENCH_STORES.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : allStores;
  for (const s of stores) if (!allStores.includes(s)) throw new Error(`unknown store ${s} (have ${allStores.join(', ')})`);
  const withGlobal = process.env.BENCH_GLOBAL !== '0';
  const engines = (process.env.BENCH_ENGINES ?? 'native,wasm').split(',').map((e) => e.trim()) as EngineName[];
  const days = all.reduce((n, s) => n + s.records.length, 0);
  const load = () =>
    os
      .loadavg()
      .map((x) => fmt(x, 1))
      .join(' ');
  console.log(`Machine: ${os.availableParallelism()} cores, load average ${load()} (1, 5, 15 min)`);
  console.log(
    `M5: ${all.length} series, ${allStores.length} stores, ${days.toLocaleString('en-US')} series-days, loaded in ${fmt(loadSeconds, 1)} s. ` +
      `Holdout: last ${DEFAULT_SETTINGS.holdoutDays} days${until ? ` up to ${until}` : ''}. Scopes: ${stores.length} stores${withGlobal ? ' + global' : ''}.`,
  );

  const results: Awaited<ReturnType<typeof runEngine>>[] = [];
  const skipped: { engine: string; reason: string }[] = [];
  for (const name of engines) {
    if (name !== 'native' && name !== 'wasm') throw new Error(`BENCH_ENGINES: unknown engine ${name}`);
    if (name === 'native') {
      const reason = await nativeUnavailableReason();
      if (reason) {
        skipped.push({ engine: name, reason });
        continue;
      }
    }
    console.log(`\n${name}:`);
    results.push(await runEngine(name, all, calendar, stores, withGlobal));
  }

  for (const r of results) {
    const storeRuns = r.runs.filter((x) => x.scope !== 'global');
    const global = r.runs.find((x) => x.scope === 'global');
    const s = r.settings!;
    if (storeRuns.length === 0 && !global) continue;
    const desc =
      `${s.objective === 'auto' ? 'objective auto' : s.objective}, ${s.rounds} rounds, eta ${s.learningRate}, depth ${s.maxDepth}, ` +
      `rows per fit ${s.maxTrainingRows === null ? 'all' : `<= ${s.maxTrainingRows.toLocaleString('en-US')}`}`;
    if (storeRuns.length) {
      const rows = storeRuns.map((x) =>
        accuracyRow(x.scope, x.scores, {
          'RMSSE store model alone': f3(figures(x.scores, (sc) => sc.own).rmsse),
          'WRMSSE store model alone': f3(figures(x.scores, (sc) => sc.own).wrmsse),
          objective: x.result.metrics.objective ?? '-',
          ...((x.result.metrics.objectives ?? []).length > 1
            ? { 'tried (RMSSE)': x.result.metrics.objectives!.map((o) => `${o.objective} ${f3(o.rmsse)}`).join(', ') }
            : {}),
        }),
      );
      const pooled = storeRuns.flatMap((x) => x.scores);
      rows.push(
        accuracyRow('all (per-store models)', pooled, {
          'RMSSE store model alone': f3(figures(pooled, (sc) => sc.own).rmsse),
          'WRMSSE store model alone': f3(figures(pooled, (sc) => sc.own).wrmsse),
          objective: '',
          ...(rows[0]['tried (RMSSE)'] !== undefined ? { 'tried (RMSSE)': '' } : {}),
        }),
      );
      const blend = global
        ? `; "model" columns = what is served: per kind of series the best on the backtest of ${1 - PARTNER_WEIGHT} x store model + ${PARTNER_WEIGHT} x global model, a baseline, or their average`
        : '; "model" columns = what is served: per kind of series the best on the backtest of the model, a baseline, or their average';
      printTable(
        `[${r.name}] Per-store models${blend}, holdout = last ${s.holdoutDays} days (${desc}). SN = seasonal naive, MA28 = 28-day moving average`,
        rows,
      );
    }
    if (storeRuns.length) printMethodChoice(r.name, storeRuns);
    if (global) {
      const byStore = new Map<string, SeriesScore[]>();
      for (const sc of global.scores) byStore.set(sc.storeId, [...(byStore.get(sc.storeId) ?? []), sc]);
      const perStoreRmsse = new Map(storeRuns.map((x) => [x.scope, figures(x.scores, (sc) => sc.own).rmsse]));
      const rows = [...byStore.entries()]
        .filter(([store]) => stores.includes(store))
        .map(([store, sc]) => accuracyRow(store, sc, { 'RMSSE per-store model': f3(perStoreRmsse.get(store) ?? null) }));
      const pooledStore = storeRuns.flatMap((x) => x.scores);
      const selected = global.scores.filter((sc) => stores.includes(sc.storeId));
      if (selected.length !== global.scores.length) {
        rows.push(
          accuracyRow('selected stores (global model)', selected, {
            'RMSSE per-store model': f3(figures(pooledStore, (sc) => sc.own).rmsse),
          }),
        );
        rows.push(accuracyRow('all stores (global model)', global.scores, { 'RMSSE per-store model': '-' }));
      } else {
        rows.push(
          accuracyRow('all (global model)', global.scores, { 'RMSSE per-store model': f3(figures(pooledStore, (sc) => sc.own).rmsse) }),
        );
      }
      printTable(`[${r.name}] Global model (one model over all ${global.scores.length} series), same holdout, per store`, rows);
    }

    const backtest = r.runs.flatMap((x) => x.fits.slice(0, -1));
    const final = r.runs.map((x) => x.fits[x.fits.length - 1]);
    const fitsAll = r.runs.flatMap((x) => x.fits);
    const m = r.memory;
    const timing: Record<string, string | number>[] = r.runs.map((x) => ({
      scope: x.scope,
      'wall s': fmt(x.seconds, 2),
      'CPU s (this / training processes)': `${fmt(x.cpu.self, 1)} / ${fmt(x.cpu.children, 1)}`,
      fits: x.fits.length,
      'backtest fit s': fmt(covered(x.fits.slice(0, -1)), 2),
      'final fit s': fmt(covered(x.fits.slice(-1)), 2),
      'fits together s': fmt(covered(x.fits), 2),
      'rows (backtest / final)': `${x.fits[0].rows.toLocaleString('en-US')} / ${x.result.records.toLocaleString('en-US')}`,
      cols: x.fits[0].cols,
      rounds: x.fits[0].rounds,
    }));
    timing.push({
      scope: 'total',
      'wall s': fmt(r.total, 2),
      'CPU s (this / training processes)': `${fmt(r.cpu.self, 1)} / ${fmt(r.cpu.children, 1)}`,
      fits: fitsAll.length,
      'backtest fit s': fmt(covered(backtest), 2),
      'final fit s': fmt(covered(final), 2),
      'fits together s': fmt(covered(fitsAll), 2),
      'rows (backtest / final)': '',
      cols: '',
      rounds: '',
    });
    printTable(
      `[${r.name}] Training time per scope (fit = one engine.train call: child process start, data transfer, boosting; ` +
        `with a fixed objective the backtest and final fits of a scope run at the same time, so their times overlap)`,
      timing,
    );
    console.log(
      `\n[${r.name}] peak RSS: this process ${fmt(m.selfPeak, 0)} MiB (${fmt(m.selfPeakBefore, 0)} MiB before training: the M5 records), ` +
        `largest training process ${fmt(m.childPeak, 0)} MiB (${m.children} seen), ` +
        `this process + training processes at once ${fmt(m.combinedPeak, 0)} MiB (sampled every 50 ms)`,
    );
  }

  if (results.length) {
    const native = results.find((r) => r.name === 'native');
    const full = stores.length === allStores.length && withGlobal;
    const rows: Record<string, string | number>[] = results.map((r) => {
      const stores = r.runs.filter((x) => x.scope !== 'global');
      const pooled = stores.flatMap((x) => x.scores);
      const global = r.runs.find((x) => x.scope === 'global');
      const s = r.settings!;
      return {
        engine: r.name,
        scopes: r.runs.length,
        settings: `${s.objective}, ${s.rounds} rounds, depth ${s.maxDepth}`,
        'wall s (stores + global)': fmt(r.total, 1),
        'CPU s': fmt(r.cpu.self + r.cpu.children, 1),
        // The reference trains every store plus the global model: only a full run compares.
        [`vs Python ${REFERENCE_SECONDS} s`]: full ? fmt(r.total / REFERENCE_SECONDS, 2) + 'x' : '- (subset)',
        ...(native && r !== native ? { 'vs native': fmt(r.total / native.total, 1) + 'x' } : { 'vs native': '' }),
        'peak RSS self MiB': fmt(r.memory.selfPeak, 0),
        'peak RSS child MiB': fmt(r.memory.childPeak, 0),
        'peak RSS together MiB': fmt(r.memory.combinedPeak, 0),
        'RMSSE served / SN': pooled.length ? ratio(figures(pooled, (x) => x.model).rmsse, figures(pooled, (x) => x.naive).rmsse) : '-',
        'RMSSE served / MA28': pooled.length ? ratio(figures(pooled, (x) => x.model).rmsse, figures(pooled, (x) => x.average).rmsse) : '-',
        'RMSSE store alone / MA28': pooled.length
          ? ratio(figures(pooled, (x) => x.own).rmsse, figures(pooled, (x) => x.average).rmsse)
          : '-',
        'RMSSE global / MA28': global
          ? ratio(figures(global.scores, (x) => x.model).rmsse, figures(global.scores, (x) => x.average).rmsse)
          : '-',
        'WRMSSE served / SN': pooled.length ? ratio(figures(pooled, (x) => x.model).wrmsse, figures(pooled, (x) => x.naive).wrmsse) : '-',
        'WRMSSE served / MA28': pooled.length
          ? ratio(figures(pooled, (x) => x.model).wrmsse, figures(pooled, (x) => x.average).wrmsse)
          : '-',
        'RMSSE served / ES': pooled.length ? ratio(figures(pooled, (x) => x.model).rmsse, figures(pooled, (x) => x.smoothing).rmsse) : '-',
        'WRMSSE served / ES': pooled.length
          ? ratio(figures(pooled, (x) => x.model).wrmsse, figures(pooled, (x) => x.smoothing).wrmsse)
          : '-',
      };
    });
    rows.push({
      engine: 'Python original',
      scopes: 11,
      settings: 'native XGBoost, 2 cores',
      'wall s (stores + global)': fmt(REFERENCE_SECONDS, 1),
      'CPU s': '-',
      [`vs Python ${REFERENCE_SECONDS} s`]: '1.00x',
      'vs native': '',
      'peak RSS self MiB': '-',
      'peak RSS child MiB': '-',
      'peak RSS together MiB': '-',
      'RMSSE served / SN': '-',
      'RMSSE served / MA28': '-',
      'RMSSE store alone / MA28': '-',
      'RMSSE global / MA28': '-',
      'WRMSSE served / SN': '-',
      'WRMSSE served / MA28': '-',
      'RMSSE served / ES': '-',
      'WRMSSE served / ES': '-',
    });
    printTable(
      `Training time, all selected stores + global (excludes loading M5: ${fmt(loadSeconds, 1)} s; load average now ${load()})`,
      rows,
    );
  }
  for (const s of skipped) console.log(`\n${s.engine} skipped: ${s.reason}`);
  if (process.env.BENCH_DUMP && results.length) {
    // Per-series scores of the first engine's store runs, for analysis outside the bench.
    const rows = results[0].runs
      .filter((x) => x.scope !== 'global')
      .flatMap((x) => x.scores)
      .map((sc) => ({
        storeId: sc.storeId,
        productId: sc.productId,
        weight: sc.weight,
        meanUnits: sc.actual.reduce((a, b) => a + b, 0) / sc.actual.length,
        ...Object.fromEntries(
          (['model', 'own', 'naive', 'average', 'smoothing'] as const).map((k) => [k, evaluate(sc.actual, sc[k], sc.train).rmsse]),
        ),
      }));
    writeFileSync(process.env.BENCH_DUMP, JSON.stringify(rows));
    console.log(`\nper-series scores written to ${process.env.BENCH_DUMP}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
