// Build time of the M5 training matrix. Run: npm run bench:features (npx tsx bench/features-matrix.ts)
import { buildEncodings } from '../service/src/features/encodings';
import { buildTrainingMatrix } from '../service/src/features/matrix';
import { loadM5Calendar, loadM5Series } from './fixtures/m5';
import { recursiveForecast } from '../service/src/features/forecast';

const t0 = performance.now();
const series = loadM5Series();
const calendar = loadM5Calendar();
const t1 = performance.now();
const encodings = buildEncodings(series, { calendar });
const ctx = { encodings, calendar, target: 'log1p' as const };
const runs: number[] = [];
const f0 = performance.now();
let m = buildTrainingMatrix(series, ctx);
const first = performance.now() - f0;
for (let k = 0; k < 3; k++) {
  const a = performance.now();
  m = buildTrainingMatrix(series, ctx);
  runs.push(performance.now() - a);
}
let nan = 0,
  minusOne = 0;
for (let k = 0; k < m.features.length; k++) {
  const v = m.features[k];
  if (v !== v) nan++;
  else if (v === -1) minusOne++;
}
const a = performance.now();
const fc = recursiveForecast(
  series,
  28,
  (x, rows, cols) => {
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) out[r] = Math.log1p(Math.max(0, x[r * cols] || 0)); // lag_1 as a stand-in model
    return out;
  },
  ctx,
);
const tf = performance.now() - a;
const rss = process.memoryUsage().rss / 2 ** 20;
console.log(
  JSON.stringify(
    {
      series: series.length,
      load_ms: Math.round(t1 - t0),
      first_build_ms: Math.round(first),
      build_ms: runs.map((x) => Math.round(x)),
      rows: m.rows,
      cols: m.cols,
      features_mb: +(m.features.byteLength / 2 ** 20).toFixed(1),
      nan_share: +(nan / m.features.length).toFixed(3),
      minus_one: minusOne,
      forecast_28d_280_series_ms: Math.round(tf),
      forecast_dates: [fc[0].dates[0], fc[0].dates[27]],
      rss_mb: Math.round(rss),
    },
    null,
    1,
  ),
);
