// The events calendar endpoints' work: an uploaded calendar from bytes to stored rows (parse, pure; then store in
// one transaction), and what the stored calendar covers.
import type { CalendarSummary, CalendarUploadForm, CalendarUploadResponse } from '../../../shared/schemas';
import { calendarSummary, storeCalendar } from '../db/calendar';
import type { Sql } from '../db/connection';
import { parseCalendarFile } from '../ingest/calendar';

export class CalendarService {
  constructor(private readonly sql: Sql) {}

  async upload(file: { name: string; bytes: Buffer }, form: CalendarUploadForm): Promise<CalendarUploadResponse> {
    const parsed = parseCalendarFile({ filename: file.name, data: file.bytes, dateOrder: form.date_format });
    const stored = await storeCalendar(this.sql, parsed.days);
    return {
      filename: file.name,
      rows_read: parsed.rowsRead,
      inserted: stored.inserted,
      replaced: stored.replaced,
      calendar: await calendarSummary(this.sql),
      warnings: parsed.warnings,
    };
  }

  summary(): Promise<CalendarSummary> {
    return calendarSummary(this.sql);
  }
}
