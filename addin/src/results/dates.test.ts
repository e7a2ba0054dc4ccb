import { describe, expect, it } from 'vitest';
import { dateFormatter } from './dates';

/** Intl puts thin or narrow no-break spaces around a range's dash in some locales; a buyer reads them as spaces. */
const plain = (text: string) => text.replace(/[\u2009\u202f\u00a0]/g, ' ');

describe('the pane’s date formatter', () => {
  const gb = dateFormatter('en-GB');
  const us = dateFormatter('en-US');
  const de = dateFormatter('de-DE');

  it('writes a stored day in the locale it is given', () => {
    expect([gb.day('2025-07-01'), us.day('2025-07-01'), de.day('2025-07-01')]).toEqual(['1 Jul 2025', 'Jul 1, 2025', '1. Juli 2025']);
    expect([gb.weekday('2025-07-01'), us.weekday('2025-07-01'), de.weekday('2025-07-01')]).toEqual([
      'Tue, 1 Jul 2025',
      'Tue, Jul 1, 2025',
      'Di., 1. Juli 2025',
    ]);
    expect([gb.month('2025-07-01'), de.month('2025-07-01')]).toEqual(['July 2025', 'Juli 2025']);
    expect([gb.tick('2025-07-01', 'day'), de.tick('2025-07-01', 'week'), gb.tick('2025-07-01', 'month')]).toEqual([
      '1 Jul',
      '1. Juli',
      'Jul 25',
    ]);
  });

  it('shows the day itself whatever the time zone (a stored day is not a moment)', () => {
    // The first and last days of a year, where a shift by the time zone would show the wrong year.
    expect(gb.day('2025-01-01')).toBe('1 Jan 2025');
    expect(gb.day('2024-12-31')).toBe('31 Dec 2024');
    expect(dateFormatter('en-GB', 'Pacific/Kiritimati').day('2024-12-31')).toBe('31 Dec 2024');
  });

  it('names periods: a day, a week, a whole month, a month begun or ended part way', () => {
    expect(gb.period('2025-07-01', '2025-07-01', 'day')).toBe('Tue, 1 Jul 2025');
    expect(gb.period('2025-07-07', '2025-07-13', 'week')).toBe('Week of 7 Jul 2025');
    expect(de.period('2025-07-07', '2025-07-13', 'week')).toBe('Week of 7. Juli 2025');
    expect(gb.period('2025-07-01', '2025-07-31', 'month')).toBe('July 2025');
    expect(us.period('2024-02-01', '2024-02-29', 'month')).toBe('February 2024');
    expect(plain(gb.period('2025-07-16', '2025-07-31', 'month'))).toMatch(/^16 ?– ?31 Jul 2025$/);
    expect(plain(de.period('2025-07-01', '2025-07-15', 'month'))).toMatch(/^1\. ?– ?15\. Juli 2025$/);
    expect(plain(gb.range('2025-06-28', '2025-07-04'))).toBe('28 Jun – 4 Jul 2025');
    expect(gb.range('2025-07-04', '2025-07-04')).toBe('4 Jul 2025');
  });

  it('writes a moment in the user’s time zone', () => {
    expect(dateFormatter('en-GB', 'UTC').time('2025-07-01T14:05:09.123Z')).toBe('1 Jul 2025, 14:05');
    expect(dateFormatter('en-GB', 'Europe/Berlin').time('2025-07-01T14:05:09.123Z')).toBe('1 Jul 2025, 16:05');
    expect(dateFormatter('de-DE', 'UTC').time('2025-07-01T14:05:00Z')).toBe('1. Juli 2025, 14:05');
  });

  it('falls back to the default locale for a language Intl does not know or a malformed one, and shows non-dates as they came', () => {
    const fallback = new Intl.DateTimeFormat().resolvedOptions().locale;
    expect(dateFormatter('not a tag').locale).toBe(fallback);
    expect(dateFormatter('').locale).toBe(fallback);
    expect(dateFormatter(undefined).locale).toBe(fallback);
    expect(dateFormatter('de-DE').locale).toBe('de-DE');
    expect(dateFormatter('de-DE')).toBe(de); // one formatter per locale
    expect(gb.day('soon')).toBe('soon');
    expect(gb.time('later')).toBe('later');
  });
});
