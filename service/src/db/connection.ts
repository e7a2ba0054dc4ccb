// The only module that knows whether we talk to an embedded PGlite or to a PostgreSQL server.
import { mkdir } from 'node:fs/promises';
import postgres from 'postgres';

export type Sql = postgres.Sql<Record<string, unknown>>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  sql: Sql;
  kind: DatabaseKind;
  /** Where the data lives, for logs: a URL without password, or the PGlite data directory. */
  location: string;
  /** A URL other threads and processes of this service can connect with (PGlite: its local socket). */
  url: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A PostgreSQL URL; without it an embedded PGlite is started. */
  url?: string;
  /** PGlite data directory; undefined keeps the embedded database in memory (tests). */
  dataDir?: string;
  poolSize?: number;
}

// Dates stay YYYY-MM-DD strings end to end: no time zones can shift a sales day.
const DATE_OID = 1082;
const clientOptions = (poolSize: number) => ({
  max: poolSize,
  onnotice: () => {},
  types: {
    date: { to: DATE_OID, from: [DATE_OID], serialize: (x: string) => x, parse: (x: string) => x },
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

  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir);
  // The socket multiplexes the pool's connections onto the single PGlite session; it must admit all of them.
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: poolSize + 2 });
  groupMessagesUntilSync(server);
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  const sql = postgres({
    host,
    port: Number(port),
    user: 'postgres',
    database: 'postgres',
    ...clientOptions(poolSize),
  }) as unknown as Sql;
  return {
    sql,
    kind: 'pglite',
    location: options.dataDir ?? 'memory://',
    url: `postgres://postgres@${host}:${port}/postgres`,
    close: async () => {
      await sql.end({ timeout: 5 });
      await server.stop();
      await pglite.close();
    },
  };
}

type Enqueue = (handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) => Promise<number>;

/**
 * pglite-socket runs each protocol message of each connection as it arrives, so the Parse/Bind/Execute of two
 * connections can interleave on PGlite's single session and one clobbers the other's unnamed portal ("portal does
 * not exist"). Here a connection's extended-protocol messages are held until its Sync (or a simple Query, Flush,
 * Terminate or COPY message) and then run as one unit, which PGlite executes in order.
 */
function groupMessagesUntilSync(server: object): void {
  const queue = (server as { queryQueue: { enqueue: Enqueue } }).queryQueue;
  const enqueue = queue.enqueue.bind(queue);
  const pending = new Map<number, Uint8Array[]>();
  // Parse, Bind, Describe, Execute, Close: the parts of an extended-protocol exchange that end with Sync.
  const HELD = new Set(['P', 'B', 'D', 'E', 'C'].map((c) => c.charCodeAt(0)));
  queue.enqueue = (handlerId, message, onData) => {
    const held = pending.get(handlerId) ?? [];
    if (HELD.has(message[0]) && held.length < 10_000) {
      held.push(message);
      pending.set(handlerId, held);
      return Promise.resolve(0);
    }
    pending.delete(handlerId);
    if (held.length === 0) return enqueue(handlerId, message, onData);
    return enqueue(handlerId, Buffer.concat([...held, message]), onData);
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
