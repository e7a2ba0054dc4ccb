import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CalendarSummary, CalendarUploadResponse, type ErrorBody } from '../../../shared/schemas';
import { storeUpload } from '../db/sales';
import { loadCalendarDays } from '../db/series';
import { calendarOrNull } from '../features/index';
import { testBackends } from '../db/testing';
import { loadActiveModel } from '../db/training';
import { generateDemoSales } from '../demo/generate';
import { M5_DIR, m5Available } from '../../../bench/fixtures/m5';
import { startTestServer, type TestServer } from '../testing/server';

describe.each(testBackends)('events calendar endpoints on %s', (kind) => {
  let server: TestServer;
  const upload = async (name: string, content: string | Buffer, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.set('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await fetch(`${server.url}/upload_calendar`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as never };
  };
  const rows = async () => (await server.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM calendar_events`)[0].n;

  beforeAll(async () => {
    server = await startTestServer(kind, { training: true });
  });
  afterAll(async () => server?.close());

  it.skipIf(!m5Available())("stores M5's calendar.csv; uploading it again replaces the same rows", async () => {
    const bytes = readFileSync(resolve(M5_DIR, 'calendar.csv'));
    const first = await upload('calendar.csv', bytes);
    expect(first.status).toBe(200);
    const body = CalendarUploadResponse.parse(first.body);
    expect(body).toMatchObject({ rows_read: 5739, inserted: 5739, replaced: 0 });
    expect(body.calendar).toMatchObject({ days: 1913, regions: ['CA', 'TX', 'WI'], first_date: '2011-01-29', last_date: '2016-04-24' });
    expect(body.calendar.event_days).toBeGreaterThan(100);
    expect(body.calendar.snap_days).toBeGreaterThan(500);
    const again = CalendarUploadResponse.parse((await upload('calendar.csv', bytes)).body);
    expect([again.inserted, again.replaced]).toEqual([0, 5739]);
    expect(CalendarSummary.parse(await (await fetch(`${server.url}/calendar`)).json())).toEqual(body.calendar);
    const cal = calendarOrNull(await loadCalendarDays(server.db.sql))!;
    expect(cal.eventNames).toContain('SuperBowl');
  });

  it('a bad row stores nothing and names the row and column', async () => {
    const before = await rows();
    const bad = await upload('holidays.csv', 'date,holiday,snap\n2030-01-01,New Year,1\n2030-01-02,,perhaps\n');
    expect(bad.status).toBe(422);
    expect((bad.body as ErrorBody).error).toMatchObject({ code: 'invalid_value', details: { row: 3, column: 'snap', value: 'perhaps' } });
    expect(await rows()).toBe(before);
    expect((await upload('holidays.xlsx', 'x')).status).toBe(415);
    const noFile = await fetch(`${server.url}/upload_calendar`, { method: 'POST', body: new FormData() });
    expect([noFile.status, ((await noFile.json()) as ErrorBody).error.code]).toEqual([400, 'missing_file']);
  });

  it('the next training reads the events: the model knows their names', async () => {
    const demo = generateDemoSales({ stores: ['C1'], productsPerStore: 4, days: 120, endDate: '2025-12-31', seed: 5 });
    await storeUpload(
      server.db,
      { filename: 'demo', checksum: 'demo', format: 'demo', grain: 'daily', rowsRead: demo.length, columns: {}, warnings: [] },
      demo,
    );
    const holidays = 'Date,Holiday,Type\n2025-11-27,Thanksgiving,National\n2025-12-25,Christmas,National\n2026-01-01,NewYear,National\n';
    expect((await upload('holidays.csv', holidays)).status).toBe(200);
    const res = await fetch(`${server.url}/train_model`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ store_id: 'C1', params: { rounds: 10 } }),
    });
    const { job_id } = (await res.json()) as { job_id: number };
    for (;;) {
      const job = (await (await fetch(`${server.url}/training_status/${job_id}`)).json()) as { status: string; error?: string };
      if (job.status === 'failed') throw new Error(job.error);
      if (job.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const model = (await loadActiveModel(server.db.sql, 'store:C1'))!;
    expect(Object.keys((model.encodings as { eventName: Record<string, number> }).eventName)).toEqual(
      expect.arrayContaining(['Thanksgiving', 'Christmas', 'NewYear']),
    );
  });
});
