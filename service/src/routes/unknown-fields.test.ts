// A misspelt field must not be dropped silently: "leadtime_days" would otherwise plan with the default lead time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';

describe('request bodies with a field the API does not know', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('pglite');
  });
  afterAll(async () => server?.close());

  it.each([
    ['/predict', { store_id: 'S', product_id: 'P', date: '2026-01-01', dat: 1 }, 'dat'],
    ['/forecast', { store_id: 'S', product_id: 'P', horizon: 30 }, 'horizon'],
    ['/predict_with_context', { store_id: 'S', product_id: 'P', leadtime_days: 30 }, 'leadtime_days'],
    ['/bulk_predict', { store_id: 'S', horizon_days: 7, pack_size: 6 }, 'pack_size'],
    ['/train_model', { store_id: 'all', rounds: 10 }, 'rounds'],
    ['/batch', { queries: [], store: ['S'] }, 'store'],
    ['/models/S/activate', { version: 1, force: true }, 'force'],
  ])('POST %s names the unknown field with a 422', async (path, body, field) => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(422);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('invalid_request');
    expect(json.error.message).toContain(`"${field}"`);
  });
});
