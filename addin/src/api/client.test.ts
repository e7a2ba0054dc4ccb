import { describe, expect, it, vi } from 'vitest';
import type { TrainingJob } from '../../../shared/schemas';
import { basis } from '../testing/fixtures';
import { ApiError, createApiClient, describeError, errorMessage, pollTrainingJob } from './client';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const stores = {
  stores: [{ store_id: 'S001', grain: 'daily', products: 2, records: 10, first_date: '2025-01-01', last_date: '2025-01-05', demo: false }],
};
const uploadAnswer = {
  upload_id: 1,
  filename: 'a.csv',
  checksum: 'x',
  format: 'generic',
  grain: 'daily',
  week_dates: null,
  rows_read: 1,
  records: 1,
  inserted: 1,
  updated: 0,
  skipped: 0,
  stores: ['S'],
  date_range: { first: '2025-01-01', last: '2025-01-01' },
  columns: {},
  warnings: [],
};

describe('API client', () => {
  it('calls the service URL with the API key and parses the answer with the shared schema', async () => {
    const fetch = vi.fn(async () => json(200, stores));
    const api = createApiClient({ serviceUrl: 'http://svc:8000/', apiKey: 'secret' }, { fetch });
    expect(await api.stores()).toEqual(stores);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://svc:8000/stores');
    expect((init.headers as Record<string, string>)['Authorization']).toBe('Bearer secret');
  });

  it('uses relative URLs (same origin) when no service URL is set, and sends no key when there is none', async () => {
    const fetch = vi.fn(async () => json(200, { store_id: 'S 1', product_id: 'P/1', grain: 'daily', history: [] }));
    const api = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch });
    await api.history('S 1', 'P/1', { from: '2025-01-01' });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/history/S%201/P%2F1?from=2025-01-01');
    expect(init.headers).not.toHaveProperty('Authorization');
  });

  it("surfaces the service's error.message, code and status", async () => {
    const fetch = vi.fn(async () =>
      json(404, { error: { code: 'not_found', message: 'Store "X" was not found', details: { store_id: 'X' } } }),
    );
    const api = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch });
    const err = await api.products('X').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found', message: 'Store "X" was not found', details: { store_id: 'X' } });
  });

  it('explains a network failure, a non-JSON error page and an answer that breaks the contract', async () => {
    const down = createApiClient(
      { serviceUrl: 'http://svc', apiKey: '' },
      {
        fetch: vi.fn(async () => {
          throw new TypeError('Failed to fetch');
        }),
      },
    );
    await expect(down.stores()).rejects.toThrow('Cannot reach the service at http://svc: Failed to fetch');
    const proxy = createApiClient(
      { serviceUrl: '', apiKey: '' },
      { fetch: vi.fn(async () => new Response('<html><h1>Bad Gateway</h1></html>', { status: 502, statusText: 'Bad Gateway' })) },
    );
    await expect(proxy.stores()).rejects.toThrow('GET /stores failed: HTTP 502 Bad Gateway: Bad Gateway');
    const odd = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch: vi.fn(async () => json(200, { stores: [{ store_id: 1 }] })) });
    await expect(odd.stores()).rejects.toThrow(/unexpected body: stores\.0\.store_id/);
  });

  it('checks requests against the shared schema before sending them, and sends the normalised body', async () => {
    const fetch = vi.fn(async () =>
      json(200, {
        store_id: 'S',
        product_id: 'P',
        model_version: 'm',
        last_history_date: '2025-01-01',
        granularity: 'day',
        basis: basis(),
        forecast: [],
      }),
    );
    const api = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch });
    await expect(api.forecast({ store_id: 'S', product_id: 'P', levels: [100] })).rejects.toThrow(/Check the form: levels\.0/);
    expect(fetch).not.toHaveBeenCalled();
    await api.forecast({ store_id: 'S', product_id: 'P', levels: [80] });
    const body = JSON.parse((fetch.mock.calls[0] as unknown as [string, RequestInit])[1].body as string);
    expect(body).toEqual({ store_id: 'S', product_id: 'P', horizon_days: 28, levels: [0.8] });
  });

  it('removes with DELETE: a store, a product, an upload (undone), the demo data; answers parsed with the contract', async () => {
    const removed = { sales_rows: 10, products: 2, models: 1, jobs: 1 };
    const answers = [
      { store_id: 'S 1', removed },
      { store_id: 'S 1', product_id: 'P/1', removed },
      { upload_id: 7, stores: ['S 1'], restored_rows: 3, removed },
      { stores: ['S001'], removed },
    ];
    const fetch = vi.fn(async () => json(200, answers[fetch.mock.calls.length - 1]));
    const api = createApiClient({ serviceUrl: '', apiKey: 'k' }, { fetch });
    expect(await api.removeStore('S 1')).toEqual(answers[0]);
    expect(await api.removeProduct('S 1', 'P/1')).toEqual(answers[1]);
    expect(await api.undoUpload(7)).toEqual(answers[2]);
    expect(await api.removeDemo()).toEqual(answers[3]);
    const calls = fetch.mock.calls as unknown as [string, RequestInit][];
    expect(calls.map(([url, init]) => `${init.method} ${url}`)).toEqual([
      'DELETE /stores/S%201',
      'DELETE /products/S%201/P%2F1',
      'DELETE /uploads/7',
      'DELETE /demo',
    ]);
    expect((calls[0][1].headers as Record<string, string>)['Authorization']).toBe('Bearer k');

    const refused = createApiClient(
      { serviceUrl: '', apiKey: '' },
      { fetch: vi.fn(async () => json(409, { error: { code: 'undo_conflict', message: 'later upload 9 replaced days it wrote' } })) },
    );
    await expect(refused.undoUpload(7)).rejects.toMatchObject({
      status: 409,
      code: 'undo_conflict',
      message: expect.stringContaining('9'),
    });
  });

  it('uploads multipart with the mapping as JSON', async () => {
    const fetch = vi.fn(async () => json(200, uploadAnswer));
    const api = createApiClient({ serviceUrl: '', apiKey: 'k' }, { fetch });
    await api.upload(new Blob(['a,b\n']), 'a.csv', {
      mapping: { units_sold: 'b' },
      store_id: 'S',
      date_format: 'DMY',
      allow_future: true,
    });
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    const form = init.body as FormData;
    expect(form.get('mapping')).toBe('{"units_sold":"b"}');
    expect(form.get('store_id')).toBe('S');
    expect(form.get('date_format')).toBe('DMY');
    expect(form.get('allow_future')).toBe('true');
    expect((form.get('file') as File).name).toBe('a.csv');
  });

  it('shows upload progress through XMLHttpRequest and parses its answer with the same schema', async () => {
    const sent: { url?: string; headers: Record<string, string>; body?: FormData } = { headers: {} };
    const answers: { status: number; responseText: string }[] = [
      { status: 200, responseText: JSON.stringify({ ...uploadAnswer, records: 2 }) },
      { status: 413, responseText: JSON.stringify({ error: { code: 'too_large', message: 'The file is larger than 50 MB.' } }) },
      { status: 200, responseText: '{"upload_id":"one"}' },
    ];
    class FakeXHR {
      status = 0;
      statusText = '';
      responseText = '';
      upload: { onprogress?: (e: { loaded: number; total: number; lengthComputable: boolean }) => void } = {};
      onload?: () => void;
      onerror?: () => void;
      open(_method: string, url: string) {
        sent.url = url;
      }
      setRequestHeader(k: string, v: string) {
        sent.headers[k] = v;
      }
      send(body: FormData) {
        sent.body = body;
        this.upload.onprogress?.({ loaded: 5, total: 10, lengthComputable: true });
        this.upload.onprogress?.({ loaded: 10, total: 10, lengthComputable: true });
        Object.assign(this, answers.shift());
        this.onload?.();
      }
    }
    const api = createApiClient({ serviceUrl: 'http://svc', apiKey: 'k' }, { XMLHttpRequest: FakeXHR as unknown as typeof XMLHttpRequest });
    const progress: number[][] = [];
    const result = await api.upload(new Blob(['a,b\n']), 'a.csv', { store_id: 'S' }, (done, total) => progress.push([done, total]));
    expect(result.records).toBe(2);
    expect(progress).toEqual([
      [5, 10],
      [10, 10],
    ]);
    expect(sent.url).toBe('http://svc/upload_data');
    expect(sent.headers['Authorization']).toBe('Bearer k');
    expect(sent.body?.get('store_id')).toBe('S');
    await expect(api.upload(new Blob(['x']), 'a.csv', {}, () => {})).rejects.toMatchObject({
      status: 413,
      code: 'too_large',
      message: 'The file is larger than 50 MB.',
    });
    await expect(api.upload(new Blob(['x']), 'a.csv', {}, () => {})).rejects.toThrow(
      /POST \/upload_data with an unexpected body: upload_id/,
    );
  });

  it("asks the service's own progress once every byte is sent, under the upload's random progress id", async () => {
    const sent: { url?: string } = {};
    class FakeXHR {
      status = 0;
      statusText = '';
      responseText = '';
      upload: { onprogress?: (e: { loaded: number; total: number; lengthComputable: boolean }) => void } = {};
      onload?: () => void;
      onerror?: () => void;
      open(_method: string, url: string) {
        sent.url = url;
      }
      setRequestHeader() {}
      send() {
        this.upload.onprogress?.({ loaded: 4, total: 10, lengthComputable: true });
        this.upload.onprogress?.({ loaded: 10, total: 10, lengthComputable: true });
        setTimeout(() => {
          Object.assign(this, { status: 200, responseText: JSON.stringify({ ...uploadAnswer, records: 2 }) });
          this.onload?.();
        }, 50);
      }
    }
    const progress = {
      phase: 'storing',
      bytes_received: 10,
      rows_read: 2,
      records: 2,
      records_written: 1,
      started_at: '2026-12-07T10:00:00.000Z',
      updated_at: '2026-12-07T10:00:01.000Z',
    };
    const asked: string[] = [];
    const fetch = vi.fn(async (url: string) => {
      asked.push(url);
      return json(200, { ...progress, progress_id: url.split('/').pop() });
    });
    const api = createApiClient(
      { serviceUrl: 'http://svc', apiKey: 'k' },
      { XMLHttpRequest: FakeXHR as unknown as typeof XMLHttpRequest, fetch: fetch as unknown as typeof globalThis.fetch },
    );
    const told: string[] = [];
    const result = await api.upload(
      new Blob(['a,b\n']),
      'a.csv',
      {},
      () => {},
      (p) => told.push(`${p.phase} ${p.records_written}/${p.records}`),
    );
    expect(result.records).toBe(2);
    const id = sent.url?.match(/^http:\/\/svc\/upload_data\?progress_id=([0-9a-f]{32})$/)?.[1];
    expect(id).toBeDefined();
    expect(asked[0]).toBe(`http://svc/upload_progress/${id}`);
    expect(told[0]).toBe('storing 1/2');
  });

  it('uploads an events calendar as multipart with its day order, and reads the summary', async () => {
    const summary = { days: 2, regions: ['CA'], first_date: '2025-12-25', last_date: '2026-01-01', event_days: 2, snap_days: 1 };
    const fetch = vi.fn(async (url: string) =>
      url === '/calendar'
        ? json(200, summary)
        : json(200, { filename: 'holidays.csv', rows_read: 2, inserted: 1, replaced: 1, calendar: summary, warnings: [] }),
    );
    const api = createApiClient({ serviceUrl: '', apiKey: 'k' }, { fetch: fetch as unknown as typeof globalThis.fetch });
    const answer = await api.uploadCalendar(new Blob(['Date,Holiday\n25/12/2025,Christmas\n']), 'holidays.csv', { date_format: 'DMY' });
    expect(answer).toMatchObject({ inserted: 1, replaced: 1, calendar: summary });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/upload_calendar');
    expect(init.method).toBe('POST');
    // multipart: the browser writes the Content-Type with its boundary, so the client must not set one
    expect(init.headers).not.toHaveProperty('Content-Type');
    expect((init.headers as Record<string, string>)['Authorization']).toBe('Bearer k');
    const form = init.body as FormData;
    expect((form.get('file') as File).name).toBe('holidays.csv');
    expect(await (form.get('file') as File).text()).toBe('Date,Holiday\n25/12/2025,Christmas\n');
    expect(form.get('date_format')).toBe('DMY');
    await api.uploadCalendar(new Blob(['x']), 'c.csv');
    expect(((fetch.mock.calls[1] as unknown as [string, RequestInit])[1].body as FormData).has('date_format')).toBe(false);
    expect(await api.calendar()).toEqual(summary);
  });

  it("checks the calendar form before sending, and surfaces the service's calendar errors and contract breaks", async () => {
    const fetch = vi.fn(async () =>
      json(422, {
        error: { code: 'missing_column', message: 'The calendar needs a "date" column; found: "When".', details: { found: ['When'] } },
      }),
    );
    const api = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch });
    await expect(api.uploadCalendar(new Blob(['x']), 'c.csv', { date_format: 'YDM' as never })).rejects.toThrow(
      /Check the form: date_format/,
    );
    expect(fetch).not.toHaveBeenCalled();
    await expect(api.uploadCalendar(new Blob(['When\n']), 'c.csv')).rejects.toMatchObject({
      status: 422,
      code: 'missing_column',
      message: 'The calendar needs a "date" column; found: "When".',
    });
    const odd = createApiClient({ serviceUrl: '', apiKey: '' }, { fetch: vi.fn(async () => json(200, { days: '3' })) });
    await expect(odd.calendar()).rejects.toThrow(/GET \/calendar with an unexpected body: days/);
    const html = createApiClient(
      { serviceUrl: '', apiKey: '' },
      { fetch: vi.fn(async () => new Response('<html>ok</html>', { status: 200 })) },
    );
    await expect(html.uploadCalendar(new Blob(['x']), 'c.csv')).rejects.toThrow(
      'The service answered POST /upload_calendar with something that is not JSON',
    );
  });

  it('gets the bulk export as a file', async () => {
    const fetch = vi.fn(
      async () =>
        new Response('product_id\nP1\n', {
          status: 200,
          headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="bulk_predictions_S 1_2025-07-01.csv"' },
        }),
    );
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
      job_id: 1,
      store_id: 'S',
      status: states[i++],
      progress: i / 3,
      created_at: 'x',
      started_at: null,
      finished_at: null,
    }));
    const seen: string[] = [];
    const final = await pollTrainingJob({ job }, 1, { intervalMs: 1, onUpdate: (j) => seen.push(j.status) });
    expect(final.status).toBe('succeeded');
    expect(seen).toEqual(['queued', 'running', 'succeeded']);
  });
});

describe('following a training job', () => {
  const running: TrainingJob = {
    job_id: 1,
    store_id: 'S',
    status: 'running',
    progress: 0.5,
    created_at: 'x',
    started_at: null,
    finished_at: null,
  };
  it('retries a poll that failed on the server side and reports it', async () => {
    const answers: (() => Promise<TrainingJob>)[] = [
      async () => running,
      async () => {
        throw new ApiError(500, 'internal_error', 'Something went wrong on our side');
      },
      async () => ({ ...running, status: 'succeeded', progress: 1 }),
    ];
    const job = vi.fn(() => answers.shift()!());
    const retried: string[] = [];
    const final = await pollTrainingJob({ job }, 1, { intervalMs: 1, onRetry: (e) => retried.push(e.message) });
    expect(final.status).toBe('succeeded');
    expect(retried).toEqual(['Something went wrong on our side']);
  });

  it('gives up after too many failures in a row, and at once on a client error', async () => {
    const down = vi.fn(async () => {
      throw new ApiError(503, 'unavailable', 'Service unavailable');
    });
    await expect(pollTrainingJob({ job: down }, 1, { intervalMs: 1, retries: 2 })).rejects.toThrow('Service unavailable');
    expect(down).toHaveBeenCalledTimes(3);
    const missing = vi.fn(async () => {
      throw new ApiError(404, 'not_found', 'Training job 1 was not found');
    });
    await expect(pollTrainingJob({ job: missing }, 1, { intervalMs: 1 })).rejects.toThrow('Training job 1 was not found');
    expect(missing).toHaveBeenCalledTimes(1);
  });
});

describe("errors in a buyer's words", () => {
  const words = (err: unknown) => describeError(err);

  it('turns a missing model into what to do next, without the HTTP path', () => {
    const err = new ApiError(409, 'no_model', 'No trained model for store "S001" yet: POST /train_model first', { store_id: 'S001' });
    expect(words(err)).toEqual({ message: 'No forecast yet: go to Data & Training and train this store (S001).', next: null });
  });

  it('names the field a schema refused, as the form labels it, never its path', async () => {
    const service = new ApiError(422, 'invalid_request', 'Invalid request body: horizon_days: Too big: expected number to be <=180', {
      issues: [{ path: 'horizon_days', message: 'Too big: expected number to be <=180' }],
    });
    expect(words(service)).toEqual({ message: 'Horizon must be at most 180.', next: 'Correct it and try again.' });
    const query = new ApiError(
      422,
      'invalid_request',
      'Invalid query: lead_time_days: Too small: expected number to be >=0; service_level: Invalid input: expected number, received NaN',
    );
    expect(words(query).message).toBe('Lead time must be at least 0. Service level must be a number.');
    // The client's own check before sending reads the same.
    const api = createApiClient({ serviceUrl: 'http://svc', apiKey: '' }, { fetch: vi.fn() });
    const refused = await api.forecast({ store_id: 'S', product_id: 'P', levels: [100] }).catch((e) => e);
    expect(errorMessage(refused)).toMatch(/^Interval levels /);
    expect(errorMessage(refused)).not.toMatch(/levels\.0|Check the form/);
  });

  it('says what to do about a lost connection, a refused key, a proxy error and an unreadable answer', async () => {
    const down = createApiClient(
      { serviceUrl: 'http://svc', apiKey: '' },
      { fetch: vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) },
    );
    const lost = await down.stores().catch((e) => e);
    expect(errorMessage(lost)).toBe(
      'Cannot reach the service at http://svc: Failed to fetch Check the service URL in Settings, and that the service is running.',
    );
    expect(words(new ApiError(401, 'unauthorized', 'The API key is not valid or was revoked'))).toEqual({
      message: 'The service refused the API key: it is not valid or was revoked.',
      next: 'Enter a valid key in Settings (whoever runs the service creates them).',
    });
    const proxy = createApiClient(
      { serviceUrl: 'http://svc', apiKey: '' },
      { fetch: vi.fn(async () => new Response('<h1>Bad Gateway</h1>', { status: 502, statusText: 'Bad Gateway' })) },
    );
    const gateway = await proxy.stores().catch((e) => e);
    expect(errorMessage(gateway)).toBe(
      'The service did not answer properly (error 502). Try again in a moment; if it goes on, ask whoever runs the service.',
    );
    expect(errorMessage(gateway)).not.toMatch(/GET|\/stores/);
    const odd = createApiClient({ serviceUrl: 'http://svc', apiKey: '' }, { fetch: vi.fn(async () => json(200, { stores: [{}] })) });
    expect(errorMessage(await odd.stores().catch((e) => e))).not.toMatch(/stores\.0|GET/);
    expect(words(new ApiError(404, 'not_found', 'No endpoint GET /demo')).message).toBe(
      'The service does not offer this: it may be an older version.',
    );
  });

  it("keeps the service's own sentences, with the next step for history too short", () => {
    const short = new ApiError(422, 'insufficient_history', 'No forecast for "P1": "P1" has sales records for 2 days.');
    expect(words(short)).toEqual({
      message: 'No forecast for "P1": "P1" has sales records for 2 days.',
      next: 'What to do: upload more sales history of this product (Data & Training page), then ask again.',
    });
    expect(words(new ApiError(404, 'not_found', 'Store "X" not found')).message).toBe('Store "X" not found');
    expect(words(new Error('plain'))).toEqual({ message: 'plain', next: null });
  });
});

describe('the buyer defaults travel with the client', () => {
  it('gives the pages the defaults saved in Settings', () => {
    const defaults = { leadTimeDays: 5, currency: 'EUR' };
    expect(createApiClient({ serviceUrl: '', apiKey: '', defaults }).defaults).toEqual(defaults);
    expect(createApiClient({ serviceUrl: '', apiKey: '' }).defaults).toEqual({});
  });
});
