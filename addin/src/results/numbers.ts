// How numbers, money and percentages read, for the pages (components/format.ts) and the sheets alike. Pure.

const numberFormats = new Map<string, Intl.NumberFormat>();

/** 1,234.5 style; '—' for missing values. */
export function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const key = String(digits);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })));
  return f.format(value);
}

export const money = (value: number | null | undefined, currency = '') =>
  value === null || value === undefined ? '—' : `${fmt(value, 2)}${currency ? ` ${currency}` : ''}`;

/** Money that is unknown because a cost or price is ('unknown', never 0.00); '—' when there is nothing to price. */
export const moneyOrUnknown = (value: number | null | undefined, currency = '') => (value === null ? 'unknown' : money(value, currency));

/** Whole units, a part unit rounded up: stock cannot be ordered or kept by the fraction (an order, a reorder point). */
export function wholeUnits(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return fmt(Math.max(0, Math.ceil(value - 1e-9)));
}

export const percent = (fraction: number | null | undefined, digits = 1) =>
  fraction === null || fraction === undefined ? '—' : `${fmt(fraction * 100, digits)}%`;
