// Engine benchmark: npm run bench:engine --  [rows=200000] [rounds=100] [engines=native,wasm]
// Trains y = 3*x0 + 2*(x1>0.5) + noise on rows x 20 features, depth 6, through the full engine path
// (temp file + child process + load), then times batched prediction in-process.
import { getEngine, nativeUnavailableReason, type EngineName } from '../service/src/model/engine/index';

const rows = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 100);
const names = (process.argv[4] ?? 'native,wasm').split(',') as EngineName[];
const cols = 20;

let x = 12345;
const rnd = () => {
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  return x / 4294967296;
};
const features = new Float32Array(rows * cols);
const labels = new Float32Array(rows);
for (let i = 0; i < rows; i++) {
  for (let j = 0; j < cols; j++) features[i * cols + j] = rnd();
  if (i % 5 === 0) features[i * cols + 3] = NaN;
  labels[i] = 3 * features[i * cols] + 2 * (features[i * cols + 1] > 0.5 ? 1 : 0) + 0.1 * (rnd() - 0.5);
}

for (const name of names) {
  if (name === 'native') {
    const reason = await nativeUnavailableReason();
    if (reason) {
      console.log(`native: skipped (${reason})`);
      continue;
    }
  }
  const engine = getEngine(name);
  let first = 0;
  const t0 = performance.now();
  const booster = await engine.train(
    { features, rows, cols, labels },
    { objective: 'squared', rounds, learningRate: 0.3, maxDepth: 6, minChildWeight: 1, subsample: 1, colsampleByTree: 1, lambda: 1 },
    { onProgress: (r) => (r === 1 ? (first = performance.now() - t0) : undefined) },
  );
  const trainMs = performance.now() - t0;
  const t1 = performance.now();
  const pred = booster.predict(features, rows, cols);
  const predMs = performance.now() - t1;
  let se = 0;
  for (let i = 0; i < rows; i++) se += (pred[i] - labels[i]) ** 2;
  console.log(
    `${name}: train ${rows}x${cols}, ${rounds} rounds, depth 6: ${(trainMs / 1000).toFixed(2)} s ` +
      `(first round done at ${(first / 1000).toFixed(2)} s); predict ${rows} rows: ${predMs.toFixed(0)} ms ` +
      `= ${Math.round(rows / (predMs / 1000)).toLocaleString('en')} rows/s; train RMSE ${Math.sqrt(se / rows).toFixed(4)}; ` +
      `model ${(booster.save().bytes.length / 1024).toFixed(0)} KiB`,
  );
  booster.dispose();
}
