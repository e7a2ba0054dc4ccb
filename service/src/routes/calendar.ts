import { Hono } from 'hono';
import { CalendarUploadForm } from '../../../shared/schemas';
import type { CalendarService } from '../calendar/service';
import { AppError } from '../errors';
import { describeIssues } from '../http';
import { readUploadedFile } from './multipart';

export function calendarRoutes(calendar: CalendarService) {
  return new Hono()
    .post('/upload_calendar', async (c) => {
      const file = await readUploadedFile(c, 'calendar file');
      const form = CalendarUploadForm.safeParse({ date_format: file.fields.date_format?.toUpperCase() });
      if (!form.success) throw new AppError(422, 'invalid_request', `Invalid form field: ${describeIssues(form.error.issues)}`);
      return c.json(await calendar.upload(file, form.data));
    })
    .get('/calendar', async (c) => c.json(await calendar.summary()));
}
