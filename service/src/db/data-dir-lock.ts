// The embedded PGlite database is one process's: two processes opening the same directory would each write their own
// copy and lose the other's changes (PGlite does not stop them). A lock file next to the data says who has it open.
import { hostname } from 'node:os';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class DataDirLocked extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: { pid: number; host: string; since: string },
  ) {
    super(
      `The embedded database next to ${lockFile} is open in process ${holder.pid} on ${holder.host} (since ${holder.since}), ` +
        'probably the running service. Stop it first, or run the service on PostgreSQL (DATABASE_URL) so that several processes can use the database. ' +
        `If no such process exists any more, delete ${lockFile}.`,
    );
    this.name = 'DataDirLocked';
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the lock for `dataDir` (file `<dataDir>.lock`) or throws DataDirLocked. A lock left by a process that no
 * longer exists on this host (killed, crashed) is taken over. Returns the release function.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const lockFile = `${dataDir.replace(/[\\/]+$/, '')}.lock`;
  await mkdir(dirname(lockFile), { recursive: true });
  const mine = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, JSON.stringify(mine), { flag: 'wx' });
      return async () => {
        await rm(lockFile, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(lockFile);
    const stale = !holder || (holder.host === mine.host && (holder.pid === process.pid || !alive(holder.pid)));
    if (!stale) throw new DataDirLocked(lockFile, holder!);
    await rm(lockFile, { force: true });
  }
  throw new Error(`could not take the lock ${lockFile}`);
}

/** The lock's content; null when it stays unreadable (left half-written by a crash, not just being written). */
async function readHolder(lockFile: string): Promise<{ pid: number; host: string; since: string } | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return JSON.parse(await readFile(lockFile, 'utf8'));
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return null;
}
