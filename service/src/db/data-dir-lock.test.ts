import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLocked, lockDataDir } from './data-dir-lock';

describe('embedded database lock', () => {
  const root = mkdtempSync(join(tmpdir(), 'lock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lets one holder in, names it to the next, and frees the directory on release', async () => {
    const dir = join(root, 'a', 'pglite');
    const release = await lockDataDir(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    // Another process on this host holds it: simulated by a live pid that is not ours (our parent).
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: process.ppid, host: hostname(), since: 'earlier' }));
    const refused = await lockDataDir(dir).catch((e) => e);
    expect(refused).toBeInstanceOf(DataDirLocked);
    expect(refused.message).toMatch(new RegExp(`open in process ${process.ppid}.*Stop it first.*DATABASE_URL`));
    await release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    await (
      await lockDataDir(dir)
    )();
  });

  it('takes over a lock left by a process that is gone (killed, crashed)', async () => {
    const dir = join(root, 'b', 'pglite');
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = child.pid!;
    await new Promise((r) => child.once('exit', r));
    await lockDataDir(dir);
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: deadPid, host: hostname(), since: 'earlier' }));
    const release = await lockDataDir(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('does not guess about a holder on another host', async () => {
    const dir = join(root, 'c', 'pglite');
    await lockDataDir(dir);
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: 1, host: 'some-other-host', since: 'earlier' }));
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirLocked);
  });
});
