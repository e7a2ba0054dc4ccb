import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectUrl, openDatabase, type Database } from './connection';

describe('embedded PGlite over its socket', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ poolSize: 4 });
  });
  afterAll(async () => db?.close());

  it('serves many clients running parameterised queries at once without mixing their statements', async () => {
    // A second client, as the training thread has, next to the pool.
    const other = connectUrl(db.url, 2);
    try {
      await db.sql`CREATE TABLE numbers (n int)`;
      await db.sql`INSERT INTO numbers SELECT generate_series(1, 1000)`;
      const queries = Array.from({ length: 400 }, (_, i) => {
        const client = i % 3 === 0 ? other : db.sql;
        return client<{ total: number; echo: string }[]>`
          SELECT sum(n)::int AS total, ${`q${i}`}::text AS echo FROM numbers WHERE n <= ${i + 1}`;
      });
      const results = await Promise.all(queries);
      results.forEach(([row], i) => {
        expect(row.echo).toBe(`q${i}`);
        expect(row.total).toBe(((i + 1) * (i + 2)) / 2);
      });
    } finally {
      await other.end();
    }
  });

  it('keeps a transaction on its own connection while others wait', async () => {
    const inside = db.sql.begin(async (tx) => {
      await tx`INSERT INTO numbers VALUES (-1)`;
      await new Promise((r) => setTimeout(r, 100));
      const [{ c }] = await tx<{ c: number }[]>`SELECT count(*)::int AS c FROM numbers WHERE n = -1`;
      return c;
    });
    const outside = db.sql<{ c: number }[]>`SELECT count(*)::int AS c FROM numbers WHERE n = ${-1}`;
    const [seenInside, [seenOutside]] = await Promise.all([inside, outside]);
    expect(seenInside).toBe(1);
    expect([0, 1]).toContain(seenOutside.c);
  });
});
