// Dates on the pages: day arithmetic on ISO dates (UTC) for the ranges the pages ask for, and the one date formatter
// every page and chart writes dates with (results/dates.ts), in the locale the host chose (App provides it).
import { createContext, useContext } from 'react';
import { dateFormatter, type DateFormatter } from '../results/dates';

/** Adds days to an ISO date. */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The pane's date formatter; without a provider (a page rendered alone) the browser's locale. */
export const DatesContext = createContext<DateFormatter>(dateFormatter(typeof navigator === 'undefined' ? undefined : navigator.language));

/** The date formatter of the pane: the workbook's locale inside Excel, the browser's outside it. */
export const useDates = (): DateFormatter => useContext(DatesContext);
