// `npm run test:unit`: the pure and jsdom tests, in well under two minutes, with no PostgreSQL or PGlite, no service
// (in-process or spawned), no Chromium, no vite build and no large XGBoost training. `npm test` still runs everything.
//
// A test file is left out when (decided from the file itself, so a new test lands on the right side by itself):
//   - it lives in service/src/db/ (every database test opens PGlite or PostgreSQL) or addin/e2e/ (Chromium);
//   - it imports a database or service harness: db/testing, db/connection, testing/server, testing/trained,
//     testing/hold-database;
//   - it imports node:child_process or playwright-core (it spawns the server, a build or a browser);
//   - it is in SLOW below.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';

const ROOTS = ['shared', 'service', 'addin', 'bench'];
const OUT_DIRS = ['service/src/db/', 'addin/e2e/'];
const HARNESS = /(^|\/)(db\/(testing|connection)|testing\/(server|trained|hold-database))$/;
const PROCESSES = /^((node:)?child_process|playwright-core)$/;
/** Pure, but slow: XGBoost training at scale in training processes (200,000 rows, abort and crash tests). */
const SLOW = ['service/src/model/engine/engine.test.ts'];

function* testFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['node_modules', 'dist', 'coverage', '.data', '.tmp'].includes(entry.name)) yield* testFiles(path);
    } else if (/\.test\.tsx?$/.test(entry.name)) yield path;
  }
}

const specifiers = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bvi\.mock\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);

function isUnit(file: string): boolean {
  if (OUT_DIRS.some((dir) => file.startsWith(dir)) || SLOW.includes(file)) return false;
  return !specifiers(file).some((spec) => HARNESS.test(spec) || PROCESSES.test(spec));
}

const notUnit = ROOTS.flatMap((root) => [...testFiles(root)]).filter((file) => !isUnit(file));

// The same include and pool as vitest.config.ts (not imported from it: Vite's config loader wants a file extension
// on a relative import in a config file, and this repository writes relative imports without one).
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'service/**/*.test.ts', 'addin/**/*.test.{ts,tsx}', 'bench/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...notUnit],
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores, so one on a 2-core machine; these tests are CPU-bound and
    // the main process mostly waits, so use every core.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
