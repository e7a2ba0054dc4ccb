// Readiness (/ready): whether this instance should get traffic. Not while its database is unreachable or behind on
// migrations, and not once it has begun shutting down (the load balancer stops sending while requests drain).
import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../db/connection';
import { loadMigrations } from '../db/migrate';
import { appliedMigrationVersions } from '../db/operations';
import { withTimeout } from './with-timeout';

// A probe must answer in time even when the database hangs.
const CHECK_TIMEOUT_MS = 2_000;

export type ReadyState =
  { ready: true } | { ready: false; reason: 'shutting_down' | 'database_unreachable' | 'migrations_pending'; message: string };

export class Readiness {
  private shuttingDown = false;
  private inFlight = 0;
  private expected: Promise<number[]> | null = null;

  constructor(private readonly sql: Sql) {}

  get draining(): boolean {
    return this.shuttingDown;
  }

  /** Requests being answered right now. */
  get requestsInFlight(): number {
    return this.inFlight;
  }

  beginShutdown(): void {
    this.shuttingDown = true;
  }

  async check(): Promise<ReadyState> {
    if (this.shuttingDown) return { ready: false, reason: 'shutting_down', message: 'This instance is shutting down' };
    let applied: number[] | null;
    try {
      applied = await withTimeout(appliedMigrationVersions(this.sql), CHECK_TIMEOUT_MS);
    } catch {
      return { ready: false, reason: 'database_unreachable', message: 'The database does not answer' };
    }
    const expected = await (this.expected ??= loadMigrations().then((ms) => ms.map((m) => m.version)));
    const done = new Set(applied ?? []);
    const pending = expected.filter((v) => !done.has(v));
    if (pending.length > 0) {
      return { ready: false, reason: 'migrations_pending', message: `${pending.length} database migration(s) not applied yet` };
    }
    return { ready: true };
  }

  /** Counts requests in flight; once shutting down, asks clients to close their connection after the answer. */
  track(): MiddlewareHandler {
    return async (c, next) => {
      this.inFlight++;
      try {
        await next();
      } finally {
        this.inFlight--;
        if (this.shuttingDown) c.header('Connection', 'close');
      }
    };
  }
}
