// Test support: a database that does not answer for a while, to catch requests in flight (timeouts, shutdown).
import type { Database } from '../db/connection';

/**
 * Holds up the queries that read sales or products for `ms` and resolves once the hold is in place; `released`
 * settles when it ends. A transaction stays open that long: on PostgreSQL it holds an exclusive lock on those
 * tables; PGlite serves one session, and while one connection has a transaction open the others wait.
 */
export async function holdDatabase(db: Database, ms: number): Promise<{ released: Promise<void> }> {
  let inPlace!: () => void;
  const held = new Promise<void>((resolve) => (inPlace = resolve));
  const released = db.sql
    .begin(async (tx) => {
      if (db.kind === 'postgres') await tx`LOCK TABLE sales, products IN ACCESS EXCLUSIVE MODE`;
      else await tx`SELECT 1`;
      inPlace();
      await new Promise((r) => setTimeout(r, ms));
    })
    .then(() => {});
  await held;
  return { released };
}
