// Test support: a database that does not answer for a while, to catch requests in flight (timeouts, shutdown).
import type { Database } from '../db/connection';

/**
 * Holds up the queries that read sales or products for `ms` and resolves once the hold is in place; `released`
 * settles when it ends. A transaction stays open that long: on PostgreSQL it holds an exclusive lock on those
 * tables; PGlite serves one session, and while one connection has a transaction open the others wait. It is opened
 * by hand on a reserved connection, as another process would hold the database: the service's own transactions
 * (`sql.begin`) are counted, and on PGlite readiness and catalog reads do not wait for those (db/connection.ts).
 */
export async function holdDatabase(db: Database, ms: number): Promise<{ released: Promise<void> }> {
  const conn = await db.sql.reserve();
  await conn`BEGIN`;
  if (db.kind === 'postgres') await conn`LOCK TABLE sales, products IN ACCESS EXCLUSIVE MODE`;
  else await conn`SELECT 1`;
  const released = new Promise((r) => setTimeout(r, ms))
    .then(async () => {
      await conn`COMMIT`;
    })
    .finally(() => conn.release());
  return { released };
}
