// The dev server (`npm run addin:dev`) forwards API calls to the service. Its proxy list comes from the contract
// (shared/api.ts): every endpoint must be forwarded, or that part of the pane fails only under the dev server (as the
// events calendar once did). The service's routes outside the contract are pinned by service/src/routes/contract.test.ts.
import type { ConfigEnv, UserConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { endpoints } from '../../shared/api';
import devConfig, { API_PATHS } from '../vite.config';

/** A request path the pane could send to an endpoint: parameters filled in, with a query string. */
const requestPath = (path: string) => `${path.replace(/\{(\w+)\}/g, (_, name: string) => `${name}-1`)}?x=1`;

/** How Vite matches a proxy key against a request URL (keys starting with "^" are regular expressions). */
const matches = (key: string, url: string) => (key.startsWith('^') ? new RegExp(key).test(url) : url.startsWith(key));

let proxyKeys: string[];

beforeAll(async () => {
  // Plain http: resolving the config must not go looking for (or install) a localhost certificate.
  vi.stubEnv('ADDIN_HTTP', '1');
  const resolve = devConfig as unknown as (env: ConfigEnv) => Promise<UserConfig>;
  const config = await resolve({ command: 'serve', mode: 'development' });
  proxyKeys = Object.keys(config.server?.proxy ?? {});
});
afterAll(() => vi.unstubAllEnvs());

describe('the dev server proxy', () => {
  it('is built from the exported path list', () => {
    expect(proxyKeys).toEqual([...API_PATHS]);
  });

  it.each(endpoints.map((e) => [`${e.method.toUpperCase()} ${e.path}`, e.path] as const))('forwards %s', (_, path) => {
    const url = requestPath(path);
    expect(
      proxyKeys.some((key) => matches(key, url)),
      `${url} is not forwarded to the service`,
    ).toBe(true);
  });

  it('forwards the OpenAPI document, which the contract does not list', () => {
    expect(proxyKeys.some((key) => matches(key, '/openapi.json'))).toBe(true);
  });

  it("leaves the pane's own files to the dev server", () => {
    for (const url of ['/', '/taskpane.html', '/assets/icon-32.png', '/functions.json', '/src/main.tsx', '/@vite/client']) {
      expect(
        proxyKeys.filter((key) => matches(key, url)),
        url,
      ).toEqual([]);
    }
  });
});
