// An upload cut off half way (the client hangs up, or the service process is killed with SIGKILL while it stores
// the file) leaves the database with all of the upload or none of it, and the service answers again afterwards.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoresResponse } from '../../../shared/schemas';
import { openDatabase, type Database, type Sql } from '../db/connection';
import { openTestDatabase, testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';
import { multipartBody, salesCsv, sendUpload, sleep, waitFor } from './fixtures';
import { startServiceProcess, type ServiceProcess } from './service-process';

/** Large enough that storing it takes a few seconds on PGlite, so there is a "half way" to kill it at. */
const ROWS = 100_000;
const PRODUCTS = ROWS / 200;

interface StoreState {
  uploads: number;
  sales: number;
  products: number;
}

/** What the database holds of one store's uploads. */
async function storeState(sql: Sql, storeId: string): Promise<StoreState> {
  const [row] = await sql<StoreState[]>`
    SELECT (SELECT count(*)::int FROM uploads WHERE ${storeId} = ANY(store_ids)) AS uploads,
           (SELECT count(*)::int FROM sales WHERE store_id = ${storeId}) AS sales,
           (SELECT count(*)::int FROM products WHERE store_id = ${storeId}) AS products`;
  return row;
}

const NONE: StoreState = { uploads: 0, sales: 0, products: 0 };
const ALL: StoreState = { uploads: 1, sales: ROWS, products: PRODUCTS };

/** Sessions of this database, other than the asking one, that have written inside a transaction not yet ended. */
async function writingSessions(sql: Sql): Promise<string[]> {
  const rows = await sql<{ query: string }[]>`
    SELECT query FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL`;
  return rows.map((r) => r.query.replace(/\s+/g, ' ').slice(0, 80));
}

async function otherSessions(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  return n;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    try {
      total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
    } catch {
      /* removed meanwhile (PGlite's temporary files) */
    }
  }
  return total;
}

describe.each(testBackends)('a client that hangs up half way through an upload, on %s', (kind) => {
  let server: TestServer;
  const file = multipartBody('big.csv', salesCsv(ROWS, 'CUT'));
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => server?.close());

  it('while sending the body: nothing is stored and the service keeps answering', async () => {
    const half = multipartBody('half.csv', salesCsv(ROWS, 'HALF'));
    const upload = sendUpload(server.url, half, half.body.length >> 1);
    await upload.sent;
    await sleep(300);
    upload.destroy();
    await expect(upload.response).rejects.toThrow();
    // Nothing can arrive later: poll a while to be sure.
    for (let i = 0; i < 10; i++) {
      expect(await storeState(server.db.sql, 'HALF')).toEqual(NONE);
      await sleep(100);
    }
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const stores = StoresResponse.parse(await (await fetch(`${server.url}/stores`)).json());
    expect(stores.stores.map((s) => s.store_id)).not.toContain('HALF');
  });

  it('after sending the whole body, while the server stores it: all of it or none, never a part', async () => {
    const upload = sendUpload(server.url, file);
    await upload.sent;
    if (kind === 'postgres') {
      // Hang up once the upload's transaction has written something.
      await waitFor('the upload transaction', async () => ((await writingSessions(server.db.sql)).length ? true : undefined));
    } else {
      await sleep(300);
    }
    upload.destroy();

    // Every look at the tables, while the server finishes or abandons the upload, sees none or all of it.
    const seen = new Set<string>();
    const until = Date.now() + 30_000;
    let state: StoreState;
    do {
      state = await storeState(server.db.sql, 'CUT');
      seen.add(JSON.stringify(state));
      expect([NONE, ALL]).toContainEqual(state);
      if (state.sales === ROWS) break;
      await sleep(50);
    } while (Date.now() < until);
    // The whole body had arrived, so the server stores it although nobody is waiting for the answer.
    expect(state, `states seen: ${[...seen].join(' ')}`).toEqual(ALL);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const stores = StoresResponse.parse(await (await fetch(`${server.url}/stores`)).json());
    expect(stores.stores.find((s) => s.store_id === 'CUT')).toMatchObject({ products: PRODUCTS, records: ROWS });
  });
});

describe.each(testBackends)('the service killed with SIGKILL while it stores a large upload, on %s', (kind) => {
  let postgresDb: Database | undefined;
  let dataDir = '';
  let service: ServiceProcess | undefined;
  const file = multipartBody('big.csv', salesCsv(ROWS, 'KILL'));

  beforeAll(async () => {
    if (kind === 'postgres') postgresDb = await openTestDatabase('postgres');
    else dataDir = mkdtempSync(join(tmpdir(), 'df-kill-'));
  });
  afterAll(async () => {
    await service?.kill();
    await postgresDb?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    service = await startServiceProcess(postgresDb ? { DATABASE_URL: postgresDb.url } : { DATA_DIR: dataDir });
    return service;
  };
  /** The database as the next start will find it. PGlite: opened here, after the kill, which runs its recovery. */
  const stateAfterKill = async (): Promise<StoreState> => {
    if (postgresDb) {
      // The killed service's sessions end (and roll back) once the server notices the dropped connections.
      await waitFor('the killed service sessions to end', async () => ((await otherSessions(postgresDb!.sql)) === 0 ? true : undefined));
      return storeState(postgresDb.sql, 'KILL');
    }
    const db = await openDatabase({ dataDir: join(dataDir, 'pglite'), poolSize: 2 });
    try {
      return await storeState(db.sql, 'KILL');
    } finally {
      await db.close();
    }
  };

  it('after a restart the database holds none of the upload, and the service answers', async () => {
    const first = await start();
    const pgliteDir = join(dataDir, 'pglite');
    const before = postgresDb ? 0 : dirBytes(pgliteDir);
    const upload = sendUpload(first.url, file);
    await upload.sent;
    let doing = '';
    if (postgresDb) {
      // Kill once the upload's transaction has written rows, a little into its work.
      const sessions = await waitFor('the upload transaction', async () => {
        const writing = await writingSessions(postgresDb!.sql);
        return writing.length ? writing : undefined;
      });
      await sleep(150);
      doing = `writing: ${sessions.join(' | ')}; now: ${(await writingSessions(postgresDb.sql)).join(' | ')}`;
      // Nobody else sees a part of it meanwhile.
      expect(await storeState(postgresDb.sql, 'KILL')).toEqual(NONE);
    } else {
      // PGlite writes its files as it goes: kill when a good part of the upload has reached the disk.
      await waitFor('PGlite to write the upload', () => (dirBytes(pgliteDir) - before > 8 * 2 ** 20 ? true : undefined));
      doing = `${((dirBytes(pgliteDir) - before) / 2 ** 20).toFixed(1)} MiB written`;
    }
    await first.kill('SIGKILL');
    console.log(`${kind}: killed the service while ${doing}`);
    await expect(upload.response, 'the service answered before it was killed').rejects.toThrow();

    expect(await stateAfterKill(), `killed while ${doing}`).toEqual(NONE);
    const again = await start();
    expect((await fetch(`${again.url}/health`)).status).toBe(200);
    const stores = StoresResponse.parse(await (await fetch(`${again.url}/stores`)).json());
    expect(stores.stores.map((s) => s.store_id)).not.toContain('KILL');

    // The same upload through the restarted service is stored in full, and a kill just after its answer keeps it.
    const upload2 = sendUpload(again.url, file);
    const answer = await upload2.response;
    expect(answer.status, answer.body).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ records: ROWS, inserted: ROWS });
    await again.kill('SIGKILL');
    expect(await stateAfterKill()).toEqual(ALL);
  });
});
