// Categorical codes for store, product, category and calendar events. Stored with the model, so that codes stay the
// same across retraining (buildEncodings only appends new values) and serving uses the codes training used.
import type { CalendarEvents } from './calendar';
import { seriesCategory, type SeriesInput } from './frame';

/**
 * Code for a value the encodings do not know (new store/product/category/event at serving time). A large positive
 * integer, exactly representable in Float32, never -1 (one engine reads -1 as missing) and above every real code.
 */
export const UNKNOWN_CODE = 1_000_000;
/** Event columns: 0 = no event that day; event codes start at 1. */
export const NO_EVENT_CODE = 0;

export interface Encodings {
  /** Codes 0.. in order of first appearance (new values sorted), never reassigned. */
  store: Record<string, number>;
  product: Record<string, number>;
  category: Record<string, number>;
  /** Codes 1.. (0 is "no event"). */
  eventName: Record<string, number>;
  eventType: Record<string, number>;
}

export function emptyEncodings(): Encodings {
  return { store: {}, product: {}, category: {}, eventName: {}, eventType: {} };
}

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The code of `key`, UNKNOWN_CODE if the map does not have it. Safe for keys like "constructor". */
export function codeOf(map: Record<string, number>, key: string): number {
  return has(map, key) ? map[key] : UNKNOWN_CODE;
}

function extend(prev: Record<string, number> | undefined, values: Iterable<string>, firstCode: number): Record<string, number> {
  const out: Record<string, number> = {};
  let next = firstCode;
  if (prev) {
    for (const k of Object.keys(prev)) {
      const c = prev[k];
      if (!Number.isInteger(c) || c < firstCode || c >= UNKNOWN_CODE) throw new RangeError(`invalid code ${c} for "${k}"`);
      out[k] = c;
      if (c >= next) next = c + 1;
    }
  }
  const fresh = [...new Set(values)].filter((v) => !has(out, v)).sort();
  for (const v of fresh) out[v] = next++;
  if (next > UNKNOWN_CODE) throw new RangeError('too many distinct values to encode');
  return out;
}

/**
 * Builds the code maps from training series (and the calendar's event names/types). With `previous` (the encodings
 * stored with the last model), existing codes are kept and only new values get new codes, so codes are stable across
 * retraining.
 */
export function buildEncodings(series: SeriesInput[], opts: { previous?: Encodings; calendar?: CalendarEvents | null } = {}): Encodings {
  const stores: string[] = [];
  const products: string[] = [];
  const categories: string[] = [];
  for (const s of series) {
    stores.push(s.storeId);
    products.push(s.productId);
    const c = seriesCategory(s);
    if (c) categories.push(c);
  }
  const p = opts.previous;
  return {
    store: extend(p?.store, stores, 0),
    product: extend(p?.product, products, 0),
    category: extend(p?.category, categories, 0),
    eventName: extend(p?.eventName, opts.calendar?.eventNames ?? [], 1),
    eventType: extend(p?.eventType, opts.calendar?.eventTypes ?? [], 1),
  };
}
