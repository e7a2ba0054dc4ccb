import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error the client can act on. Routes and domain code throw it; the app's error handler turns it into
 * `{ error: { code, message, details? } }` with `status`.
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string, details?: unknown) => new AppError(404, 'not_found', `${what} not found`, details);
