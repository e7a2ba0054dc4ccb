// The optional events calendar: what is stored, and an upload from a table or sheet (inside Excel) or a .csv file.
import { Button, Radio, RadioGroup, Select, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { CalendarSummary, CalendarUploadResponse, DateOrder } from '../../../../shared/schemas';
import { ErrorMessage, Loading, Notice } from '../../components/feedback';
import { useDates } from '../../components/dates';
import { fmt } from '../../components/format';
import { useAction, useLoad } from '../../components/hooks';
import { useStyles } from '../../components/styles';
import { detectMapping } from '../../mapping/columns';
import type { DataSource, WorkbookAccess } from '../../pane-host';
import type { DateFormatter } from '../../results/dates';
import type { DataApi } from './types';
import { Warnings } from './Warnings';
import { workbookCsv } from './workbookCsv';

/** The service reads .csv and .csv.gz calendars; ".gz" too because some file pickers match only the last extension. */
const CALENDAR_FILES = '.csv,.csv.gz,.gz';

function describeCalendar(c: CalendarSummary, dates: DateFormatter): string {
  if (c.days === 0) return 'No calendar yet: holidays and events help the model around those days.';
  const regions = c.regions.length ? ` for ${c.regions.join(', ')}` : '';
  const span = c.first_date && c.last_date ? `, ${dates.day(c.first_date)} to ${dates.day(c.last_date)}` : '';
  return `${fmt(c.days)} days${span}${regions}: ${fmt(c.event_days)} with events or holidays, ${fmt(c.snap_days)} SNAP days.`;
}

export function CalendarSection({ api, workbook }: { api: DataApi; workbook?: WorkbookAccess }) {
  const s = useStyles();
  const dates = useDates();
  const stored = useLoad(() => api.calendar(), [api]);
  const [from, setFrom] = useState<'workbook' | 'file'>(workbook ? 'workbook' : 'file');
  const [sources, setSources] = useState<DataSource[] | null>(null);
  const [sourceIndex, setSourceIndex] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [dateOrder, setDateOrder] = useState<DateOrder | ''>('');
  const [result, setResult] = useState<CalendarUploadResponse | null>(null);
  const summary = result?.calendar ?? stored.data;

  const find = useAction(async () => {
    const list = await workbook!.listSources();
    setSources(list);
    setSourceIndex(0);
  });
  const upload = useAction(async () => {
    setResult(null);
    const form = dateOrder ? { date_format: dateOrder } : {};
    if (from === 'workbook') {
      const source = sources![sourceIndex];
      const { headers } = await workbook!.preview(source);
      // The calendar's date column is found by the same names as the sales date column.
      const { csv, fileName } = await workbookCsv(workbook!, source, headers, detectMapping(headers).date);
      setResult(await api.uploadCalendar(csv, fileName, form));
    } else if (file) {
      setResult(await api.uploadCalendar(file, file.name, form));
    }
  });
  const ready = from === 'file' ? file !== null : Boolean(sources?.[sourceIndex]);

  return (
    <div className={s.section} role="group" aria-label="Events calendar">
      <Text weight="semibold">Events calendar (optional)</Text>
      {stored.loading && !summary ? <Loading label="Loading the calendar…" /> : null}
      <ErrorMessage error={stored.error} title="Could not load the calendar" />
      {summary ? <Text size={200}>{describeCalendar(summary, dates)}</Text> : null}
      <Text size={200} className={s.muted}>
        Holidays and promotion days by date (M5&apos;s calendar.csv, or Date, Holiday, Type, Region, Snap columns). Models use the calendar
        from their next training.
      </Text>
      {workbook ? (
        <RadioGroup
          layout="horizontal"
          aria-label="Calendar source"
          value={from}
          onChange={(_, d) => setFrom(d.value as 'workbook' | 'file')}
        >
          <Radio value="workbook" label="A table or sheet" />
          <Radio value="file" label="A .csv file" />
        </RadioGroup>
      ) : null}
      {from === 'workbook' && workbook ? (
        <>
          <div className={s.row}>
            <Button onClick={() => void find.run()} disabled={find.busy}>
              {sources ? 'Look again' : 'Find calendar data'}
            </Button>
          </div>
          <ErrorMessage error={find.error} title="Could not read the workbook" />
          {sources && sources.length === 0 ? (
            <Notice intent="warning">No table or sheet with a header row and data was found.</Notice>
          ) : null}
          {sources && sources.length > 0 ? (
            <Select value={String(sourceIndex)} onChange={(_, d) => setSourceIndex(Number(d.value))} aria-label="Calendar data">
              {sources.map((src, i) => (
                <option key={`${src.kind}:${src.sheet}:${src.name}`} value={i}>
                  {src.label}
                </option>
              ))}
            </Select>
          ) : null}
        </>
      ) : (
        <input type="file" accept={CALENDAR_FILES} aria-label="Calendar file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      )}
      <div className={s.row}>
        <Select value={dateOrder} onChange={(_, d) => setDateOrder(d.value as DateOrder | '')} aria-label="Day order of calendar dates">
          <option value="">Recognise the day order</option>
          <option value="YMD">Year-month-day</option>
          <option value="DMY">Day-month-year</option>
          <option value="MDY">Month-day-year</option>
        </Select>
        <Button onClick={() => void upload.run()} disabled={!ready || upload.busy}>
          Upload calendar
        </Button>
      </div>
      {upload.busy ? <Loading label="Storing the calendar…" /> : null}
      <ErrorMessage error={upload.error} title="Calendar upload failed" />
      {result ? (
        <Notice>
          Read {fmt(result.rows_read)} rows from {result.filename}: {fmt(result.inserted)} new, {fmt(result.replaced)} replaced (entries by
          day and region).
          <Warnings warnings={result.warnings} />
        </Notice>
      ) : null}
    </div>
  );
}
