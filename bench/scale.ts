// Scale benchmark: a generated retail chain (service/src/demo/chain.ts: S stores x 1,000 products x 730 days of daily
// sales) uploaded over HTTP, uploaded again unchanged, trained (`all`) and planned (the first /bulk_predict after a
// restart), on embedded PGlite and on PostgreSQL, next to `psql \copy` of the same file into a plain table (the floor).
// The service runs as a child process; its memory is sampled from /proc every 200 ms (with its training processes
// while training). Prints one row per size and database.
//   npm run bench:scale                 2 stores
//   npm run bench:scale -- 2 10         2 stores, then 10 (7.3M rows)
// Environment:
//   BENCH_DATABASES=both|postgres|pglite (default both)
//   BENCH_DATABASE_URL or DATABASE_URL   PostgreSQL admin URL (default postgres://postgres@127.0.0.1:5432/postgres); the
//                                        benchmark creates (drops first) the database bench_scale_<S>s on it
//   BENCH_SKIP_REUPLOAD=1  BENCH_SKIP_TRAIN=1  BENCH_SKIP_PREDICT=1  BENCH_SKIP_FLOOR=1   leave a phase out
//   BENCH_SKIP_TWO=1       on PostgreSQL, leave out training again with a second instance up (the fan-out)
//   BENCH_TRAINING_WORKERS=1  the instances' TRAINING_WORKERS
//   BENCH_PRODUCTS=1000  BENCH_DAYS=730  BENCH_SEED=42  BENCH_END_DATE=YYYY-MM-DD (default yesterday)
//   BENCH_ORDER=series|date (row order of the file)   BENCH_CATEGORY=0 (no category column)
//   BENCH_CHAIN_DIR=<dir> where the chain files are kept and reused (default $TMPDIR/df-bench-chains)
//   BENCH_GENERATE_ONLY=1  write the chain files, print their paths, and stop
//   BENCH_PREDICT_STORE=S001  BENCH_PORT=18600  BENCH_KEEP=1 (keep the PGlite data directories)
//   BENCH_LOG_LEVEL=warn (the service's LOG_LEVEL; default error)
// Long file: one benchmark script; its process-memory sampling, streamed HTTP upload and floor measurements exist only
// for it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { chainFileName, chainRows, resolveChainOptions, writeChain, type ChainOptions } from '../service/src/demo/chain';
import { fmt, freshDatabase, printTable, queryValue, startService, type RunningService } from './lib';
import { MemoryWatch, statusOf } from './memory';

const env = process.env;
const on = (name: string) => ['1', 'true', 'yes'].includes((env[name] ?? '').toLowerCase());
const ADMIN_URL = env.BENCH_DATABASE_URL || env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DATABASES = (env.BENCH_DATABASES ?? 'both').toLowerCase();
if (!['both', 'postgres', 'pglite'].includes(DATABASES)) throw new Error('BENCH_DATABASES: both, postgres or pglite');
const CHAIN_DIR = env.BENCH_CHAIN_DIR || join(tmpdir(), 'df-bench-chains');
const PREDICT_STORE = env.BENCH_PREDICT_STORE || 'S001';
const PLAIN_TABLE = 'plain_chain';
let port = Number(env.BENCH_PORT || 18_600);

const memory = (mib: number) => (mib >= 1024 ? `${fmt(mib / 1024, 2)} GiB` : `${fmt(mib, 0)} MiB`);
const bytes = (n: number) => memory(n / 2 ** 20);

// ---------------------------------------------------------------- HTTP

interface UploadAnswer {
  rows_read?: number;
  records?: number;
  inserted?: number;
  updated?: number;
  skipped?: number;
  error?: { code: string; message: string };
}

/** POST /upload_data with a multipart body streamed from disk (Content-Length set): status, answer and seconds. */
async function streamUpload(url: string, file: string): Promise<{ status: number; body: UploadAnswer; seconds: number }> {
  const boundary = `df-bench-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${basename(file)}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + statSync(file).size + tail.length;
  async function* body() {
    yield head;
    yield* createReadStream(file, { highWaterMark: 1 << 20 });
    yield tail;
  }
  const started = performance.now();
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    let answered = false;
    const req = request(
      `${url}/upload_data`,
      { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length } },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    // A refusal (413) can arrive before the body is sent: the answer counts, not the broken pipe.
    pipeline(Readable.from(body()), req).catch(() => {});
  });
  const seconds = (performance.now() - started) / 1000;
  let parsed: UploadAnswer;
  try {
    parsed = JSON.parse(text) as UploadAnswer;
  } catch {
    parsed = { error: { code: 'not_json', message: text.slice(0, 200) } };
  }
  return { status, body: parsed, seconds };
}

async function postJson(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown>; seconds: number }> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, json, seconds: (performance.now() - started) / 1000 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitReady(url: string, seconds = 180): Promise<void> {
  for (let i = 0; i < seconds * 5; i++) {
    if ((await fetch(`${url}/ready`).catch(() => null))?.ok) return;
    await sleep(200);
  }
  throw new Error(`${url}/ready did not answer 200 within ${seconds} s`);
}

// ---------------------------------------------------------------- disk

/** Allocated bytes under `dir`, as du counts them. */
function diskUsage(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const stat = lstatSync(path);
    total += stat.blocks * 512;
    if (entry.isDirectory()) total += diskUsage(path);
  }
  return total;
}

function hasPsql(): boolean {
  try {
    execFileSync('psql', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `psql \copy` of the file into a plain table with the file's columns and no keys: seconds and the table's size; and
 * into the same table with sales' primary key (store, product, date), which any load into sales pays for.
 */
function copyFloor(dbUrl: string, file: string, withCategory: boolean): { seconds: number; bytes: number; keyedSeconds: number } {
  const psql = (command: string) =>
    execFileSync('psql', [dbUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-At', '-c', command], { encoding: 'utf8' });
  const load = (key: boolean) => {
    psql(
      `CREATE TABLE ${PLAIN_TABLE} (date date, store_id text, product_id text, units_sold double precision, ` +
        `price double precision, promotion boolean${withCategory ? ', category text' : ''}` +
        `${key ? ', PRIMARY KEY (store_id, product_id, date)' : ''})`,
    );
    const started = performance.now();
    psql(`\\copy ${PLAIN_TABLE} FROM '${file}' WITH (FORMAT csv, HEADER true)`);
    const seconds = (performance.now() - started) / 1000;
    const size = Number(psql(`SELECT pg_total_relation_size('${PLAIN_TABLE}')`).trim());
    psql(`DROP TABLE ${PLAIN_TABLE}`); // so the database's size below is the service's alone
    return { seconds, size };
  };
  const plain = load(false);
  const keyed = load(true);
  return { seconds: plain.seconds, bytes: plain.size, keyedSeconds: keyed.seconds };
}

// ---------------------------------------------------------------- one size on one database

interface Result {
  size: string;
  database: string;
  floor?: { seconds: number; bytes: number; keyedSeconds: number };
  upload?: { seconds: number; rss: number; note: string };
  reupload?: { seconds: number; rss: number; note: string };
  train?: { seconds: number; firstProgress: number | null; firstStep: number | null; rss: number; serviceRss: number; note: string };
  /** The same training with a second instance on the same database; `byInstance`: how many models each trained. */
  trainTwo?: { seconds: number; note: string; byInstance: string };
  bulk?: { seconds: number; rss: number; note: string };
  diskBytes?: number;
  failure?: string;
}

const uploadNote = (status: number, b: UploadAnswer) =>
  status === 200
    ? `${(b.inserted ?? 0).toLocaleString('en-US')} inserted, ${(b.updated ?? 0).toLocaleString('en-US')} updated, ${(b.skipped ?? 0).toLocaleString('en-US')} unchanged`
    : `HTTP ${status} ${b.error?.code ?? ''}: ${b.error?.message ?? ''}`;

async function upload(service: RunningService, file: string, label: string) {
  const watch = new MemoryWatch(service.child.pid!).start();
  const answer = await streamUpload(service.url, file).finally(() => watch.stop());
  const note = uploadNote(answer.status, answer.body);
  console.log(`  ${label}: ${fmt(answer.seconds, 1)} s, peak RSS ${memory(watch.service)}; ${note}`);
  if (answer.status !== 200) throw new Error(`${label}: ${note}`);
  return { seconds: answer.seconds, rss: watch.service, note };
}

interface JobView {
  job_id: number;
  status: string;
  progress: number;
  step?: unknown;
  error?: string;
}

async function trainAll(service: RunningService): Promise<NonNullable<Result['train']>> {
  const watch = new MemoryWatch(service.child.pid!).start();
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  let firstProgress: number | null = null;
  let firstStep: number | null = null;
  let job: JobView | undefined;
  try {
    const posted = await postJson(`${service.url}/train_model`, { store_id: 'all' });
    if (posted.status !== 202) throw new Error(`POST /train_model answered ${posted.status}: ${JSON.stringify(posted.json)}`);
    const jobId = posted.json.job_id as number;
    for (;;) {
      if (service.child.exitCode !== null) throw new Error(`the service exited (${service.child.exitCode}) while training`);
      const status = (await (await fetch(`${service.url}/training_status`)).json()) as { jobs: JobView[] };
      job = status.jobs.find((j) => j.job_id === jobId);
      if (job?.step !== undefined && firstStep === null) firstStep = since();
      if ((job?.progress ?? 0) > 0 && firstProgress === null) firstProgress = since();
      if (job && ['succeeded', 'failed', 'cancelled'].includes(job.status)) break;
      await sleep(250);
    }
  } finally {
    watch.stop();
  }
  const seconds = since();
  const note = job.status === 'succeeded' ? 'succeeded' : `${job.status}: ${job.error ?? ''}`;
  console.log(
    `  train all: ${fmt(seconds, 1)} s (${note}); first step ${firstStep === null ? '-' : `${fmt(firstStep, 1)} s`}, first progress ` +
      `${firstProgress === null ? '-' : `${fmt(firstProgress, 1)} s`}; peak RSS ${memory(watch.combined)} (service ${memory(watch.service)})`,
  );
  return { seconds, firstProgress, firstStep, rss: watch.combined, serviceRss: watch.service, note };
}

/** Trains `all` again with a second instance up on the same database: both instances' workers take the children. */
async function trainWithTwo(
  service: RunningService,
  serviceEnv: Record<string, string>,
  dbUrl: string,
): Promise<NonNullable<Result['trainTwo']>> {
  const second = await startService(serviceEnv, port++);
  try {
    await waitReady(second.url);
    console.log('  with a second instance on the same database:');
    const { seconds, note } = await trainAll(service);
    const counts = (await queryValue(
      dbUrl,
      `SELECT string_agg(n::text, ' + ' ORDER BY n DESC) FROM (
         SELECT count(*) AS n FROM training_jobs
         WHERE parent_id = (SELECT max(id) FROM training_jobs WHERE parent_id IS NULL) AND status = 'succeeded'
         GROUP BY split_part(worker, ':', 2)) AS per_instance`,
    )) as string | null;
    const byInstance = counts ?? '-';
    console.log(`  models trained per instance: ${byInstance}`);
    return { seconds, note, byInstance };
  } finally {
    await second.stop();
  }
}

async function firstBulk(serviceEnv: Record<string, string>): Promise<NonNullable<Result['bulk']>> {
  const startedAt = performance.now();
  const service = await startService(serviceEnv, port++);
  try {
    await waitReady(service.url);
    const startSeconds = (performance.now() - startedAt) / 1000;
    const answer = await postJson(`${service.url}/bulk_predict`, { store_id: PREDICT_STORE });
    const rss = statusOf(service.child.pid!)?.rss ?? 0;
    const predictions = (answer.json.predictions as unknown[] | undefined)?.length ?? 0;
    const note =
      answer.status === 200
        ? `${predictions} products, ready ${fmt(startSeconds, 1)} s after start`
        : `HTTP ${answer.status}: ${JSON.stringify(answer.json).slice(0, 200)}`;
    console.log(`  first /bulk_predict ${PREDICT_STORE} after a restart: ${fmt(answer.seconds, 2)} s, RSS then ${memory(rss)}; ${note}`);
    return { seconds: answer.seconds, rss, note };
  } finally {
    await service.stop();
  }
}

async function runOne(database: 'postgres' | 'pglite', o: ChainOptions, file: string, size: string): Promise<Result> {
  const result: Result = { size, database: database === 'postgres' ? 'PostgreSQL' : 'PGlite' };
  const rows = chainRows(o);
  const fileBytes = statSync(file).size;
  const serviceEnv: Record<string, string> = {
    LOG_LEVEL: env.BENCH_LOG_LEVEL || 'error',
    TRAINING_WORKERS: env.BENCH_TRAINING_WORKERS || '1',
    MAX_UPLOAD_MB: String(Math.ceil(fileBytes / 2 ** 20) + 64),
    MAX_UPLOAD_ROWS: String(rows + 1000),
    MAX_UPLOAD_UNPACKED_MB: String(Math.ceil((fileBytes * 2) / 2 ** 20) + 64),
  };
  let dataDir: string | null = null;
  let dbUrl: string | null = null;
  if (database === 'postgres') {
    dbUrl = await freshDatabase(ADMIN_URL, `bench_scale_${resolveChainOptions(o).stores}s`);
    serviceEnv.DATABASE_URL = dbUrl;
    if (!on('BENCH_SKIP_FLOOR') && hasPsql()) {
      result.floor = copyFloor(dbUrl, file, resolveChainOptions(o).category);
      console.log(
        `  psql \\copy floor: ${fmt(result.floor.seconds, 1)} s, plain table ${bytes(result.floor.bytes)}; ${fmt(result.floor.keyedSeconds, 1)} s with sales' primary key`,
      );
    }
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'df-bench-scale-pglite-'));
    serviceEnv.DATA_DIR = dataDir;
  }
  const diskSize = async () =>
    dbUrl ? Number(await queryValue(dbUrl, 'SELECT pg_database_size(current_database())')) : diskUsage(dataDir!);

  try {
    const service = await startService(serviceEnv, port++);
    try {
      const health = (await (await fetch(`${service.url}/health`)).json()) as { max_upload_bytes?: number };
      if ((health.max_upload_bytes ?? 0) < fileBytes + 1024) {
        throw new Error(`/health says max_upload_bytes ${health.max_upload_bytes}, below the file's ${fileBytes} bytes`);
      }
      result.upload = await upload(service, file, 'upload (new rows)');
      if (!on('BENCH_SKIP_REUPLOAD')) result.reupload = await upload(service, file, 're-upload (unchanged)');
      result.diskBytes = await diskSize();
      console.log(`  on disk after the uploads: ${bytes(result.diskBytes)}`);
      if (!on('BENCH_SKIP_TRAIN')) result.train = await trainAll(service);
      if (!on('BENCH_SKIP_TRAIN') && !on('BENCH_SKIP_TWO') && dbUrl) result.trainTwo = await trainWithTwo(service, serviceEnv, dbUrl);
    } finally {
      await service.stop();
    }
    if (!on('BENCH_SKIP_PREDICT')) result.bulk = await firstBulk(serviceEnv);
  } catch (err) {
    result.failure = (err as Error).message;
    console.log(`  stopped: ${result.failure}`);
  } finally {
    if (dataDir && !on('BENCH_KEEP')) rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

// ---------------------------------------------------------------- main

async function postgresReachable(): Promise<boolean> {
  try {
    await queryValue(ADMIN_URL, 'SELECT 1');
    return true;
  } catch (err) {
    console.log(`PostgreSQL at ${ADMIN_URL} is not reachable (${(err as Error).message}): PGlite only`);
    return false;
  }
}

async function main() {
  const sizes = process.argv.slice(2).length ? process.argv.slice(2).map(Number) : [2];
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new Error(`Sizes are store counts, e.g. npm run bench:scale -- 2 10`);
  const base: Omit<ChainOptions, 'stores'> = {
    products: env.BENCH_PRODUCTS ? Number(env.BENCH_PRODUCTS) : undefined,
    days: env.BENCH_DAYS ? Number(env.BENCH_DAYS) : undefined,
    seed: env.BENCH_SEED ? Number(env.BENCH_SEED) : undefined,
    endDate: env.BENCH_END_DATE || undefined,
    order: env.BENCH_ORDER === 'date' ? 'date' : 'series',
    category: env.BENCH_CATEGORY !== '0',
  };
  const databases: ('postgres' | 'pglite')[] = [];
  if (DATABASES !== 'pglite' && (await postgresReachable())) databases.push('postgres');
  if (DATABASES !== 'postgres') databases.push('pglite');
  mkdirSync(CHAIN_DIR, { recursive: true });

  const results: Result[] = [];
  for (const stores of sizes) {
    const o: ChainOptions = { ...base, stores };
    const file = join(CHAIN_DIR, chainFileName(o));
    if (!existsSync(file)) {
      const started = performance.now();
      const written = await writeChain(file, o);
      console.log(
        `generated ${file}: ${written.rows.toLocaleString('en-US')} rows, ${bytes(written.bytes)} in ${fmt((performance.now() - started) / 1000, 1)} s`,
      );
    } else {
      console.log(`reusing ${file} (${bytes(statSync(file).size)})`);
    }
    if (on('BENCH_GENERATE_ONLY')) continue;
    const size = `${stores} store${stores === 1 ? '' : 's'} (${fmt(chainRows(o) / 1e6, 2)}M rows, ${bytes(statSync(file).size)})`;
    for (const database of databases) {
      console.log(`\n${size} on ${database}`);
      results.push(await runOne(database, o, file, size));
    }
  }
  if (results.length === 0) return;

  const s = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '-' : fmt(x, digits));
  const plainBytes = (size: string) => results.find((r) => r.size === size && r.floor)?.floor?.bytes;
  printTable(
    `Scale (${new Date().toISOString().slice(0, 10)}, ${process.platform}, node ${process.version}; RSS: the service process, while training with its training processes)`,
    results.map((r) => {
      const plain = plainBytes(r.size);
      return {
        size: r.size,
        database: r.database,
        'upload s': s(r.upload?.seconds),
        'x \\copy': r.upload && r.floor ? `${fmt(r.upload.seconds / r.floor.seconds, 1)}x (floor ${fmt(r.floor.seconds, 1)} s)` : '-',
        'x keyed \\copy':
          r.upload && r.floor ? `${fmt(r.upload.seconds / r.floor.keyedSeconds, 1)}x (${fmt(r.floor.keyedSeconds, 1)} s)` : '-',
        'peak RSS upload': r.upload ? memory(r.upload.rss) : '-',
        're-upload s': s(r.reupload?.seconds),
        'peak RSS re-upload': r.reupload ? memory(r.reupload.rss) : '-',
        'train all s': r.train ? `${s(r.train.seconds)}${r.train.note === 'succeeded' ? '' : ` (${r.train.note.split(':')[0]})`}` : '-',
        'train all, 2 instances s': r.trainTwo
          ? `${s(r.trainTwo.seconds)}${r.trainTwo.note === 'succeeded' ? '' : ` (${r.trainTwo.note.split(':')[0]})`} (${r.trainTwo.byInstance} models)`
          : '-',
        'first visible progress s': r.train ? `${s(r.train.firstProgress)} (step ${s(r.train.firstStep)})` : '-',
        'peak RSS train': r.train ? `${memory(r.train.rss)} (service ${memory(r.train.serviceRss)})` : '-',
        'first bulk s': s(r.bulk?.seconds, 2),
        'RSS serving': r.bulk ? memory(r.bulk.rss) : '-',
        disk: r.diskBytes !== undefined ? `${bytes(r.diskBytes)}${plain ? ` vs ${bytes(plain)} plain` : ''}` : '-',
      };
    }),
  );
  for (const r of results.filter((x) => x.failure)) console.log(`${r.size}, ${r.database}: stopped early: ${r.failure}`);
  for (const r of results) {
    const notes = [r.upload && `upload: ${r.upload.note}`, r.reupload && `re-upload: ${r.reupload.note}`, r.bulk && `bulk: ${r.bulk.note}`];
    console.log(`${r.size}, ${r.database}: ${notes.filter(Boolean).join('; ')}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
