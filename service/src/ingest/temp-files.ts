// Temporary files of uploads (the saved request body, the row spool): named after the process that made them, so a
// process that was killed mid-upload leaves nothing behind for long: the next start removes what dead processes left.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'df-upload-';

/** A fresh temporary directory of this process for one upload (TMPDIR, else the system's). */
export function uploadTempDir(): string {
  return mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists under another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the upload directories of processes that no longer run; answers how many. */
export function removeStaleUploadFiles(dir = tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!match || alive(Number(match[1]))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
