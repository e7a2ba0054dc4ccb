// An events calendar file (holidays, promotions days, SNAP / benefit days) -> calendar rows. Pure: no HTTP, no SQL.
// Two layouts are read: M5's (date, state_id, event_name_1/2, event_type_1/2, snap, or Kaggle's wide snap_CA,
// snap_TX, ... columns) and a plain one (date, event or holiday name, optional type, region and snap).
import { parse } from 'csv-parse/sync';
import type { DateOrder } from '../../../shared/schemas';
import type { CalendarDay } from '../features/index';
import { AppError } from '../errors';
import { decodeText, detectDelimiter, gunzip } from './csv';
import { keyRowsOf, resolveDates } from './dates';
import { normaliseHeader } from './headers';
import { parseId } from './numbers';

export interface ParsedCalendar {
  /** One row per (date, region); region '' = every region. */
  days: CalendarDay[];
  rowsRead: number;
  warnings: string[];
}

// Header names as normaliseHeader gives them (lower case, letters and digits only), first match wins.
const DATE = ['date', 'day', 'calendardate'];
const REGION = ['stateid', 'state', 'region', 'regionid', 'storeregion'];
const EVENT = ['eventname1', 'eventname', 'event', 'holiday', 'holidayname', 'name'];
const EVENT_TYPE = ['eventtype1', 'eventtype', 'type', 'holidaytype'];
const EVENT_2 = ['eventname2'];
const EVENT_TYPE_2 = ['eventtype2'];
const SNAP = ['snap', 'snapday', 'benefitday'];
const MAX_ROWS = 200_000;

export function parseCalendarFile(opts: {
  filename: string;
  data: Buffer;
  dateOrder?: DateOrder;
  maxDecompressedBytes?: number;
}): ParsedCalendar {
  const name = opts.filename.trim().toLowerCase();
  let bytes: Buffer;
  if (name.endsWith('.csv')) bytes = opts.data;
  else if (name.endsWith('.csv.gz')) bytes = gunzip(opts.data, opts.maxDecompressedBytes ?? 256 * 1024 * 1024);
  else {
    throw new AppError(
      415,
      'unsupported_file_type',
      `"${opts.filename}" is not a calendar file: upload a .csv or .csv.gz (in Excel: Save As "CSV UTF-8").`,
      {
        accepted: ['.csv', '.csv.gz'],
      },
    );
  }
  if (bytes.length === 0) throw new AppError(422, 'empty_file', 'The file is empty: it has no header row and no data.');
  const { text, warning } = decodeText(bytes);
  const warnings = warning ? [warning] : [];

  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
      to: MAX_ROWS + 2,
    });
  } catch (err) {
    throw new AppError(422, 'invalid_csv', `The calendar CSV could not be read: ${(err as Error).message}`);
  }
  if (rows.length < 2) throw new AppError(422, 'empty_file', 'The calendar has a header row but no days.');
  if (rows.length > MAX_ROWS + 1) {
    throw new AppError(413, 'too_many_rows', `The calendar has more than ${MAX_ROWS.toLocaleString('en-US')} rows.`, { maxRows: MAX_ROWS });
  }

  const header = rows[0].map((h) => normaliseHeader(h));
  const find = (names: string[]) => {
    for (const n of names) {
      const i = header.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  const iDate = find(DATE);
  if (iDate < 0) {
    throw new AppError(422, 'missing_column', `The calendar needs a "date" column; found: ${rows[0].map((h) => `"${h}"`).join(', ')}.`, {
      found: rows[0],
    });
  }
  const iRegion = find(REGION);
  const iEvent = find(EVENT);
  const iType = find(EVENT_TYPE);
  const iEvent2 = find(EVENT_2);
  const iType2 = find(EVENT_TYPE_2);
  const iSnap = find(SNAP);
  // Kaggle's M5 calendar: one SNAP column per state (snap_CA, snap_TX, ...) instead of state_id + snap.
  const wideSnap = rows[0].flatMap((h, i) => {
    const m = /^snap[_ -]([A-Za-z0-9]+)$/i.exec(h.trim());
    return m && i !== iSnap ? [{ index: i, region: m[1] }] : [];
  });
  if (iEvent < 0 && iSnap < 0 && wideSnap.length === 0) {
    throw new AppError(
      422,
      'missing_column',
      'The calendar has no event, holiday or SNAP column: name one "event_name" (or "holiday"), "event_type", "snap" or "snap_<state>".',
      { found: rows[0] },
    );
  }

  // Dates: the same day-order rules as sales uploads (decided by the whole column).
  const body = rows.slice(1);
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const ids = new Int32Array(body.length);
  const rowNumbers = Int32Array.from(body, (_, k) => k + 2);
  body.forEach((r, k) => {
    const v = (r[iDate] ?? '').trim();
    if (v === '') {
      ids[k] = -1;
      return;
    }
    let id = keyIndex.get(v);
    if (id === undefined) keyIndex.set(v, (id = keys.push(v) - 1));
    ids[k] = id;
  });
  const emptyDate = ids.indexOf(-1);
  if (emptyDate >= 0) throw rowError(emptyDate + 2, rows[0][iDate], '', 'a date is required on every row');
  const dates = resolveDates({ column: rows[0][iDate], keys, ...keyRowsOf(keys.length, ids, rowNumbers), order: opts.dateOrder });
  if (dates.warning) warnings.push(dates.warning);

  const byKey = new Map<string, CalendarDay>();
  const cell = (r: string[], i: number) => (i >= 0 ? (r[i] ?? '').trim() : '');
  body.forEach((r, k) => {
    const rowNumber = k + 2;
    const date = dates.iso[ids[k]];
    const events: { name: string; type: string | null }[] = [];
    for (const [iN, iT] of [
      [iEvent, iType],
      [iEvent2, iType2],
    ]) {
      const nameText = cell(r, iN);
      if (nameText === '') continue;
      const eventName = parseId(nameText);
      if (!eventName)
        throw rowError(rowNumber, rows[0][iN], nameText, 'an event name must not start with =, +, @, a tab or a carriage return');
      events.push({ name: eventName, type: parseId(cell(r, iT)) ?? null });
    }
    const add = (regionText: string, snap: boolean | null) => {
      const region = regionText === '' ? '' : parseId(regionText);
      if (region === null || region === undefined) throw rowError(rowNumber, rows[0][iRegion], regionText, 'not a usable region');
      const key = `${date}\u0000${region}`;
      const day = byKey.get(key);
      if (!day) {
        byKey.set(key, { date, state: region, events: [...events], snap });
        return;
      }
      // A second row for the same day and region adds its events (a day with two holidays).
      for (const e of events) if (!day.events!.some((x) => x.name === e.name)) day.events!.push(e);
      if (snap !== null) day.snap = snap;
    };
    if (wideSnap.length > 0) {
      for (const w of wideSnap) add(w.region, snapValue(cell(r, w.index), rowNumber, rows[0][w.index]));
    } else {
      add(cell(r, iRegion), iSnap >= 0 ? snapValue(cell(r, iSnap), rowNumber, rows[0][iSnap]) : null);
    }
  });
  return { days: [...byKey.values()], rowsRead: body.length, warnings };
}

function snapValue(text: string, rowNumber: number, column: string): boolean | null {
  const t = text.toLowerCase();
  if (t === '') return null;
  if (t === '1' || t === 'true' || t === 'yes' || t === 'y') return true;
  if (t === '0' || t === 'false' || t === 'no' || t === 'n') return false;
  throw rowError(rowNumber, column, text, 'expected 1/0, true/false or yes/no');
}

function rowError(row: number, column: string, value: string, why: string): AppError {
  return new AppError(422, 'invalid_value', `Row ${row}, column "${column}": "${value}" is not valid (${why}).`, { row, column, value });
}
