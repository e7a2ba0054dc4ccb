// Runs every benchmark in turn, each in its own process so that peak-memory figures stay separate.
import { spawnSync } from 'node:child_process';

const benches = ['ingest', 'train', 'predict', 'functions', 'load'];
const only = process.argv.slice(2);
let failed = 0;
for (const name of benches.filter((b) => only.length === 0 || only.includes(b))) {
  console.log(`\n=== npm run bench:${name}`);
  const run = spawnSync('npm', ['run', '-s', `bench:${name}`], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
