// How many rows a model trains on (ModelSettings.maxTrainingRows): accuracy on the holdout and cost at 200k, 1M and
// every row, for the global model and one store's model, on M5 (../shared/data/m5) and on the generated chain that
// `npm run bench:scale -- 10` left in PostgreSQL (database bench_scale_10s; 7.3M rows). The product's own fit
// (ForecastModel.fit: backtest on the last 28 days, then the refit on all days), the native engine when installed.
//   npm run bench:rows
//   BENCH_SOURCES=m5,chain   BENCH_ROWS=200000,1000000,all   BENCH_SCOPES=global,store
//   BENCH_CHAIN_URL=postgres://postgres@127.0.0.1:5432/bench_scale_10s   BENCH_CHAIN_STORE=S001   BENCH_M5_STORE=CA_1
import { connectUrl } from '../service/src/db/connection';
import { loadCalendarDays, loadSeries } from '../service/src/db/series';
import { calendarOrNull, type CalendarEvents, type SeriesInput } from '../service/src/features/index';
import { nativeUnavailableReason, selectEngine } from '../service/src/model/engine/index';
import { ForecastModel } from '../service/src/model/index';
import { loadM5Calendar, loadM5Series, m5Available } from './fixtures/m5';
import { fmt, printTable } from './lib';
import { MemoryWatch } from './memory';

const env = process.env;
const list = (name: string, fallback: string) => (env[name] || fallback).split(',').map((s) => s.trim());
const SOURCES = list('BENCH_SOURCES', 'm5,chain');
const ROWS = list('BENCH_ROWS', '200000,1000000,all').map((r) => (r === 'all' ? null : Number(r)));
const SCOPES = list('BENCH_SCOPES', 'global,store');
const CHAIN_URL = env.BENCH_CHAIN_URL || 'postgres://postgres@127.0.0.1:5432/bench_scale_10s';

interface Source {
  name: string;
  series: SeriesInput[];
  calendar: CalendarEvents | null;
  store: string;
}

async function loadSource(name: string): Promise<Source | null> {
  if (name === 'm5') {
    if (!m5Available()) return (console.log('M5 is not at ../shared/data/m5: left out'), null);
    return {
      name: 'M5 (10 stores, 527,800 rows)',
      series: loadM5Series(),
      calendar: loadM5Calendar(),
      store: env.BENCH_M5_STORE || 'CA_1',
    };
  }
  const sql = connectUrl(CHAIN_URL, 2);
  try {
    const series = await loadSeries(sql);
    if (series.length === 0) return (console.log(`no chain in ${CHAIN_URL} (run npm run bench:scale -- 10 first): left out`), null);
    const rows = series.reduce((n, s) => n + s.records.length, 0);
    const stores = new Set(series.map((s) => s.storeId)).size;
    return {
      name: `chain (${stores} stores, ${(rows / 1e6).toFixed(2)}M rows)`,
      series,
      calendar: calendarOrNull(await loadCalendarDays(sql)),
      store: env.BENCH_CHAIN_STORE || 'S001',
    };
  } catch (err) {
    console.log(`chain database ${CHAIN_URL} not readable (${(err as Error).message}): left out`);
    return null;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

const figure = (x: number | null | undefined, digits = 3) => (x === null || x === undefined ? '-' : fmt(x, digits));

async function main() {
  const engine = await selectEngine();
  const why = await nativeUnavailableReason();
  console.log(`engine: ${engine.name}${why ? ` (native unavailable: ${why})` : ''}`);
  const rows: Record<string, string>[] = [];
  for (const name of SOURCES) {
    const source = await loadSource(name);
    if (!source) continue;
    for (const scope of SCOPES) {
      const series = scope === 'global' ? source.series : source.series.filter((s) => s.storeId === source.store);
      const label = scope === 'global' ? 'global' : `store ${source.store}`;
      const listed = series.reduce((n, s) => n + s.records.length, 0);
      for (const maxTrainingRows of ROWS) {
        if (maxTrainingRows !== null && maxTrainingRows >= listed && ROWS.includes(null)) continue; // the same as all rows
        global.gc?.();
        const watch = new MemoryWatch(process.pid).start();
        const started = performance.now();
        const { model } = await ForecastModel.fit({
          series,
          grain: 'daily',
          calendar: source.calendar,
          settings: { maxTrainingRows },
          engine,
        });
        const seconds = (performance.now() - started) / 1000;
        watch.stop();
        const m = model.metrics;
        const own = m.model ?? m;
        model.dispose();
        const row = {
          data: source.name,
          model: label,
          'max rows': maxTrainingRows === null ? 'all' : maxTrainingRows.toLocaleString('en-US'),
          'rows trained': model.records.toLocaleString('en-US'),
          'model WAPE': figure(own.wape),
          'model MASE': figure(own.mase),
          'model RMSSE': figure(own.rmsse),
          'served WAPE': figure(m.wape),
          'seasonal naive WAPE': figure(m.baseline.wape),
          'fit s': fmt(seconds, 1),
          'peak RSS': `${fmt(watch.combined / 1024, 2)} GiB`,
        };
        console.log(Object.values(row).join(' | '));
        rows.push(row);
      }
    }
  }
  printTable(
    `Rows trained (${new Date().toISOString().slice(0, 10)}, ${engine.name} engine; holdout: the last 28 days; fit = backtest + refit)`,
    rows,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
