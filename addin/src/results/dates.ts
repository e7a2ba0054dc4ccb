// How the pane writes a date: one formatter, in one locale (the workbook's inside Excel, the browser's outside it,
// chosen by the host), for the charts, the tables and the lines above them. A stored day (YYYY-MM-DD) is shown as
// that day, never shifted by the time zone. Pure: the pages get theirs from components/dates.ts.
import type { Granularity } from '../../../shared/schemas';

export interface DateFormatter {
  /** The locale it writes in (a BCP 47 tag, e.g. "de-DE"). */
  readonly locale: string;
  /** A day: "1 Jul 2025" (en-GB), "Jul 1, 2025" (en-US), "1. Juli 2025" (de-DE). */
  day(iso: string): string;
  /** A day with its weekday: "Tue, 1 Jul 2025". */
  weekday(iso: string): string;
  /** A calendar month: "July 2025". */
  month(iso: string): string;
  /** From one day to another: "1–7 Jul 2025", "28 Jun – 4 Jul 2025"; one day when both are the same. */
  range(from: string, to: string): string;
  /**
   * A period by name: a day with its weekday, "Week of 7 Jul 2025", a whole month ("July 2025"), or the days of a
   * month begun or ended part way ("16–31 Jul 2025").
   */
  period(date: string, end: string, granularity: Granularity): string;
  /** A chart's axis tick: "1 Jul" for days and weeks, "Jul 25" for months. */
  tick(iso: string, granularity: Granularity): string;
  /** A moment (an ISO timestamp) in the user's time zone: "1 Jul 2025, 14:05". */
  time(timestamp: string): string;
}

const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const FORMATS = {
  day: DAY,
  weekday: { weekday: 'short', ...DAY },
  month: { month: 'long', year: 'numeric' },
  dayTick: { day: 'numeric', month: 'short' },
  monthTick: { month: 'short', year: '2-digit' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
const TIME: Intl.DateTimeFormatOptions = { ...DAY, hour: '2-digit', minute: '2-digit' };

const dayMs = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const isDay = (iso: string) => /^\d{4}-\d{2}-\d{2}$/.test(iso) && !Number.isNaN(dayMs(iso));
const monthEnd = (iso: string) => new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), 0)).toISOString().slice(0, 10);

/** The locale asked for when Intl knows it (a tag such as "de-DE" or "fr"), else the runtime's default. */
function usableLocale(locale: string | null | undefined): string {
  if (locale) {
    try {
      const [known] = Intl.DateTimeFormat.supportedLocalesOf(locale);
      if (known) return known;
    } catch {
      // not a well-formed language tag
    }
  }
  return new Intl.DateTimeFormat().resolvedOptions().locale;
}

const formatters = new Map<string, DateFormatter>();

/**
 * The formatter of a locale (one per locale, kept); an unknown or missing locale gets the runtime's default.
 * `timeZone` is for moments (`time`) only, the user's own by default; stored days never depend on it.
 */
export function dateFormatter(locale?: string | null, timeZone?: string): DateFormatter {
  const tag = usableLocale(locale);
  const key = `${tag}|${timeZone ?? ''}`;
  let formatter = formatters.get(key);
  if (!formatter) formatters.set(key, (formatter = makeFormatter(tag, timeZone)));
  return formatter;
}

function makeFormatter(locale: string, timeZone?: string): DateFormatter {
  const intl = Object.fromEntries(
    Object.entries(FORMATS).map(([name, options]) => [name, new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' })]),
  ) as Record<keyof typeof FORMATS, Intl.DateTimeFormat>;
  const clock = new Intl.DateTimeFormat(locale, { ...TIME, timeZone });
  /** A stored day in one of the formats; text that is not a day is shown as it came. */
  const show = (format: keyof typeof FORMATS) => (iso: string) => (isDay(iso) ? intl[format].format(dayMs(iso)) : iso);
  const day = show('day');
  const weekday = show('weekday');
  const month = show('month');
  const range = (from: string, to: string) => {
    if (from === to || !isDay(from) || !isDay(to)) return day(from);
    return intl.day.formatRange(dayMs(from), dayMs(to));
  };
  return {
    locale,
    day,
    weekday,
    month,
    range,
    period(date, end, granularity) {
      if (granularity === 'day' || date === end) return weekday(date);
      if (granularity === 'week') return `Week of ${day(date)}`;
      if (date.endsWith('-01') && end === monthEnd(date)) return month(date);
      return range(date, end);
    },
    tick: (iso, granularity) => show(granularity === 'month' ? 'monthTick' : 'dayTick')(iso),
    time(timestamp) {
      const ms = Date.parse(timestamp);
      return Number.isNaN(ms) ? timestamp : clock.format(ms);
    },
  };
}
