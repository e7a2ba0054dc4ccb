// The only module that knows whether we talk to an embedded PGlite or to a PostgreSQL server.
import { mkdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import postgres from 'postgres';
import { DATE } from './arrays';
import type { FromPgliteThread, PgliteThreadData, ToPgliteThread } from './pglite-thread';

export type Sql = postgres.Sql<Record<string, unknown>>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  sql: Sql;
  kind: DatabaseKind;
  /** Where the data lives, for logs: a URL without password, or the PGlite data directory. */
  location: string;
  /** A URL other threads and processes of this service can connect with (PGlite: its local socket). */
  url: string;
  /**
   * Embedded database only: the transactions this process opens on it. PGlite has one session, so while one is open
   * (an upload's, for tens of seconds) every other connection waits for its end.
   */
  transactions?: TransactionActivity;
  close(): Promise<void>;
}

export interface TransactionActivity {
  /** Transactions open now. */
  readonly open: number;
  /** Transactions ended so far, committed or rolled back: a change means the data may have changed. */
  readonly ended: number;
  /** Called after each transaction ends. */
  onEnd(listener: () => void): void;
  /** null as soon as a transaction is open; never, if `until` settles first. */
  opened(until: Promise<unknown>): Promise<null>;
}

export interface OpenOptions {
  /** A PostgreSQL URL; without it an embedded PGlite is started. */
  url?: string;
  /** PGlite data directory; undefined keeps the embedded database in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

// Dates stay YYYY-MM-DD strings end to end: no time zones can shift a sales day.
const clientOptions = (poolSize: number) => ({
  max: poolSize,
  onnotice: () => {},
  types: {
    date: { to: DATE, from: [DATE], serialize: (x: string) => x, parse: (x: string) => x },
  },
});

/** A client for a database opened elsewhere in this service (a training thread), with the same type handling. */
export function connectUrl(url: string, poolSize = 2): Sql {
  return postgres(url, clientOptions(poolSize)) as unknown as Sql;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const poolSize = options.poolSize ?? 8;
  if (options.url) {
    const sql = postgres(options.url, clientOptions(poolSize)) as unknown as Sql;
    await sql`select 1`;
    return { sql, kind: 'postgres', location: redact(options.url), url: options.url, close: () => sql.end({ timeout: 5 }) };
  }

  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // The socket multiplexes the pool's connections onto the single PGlite session; it must admit all of them.
  const thread = await startPgliteThread({ dataDir: options.dataDir, maxConnections: poolSize + 2 });
  const sql = postgres({
    host: thread.host,
    port: thread.port,
    user: 'postgres',
    database: 'postgres',
    ...clientOptions(poolSize),
  }) as unknown as Sql;
  return {
    sql,
    kind: 'pglite',
    location: options.dataDir ?? 'memory://',
    url: `postgres://postgres@${thread.host}:${thread.port}/postgres`,
    transactions: trackTransactions(sql),
    close: async () => {
      await sql.end({ timeout: 5 });
      await thread.close();
    },
  };
}

// The service runs from its TypeScript sources: the entry registers tsx's loader inside the thread.
const PGLITE_THREAD_ENTRY = new URL('./pglite-thread-entry.mjs', import.meta.url);

/** Starts PGlite and its socket server in a thread of their own (pglite-thread.ts says why). */
async function startPgliteThread(data: PgliteThreadData): Promise<{ host: string; port: number; close(): Promise<void> }> {
  const worker = new Worker(PGLITE_THREAD_ENTRY, { workerData: data });
  const next = () =>
    new Promise<FromPgliteThread>((resolve) => {
      const onMessage = (msg: FromPgliteThread) => settle(msg);
      const onError = (err: Error) => settle({ type: 'error', message: err.message });
      const onExit = (code: number) => settle({ type: 'error', message: `the database thread exited with code ${code}` });
      const settle = (msg: FromPgliteThread) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve(msg);
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
  const started = await next();
  if (started.type !== 'listening') {
    await worker.terminate();
    throw new Error(`The embedded database did not start: ${started.type === 'error' ? started.message : started.type}`);
  }
  return {
    host: started.host,
    port: started.port,
    close: async () => {
      const closed = next();
      worker.postMessage({ type: 'close' } satisfies ToPgliteThread);
      await closed;
      await worker.terminate();
    },
  };
}

/**
 * Counts the transactions opened through this client. On PGlite each one holds the single session until it ends, so
 * readiness and catalog reads look here rather than queue behind an upload.
 */
function trackTransactions(sql: Sql): TransactionActivity {
  let open = 0;
  let ended = 0;
  const listeners: (() => void)[] = [];
  const waiters = new Set<() => void>();
  const begin = sql.begin.bind(sql) as (...args: unknown[]) => Promise<unknown>;
  (sql as unknown as { begin: typeof begin }).begin = async (...args) => {
    open++;
    for (const wake of waiters) wake();
    waiters.clear();
    try {
      return await begin(...args);
    } finally {
      open--;
      ended++;
      for (const listener of listeners) listener();
    }
  };
  return {
    get open() {
      return open;
    },
    get ended() {
      return ended;
    },
    onEnd: (listener) => void listeners.push(listener),
    opened: (until) =>
      new Promise((resolve) => {
        if (open > 0) return resolve(null);
        const wake = () => resolve(null);
        waiters.add(wake);
        const forget = () => waiters.delete(wake);
        until.then(forget, forget);
      }),
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}
