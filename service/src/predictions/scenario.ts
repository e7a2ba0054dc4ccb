// What-if scenarios: the overrides the forecast's features see, and the price per unit the money figures use on each
// day. Both read the scenario the same way (features/frame.ts applyScenario): entries in order, later ones win; in one
// entry an absolute price is set before price_change_pct multiplies it.
import type { Scenario } from '../../../shared/schemas';
import type { ScenarioOverride } from '../features/index';
import { addDays } from '../features/index';

export function scenarioOverrides(scenario: Scenario | undefined, storeId: string, productId: string): ScenarioOverride[] | undefined {
  return scenario?.map((s) => ({
    storeId,
    productId,
    from: s.from,
    to: s.to,
    price: s.price,
    priceFactor: s.price_change_pct === undefined ? undefined : 1 + s.price_change_pct / 100,
    discount: s.discount,
    promotion: s.promotion,
  }));
}

export interface ScenarioPrices {
  /** Price per unit sold on each day (day 0 = firstDate), null where unknown. */
  prices: (number | null)[];
  /** The shelf price and the discount (percent off it) of each day. */
  shelf: (number | null)[];
  discount: number[];
  /** Whether any day's price differs from the base price. */
  changed: boolean;
}

/**
 * Price per unit sold on `days` days from `firstDate`: the base price, as the scenario sets it (`price`) or changes it
 * (`price_change_pct`), less its `discount` (a percent off that price, as the scenario's 0..100 range says). A scenario
 * without price or discount leaves every day at the base price.
 */
export function scenarioPrices(scenario: Scenario | undefined, basePrice: number | null, firstDate: string, days: number): ScenarioPrices {
  const shelf: (number | null)[] = new Array(days).fill(basePrice);
  const discount: number[] = new Array(days).fill(0);
  for (const s of scenario ?? []) {
    for (let t = 0; t < days; t++) {
      const date = addDays(firstDate, t);
      if ((s.from !== undefined && date < s.from) || (s.to !== undefined && date > s.to)) continue;
      if (s.price !== undefined) shelf[t] = s.price;
      if (s.price_change_pct !== undefined && shelf[t] !== null) shelf[t] = shelf[t]! * (1 + s.price_change_pct / 100);
      if (s.discount !== undefined) discount[t] = s.discount;
    }
  }
  const prices = shelf.map((p, t) => (p === null ? null : p * (1 - discount[t] / 100)));
  return { prices, shelf, discount, changed: prices.some((p) => p !== basePrice) };
}

/**
 * Notes naming the days whose price the scenario changes, as runs of days at one price, e.g.
 * "what-if price 2.71 per unit on 2025-07-01..2025-07-03 (5.41 less a 50% discount)".
 */
export function scenarioPriceNotes(p: ScenarioPrices, basePrice: number | null, firstDate: string): string[] {
  const notes: string[] = [];
  let t = 0;
  while (t < p.prices.length) {
    const price = p.prices[t];
    let end = t;
    while (end + 1 < p.prices.length && p.prices[end + 1] === price && p.discount[end + 1] === p.discount[t]) end++;
    if (price !== basePrice) {
      const days = end === t ? addDays(firstDate, t) : `${addDays(firstDate, t)}..${addDays(firstDate, end)}`;
      const how = price === null ? 'unknown' : `${money(price)} per unit`;
      const discount = p.discount[t] > 0 && p.shelf[t] !== null ? ` (${money(p.shelf[t]!)} less a ${p.discount[t]}% discount)` : '';
      notes.push(`what-if price ${how} on ${days}${discount}`);
    }
    t = end + 1;
  }
  return notes;
}

const money = (x: number) => String(Math.round(x * 100) / 100);
