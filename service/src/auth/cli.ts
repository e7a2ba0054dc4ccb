// npm run keys -- create <name> | list | revoke <name|id>
// Works on the service's database: DATABASE_URL, or the embedded PGlite under DATA_DIR (only while the service is
// stopped: that database is one process's at a time).
import { resolve } from 'node:path';
import { loadConfig } from '../config';
import { openDatabase } from '../db/connection';
import { DataDirLocked, lockDataDir } from '../db/data-dir-lock';
import { migrate } from '../db/migrate';
import { AppError } from '../errors';
import { runKeysCommand, USAGE } from './keys-command';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0] === 'help' || args[0] === '--help') {
    console.log(USAGE);
    return args.length === 0 ? 1 : 0;
  }
  const config = loadConfig();
  const dataDir = config.DATABASE_URL ? undefined : resolve(config.DATA_DIR, 'pglite');
  let release: (() => Promise<void>) | undefined;
  try {
    if (dataDir) release = await lockDataDir(dataDir);
  } catch (err) {
    if (err instanceof DataDirLocked) {
      console.error(`Cannot open the embedded database: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const db = await openDatabase({ url: config.DATABASE_URL, dataDir, poolSize: 1 });
  try {
    await migrate(db.sql);
    await runKeysCommand(args, db, (line) => console.log(line));
    return 0;
  } catch (err) {
    if (err instanceof AppError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
    await release?.();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
