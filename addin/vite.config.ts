// The task pane's build: root addin/, output addin/dist (served by the service at / and /taskpane.html),
// relative asset URLs so the same build works from any origin and path.
import react from '@vitejs/plugin-react';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ServerOptions } from 'vite';
import { endpoints } from '../shared/api';
import { customFunctionsMetadata } from './src/functions/metadata';

const here = dirname(fileURLToPath(import.meta.url));

/** Routes the service answers that shared/api.ts does not list: the OpenAPI document describes the contract. */
const UNLISTED_SERVICE_PATHS = ['/openapi.json'];

/**
 * Paths the dev server forwards to the service, so the pane can talk to it on its own origin: the first segment of
 * every endpoint path in shared/api.ts (Vite matches a proxy key as a prefix of the request path, so "/products"
 * covers "/products/{store_id}"), plus the service's routes outside that list. New endpoints are forwarded as soon as
 * they are in the contract.
 */
export const API_PATHS: readonly string[] = [...new Set([...endpoints.map((e) => `/${e.path.split('/')[1]}`), ...UNLISTED_SERVICE_PATHS])];

/** Office requires HTTPS: use the trusted localhost certificate of office-addin-dev-certs when it can be had. */
async function httpsOptions(): Promise<ServerOptions['https'] | undefined> {
  if (process.env.ADDIN_HTTP === '1') return undefined;
  try {
    const certs = (await import('office-addin-dev-certs')) as unknown as {
      getHttpsServerOptions(days?: number): Promise<{ ca: Buffer; key: Buffer; cert: Buffer }>;
    };
    return await certs.getHttpsServerOptions();
  } catch (err) {
    console.warn(`[addin] no dev certificate (${err instanceof Error ? err.message : String(err)}); serving over http`);
    return undefined;
  }
}

export default defineConfig(async ({ command }) => {
  const service = process.env.SERVICE_URL ?? 'http://localhost:8000';
  return {
    root: here,
    base: './',
    publicDir: resolve(here, 'public'),
    // functions.json (the DEMAND.* cell functions' metadata) is generated from src/functions/functions.ts.
    plugins: [react(), customFunctionsMetadata()],
    build: {
      outDir: resolve(here, 'dist'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 2500,
      rollupOptions: { input: { taskpane: resolve(here, 'taskpane.html') } },
    },
    server:
      command === 'serve'
        ? {
            port: 3000,
            strictPort: true,
            https: await httpsOptions(),
            proxy: Object.fromEntries(API_PATHS.map((p) => [p, { target: service, changeOrigin: true }])),
          }
        : undefined,
  };
});
