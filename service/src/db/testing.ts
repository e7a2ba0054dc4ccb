// Test support: every database test runs on the embedded PGlite and, when TEST_DATABASE_URL is set, on a real
// PostgreSQL server, each test suite in a database of its own.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database, type DatabaseKind } from './connection';
import { migrate } from './migrate';

export const testBackends: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<Database> {
  let db: Database;
  if (kind === 'pglite') {
    db = await openDatabase({ poolSize: 4 });
  } else {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
    const name = `dftest_${randomBytes(6).toString('hex')}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const inner = await openDatabase({ url: url.toString(), poolSize: 4 });
    db = {
      ...inner,
      close: async () => {
        await inner.close();
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  if (options.migrate !== false) await migrate(db.sql);
  return db;
}
