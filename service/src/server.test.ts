// The real start-up (server.ts) as a process on the embedded database: where it listens with and without API keys,
// the keys command refusing a database the service has open, and a clean stop on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseBinding } from './auth/binding';
import { freePort } from './reliability/service-process';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));
const CLI = fileURLToPath(new URL('./auth/cli.ts', import.meta.url));

describe('bind address', () => {
  it('is 127.0.0.1 while no key is in force, HOST (default 0.0.0.0) once one is or REQUIRE_API_KEY is set', () => {
    expect(chooseBinding({ REQUIRE_API_KEY: false }, 0)).toEqual({ host: '127.0.0.1', keyed: false });
    expect(chooseBinding({ HOST: '0.0.0.0', REQUIRE_API_KEY: false }, 0)).toEqual({
      host: '127.0.0.1',
      keyed: false,
      ignoredHost: '0.0.0.0',
    });
    expect(chooseBinding({ REQUIRE_API_KEY: false }, 2)).toEqual({ host: '0.0.0.0', keyed: true });
    expect(chooseBinding({ HOST: '10.1.2.3', REQUIRE_API_KEY: true }, 0)).toEqual({ host: '10.1.2.3', keyed: true });
  });
});

interface Run {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function run(script: string, args: string[], env: Record<string, string>): Run & { output: () => string } {
  let output = '';
  const lines: Record<string, unknown>[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', SEED_DEMO: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    for (const text of chunk.toString().split('\n')) {
      if (text.startsWith('{')) {
        try {
          lines.push(JSON.parse(text));
        } catch {
          /* a line split across chunks: the access test does not need it */
        }
      }
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited, output: () => output };
}

async function listening(service: ReturnType<typeof run>): Promise<Record<string, unknown>> {
  const until = Date.now() + 60_000;
  for (;;) {
    const line = service.lines.find((l) => l.msg && String(l.msg).startsWith('service listening'));
    if (line) return line;
    if (service.child.exitCode !== null || Date.now() > until) throw new Error(`service did not start:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const otherAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe('start-up on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'server-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('listens on 127.0.0.1 only until a key exists, then on HOST; the keys command waits for the service to stop', async () => {
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '0.0.0.0' };
    const open = run(SERVER, [], env);
    expect(await listening(open)).toMatchObject({ host: '127.0.0.1', port });
    expect(open.lines.find((l) => l.level === 40)).toMatchObject({
      ignored_host: '0.0.0.0',
      msg: expect.stringMatching(/no API key exists: listening on 127.0.0.1 only/),
    });
    expect((await fetch(`http://127.0.0.1:${port}/stores`)).status).toBe(200);
    const lan = otherAddress();
    if (lan) await expect(fetch(`http://${lan}:${port}/health`)).rejects.toThrow();

    const refused = run(CLI, ['create', 'ops'], { DATA_DIR: dataDir });
    expect(await refused.exited).toBe(2);
    expect(refused.output()).toMatch(/Cannot open the embedded database: .* open in process \d+.*Stop it first/s);

    open.child.kill('SIGTERM');
    expect(await open.exited).toBe(0);
    expect(open.lines.at(-1)).toMatchObject({ msg: 'stopped' });
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);

    const created = run(CLI, ['create', 'ops'], { DATA_DIR: dataDir });
    expect(await created.exited).toBe(0);
    const key = /dfk_[A-Za-z0-9_-]+/.exec(created.output())![0];

    const keyed = run(SERVER, [], env);
    try {
      expect(await listening(keyed)).toMatchObject({ host: '0.0.0.0', port });
      expect((await fetch(`http://127.0.0.1:${port}/stores`)).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/stores`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    } finally {
      keyed.child.kill('SIGTERM');
      await keyed.exited;
    }
  });
});

describe('npm start on an empty database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'server-demo-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('generates the demo data and trains it, so forecasts answer without a manual training', async () => {
    const port = await freePort();
    const service = run(SERVER, [], { DATA_DIR: dataDir, PORT: String(port), SEED_DEMO: '1' });
    try {
      await listening(service);
      const url = `http://127.0.0.1:${port}`;
      const stores = ((await (await fetch(`${url}/stores`)).json()) as { stores: { store_id: string }[] }).stores.map((s) => s.store_id);
      expect(stores.length).toBeGreaterThan(0);
      // The queued "all" job: a model per demo store (plus the global one) once it succeeds.
      const until = Date.now() + 240_000;
      let status: { models: { store_id: string | null }[]; jobs: { status: string; error?: string }[] };
      for (;;) {
        status = (await (await fetch(`${url}/training_status`)).json()) as typeof status;
        if (status.jobs.some((j) => j.status === 'failed')) throw new Error(`demo training failed: ${JSON.stringify(status.jobs)}`);
        if (status.jobs.length > 0 && status.jobs.every((j) => j.status === 'succeeded')) break;
        if (Date.now() > until) throw new Error(`demo training did not finish: ${JSON.stringify(status.jobs)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(stores.every((s) => status.models.some((m) => m.store_id === s))).toBe(true);
      const products = (await (await fetch(`${url}/products/${stores[0]}`)).json()) as { products: { product_id: string }[] };
      const res = await fetch(`${url}/forecast`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ store_id: stores[0], product_id: products.products[0].product_id, horizon_days: 7 }),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { forecast: unknown[] }).forecast).toHaveLength(7);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  }, 300_000);
});
