// Body size and time limits, answering in the error shape (413, 408).
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import type { ErrorBody } from '../../../shared/schemas';

/** Caps a request body at `maxBytes` (declared or streamed), 413 beyond. */
export function bodySizeLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      // The rest of the body is not wanted: the server drains a bounded part of it so that the client can read this
      // answer (drain.ts), then closes the connection; say so.
      c.header('Connection', 'close');
      const body: ErrorBody = {
        error: {
          code: 'payload_too_large',
          message: `The request body exceeds the ${formatBytes(maxBytes)} limit`,
          details: { max_bytes: maxBytes },
        },
      };
      return c.json(body, 413);
    },
  });
}

/** The exception the timeout raises; the app's error handler turns it into a 408 `request_timeout`. */
export class RequestTimeout extends HTTPException {
  constructor(readonly ms: number) {
    super(408, { message: `The request took longer than ${ms / 1000} s and was stopped; try a smaller request or again later` });
  }
}

/**
 * Answers 408 when the handler takes longer than `ms`. The work itself is not interrupted (JavaScript cannot stop a
 * running promise): reads simply finish unseen. Uploads are excepted by the caller, because an upload that kept going
 * would commit after its client was told it failed.
 */
export function requestTimeout(ms: number): MiddlewareHandler {
  return timeout(ms, () => new RequestTimeout(ms));
}

export const formatBytes = (n: number) =>
  n >= 1 << 20 ? `${+(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
