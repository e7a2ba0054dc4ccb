import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, UploadProgressResponse, UploadResponse } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';

const PHASES: UploadProgressResponse['phase'][] = ['receiving', 'reading', 'storing', 'finishing', 'done', 'failed'];

/** 100 products x 3,000 days of daily sales: 300,000 rows, long enough to be seen reading and storing. */
function salesCsv(products = 100, days = 3000): string {
  const lines = ['date,store_id,product_id,units_sold'];
  for (let p = 0; p < products; p++)
    for (let d = 0; d < days; d++) lines.push(`${new Date(Date.UTC(2015, 0, 1 + d)).toISOString().slice(0, 10)},PR,P${p},${(p * d) % 7}`);
  return lines.join('\n') + '\n';
}

async function post(server: TestServer, csv: string, progressId: string) {
  const form = new FormData();
  form.append('file', new Blob([csv]), 'sales.csv');
  const res = await fetch(`${server.url}/upload_data?progress_id=${progressId}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as UploadResponse & ErrorBody };
}

async function progressOf(server: TestServer, id: string) {
  const res = await fetch(`${server.url}/upload_progress/${id}`);
  return { status: res.status, body: (await res.json()) as UploadProgressResponse & ErrorBody };
}

describe.each(testBackends)('GET /upload_progress on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(async () => server?.close());

  it('tells rows read and records written while the upload runs, then the outcome', async () => {
    const id = `progress-${kind}-1`;
    const seen: UploadProgressResponse[] = [];
    let answered = false;
    const answer = post(server, salesCsv(), id).finally(() => (answered = true));
    while (!answered) {
      const got = await progressOf(server, id);
      if (got.status === 200) seen.push(got.body);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { status, body } = await answer;
    expect(status).toBe(200);
    const last = await progressOf(server, id);
    expect(last.body).toMatchObject({ phase: 'done', rows_read: 300_000, records: body.records, records_written: body.records });
    expect(last.body.bytes_received).toBeGreaterThan(0);
    // Phases only move forward, counts only grow, and the work was seen under way (not only its end).
    for (let i = 1; i < seen.length; i++) {
      expect(PHASES.indexOf(seen[i].phase)).toBeGreaterThanOrEqual(PHASES.indexOf(seen[i - 1].phase));
      expect(seen[i].rows_read).toBeGreaterThanOrEqual(seen[i - 1].rows_read);
      expect(seen[i].records_written).toBeGreaterThanOrEqual(seen[i - 1].records_written);
    }
    const underWay = seen.filter((p) => (p.phase === 'reading' && p.rows_read > 0) || (p.phase === 'storing' && p.records !== null));
    expect(underWay.length).toBeGreaterThan(0);
  });

  it('says failed for a refused file, and refuses unknown and malformed ids', async () => {
    const id = `progress-${kind}-2`;
    const refused = await post(server, 'date,store_id,product_id,units_sold\n2024-13-45,PR,P1,3\n', id);
    expect(refused.status).toBe(422);
    expect((await progressOf(server, id)).body).toMatchObject({ phase: 'failed', records_written: 0 });
    const unknown = await progressOf(server, 'never-started-1');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    expect((await progressOf(server, 'bad!')).status).toBe(422);
    const badPost = await post(server, 'date,units_sold\n2024-01-01,1\n', 'x');
    expect(badPost.status).toBe(422);
    expect(badPost.body.error.message).toMatch(/progress_id/);
  });
});
