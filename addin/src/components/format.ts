// How the pane shows numbers, money and percentages.

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

export const percent = (fraction: number | null | undefined, digits = 1) =>
  fraction === null || fraction === undefined ? '—' : `${fmt(fraction * 100, digits)}%`;
