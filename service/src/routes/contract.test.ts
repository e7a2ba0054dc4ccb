// The contract drives the HTTP surface: the app serves exactly the endpoints of shared/api.ts, plus the few
// operational routes named below, and only the endpoints the contract calls open answer without an API key.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpoints } from '../../../shared/api';
import { createApp } from '../app';
import { loadConfig } from '../config';
import type { Database, Sql } from '../db/connection';
import { testBackends } from '../db/testing';
import { createLogger } from '../logger';
import { ServiceMetrics } from '../observability/metrics';
import { startTestServer, type TestServer } from '../testing/server';

/** Served on purpose, and not part of the API contract (so not in the OpenAPI document). */
const NON_CONTRACT_ROUTES: Record<string, string> = {
  'GET /': 'the task pane (taskpane.html) when it is built, else a pointer to /openapi.json; the pane files below it are static middleware',
  'GET /openapi.json': 'the document generated from the contract: it describes the contract rather than being part of it',
};

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const contract = endpoints.map((e) => key(e.method, e.path));

/** Method and OpenAPI-style path of every route the app serves (Hono ":param" as "{param}"), sorted. */
function servedRoutes(paneDir: string): string[] {
  // Building the app queries nothing: a database that refuses every statement is enough.
  const sql = (() => {
    throw new Error('the route table needs no database');
  }) as unknown as Sql;
  const db: Database = { sql, kind: 'pglite', location: 'none', url: 'none', close: async () => {} };
  const logger = createLogger('silent');
  const app = createApp({
    db,
    config: loadConfig({ PANE_DIR: paneDir }),
    logger,
    metrics: new ServiceMetrics({ sql, logger, poolMax: 1, defaultMetrics: false }),
  });
  // Middleware (app.use) is registered under the method "ALL"; the service serves no route with app.all.
  const routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => key(r.method, r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')));
  return [...new Set(routes)].sort();
}

describe('the routes the app serves and the contract (shared/api.ts)', () => {
  let paneDir: string;
  let served: string[];

  beforeAll(() => {
    paneDir = mkdtempSync(join(tmpdir(), 'pane-'));
    writeFileSync(join(paneDir, 'taskpane.html'), '<!doctype html><title>pane</title>');
    served = servedRoutes(paneDir);
  });
  afterAll(() => rmSync(paneDir, { recursive: true, force: true }));

  it('serves every endpoint of the contract', () => {
    expect(contract.filter((e) => !served.includes(e))).toEqual([]);
  });

  it('serves no API route that the contract does not list', () => {
    expect(served.filter((r) => !contract.includes(r) && !(r in NON_CONTRACT_ROUTES))).toEqual([]);
  });

  it('keeps its list of non-contract routes true: each is served, none is in the contract', () => {
    for (const route of Object.keys(NON_CONTRACT_ROUTES)) {
      expect(served, route).toContain(route);
      expect(contract, route).not.toContain(route);
    }
  });

  it('serves the same routes whether or not the pane is built', () => {
    expect(servedRoutes(join(paneDir, 'not-built'))).toEqual(served);
  });

  it('lists each endpoint once, with the path parameters its path has', () => {
    expect(new Set(contract).size).toBe(contract.length);
    for (const e of endpoints) {
      const inPath = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(e.pathParams ?? [], key(e.method, e.path)).toEqual(inPath);
    }
  });
});

describe.each(testBackends)('the endpoints the contract calls open, on %s', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, { env: { REQUIRE_API_KEY: 'true' } });
  });
  afterAll(async () => server?.close());

  it('answer without an API key; every other endpoint asks for one', async () => {
    const answers = await Promise.all(
      endpoints.map(async (e) => {
        const res = await fetch(server.url + e.path.replace(/\{\w+\}/g, 'X1'), {
          method: e.method.toUpperCase(),
          ...(e.method === 'get' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
        });
        await res.body?.cancel();
        return { endpoint: key(e.method, e.path), open: e.open === true, refused: res.status === 401 };
      }),
    );
    expect(answers.filter((a) => a.open === a.refused)).toEqual([]);
  });
});
