// Shared HTTP plumbing: validation that answers in the error shape, and the HTTP server that serves the app.
import { getRequestListener, RequestError, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { createServer, IncomingMessage, STATUS_CODES, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { z } from 'zod';
import type { ErrorBody } from '../../shared/schemas';
import { answerBeforeClosing } from './drain';
import { AppError } from './errors';

/** A PEM certificate (chain) and its private key: the server then speaks HTTPS. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * Serves the app like @hono/node-server's serve(), except that requests refused before the app sees them are answered
 * in the error shape too: by the adapter (a backslash in the path, a bad Host header) or by node's HTTP parser
 * (headers over 16 KiB, a request that is not HTTP). Both would otherwise answer a bare status line. An error answer
 * given before the request body arrived is sent at once and the body drained (bounded) before closing (drain.ts), so
 * the client can read it. With `tls`, over HTTPS.
 */
export function serveApp(
  options: {
    fetch: (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;
    port: number;
    hostname: string;
    tls?: TlsFiles;
  },
  onListening?: (info: AddressInfo) => void,
): Server {
  const fetch = (request: Request, env: HttpBindings | Http2Bindings) => {
    const answer = options.fetch(request, env);
    const incoming = env.incoming instanceof IncomingMessage ? env.incoming : undefined;
    return answer instanceof Promise ? answer.then((res) => answerBeforeClosing(res, incoming)) : answerBeforeClosing(answer, incoming);
  };
  const listener = getRequestListener(fetch, { hostname: options.hostname, errorHandler: adapterErrorResponse });
  // node:https's Server is node:http's over TLS (the same request handling, timeouts and connection methods).
  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener)
    : createServer(listener);
  server.on('clientError', answerClientError);
  // Node closes a kept-alive connection after 5 s without a request. A busy server can read a request that arrived in
  // time only after that timer fired (timers run before reads), and the client gets ECONNRESET: seen under 50
  // concurrent clients. A long idle time (longer than the usual load-balancer 60 s) makes that window irrelevant.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Node stops a request whose body takes over 300 s to arrive; an upload of a chain's sales may take longer on a slow
  // link. Headers still have to arrive in time (above), and the body limit bounds what is read.
  server.requestTimeout = 0;
  server.listen(options.port, options.hostname, () => onListening?.(server.address() as AddressInfo));
  return server;
}

function adapterErrorResponse(err: unknown): Response {
  const body: ErrorBody =
    err instanceof RequestError
      ? { error: { code: 'bad_request', message: `Malformed request: ${err.message}` } }
      : { error: { code: 'internal_error', message: 'Something went wrong on our side' } };
  return Response.json(body, { status: err instanceof RequestError ? 400 : 500 });
}

/** Node's own answer to an unparseable request, as its documentation shows, with our error body. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const code = status === 431 ? 'headers_too_large' : status === 408 ? 'request_timeout' : 'bad_request';
  const message =
    status === 431
      ? 'The request line and headers exceed 16 KiB'
      : status === 408
        ? 'The request took too long to arrive'
        : 'Malformed HTTP request';
  const body = JSON.stringify({ error: { code, message } } satisfies ErrorBody);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Describes zod issues as one sentence naming each field, e.g. "horizon_days: must be at most 180". */
export function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues;
      const where = target === 'json' ? 'request body' : target === 'param' ? 'path' : target;
      throw new AppError(422, 'invalid_request', `Invalid ${where}: ${describeIssues(issues)}`, {
        issues: issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
  });
