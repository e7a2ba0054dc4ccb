// "Why" in a buyer's words: every model column of the daily, weekly and monthly layouts lands in a named group with
// the unit of the model's period, labels say the window, the price change, the weekday or the holiday, and a fitted
// model's explanation of a 10% price cut reads "price vs usual price: -10%".
import { describe, expect, it } from 'vitest';
import { FEATURE_SPEC, type SeriesInput } from '../features/index';
import type { SalesRecord } from '../sales/record';
import { getEngine, nativeUnavailableReason, type EngineName } from './engine/index';
import { groupLabel, groupOf, inWords, whyGroups, type ExplainedDay, type ExplainLayout } from './explain-words';
import { ForecastModel } from './forecast-model';
import { coarseFeatureSpec } from './grain';

const daily: ExplainLayout = { grain: 'daily', spec: FEATURE_SPEC };
const weekly: ExplainLayout = { grain: 'weekly', spec: coarseFeatureSpec('weekly') };
const monthly: ExplainLayout = { grain: 'monthly', spec: coarseFeatureSpec('monthly') };
/** Anything that looks like a model column: snake_case, or a lag/roll/weekday-mean prefix. */
const RAW = /_|\blag|\broll|weekday_mean|price_rel/;

const labelOf = (feature: string, layout: ExplainLayout, values: Record<string, number> = {}) =>
  groupLabel(groupOf(feature, layout), layout, { values });

describe('feature groups in words', () => {
  it.each([
    ['daily', daily, FEATURE_SPEC.names],
    ['weekly', weekly, coarseFeatureSpec('weekly').names],
    ['monthly', monthly, coarseFeatureSpec('monthly').names],
  ])('puts every column of the %s layout in a named group, never "other", never a raw name', (_, layout, names) => {
    const items = inWords(
      names.map((feature) => ({ feature, contribution: 1 })),
      layout,
    );
    expect(items.map((c) => c.feature)).toEqual(names);
    for (const c of items) {
      expect(c.group, c.feature).not.toBe('other');
      expect(c.label, c.feature).not.toMatch(RAW);
    }
  });

  it('names the window of a daily model in days or weeks, and gives contributions per day', () => {
    for (const f of ['lag_1', 'lag_7', 'roll_mean_7', 'roll_max_7']) expect(labelOf(f, daily)).toBe('average daily sales, last 7 days');
    for (const f of ['lag_14', 'lag_28', 'roll_mean_28']) expect(labelOf(f, daily)).toBe('average daily sales, last 4 weeks');
    expect(labelOf('roll_mean_112', daily)).toBe('average daily sales, last 16 weeks');
    expect(labelOf('lag_364', daily)).toBe('sales on the same weekday last year');
    expect(labelOf('weekday_mean_4w', daily)).toBe('sales on the same weekday, last 8 weeks');
    expect(labelOf('roll_std_28', daily)).toBe('how much daily sales vary');
    expect(labelOf('day_of_week', daily, { day_of_week: 5 })).toBe('day of week (Saturday)');
    expect(labelOf('month', daily, { month: 12, week_of_year: 51 })).toBe('time of year (December)');
    expect(labelOf('days_since_last_sale', daily, { days_since_last_sale: 3 })).toBe('time since the last sale: 3 days');
    expect(labelOf('store', daily)).toBe('this store');
    expect(labelOf('category', daily)).toBe('this category');
    expect(inWords([{ feature: 'lag_7', contribution: 6.2 }], daily)[0]).toEqual({
      feature: 'lag_7',
      contribution: 6.2,
      group: 'recent_sales_7',
      label: 'average daily sales, last 7 days',
      unit: 'units/day',
    });
  });

  it('names the window of a weekly model in weeks and gives contributions per week; a monthly one in months', () => {
    for (const f of ['lag_1', 'lag_4', 'roll_mean_4']) expect(labelOf(f, weekly)).toBe('average weekly sales, last 4 weeks');
    expect(labelOf('lag_6', weekly)).toBe('average weekly sales, last 8 weeks');
    expect(labelOf('roll_mean_26', weekly)).toBe('average weekly sales, last 26 weeks');
    expect(labelOf('lag_52', weekly)).toBe('sales in the same week last year');
    expect(labelOf('week_of_year', weekly, { week_of_year: 51, month: 12 })).toBe('time of year (week 51)');
    expect(labelOf('price_rel_4', weekly, { price_rel_4: 0.9 })).toBe('price vs usual price: -10%');
    expect(inWords([{ feature: 'roll_mean_8', contribution: -3 }], weekly)[0]).toMatchObject({ unit: 'units/week' });
    expect(labelOf('roll_mean_6', monthly)).toBe('average monthly sales, last 6 months');
    expect(labelOf('lag_12', monthly)).toBe('sales in the same month last year');
    expect(inWords([{ feature: 'lag_1', contribution: 1 }], monthly)[0]).toMatchObject({
      unit: 'units/month',
      label: 'average monthly sales, last 3 months',
    });
  });

  it('says the price against the usual price (the mean of the price window) as a signed percentage', () => {
    expect(labelOf('price', daily, { price: 1.8, price_rel_28: 0.9, price_rel_max: 0.9 })).toBe('price vs usual price: -10%');
    expect(labelOf('price_rel_max', daily, { price_rel_28: 1.15 })).toBe('price vs usual price: +15%');
    expect(labelOf('price', daily, { price_rel_28: 1.0004 })).toBe('price vs usual price: unchanged');
    expect(labelOf('price', daily, { price_rel_max: 0.8 })).toBe('price vs highest price: -20%');
    expect(labelOf('price', daily)).toBe('price');
  });

  it('says whether there is a promotion or discount, and names the holiday the calendar gives', () => {
    expect(labelOf('promotion', daily, { promotion: 1 })).toBe('promotion');
    expect(labelOf('promotion', daily, { promotion: 0 })).toBe('no promotion');
    expect(labelOf('discount', daily, { discount: 0 })).toBe('no discount');
    const holiday = (events: ExplainedDay['events']) => groupLabel('holiday', daily, { values: {}, events });
    expect(holiday({ on: ['Christmas'] })).toBe('holiday or event: Christmas');
    expect(holiday({ on: [], next: { name: 'Thanksgiving', days: 3 } })).toBe('holiday or event in 3 days: Thanksgiving');
    expect(holiday({ on: [], previous: { name: 'Easter', days: 1 } })).toBe('holiday or event 1 day ago: Easter');
    expect(holiday({ on: [] })).toBe('no holiday or event near');
    expect(groupOf('event_name_1', daily)).toBe('holiday');
    expect(groupOf('days_to_event', daily)).toBe('holiday');
  });

  it('keeps values that mean something and drops category codes', () => {
    const items = inWords(
      [
        { feature: 'price_rel_28', contribution: 1 },
        { feature: 'store', contribution: 1 },
        { feature: 'event_name_1', contribution: 1 },
        { feature: 'price', contribution: 1, group: 'price' },
      ],
      daily,
      { values: { price_rel_28: 0.9, store: 3, event_name_1: 12, price: 1.8 } },
    );
    expect(items.map((c) => c.value)).toEqual([0.9, undefined, undefined, undefined]);
  });

  it('sums contributions within a group, largest effect first', () => {
    const items = inWords(
      [
        { feature: 'lag_1', contribution: 2 },
        { feature: 'price_rel_28', contribution: -3.5 },
        { feature: 'roll_mean_7', contribution: 4.2 },
        { feature: 'price', contribution: 0.5 },
        { feature: 'promotion', contribution: 1 },
      ],
      daily,
      { values: { price_rel_28: 0.9, promotion: 1 } },
    );
    expect(whyGroups(items)).toEqual([
      { group: 'recent_sales_7', label: 'average daily sales, last 7 days', contribution: 6.2, unit: 'units/day' },
      { group: 'price', label: 'price vs usual price: -10%', contribution: -3, unit: 'units/day' },
      { group: 'promotion', label: 'promotion', contribution: 1, unit: 'units/day' },
    ]);
  });
});

/** Sales that jump when the price is cut (every 20th period, for 5 periods), at a steady price over the last stretch. */
function priceSensitive(grain: 'daily' | 'weekly', periods: number): SeriesInput[] {
  const step = grain === 'daily' ? 1 : 7;
  const start = Date.parse('2023-01-02T00:00:00Z');
  return [0, 1, 2, 3].map((k) => {
    const records: SalesRecord[] = [];
    for (let t = 0; t < periods; t++) {
      const cut = t < periods - 40 && t % 20 < 5;
      const price = (2 + 0.5 * k) * (cut ? 0.8 : 1);
      const weekend = grain === 'daily' && t % 7 >= 5 ? 5 : 0;
      records.push({
        date: new Date(start + t * step * 86_400_000).toISOString().slice(0, 10),
        storeId: 'X',
        productId: `P${k}`,
        unitsSold: 10 + 3 * k + weekend + (cut ? 15 : 0) + ((k * 7 + t * 13) % 5),
        inventoryLevel: null,
        unitsOrdered: null,
        price,
        discount: null,
        promotion: null,
        category: k % 2 ? 'A' : 'B',
        region: null,
        unitCost: null,
        extra: null,
      });
    }
    return { storeId: 'X', productId: `P${k}`, category: k % 2 ? 'A' : 'B', records };
  });
}

const nativeMissing = await nativeUnavailableReason();
const engines: EngineName[] = nativeMissing ? ['wasm'] : ['native', 'wasm'];

describe.each(engines)('a fitted model explained in words (%s)', (engineName) => {
  it.each<['daily' | 'weekly', number, string, string]>([
    ['daily', 240, 'units/day', 'average daily sales, last'],
    ['weekly', 160, 'units/week', 'average weekly sales, last'],
  ])('a %s model (%i periods): a 10 percent price cut is named as such, contributions in %s', async (grain, periods, unit, recent) => {
    const series = priceSensitive(grain, periods);
    const { model } = await ForecastModel.fit({ series, grain, engine: getEngine(engineName), settings: { rounds: 30, maxDepth: 3 } });
    try {
      const origin = series[0].records.at(-1)!.date;
      const why = model.explain(series[0], { origin, scenario: [{ productId: 'P0', priceFactor: 0.9 }] });
      expect(why.length).toBeGreaterThan(0);
      for (const c of why) {
        expect(c.unit).toBe(unit);
        expect(c.label, c.feature).not.toMatch(RAW);
      }
      const price = why.filter((c) => c.group === 'price');
      expect(price.length).toBeGreaterThan(0);
      for (const c of price) expect(c.label).toBe('price vs usual price: -10%');
      const groups = whyGroups(why);
      expect(groups.some((g) => g.label.startsWith(recent))).toBe(true);
      if (engineName === 'native') {
        // A cut price sells more here: its exact contribution adds units (the wasm engine's "group unknown" need not).
        expect(groups.find((g) => g.group === 'price')!.contribution).toBeGreaterThan(0);
        // Exact contributions: one per column, the price ratio's value as the model saw it.
        expect(why.find((c) => c.feature === `price_rel_${model.spec.priceWindow}`)?.value).toBeCloseTo(0.9, 4);
        const total = why.reduce((a, c) => a + c.contribution, 0);
        expect(groups.reduce((a, g) => a + g.contribution, 0)).toBeCloseTo(total, 6);
      }
    } finally {
      model.dispose();
    }
  });
});
