import { describe, expect, it, vi } from 'vitest';
import type { TrainingJob } from '../../../shared/schemas';
import { ApiError, createApiClient, pollTrainingJob } from './client';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const stores = { stores: [{ store_id: 'S001', products: 2, records: 10, first_date: '2025-01-01', last_date: '2025-01-05' }] };

describe('API client', () => {
  it('calls the service URL with the API key and parses the answer with the shared schema', async () => {
    const fetch = vi.fn(async () => json(200, stores));
    const api = createApiClient({ serviceUrl: 'http://svc:8000/', apiKey: 'secret' }, { fetch });
    expect(await api.stores()).toEqual(stores);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://svc:8000/stores');
    expect((init.headers as Record<string, string>)['X-API-Key']).toBe('secret');
  });

  it('uses relative URLs (same origin) when no service URL is set, and sends no key when there is none', async () => {
    const fetch = vi.fn(async () => json(200, { store_id: 'S 1', product_id: 'P/1', history: [] }));
    const api = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch });
    await api.history('S 1', 'P/1', { from: '2025-01-01' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/history/S%201/P%2F1?from=2025-01-01');
    expect(init.headers).not.toHaveProperty('X-API-Key');
  });

  it("surfaces the service's error.message, code and status", async () => {
    const fetch = vi.fn(async () => json(404, { error: { code: 'not_found', message: 'Store "X" was not found', details: { store_id: 'X' } } }));
    const api = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch });
    const err = await api.products('X').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found', message: 'Store "X" was not found', details: { store_id: 'X' } });
  });

  it('explains a network failure, a non-JSON error page and an answer that breaks the contract', async () => {
    const down = createApiClient({ serviceUrl: 'http://svc', apiKey: '' }, { fetch: vi.fn(async () => { throw new TypeError('Failed to fetch'); }) });
    await expect(down.stores()).rejects.toThrow('Cannot reach the service at http://svc: Failed to fetch');
    const proxy = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch: vi.fn(async () => new Response('<html><h1>Bad Gateway</h1></html>', { status: 502, statusText: 'Bad Gateway' })) });
    await expect(proxy.stores()).rejects.toThrow('GET /stores failed: HTTP 502 Bad Gateway: Bad Gateway');
    const odd = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch: vi.fn(async () => json(200, { stores: [{ store_id: 1 }] })) });
    await expect(odd.stores()).rejects.toThrow(/unexpected body: stores\.0\.store_id/);
  });

  it('checks requests against the shared schema before sending them, and sends the normalised body', async () => {
    const fetch = vi.fn(async () => json(200, { store_id: 'S', product_id: 'P', model_version: 'm', last_history_date: '2025-01-01', forecast: [] }));
    const api = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch });
    await expect(api.forecast({ store_id: 'S', product_id: 'P', levels: [100] })).rejects.toThrow(/Check the form: levels\.0/);
    expect(fetch).not.toHaveBeenCalled();
    await api.forecast({ store_id: 'S', product_id: 'P', levels: [80] });
    const body = JSON.parse((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].body as string);
    expect(body).toEqual({ store_id: 'S', product_id: 'P', horizon_days: 28, levels: [0.8] });
  });

  it('uploads multipart with the mapping as JSON', async () => {
    const answer = {
      upload_id: 1, filename: 'a.csv', checksum: 'x', format: 'generic', grain: 'daily', rows_read: 1, records: 1, inserted: 1,
      updated: 0, skipped: 0, stores: ['S'], date_range: { first: '2025-01-01', last: '2025-01-01' }, columns: {}, warnings: [],
    };
    const fetch = vi.fn(async () => json(200, answer));
    const api = createApiClient({ serviceUrl: '', apiKey: 'k' }, { fetch });
    await api.upload(new Blob(['a,b\n']), 'a.csv', { mapping: { units_sold: 'b' }, store_id: 'S', date_format: 'DMY' });
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    const form = init.body as FormData;
    expect(form.get('mapping')).toBe('{"units_sold":"b"}');
    expect(form.get('store_id')).toBe('S');
    expect(form.get('date_format')).toBe('DMY');
    expect((form.get('file') as File).name).toBe('a.csv');
  });

  it('gets the bulk export as a file', async () => {
    const fetch = vi.fn(async () => new Response('product_id\nP1\n', { status: 200, headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="bulk_predictions_S 1_2025-07-01.csv"' } }));
    const api = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch });
    const file = await api.bulkExport('S 1', 'csv', { horizon_days: 7, lead_time_days: undefined });
    expect(await file.data.text()).toBe('product_id\nP1\n');
    expect(file.fileName).toBe('bulk_predictions_S 1_2025-07-01.csv');
    expect((fetch.mock.calls[0] as unknown as [string])[0]).toBe('/bulk_predict/S%201.csv?horizon_days=7');
  });

  it('polls a training job until it ends', async () => {
    const states = ['queued', 'running', 'succeeded'] as const;
    let i = 0;
    const job = vi.fn(async () => ({
      job_id: 1, store_id: 'S', status: states[i++], progress: i / 3, created_at: 'x', started_at: null, finished_at: null,
    }));
    const seen: string[] = [];
    const final = await pollTrainingJob({ job }, 1, { intervalMs: 1, onUpdate: (j) => seen.push(j.status) });
    expect(final.status).toBe('succeeded');
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
  });
});

describe('following a training job', () => {
  const running: TrainingJob = { job_id: 1, store_id: 'S', status: 'running', progress: 0.5, created_at: 'x', started_at: null, finished_at: null };
  it('retries a poll that failed on the server side and reports it', async () => {
    const answers: (() => Promise<TrainingJob>)[] = [
      async () => running,
      async () => { throw new ApiError(500, 'internal_error', 'Something went wrong on our side'); },
      async () => ({ ...running, status: 'succeeded', progress: 1 }),
    ];
    const job = vi.fn(() => answers.shift()!());
    const retried: string[] = [];
    const final = await pollTrainingJob({ job }, 1, { intervalMs: 1, onRetry: (e) => retried.push(e.message) });
    expect(final.status).toBe('succeeded');
    expect(retried).toEqual(['Something went wrong on our side']);
  });

  it('gives up after too many failures in a row, and at once on a client error', async () => {
    const down = vi.fn(async () => { throw new ApiError(503, 'unavailable', 'Service unavailable'); });
    await expect(pollTrainingJob({ job: down }, 1, { intervalMs: 1, retries: 2 })).rejects.toThrow('Service unavailable');
    expect(down).toHaveBeenCalledTimes(3);
    const missing = vi.fn(async () => { throw new ApiError(404, 'not_found', 'Training job 1 was not found'); });
    await expect(pollTrainingJob({ job: missing }, 1, { intervalMs: 1 })).rejects.toThrow('Training job 1 was not found');
    expect(missing).toHaveBeenCalledTimes(1);
  });
});
