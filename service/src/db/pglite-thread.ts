// The embedded PGlite and its socket server, in a thread of their own (started by connection.ts). PGlite executes
// each statement synchronously (WebAssembly): in the service's main thread, an upload's merge of half a million rows
// kept the event loop from answering anything, /health included, for seconds at a time.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { parentPort, workerData } from 'node:worker_threads';

export interface PgliteThreadData {
  /** Undefined keeps the database in memory. */
  dataDir?: string;
  maxConnections: number;
}
export type ToPgliteThread = { type: 'close' };
export type FromPgliteThread = { type: 'listening'; host: string; port: number } | { type: 'error'; message: string } | { type: 'closed' };

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

async function main(port: NonNullable<typeof parentPort>, data: PgliteThreadData): Promise<void> {
  const send = (msg: FromPgliteThread) => port.postMessage(msg);
  let pglite: PGlite;
  let server: PGLiteSocketServer;
  try {
    pglite = await PGlite.create(data.dataDir);
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: data.maxConnections });
    groupMessagesUntilSync(server);
    await server.start();
  } catch (err) {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
    return;
  }
  port.on('message', async (msg: ToPgliteThread) => {
    if (msg.type !== 'close') return;
    try {
      await server.stop();
      await pglite.close();
    } finally {
      send({ type: 'closed' });
      port.close();
    }
  });
  const [host, listening] = server.getServerConn().split(':');
  send({ type: 'listening', host, port: Number(listening) });
}

if (parentPort) void main(parentPort, workerData as PgliteThreadData);
