// Builds the task pane (addin/dist) only when it is missing or older than its sources; `npm start` runs this first.
// Exits 0 without building when Vite is not installed (a production install without devDependencies): the service
// then starts without the pane and says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const addin = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = join(addin, '..');
const output = join(addin, 'dist', 'taskpane.html');
const SOURCES = [
  join(addin, 'src'),
  join(addin, 'public'),
  join(addin, 'taskpane.html'),
  join(addin, 'vite.config.ts'),
  join(repo, 'shared'),
  join(repo, 'package-lock.json'),
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : st.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

export function paneIsStale() {
  if (!existsSync(output)) return 'addin/dist is missing';
  const built = statSync(output).mtimeMs;
  const changed = SOURCES.find((p) => newest(p) > built);
  return changed ? `${changed.slice(repo.length + 1)} changed since the last build` : null;
}

export function buildPane({ quiet = false } = {}) {
  const vite = join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    console.warn('[addin] Vite is not installed (npm ci installs it): the task pane is not built.');
    return false;
  }
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(addin, 'vite.config.ts'), '--logLevel', quiet ? 'warn' : 'info'],
    {
      cwd: repo,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed (exit ${result.status})`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const reason = paneIsStale();
  if (!reason) {
    console.log('[addin] task pane is up to date (addin/dist)');
  } else {
    console.log(`[addin] building the task pane: ${reason}`);
    const started = Date.now();
    try {
      if (buildPane({ quiet: true })) console.log(`[addin] built addin/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (err) {
      console.error(`[addin] ${err.message}`);
      process.exit(1);
    }
  }
}
