// Readiness (/ready): whether this instance should get traffic. Not while its database is unreachable or behind on
// migrations, and not once it has begun shutting down (the load balancer stops sending while requests drain).
import type { MiddlewareHandler } from 'hono';
import type { Sql, TransactionActivity } from '../db/connection';
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
  /** Every migration was seen applied once; they are never taken back. */
  private migrated = false;

  /**
   * `transactions`: the embedded database's (connection.ts). It runs in this process and has one session: while a
   * transaction of ours holds it (an upload's, for tens of seconds), it is alive and working, and a probe would only
   * queue behind it until the upload committed. So then the probe does not ask it.
   */
  constructor(
    private readonly sql: Sql,
    private readonly transactions?: TransactionActivity,
  ) {}

  private get databaseHeld(): boolean {
    return this.migrated && (this.transactions?.open ?? 0) > 0;
  }

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
    if (this.databaseHeld) return { ready: true };
    let applied: number[] | null | 'held';
    try {
      // A transaction of ours may take the embedded database after the probe asked: then it answers at once.
      applied = await withTimeout(Promise.race([appliedMigrationVersions(this.sql), this.untilHeld()]), CHECK_TIMEOUT_MS);
    } catch {
      return { ready: false, reason: 'database_unreachable', message: 'The database does not answer' };
    }
    if (applied === 'held') return { ready: true };
    const expected = await (this.expected ??= loadMigrations().then((ms) => ms.map((m) => m.version)));
    const done = new Set(applied ?? []);
    const pending = expected.filter((v) => !done.has(v));
    if (pending.length > 0) {
      return { ready: false, reason: 'migrations_pending', message: `${pending.length} database migration(s) not applied yet` };
    }
    this.migrated = true;
    return { ready: true };
  }

  /** Resolves once a transaction of ours holds the embedded database (never on PostgreSQL, nor before the timeout). */
  private untilHeld(): Promise<'held'> {
    if (!this.transactions || !this.migrated) return new Promise(() => {});
    return new Promise((resolve) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (this.databaseHeld || Date.now() - started > CHECK_TIMEOUT_MS) clearInterval(timer);
        if (this.databaseHeld) resolve('held');
      }, 25);
    });
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
