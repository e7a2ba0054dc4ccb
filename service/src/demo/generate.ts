// Generated demo sales: a few stores x ~50 products x 2 years, realistic enough that every endpoint has something to
// show: weekly and yearly seasonality, price changes, promotions with lift, stock-outs that censor sales, slow movers.
import type { SalesRecord } from '../sales/record';

export interface DemoOptions {
  stores?: string[];
  productsPerStore?: number;
  days?: number;
  /** Last generated day, YYYY-MM-DD (default: yesterday, so forecasts look into the real future). */
  endDate?: string;
  seed?: number;
}

/** The demo's categories with their price level, yearly peak and weekend lift (the chain generator adds more). */
export const CATEGORIES = [
  { name: 'Groceries', basePrice: 3.5, yearlyPeakDay: 355, yearlyAmp: 0.15, weekendLift: 0.35 },
  { name: 'Beverages', basePrice: 2.2, yearlyPeakDay: 200, yearlyAmp: 0.35, weekendLift: 0.45 },
  { name: 'Household', basePrice: 6.0, yearlyPeakDay: 90, yearlyAmp: 0.1, weekendLift: 0.2 },
  { name: 'Toys', basePrice: 18.0, yearlyPeakDay: 350, yearlyAmp: 0.8, weekendLift: 0.6 },
  { name: 'Electronics', basePrice: 45.0, yearlyPeakDay: 330, yearlyAmp: 0.5, weekendLift: 0.5 },
];
const REGIONS = ['North', 'South', 'East', 'West'];
const DAY_MS = 86_400_000;

/** Small deterministic PRNG (mulberry32): the same seed gives the same demo data. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(next() + 1e-12)) * Math.cos(2 * Math.PI * next());
  const poisson = (mean: number) => {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  return { next, normal, poisson };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const round2 = (x: number) => Math.round(x * 100) / 100;

export function generateDemoSales(options: DemoOptions = {}): SalesRecord[] {
  const stores = options.stores ?? ['S001', 'S002', 'S003'];
  const productsPerStore = options.productsPerStore ?? 50;
  const days = options.days ?? 730;
  const endMs = options.endDate ? Date.parse(`${options.endDate}T00:00:00Z`) : Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
  const startMs = endMs - (days - 1) * DAY_MS;
  const rng = prng(options.seed ?? 42);
  const records: SalesRecord[] = [];

  stores.forEach((storeId, storeIndex) => {
    const storeSize = 0.7 + 0.6 * rng.next();
    const region = REGIONS[storeIndex % REGIONS.length];
    for (let p = 0; p < productsPerStore; p++) {
      const productId = `P${String(p + 1).padStart(4, '0')}`;
      const category = CATEGORIES[p % CATEGORIES.length];
      // One product in six is a slow mover selling well under one unit a day.
      const slow = p % 6 === 5;
      const baseDemand = (slow ? 0.2 + 0.5 * rng.next() : 3 + 25 * rng.next() ** 2) * storeSize;
      const elasticity = 1.2 + 1.5 * rng.next();
      let listPrice = round2(category.basePrice * (0.6 + 0.8 * rng.next()));
      const unitCost = round2(listPrice * (0.45 + 0.25 * rng.next()));
      // Products launched during the period start later than the others.
      const launchDay = p % 10 === 9 ? Math.floor(days * (0.3 + 0.4 * rng.next())) : 0;
      const reviewDays = 7;
      const leadTime = 2 + Math.floor(rng.next() * 4);
      let inventory = Math.round(baseDemand * 14 + 5);
      let promoLeft = 0;
      let promoDiscount = 0;
      const pendingOrders: { arrive: number; qty: number }[] = [];

      for (let d = launchDay; d < days; d++) {
        const ms = startMs + d * DAY_MS;
        const date = new Date(ms);
        const dow = date.getUTCDay();
        const dayOfYear = Math.floor((ms - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS);

        // A permanent price change now and then (cost inflation, repositioning).
        if (rng.next() < 1 / 120) listPrice = round2(listPrice * (rng.next() < 0.7 ? 1.05 + 0.1 * rng.next() : 0.9));
        if (promoLeft === 0 && rng.next() < 1 / 45) {
          promoLeft = 7 + Math.floor(rng.next() * 8);
          promoDiscount = [10, 15, 20, 25, 30][Math.floor(rng.next() * 5)];
        }
        const onPromo = promoLeft > 0;
        if (promoLeft > 0) promoLeft--;
        const discount = onPromo ? promoDiscount : 0;
        const price = round2(listPrice * (1 - discount / 100));

        const weekly = dow === 0 || dow === 6 ? 1 + category.weekendLift : dow === 5 ? 1 + category.weekendLift / 2 : 1;
        const yearly = 1 + category.yearlyAmp * Math.cos((2 * Math.PI * (dayOfYear - category.yearlyPeakDay)) / 365);
        const promoLift = onPromo ? (1 / (1 - discount / 100)) ** elasticity : 1;
        const trend = 1 + 0.1 * (d / days);
        const noise = Math.exp(0.15 * rng.normal());
        const demand = baseDemand * weekly * yearly * promoLift * trend * noise;

        // Receive orders, sell what is on the shelf (stock-outs censor sales), reorder on review days.
        for (let i = pendingOrders.length - 1; i >= 0; i--) {
          if (pendingOrders[i].arrive === d) {
            inventory += pendingOrders[i].qty;
            pendingOrders.splice(i, 1);
          }
        }
        const unitsSold = Math.min(inventory, rng.poisson(demand));
        inventory -= unitsSold;
        let unitsOrdered = 0;
        if ((d + p) % reviewDays === 0) {
          // Orders sometimes fall short (supplier trouble): that is where stock-outs come from.
          const target = baseDemand * trend * (reviewDays + leadTime) * 1.3 * (rng.next() < 0.1 ? 0.3 : 1);
          const onOrder = pendingOrders.reduce((s, o) => s + o.qty, 0);
          unitsOrdered = Math.max(0, Math.ceil(target - inventory - onOrder));
          if (unitsOrdered > 0) pendingOrders.push({ arrive: d + leadTime, qty: unitsOrdered });
        }

        records.push({
          date: isoDay(ms),
          storeId,
          productId,
          unitsSold,
          inventoryLevel: inventory,
          unitsOrdered,
          price,
          discount,
          promotion: onPromo,
          category: category.name,
          region,
          unitCost,
          extra: null,
        });
      }
    }
  });
  return records;
}
