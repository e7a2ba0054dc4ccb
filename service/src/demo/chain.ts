// A generated retail chain for scale benchmarks (npm run bench:scale): daily sales of S stores x P products x D days as
// CSV (date, store_id, product_id, units_sold, price, promotion[, category]), written in chunks to a file so that a
// chain of any size never sits in memory. The ideas of generate.ts (weekly and yearly seasonality per category, price
// changes, promotions with lift, a trend, slow movers) plus intermittent products and a closed Christmas day, without
// its inventory simulation, to stay fast: 7.3M rows (10 stores) in well under a minute.
//
// Every series has its own PRNG seeded from (seed, store, product), so a series' values do not depend on the order the
// rows are written in: `order: 'series'` (store, product, date; the default) and `order: 'date'` (date, store,
// product, as a day-by-day extract) hold the same rows.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CATEGORIES as DEMO_CATEGORIES, prng } from './generate';

export interface ChainOptions {
  stores: number;
  /** Products per store (default 1,000); every store sells the same products. */
  products?: number;
  /** Days per series (default 730); every series has a row for every day. */
  days?: number;
  /** Last day, YYYY-MM-DD (default: yesterday, UTC). */
  endDate?: string;
  seed?: number;
  /** Write a category column (default true). */
  category?: boolean;
  /** Row order: by series (store, product, date; default) or by date (date, store, product). */
  order?: 'series' | 'date';
  /** Approximate size of each written chunk (default 1 MiB). */
  chunkBytes?: number;
}

export type ResolvedChainOptions = Required<ChainOptions>;

// The demo's categories, and three more so a chain's 1,000 products spread wider.
const CATEGORIES = [
  ...DEMO_CATEGORIES,
  { name: 'Dairy', basePrice: 2.8, yearlyPeakDay: 180, yearlyAmp: 0.08, weekendLift: 0.3 },
  { name: 'Garden', basePrice: 12.0, yearlyPeakDay: 135, yearlyAmp: 0.9, weekendLift: 0.7 },
  { name: 'Personal care', basePrice: 5.5, yearlyPeakDay: 0, yearlyAmp: 0.05, weekendLift: 0.15 },
];
export const CHAIN_CATEGORIES: readonly string[] = CATEGORIES.map((c) => c.name);
const DAY_MS = 86_400_000;
const DISCOUNTS = [10, 15, 20, 25, 30];

export const chainStoreId = (s: number) => `S${String(s + 1).padStart(3, '0')}`;
export const chainProductId = (p: number) => `P${String(p + 1).padStart(4, '0')}`;

export function resolveChainOptions(options: ChainOptions): ResolvedChainOptions {
  const endMs = options.endDate ? Date.parse(`${options.endDate}T00:00:00Z`) : Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
  if (!Number.isFinite(endMs)) throw new Error(`endDate: not a YYYY-MM-DD day: ${options.endDate}`);
  const resolved: ResolvedChainOptions = {
    stores: options.stores,
    products: options.products ?? 1000,
    days: options.days ?? 730,
    endDate: new Date(endMs).toISOString().slice(0, 10),
    seed: options.seed ?? 42,
    category: options.category ?? true,
    order: options.order ?? 'series',
    chunkBytes: options.chunkBytes ?? 1 << 20,
  };
  for (const key of ['stores', 'products', 'days'] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) throw new Error(`${key}: a positive whole number, not ${resolved[key]}`);
  }
  if (resolved.stores > 999 || resolved.products > 9999) throw new Error('At most 999 stores and 9,999 products (ids S001, P0001)');
  return resolved;
}

/** Data rows the chain has (the header not counted). */
export const chainRows = (options: ChainOptions) => {
  const o = resolveChainOptions(options);
  return o.stores * o.products * o.days;
};

/** A file name naming every parameter that changes the content, e.g. chain-2s-1000p-730d-2026-01-31-seed42.csv. */
export function chainFileName(options: ChainOptions): string {
  const o = resolveChainOptions(options);
  const variant = `${o.order === 'date' ? '-bydate' : ''}${o.category ? '' : '-nocategory'}`;
  return `chain-${o.stores}s-${o.products}p-${o.days}d-${o.endDate}-seed${o.seed}${variant}.csv`;
}

/** A 32-bit mix of the seed and a series' coordinates (splitmix-style), so neighbouring series are unrelated. */
function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

interface Series {
  rng: ReturnType<typeof prng>;
  prefix: string;
  suffix: string;
  category: number;
  kind: 'regular' | 'slow' | 'intermittent';
  baseDemand: number;
  /** Intermittent products: the share of days with a sale, and the mean size of a sale beyond one unit. */
  occurrence: number;
  extraSize: number;
  elasticity: number;
  trendSlope: number;
  listPrice: number;
  promoLeft: number;
  discount: number;
  price: string;
}

function newSeries(o: ResolvedChainOptions, s: number, p: number, storeSize: number): Series {
  const rng = prng(mix(o.seed, s, p));
  const category = p % CATEGORIES.length;
  // One product in six is a slow mover (well under a unit a day); one in seven (not a slow one) sells on few days.
  const kind = p % 6 === 5 ? 'slow' : p % 7 === 3 ? 'intermittent' : 'regular';
  const listPrice = round2(CATEGORIES[category].basePrice * (0.6 + 0.8 * rng.next()));
  return {
    rng,
    prefix: `,${chainStoreId(s)},${chainProductId(p)},`,
    suffix: o.category ? `,${CATEGORIES[category].name}\n` : '\n',
    category,
    kind,
    baseDemand: (kind === 'slow' ? 0.2 + 0.5 * rng.next() : 3 + 25 * rng.next() ** 2) * storeSize,
    occurrence: 0.05 + 0.25 * rng.next(),
    extraSize: 3 * rng.next() * storeSize,
    elasticity: 1.2 + 1.5 * rng.next(),
    trendSlope: -0.15 + 0.4 * rng.next(),
    listPrice,
    promoLeft: 0,
    discount: 0,
    price: listPrice.toFixed(2),
  };
}

/** Weekly x yearly factor per category and day (0 on 25 December: the stores are closed), and the dates. */
function calendar(o: ResolvedChainOptions): { dates: string[]; factors: Float64Array[] } {
  const endMs = Date.parse(`${o.endDate}T00:00:00Z`);
  const startMs = endMs - (o.days - 1) * DAY_MS;
  const dates: string[] = [];
  const factors = CATEGORIES.map(() => new Float64Array(o.days));
  for (let d = 0; d < o.days; d++) {
    const ms = startMs + d * DAY_MS;
    const date = new Date(ms);
    dates.push(date.toISOString().slice(0, 10));
    const dow = date.getUTCDay();
    const dayOfYear = Math.floor((ms - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS);
    const closed = date.getUTCMonth() === 11 && date.getUTCDate() === 25;
    CATEGORIES.forEach((c, i) => {
      const weekly = dow === 0 || dow === 6 ? 1 + c.weekendLift : dow === 5 ? 1 + c.weekendLift / 2 : 1;
      const yearly = 1 + c.yearlyAmp * Math.cos((2 * Math.PI * (dayOfYear - c.yearlyPeakDay)) / 365);
      factors[i][d] = closed ? 0 : weekly * yearly;
    });
  }
  return { dates, factors };
}

/** One day of one series: its CSV row after the date. Advances the series' state (price, promotion, PRNG). */
function step(x: Series, d: number, days: number, factors: Float64Array[]): string {
  const rng = x.rng;
  let priceChanged = false;
  // A permanent price change now and then (cost inflation, repositioning).
  if (rng.next() < 1 / 120) {
    x.listPrice = round2(x.listPrice * (rng.next() < 0.7 ? 1.05 + 0.1 * rng.next() : 0.9));
    priceChanged = true;
  }
  if (x.promoLeft === 0) {
    if (x.discount !== 0) {
      x.discount = 0;
      priceChanged = true;
    }
    if (rng.next() < 1 / 45) {
      x.promoLeft = 7 + Math.floor(rng.next() * 8);
      x.discount = DISCOUNTS[Math.floor(rng.next() * DISCOUNTS.length)];
      priceChanged = true;
    }
  }
  const onPromo = x.promoLeft > 0;
  if (onPromo) x.promoLeft--;
  if (priceChanged) x.price = round2(x.listPrice * (1 - x.discount / 100)).toFixed(2);

  const promoLift = onPromo ? (1 / (1 - x.discount / 100)) ** x.elasticity : 1;
  const factor = factors[x.category][d] * promoLift * (1 + (x.trendSlope * d) / days);
  let units = 0;
  if (factor > 0) {
    if (x.kind === 'intermittent') {
      if (rng.next() < Math.min(1, x.occurrence * factor)) units = 1 + rng.poisson(x.extraSize * Math.exp(0.3 * rng.normal()));
    } else {
      units = rng.poisson(x.baseDemand * factor * Math.exp(0.15 * rng.normal()));
    }
  }
  return `${x.prefix}${units},${x.price},${onPromo ? 1 : 0}${x.suffix}`;
}

/** The header line. */
export const chainHeader = (options: ChainOptions) =>
  `date,store_id,product_id,units_sold,price,promotion${resolveChainOptions(options).category ? ',category' : ''}\n`;

/** The chain's CSV text in chunks of about `chunkBytes` (the first chunk is the header). Pure and deterministic. */
export function* chainChunks(options: ChainOptions): Generator<string> {
  const o = resolveChainOptions(options);
  yield chainHeader(o);
  const { dates, factors } = calendar(o);
  const storeSizes = Array.from({ length: o.stores }, (_, s) => 0.7 + 0.6 * prng(mix(o.seed, s, 0x5707e)).next());
  let chunk = '';
  if (o.order === 'series') {
    for (let s = 0; s < o.stores; s++) {
      for (let p = 0; p < o.products; p++) {
        const x = newSeries(o, s, p, storeSizes[s]);
        for (let d = 0; d < o.days; d++) {
          chunk += dates[d] + step(x, d, o.days, factors);
          if (chunk.length >= o.chunkBytes) {
            yield chunk;
            chunk = '';
          }
        }
      }
    }
  } else {
    const all: Series[] = [];
    for (let s = 0; s < o.stores; s++) for (let p = 0; p < o.products; p++) all.push(newSeries(o, s, p, storeSizes[s]));
    for (let d = 0; d < o.days; d++) {
      for (const x of all) {
        chunk += dates[d] + step(x, d, o.days, factors);
        if (chunk.length >= o.chunkBytes) {
          yield chunk;
          chunk = '';
        }
      }
    }
  }
  if (chunk) yield chunk;
}

/**
 * Writes the chain to `path` (through `path`.partial, renamed when complete, so a file at `path` is always whole), with
 * the write stream's backpressure: memory stays at a few chunks whatever the size. Resolves to the rows and bytes.
 */
export async function writeChain(path: string, options: ChainOptions): Promise<{ rows: number; bytes: number }> {
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  try {
    await pipeline(Readable.from(chainChunks(options)), out);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, path);
  return { rows: chainRows(options), bytes: out.bytesWritten };
}
