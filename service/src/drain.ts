// A refusal the client can read. A request refused before its body was read (413 over the size limit, 401 without a
// key, 415, ...) used to get its answer written while the client was still sending, and the connection closed: the
// unread bytes made the kernel reset it, and a browser, which reads the answer only once it has sent the body, saw a
// network error (EPIPE) instead of the message. Now the answer goes out at once, complete (Content-Length) but with
// its stream held open while the rest of the body is read and dropped, up to a bound; then the connection closes.
import type { IncomingMessage } from 'node:http';

export interface DrainLimits {
  /** Body bytes read and dropped after the answer, at most. */
  maxBytes: number;
  /** How long to keep reading, at most. */
  maxMs: number;
}

/**
 * A few MB or a couple of seconds, whichever comes first: enough for a client to finish sending what it had in
 * flight, or a file somewhat over the limit; not a way to make the service read an unbounded body nobody wants.
 * Beyond it the connection closes anyway (the client may then see a reset: the pane checks sizes before sending).
 */
export const DRAIN_LIMITS: DrainLimits = { maxBytes: 8 * 1024 * 1024, maxMs: 2_000 };

/** Whether body bytes of this request may still be on the way (not all received yet). */
export function bodyStillArriving(incoming: IncomingMessage): boolean {
  if (incoming.complete || incoming.readableEnded || incoming.destroyed) return false;
  const length = incoming.headers['content-length'];
  return incoming.headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
}

/**
 * The app's answer, as it stands when the request body was fully received or the answer is not an error; otherwise
 * the same answer sent at once but finished only after draining the body (bounded), with `Connection: close`.
 */
export function answerBeforeClosing(
  response: Response,
  incoming: IncomingMessage | undefined,
  limits: DrainLimits = DRAIN_LIMITS,
): Response | Promise<Response> {
  if (!incoming || response.status < 400 || !bodyStillArriving(incoming)) return response;
  return lingering(response, incoming, limits);
}

async function lingering(response: Response, incoming: IncomingMessage, limits: DrainLimits): Promise<Response> {
  // Error answers are small JSON bodies: hold them whole, so the length is known and the client can stop reading.
  const body = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.set('content-length', String(body.byteLength));
  headers.set('connection', 'close');
  const drained = drain(incoming, limits);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (body.byteLength > 0) controller.enqueue(body);
    },
    // Asked for more once the answer is written: the end of the response (and so the close) waits for the drain.
    async pull(controller) {
      await drained;
      controller.close();
    },
  });
  return new Response(stream, { status: response.status, statusText: response.statusText, headers });
}

/** Reads and drops the rest of the body until it ends, the client goes, or a limit is reached. */
export function drain(incoming: IncomingMessage, limits: DrainLimits): Promise<{ bytes: number; ended: boolean }> {
  return new Promise((resolve) => {
    let bytes = 0;
    const finish = () => {
      clearTimeout(timer);
      incoming.off('data', onData);
      incoming.off('end', finish);
      incoming.off('close', finish);
      incoming.off('error', finish);
      resolve({ bytes, ended: incoming.readableEnded });
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxBytes) finish();
    };
    const timer = setTimeout(finish, limits.maxMs);
    if (incoming.readableEnded || incoming.destroyed) return finish();
    // Whoever read part of the body (a body-limit reader, a multipart parser) is done with it: their listeners
    // would keep the dropped bytes in memory, or pause the stream. Node's own discard (IncomingMessage._dump) does so too.
    incoming.removeAllListeners('data');
    incoming.on('data', onData);
    incoming.on('end', finish);
    incoming.on('close', finish);
    incoming.on('error', finish);
    incoming.resume();
  });
}
