// API keys end to end: the keys command on the real database, and the key check over real HTTP.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApiKeys } from '../db/api-keys';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';
import { createApiKey, hashApiKey, KEY_PREFIX } from './keys';
import { runKeysCommand } from './keys-command';
import { presentedKey } from './middleware';

describe('presented key', () => {
  it('reads a bearer token or an X-API-Key header', () => {
    expect(presentedKey('Bearer dfk_abc', undefined)).toBe('dfk_abc');
    expect(presentedKey('bearer   dfk_abc  ', undefined)).toBe('dfk_abc');
    expect(presentedKey(undefined, ' dfk_x ')).toBe('dfk_x');
    expect(presentedKey('Basic dXNlcjpwYXNz', undefined)).toBeUndefined();
    expect(presentedKey('Bearer', '')).toBeUndefined();
  });
});

describe.each(testBackends)('API keys on %s', (kind) => {
  let server: TestServer;
  let paneDir: string;
  const call = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
    fetch(server.url + path, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    paneDir = mkdtempSync(join(tmpdir(), 'pane-'));
    writeFileSync(join(paneDir, 'taskpane.html'), '<!doctype html><title>pane</title>');
    mkdirSync(join(paneDir, 'assets'));
    writeFileSync(join(paneDir, 'assets', 'app.js'), 'console.log(1)');
    // The key list is read again on every request here, so creation and revocation show at once.
    server = await startTestServer(kind, { env: { PANE_DIR: paneDir, CORS_ORIGINS: 'https://pane.example' }, apiKeyCacheMs: 0 });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(paneDir, { recursive: true, force: true });
  });

  it('serves everything without a key while no key exists', async () => {
    expect((await call('/stores')).status).toBe(200);
    expect((await call('/metrics')).status).toBe(200);
  });

  it('creates, lists and revokes keys with the keys command; only a hash is stored', async () => {
    const lines: string[] = [];
    await runKeysCommand(['create', 'cli', 'test'], server.db, (l) => lines.push(l));
    const key = lines.find((l) => l.trim().startsWith(KEY_PREFIX))!.trim();
    expect(key).toMatch(/^dfk_[A-Za-z0-9_-]{43}$/);
    const rows = await server.db.sql<{ key_hash: string; suffix: string }[]>`SELECT key_hash, suffix FROM api_keys WHERE name = 'cli test'`;
    expect(rows).toEqual([{ key_hash: hashApiKey(key), suffix: key.slice(-4) }]);
    const everything = JSON.stringify(await server.db.sql`SELECT * FROM api_keys`);
    expect(everything).not.toContain(key.slice(KEY_PREFIX.length));

    const listed: string[] = [];
    await runKeysCommand(['list'], server.db, (l) => listed.push(l));
    expect(listed.join('\n')).toMatch(new RegExp(`cli test\\s+…${key.slice(-4).replace(/[-]/g, '\\-')}`));
    await expect(runKeysCommand(['create', 'cli test'], server.db, () => {})).rejects.toMatchObject({ code: 'name_taken' });
    await expect(runKeysCommand(['create', '1234'], server.db, () => {})).rejects.toMatchObject({ code: 'invalid_name' });
    await expect(runKeysCommand(['revoke', 'nobody'], server.db, () => {})).rejects.toMatchObject({ code: 'not_found' });
    await expect(runKeysCommand(['frobnicate'], server.db, () => {})).rejects.toMatchObject({ code: 'usage' });

    // While that key is in force every API call needs it.
    expect((await call('/stores')).status).toBe(401);
    expect((await call('/stores', { authorization: `Bearer ${key}` })).status).toBe(200);
    const revoked: string[] = [];
    await runKeysCommand(['revoke', 'cli test'], server.db, (l) => revoked.push(l));
    expect(revoked[0]).toMatch(/Revoked key \d+ "cli test"/);
    // No key in force any more: open again, as on a fresh start.
    expect((await call('/stores')).status).toBe(200);
  });

  it('asks for a key with 401, WWW-Authenticate and the error shape; takes Bearer and X-API-Key', async () => {
    const { key } = await createApiKey(server.db.sql, 'pane');
    const missing = await call('/stores');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(await missing.json()).toMatchObject({
      error: { code: 'unauthorized', message: expect.stringMatching(/Authorization: Bearer/) },
    });

    const wrong = await call('/stores', { authorization: `Bearer ${key}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect(await wrong.json()).toMatchObject({
      error: { code: 'unauthorized', message: expect.stringMatching(/not valid or was revoked/) },
    });

    expect((await call('/stores', { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await call('/stores', { 'x-api-key': key })).status).toBe(200);
    // Every API endpoint, including POSTs, metrics and the contract, is behind the key.
    expect((await call('/predict', { 'content-type': 'application/json' }, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await call('/metrics')).status).toBe(401);
    expect((await call('/openapi.json')).status).toBe(401);
    expect((await call('/no/such/endpoint')).status).toBe(401);
  });

  it('keeps /health, /ready, the pane files and CORS preflight open', async () => {
    expect((await call('/health')).status).toBe(200);
    expect((await call('/ready')).status).toBe(200);
    const pane = await call('/');
    expect(pane.status).toBe(200);
    expect(await pane.text()).toContain('<title>pane</title>');
    expect((await call('/taskpane.html')).status).toBe(200);
    expect((await call('/assets/app.js')).status).toBe(200);
    const preflight = await call(
      '/stores',
      {
        origin: 'https://pane.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
      { method: 'OPTIONS' },
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://pane.example');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });

  it('lets the allowed origin read a 401, and gives other origins no CORS headers', async () => {
    const allowed = await call('/stores', { origin: 'https://pane.example' });
    expect(allowed.status).toBe(401);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://pane.example');
    expect(allowed.headers.get('access-control-expose-headers')).toMatch(/WWW-Authenticate/);
    const other = await call('/stores', { origin: 'https://evil.example' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherPreflight = await call(
      '/stores',
      { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      { method: 'OPTIONS' },
    );
    expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a revoked key, and records when a key was last used', async () => {
    const { key, row } = await createApiKey(server.db.sql, 'soon revoked');
    expect((await call('/stores', { authorization: `Bearer ${key}` })).status).toBe(200);
    await runKeysCommand(['revoke', String(row.id)], server.db, () => {});
    expect((await call('/stores', { authorization: `Bearer ${key}` })).status).toBe(401);
    // Uses are written back on the next reload of the list, which this server does on every request.
    await call('/stores', { authorization: `Bearer ${key}` });
    const lastUsed = async () => (await listApiKeys(server.db.sql)).find((k) => k.id === row.id)!.last_used_at;
    await expect.poll(lastUsed, { timeout: 5_000 }).not.toBeNull();
  });
});

describe.each(testBackends)('REQUIRE_API_KEY on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { REQUIRE_API_KEY: '1' }, apiKeyCacheMs: 0 });
  });
  afterAll(async () => server?.close());

  it('demands a key even before one exists, and takes one made while running', async () => {
    expect((await fetch(`${server.url}/stores`)).status).toBe(401);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const { key } = await createApiKey(server.db.sql, 'first');
    expect((await fetch(`${server.url}/stores`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });
});
