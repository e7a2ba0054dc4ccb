// postgres.js keeps its pool's state to itself, so use is counted here, around the client: statements sent and not
// yet answered, and transactions open (each holds one connection for its whole life). In-flight statements beyond
// the pool size are waiting for a connection.
import type { Sql } from '../db/connection';

export interface PoolUsage {
  /** Statements sent through the client and not yet answered (running or waiting for a connection). */
  queries: number;
  /** Transactions open (`sql.begin`), each holding a connection. */
  transactions: number;
}

interface Executable {
  executed?: boolean;
  handle(): Promise<void>;
}

const isQuery = (x: unknown): x is Executable & PromiseLike<unknown> =>
  x instanceof Promise && typeof (x as Partial<Executable>).handle === 'function';

/**
 * Returns the same client, counting. A query object only counts once it executes: fragments built with sql`...` and
 * spliced into another query never run on their own and are never counted.
 */
export function trackPoolUsage(sql: Sql): { sql: Sql; usage: () => PoolUsage } {
  const usage: PoolUsage = { queries: 0, transactions: 0 };
  const done = () => {
    usage.queries--;
  };
  const track = <T>(query: T): T => {
    if (!isQuery(query)) return query;
    const handle = query.handle;
    query.handle = function (this: Executable) {
      if (!this.executed) {
        usage.queries++;
        // The base then: Query's own then would execute the query a second time.
        Promise.prototype.then.call(this, done, done);
      }
      return handle.call(this);
    };
    return query;
  };
  const tracked = new Proxy(sql, {
    apply: (target, self, args) => track(Reflect.apply(target, self, args)),
    get: (target, prop, receiver) => {
      const value = Reflect.get(target, prop, receiver);
      if (prop === 'unsafe') return (...args: unknown[]) => track((value as (...a: unknown[]) => unknown)(...args));
      if (prop === 'begin') {
        return async (...args: unknown[]) => {
          usage.transactions++;
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>)(...args);
          } finally {
            usage.transactions--;
          }
        };
      }
      return value;
    },
  });
  return { sql: tracked, usage: () => ({ ...usage }) };
}
