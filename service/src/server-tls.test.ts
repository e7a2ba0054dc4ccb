// HTTPS without a proxy: the real start-up (server.ts) as a process with TLS_CERT_FILE / TLS_KEY_FILE set to a
// throwaway self-signed certificate answers /health over HTTPS, and refuses to start on half a setup or a bad file.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './reliability/service-process';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url));

function start(env: Record<string, string>) {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', SEED_DEMO: '0', LOG_LEVEL: 'info', RATE_LIMIT_PER_MIN: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** GET over HTTPS with certificate checks off for this one request (the certificate is self-signed). */
function insecureGet(url: string): Promise<{ status: number; body: string; subject: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { rejectUnauthorized: false, agent: false }, (res) => {
      const cn = (res.socket as TLSSocket).getPeerCertificate().subject?.CN;
      const subject = cn === undefined ? undefined : String(cn);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, subject }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe('HTTPS from the service itself (TLS_CERT_FILE, TLS_KEY_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'server-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const otherKey = join(dir, 'other-key.pem');
  beforeAll(() => {
    const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert]);
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', otherKey]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers /health over HTTPS with the configured certificate, and nothing in clear text', async () => {
    const port = await freePort();
    const service = start({ DATA_DIR: join(dir, 'data'), PORT: String(port), TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
    try {
      const until = Date.now() + 60_000;
      while (!/service listening/.test(service.output())) {
        if (service.child.exitCode !== null || Date.now() > until) throw new Error(`service did not start:\n${service.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(service.output()).toContain(`service listening on https://127.0.0.1:${port}/`);
      const health = await insecureGet(`https://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
      expect(health.subject).toBe('localhost');
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    }
  });

  it.each([
    ['only TLS_CERT_FILE', () => ({ TLS_CERT_FILE: cert }), /TLS_KEY_FILE: not set while TLS_CERT_FILE is: set both/],
    ['only TLS_KEY_FILE', () => ({ TLS_KEY_FILE: key }), /TLS_CERT_FILE: not set while TLS_KEY_FILE is/],
    [
      'a certificate file that does not exist',
      () => ({ TLS_CERT_FILE: join(dir, 'missing.pem'), TLS_KEY_FILE: key }),
      /TLS_CERT_FILE \(.*missing\.pem\) cannot be read: no such file/,
    ],
    ['a key file that is a folder', () => ({ TLS_CERT_FILE: cert, TLS_KEY_FILE: dir }), /TLS_KEY_FILE \(.*\) cannot be read/],
    [
      'a key that is not the certificate’s',
      () => ({ TLS_CERT_FILE: cert, TLS_KEY_FILE: otherKey }),
      /certificate and its matching private key/,
    ],
  ])('refuses to start with %s, saying why', async (_, env, message) => {
    const service = start({ DATA_DIR: join(dir, 'refused'), PORT: String(await freePort()), ...env() });
    expect(await service.exited).toBe(1);
    expect(service.output()).toMatch(message);
    expect(service.output()).not.toMatch(/service listening|database open/);
  });
});
