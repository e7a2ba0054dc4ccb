// HTTPS without a proxy: TLS_CERT_FILE and TLS_KEY_FILE (PEM), read and checked once at start-up, so that a wrong path
// or a key that does not match its certificate stops the service with a sentence instead of failing each handshake.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { Config } from './config';
import type { TlsFiles } from './http';

/** The certificate and key to serve HTTPS with, or undefined for plain HTTP; throws a message naming the variable. */
export function loadTls(config: Pick<Config, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>): TlsFiles | undefined {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (!certFile && !keyFile) return undefined;
  // loadConfig refuses half a setup; this is for callers that build a Config by hand.
  if (!certFile || !keyFile) throw new Error('Cannot serve HTTPS: set both TLS_CERT_FILE and TLS_KEY_FILE, or neither');
  const files = { cert: read('TLS_CERT_FILE', certFile), key: read('TLS_KEY_FILE', keyFile) };
  try {
    createSecureContext(files);
  } catch (err) {
    throw new Error(
      `Cannot serve HTTPS: TLS_CERT_FILE (${resolve(certFile)}) and TLS_KEY_FILE (${resolve(keyFile)}) must hold a PEM ` +
        `certificate and its matching private key (unencrypted): ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return files;
}

function read(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new Error(`Cannot serve HTTPS: ${variable} (${resolve(path)}) cannot be read: ${reason}`);
  }
}
