import { Hono } from 'hono';
import { CalendarUploadForm, type CalendarSummary } from '../../../shared/schemas';
import { ingestCalendar } from '../uploads/ingest-calendar';
import { calendarSummary } from '../db/calendar';
import type { Sql } from '../db/connection';
import { AppError } from '../errors';
import { describeIssues } from '../http';
import { readUploadedFile } from './multipart';

export function calendarRoutes(sql: Sql) {
  return new Hono()
    .post('/upload_calendar', async (c) => {
      const file = await readUploadedFile(c, 'calendar file');
      const form = CalendarUploadForm.safeParse({ date_format: file.fields.date_format?.toUpperCase() });
      if (!form.success) throw new AppError(422, 'invalid_request', `Invalid form field: ${describeIssues(form.error.issues)}`);
      return c.json(await ingestCalendar(sql, file, form.data));
    })
    .get('/calendar', async (c) => c.json((await calendarSummary(sql)) satisfies CalendarSummary));
}
