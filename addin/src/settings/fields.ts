// The planning fields the pages share (horizon, lead time, review period, service level, stock, money), checked
// before anything is sent: each answer is a number, "left empty", or a sentence saying what is wrong, shown on the
// field itself. A field left empty takes the buyer's default from Settings, if one is set. Pure.
import type { BuyerDefaults } from './settings';

export type Checked = { ok: true; value: number | undefined } | { ok: false; message: string };

const EMPTY: Checked = { ok: true, value: undefined };
const fail = (message: string): Checked => ({ ok: false, message });

/** The number typed, NaN when it is not one, undefined when nothing is. */
function read(text: string): number | undefined {
  const t = text.trim().replace(/\s/g, '');
  if (t === '') return undefined;
  return /^[+-]?(\d+([.,]\d*)?|[.,]\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t.replace(',', '.')) : NaN;
}

/** Days: lead time, review period. */
export function checkDays(text: string, what: 'Lead time' | 'Review period'): Checked {
  const x = read(text);
  if (x === undefined) return EMPTY;
  if (!Number.isFinite(x) || x < 0) return fail(`${what} is in days, 0 or more`);
  if (x > 365) return fail(`${what} is in days, at most 365`);
  return { ok: true, value: x };
}

/**
 * A service level in percent, 50 to 99.9. A value of 1 or less is questioned rather than read: 0.95 was probably
 * meant as 95%, 1 as 100% (which no stock level can promise).
 */
export function checkServiceLevel(text: string): Checked {
  const x = read(text);
  if (x === undefined) return EMPTY;
  if (Number.isFinite(x) && x > 0 && x < 1) {
    const meant = Math.round(x * 1000) / 10;
    return fail(`Service level is in percent: did you mean ${meant}%? Type ${meant}, not ${x}`);
  }
  if (x === 1) return fail('Service level is in percent: 1 would be 1%, and 100% no stock can promise. Type e.g. 95 for 95%');
  if (!Number.isFinite(x) || x < 50 || x > 99.9) return fail('Service level must be between 50 and 99.9%');
  return { ok: true, value: x };
}

/** Whole periods from 1 to `max` (a horizon). */
export function checkHorizon(text: string, max: number, unit = 'days'): Checked {
  const x = read(text);
  if (x === undefined) return fail(`Horizon is in ${unit}, from 1 to ${max}`);
  if (!Number.isInteger(x) || x < 1 || x > max) return fail(`Horizon is in whole ${unit}, from 1 to ${max}`);
  return { ok: true, value: x };
}

/** Units on hand or on order: 0 or more. */
export function checkUnits(text: string, what: string): Checked {
  const x = read(text);
  if (x === undefined) return EMPTY;
  if (!Number.isFinite(x) || x < 0) return fail(`${what} is in units, 0 or more`);
  if (x > 1e9) return fail(`${what} is in units, at most 1,000,000,000`);
  return { ok: true, value: x };
}

/** A price or cost per unit: 0 or more (a price: more than 0). */
export function checkMoney(text: string, what: 'Unit cost' | 'Price'): Checked {
  const x = read(text);
  if (x === undefined) return EMPTY;
  if (!Number.isFinite(x) || x < 0 || (what === 'Price' && x === 0))
    return fail(`${what} is an amount per unit, ${what === 'Price' ? 'more than 0' : '0 or more'}`);
  if (x > 1e9) return fail(`${what} is an amount per unit, at most 1,000,000,000`);
  return { ok: true, value: x };
}

/** A change in percent: more than -100. */
export function checkPercentChange(text: string, what: string, min = -100, max = 1000): Checked {
  const x = read(text);
  if (x === undefined) return EMPTY;
  if (!Number.isFinite(x) || x <= min || x > max) return fail(`${what} is a percent, more than ${min} and at most ${max}`);
  return { ok: true, value: x };
}

/** A share in percent, 0 to 100 (a discount). */
export function checkPercent(text: string, what: string): Checked {
  const x = read(text);
  if (x === undefined) return EMPTY;
  if (!Number.isFinite(x) || x < 0 || x > 100) return fail(`${what} is a percent, from 0 to 100`);
  return { ok: true, value: x };
}

/** Fluent Field props for a check: the field highlighted with its sentence when it is wrong. */
export const fieldState = (c: Checked) => (c.ok ? {} : ({ validationState: 'error', validationMessage: c.message } as const));

/** The value typed, else the buyer's default (undefined: the service decides). */
export const orDefault = (c: Checked, fallback: number | undefined) => (c.ok ? (c.value ?? fallback) : undefined);

/** Every check passed. */
export const allOk = (...checks: Checked[]) => checks.every((c) => c.ok);

/** The placeholder of a field that the buyer's default (or else the service) fills when left empty. */
export function defaultHint(value: number | undefined, unit: 'days' | '%', otherwise = 'from data'): string {
  if (value === undefined) return otherwise;
  return unit === '%' ? `${value}% (your default)` : `${value} days (your default)`;
}

/** The buyer's defaults of a client, or none. */
export const defaultsOf = (api: { defaults?: BuyerDefaults }): BuyerDefaults => api.defaults ?? {};
