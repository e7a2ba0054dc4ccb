// A refused upload reaches the client as an answer, not a reset: over the size limit (413) or without a key (401),
// sent through real sockets while the client is still writing the body. The server answers at once, reads and drops
// a bounded part of the rest (drain.ts), then closes; a body far beyond that bound is cut instead of read to its end.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { DRAIN_LIMITS } from '../drain';
import { startTestServer, type TestServer } from '../testing/server';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;
const BOUNDARY = 'refusal-boundary';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: ErrorBody;
}

/**
 * POSTs `total` bytes through node:http, 64 KiB at a time with a pause between writes (as a slow link would), with a
 * declared Content-Length (a browser's FormData upload) or chunked. Resolves with the answer, or rejects with the
 * socket error (EPIPE, ECONNRESET) if the connection was reset before the answer could be read.
 */
function slowPost(server: TestServer, path: string, total: number, options: { chunked?: boolean; pauseMs?: number } = {}) {
  const url = new URL(path, server.url);
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(options.chunked ? {} : { 'content-length': total }),
      },
    });
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) as ErrorBody });
        } catch (err) {
          reject(err);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(CHUNK, 'a');
    let sent = 0;
    const next = () => {
      if (req.destroyed || req.writableEnded) return;
      if (sent >= total) return void req.end();
      sent += CHUNK;
      req.write(chunk, () => setTimeout(next, options.pauseMs ?? 2));
    };
    next();
  });
}

/**
 * A browser's way: it reads the answer only once it has sent the whole body. Raw HTTP/1.1 over a socket that is kept
 * paused until the last byte is written: an answer the kernel received and the reset then discarded is lost, as in a
 * browser. Resolves with the status line and body, or with the socket error.
 */
function browserLikePost(server: TestServer, path: string, total: number, extraHeaders = '') {
  const url = new URL(path, server.url);
  return new Promise<{ statusLine: string; body: string; error?: string }>((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.pause();
    let received = '';
    let error: string | undefined;
    socket.on('error', (err: NodeJS.ErrnoException) => (error = err.code ?? err.message));
    socket.on('close', () => {
      const split = received.indexOf('\r\n\r\n');
      resolve({ statusLine: received.split('\r\n')[0], body: split < 0 ? '' : received.slice(split + 4), error });
    });
    socket.write(
      `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
        `Content-Length: ${total}\r\n${extraHeaders}\r\n`,
    );
    const chunk = Buffer.alloc(CHUNK, 'a');
    let sent = 0;
    const next = () => {
      if (socket.destroyed) return;
      if (sent >= total) {
        socket.on('data', (c: Buffer) => (received += c.toString('utf8')));
        socket.resume();
        return;
      }
      sent += CHUNK;
      socket.write(chunk, () => setTimeout(next, 1));
    };
    next();
  });
}

describe.each(testBackends)('a refused upload is answered readably on %s', (kind) => {
  let server: TestServer;
  let keyed: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { MAX_UPLOAD_MB: 1 });
    keyed = await startTestServer(kind, { env: { REQUIRE_API_KEY: '1' } });
  });
  afterAll(async () => {
    await server?.close();
    await keyed?.close();
  });

  it('413 in the error shape to a node:http client writing 3 MB slowly (declared length)', async () => {
    const answer = await slowPost(server, '/upload_data', 3 * MB);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body.error).toMatchObject({ code: 'payload_too_large', details: { max_bytes: MB } });
    expect(answer.body.error.message).toMatch(/1 MB limit.*MAX_UPLOAD_MB/);
  });

  it('413 to a chunked upload that crosses the limit while streaming', async () => {
    const answer = await slowPost(server, '/upload_data', 3 * MB, { chunked: true });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('payload_too_large');
  });

  it('413 to a client that reads only after sending its whole body (as a browser does)', async () => {
    const got = await browserLikePost(server, '/upload_data', 3 * MB);
    expect(got.error).toBeUndefined();
    expect(got.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect((JSON.parse(got.body) as ErrorBody).error.code).toBe('payload_too_large');
  });

  it('401 in the error shape to an upload without a key, read after the body is sent', async () => {
    const answer = await slowPost(keyed, '/upload_data', 3 * MB);
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
    const got = await browserLikePost(keyed, '/upload_data', 3 * MB);
    expect(got.error).toBeUndefined();
    expect(got.statusLine).toBe('HTTP/1.1 401 Unauthorized');
    expect((JSON.parse(got.body) as ErrorBody).error.message).toMatch(/needs an API key/);
  });

  it('cuts a body far beyond the drain bound instead of reading it to its end', async () => {
    const url = new URL(server.url);
    const started = performance.now();
    const accepted = await new Promise<number>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      socket.on('error', () => {});
      socket.resume();
      socket.write(
        `POST /upload_data HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\n` +
          `Content-Length: ${1024 * MB}\r\n\r\n`,
      );
      const chunk = Buffer.alloc(CHUNK, 'a');
      let sent = 0;
      const next = () => {
        if (socket.destroyed || !socket.writable) return resolve(sent);
        sent += CHUNK;
        socket.write(chunk, (err) => (err ? resolve(sent) : setImmediate(next)));
      };
      socket.on('close', () => resolve(sent));
      next();
    });
    // What the server read, plus what the kernels' buffers took: nowhere near the declared gigabyte.
    expect(accepted).toBeLessThan(DRAIN_LIMITS.maxBytes + 64 * MB);
    expect(performance.now() - started).toBeLessThan(DRAIN_LIMITS.maxMs + 5_000);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('still answers a JSON request and an accepted upload afterwards', async () => {
    expect((await fetch(`${server.url}/stores`)).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob(['date,store_id,product_id,units\n2024-01-01,REFUSAL,P1,3\n']), 'ok.csv');
    const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
  });
});
