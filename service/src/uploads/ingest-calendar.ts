// An events calendar from bytes to stored rows: parse (pure), then store in one transaction.
import type { CalendarUploadForm, CalendarUploadResponse } from '../../../shared/schemas';
import { calendarSummary, storeCalendar } from '../db/calendar';
import type { Sql } from '../db/connection';
import { parseCalendarFile } from '../ingest/calendar';

export async function ingestCalendar(
  sql: Sql,
  file: { name: string; bytes: Buffer },
  form: CalendarUploadForm,
): Promise<CalendarUploadResponse> {
  const parsed = parseCalendarFile({ filename: file.name, data: file.bytes, dateOrder: form.date_format });
  const stored = await storeCalendar(sql, parsed.days);
  return {
    filename: file.name,
    rows_read: parsed.rowsRead,
    inserted: stored.inserted,
    replaced: stored.replaced,
    calendar: await calendarSummary(sql),
    warnings: parsed.warnings,
  };
}
