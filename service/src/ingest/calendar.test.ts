import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { buildCalendar, resolveState } from '../features/index';
import { M5_DIR, m5Available } from '../../../bench/fixtures/m5';
import { parseCalendarFile } from './calendar';

const csv = (text: string, filename = 'calendar.csv') => parseCalendarFile({ filename, data: Buffer.from(text) });
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
};

describe('events calendar files', () => {
  it.skipIf(!m5Available())("reads M5's calendar.csv as it is: events per date, SNAP per state", () => {
    const parsed = parseCalendarFile({ filename: 'calendar.csv', data: readFileSync(resolve(M5_DIR, 'calendar.csv')) });
    expect(parsed.rowsRead).toBe(5739);
    expect(new Set(parsed.days.map((d) => d.state))).toEqual(new Set(['CA', 'TX', 'WI']));
    const christmas = parsed.days.find((d) => d.date === '2015-12-25' && d.state === 'TX')!;
    expect(christmas.events).toEqual([{ name: 'Christmas', type: 'National' }]);
    // Easter and Orthodox Easter fall on one day in 2014: both events are kept.
    expect(
      parsed.days
        .find((d) => d.date === '2014-04-20' && d.state === 'CA')!
        .events!.map((e) => e.name)
        .sort(),
    ).toEqual(['Easter', 'OrthodoxEaster']);
    const cal = buildCalendar(parsed.days);
    const ca = resolveState(cal, 'CA_1', null)!;
    const wi = resolveState(cal, 'WI_2', null)!;
    const t = (date: string) => Math.round(Date.parse(date) / 86_400_000) - cal.start;
    // SNAP days differ by state: CA on the 1st-10th, WI on a different schedule.
    expect(ca.snap[t('2016-03-01')]).toBe(1);
    expect(ca.snap[t('2016-03-15')]).toBe(0);
    expect(ca.snap[t('2016-03-01')] === wi.snap[t('2016-03-01')] && ca.snap[t('2016-03-12')] === wi.snap[t('2016-03-12')]).toBe(false);
  });

  it("reads Kaggle's wide layout (snap_CA, snap_TX) and a plain holiday list in day-first dates", () => {
    const wide = csv(
      'date,wm_yr_wk,event_name_1,event_type_1,snap_CA,snap_TX\n2016-01-01,11548,NewYear,National,1,0\n2016-01-02,11548,,,0,1\n',
    );
    expect(wide.days).toEqual([
      { date: '2016-01-01', state: 'CA', events: [{ name: 'NewYear', type: 'National' }], snap: true },
      { date: '2016-01-01', state: 'TX', events: [{ name: 'NewYear', type: 'National' }], snap: false },
      { date: '2016-01-02', state: 'CA', events: [], snap: false },
      { date: '2016-01-02', state: 'TX', events: [], snap: true },
    ]);
    const plain = csv('Date;Holiday;Type\n25/12/2025;Christmas Day;public\n26/12/2025;Boxing Day;public\n01/01/2026;New Year;public\n');
    expect(plain.days.map((d) => [d.date, d.state, d.events![0].name])).toEqual([
      ['2025-12-25', '', 'Christmas Day'],
      ['2025-12-26', '', 'Boxing Day'],
      ['2026-01-01', '', 'New Year'],
    ]);
  });

  it('names the row and column of a bad value, and refuses files it cannot use', () => {
    const snap = failure(() => csv('date,state_id,snap\n2016-01-01,CA,1\n2016-01-02,CA,maybe\n'));
    expect([snap.status, snap.code]).toEqual([422, 'invalid_value']);
    expect(snap.message).toBe('Row 3, column "snap": "maybe" is not valid (expected 1/0, true/false or yes/no).');
    const date = failure(() => csv('date,holiday\n2016-01-01,New Year\n2016-13-45,Nonsense\n'));
    expect(date.status).toBe(422);
    expect(date.message).toMatch(/2016-13-45/);
    expect(date.message).toMatch(/row 3/i);
    expect(failure(() => csv('day_name,holiday\nMon,X\n')).code).toBe('missing_column');
    expect(failure(() => csv('date,weekday\n2016-01-01,Friday\n')).message).toMatch(/no event, holiday or SNAP column/);
    expect(failure(() => csv('date,holiday\n2016-01-01,=HYPERLINK("x")\n')).message).toMatch(/must not start with =/);
    expect(failure(() => csv('date,holiday\n', 'calendar.xlsx')).status).toBe(415);
    expect(failure(() => csv('date,holiday\n')).code).toBe('empty_file');
  });
});
