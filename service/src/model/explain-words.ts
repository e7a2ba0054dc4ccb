// Why a forecast is what it is, in a buyer's words. explain.ts measures what each model column adds to the first
// forecast period; this module puts every column in a buyer-facing group (sales over a named window, price vs usual
// price, promotion, day of week, holiday ...), names the group from the explained day's values ("price vs usual price:
// -10%", "holiday or event: Christmas") and gives the unit of the model's period ("units/day", "units/week").
// Pure: no model, no calendar, no I/O.
import type { FeatureSpec, Grain } from '../features/index';
import { GRAIN_SETTINGS, periodsIn } from './grain';

/** What the names depend on: the model's grain (lags and windows are counted in its periods) and its layout. */
export interface ExplainLayout {
  grain: Grain;
  spec: Pick<FeatureSpec, 'windows' | 'weekdayWeeks' | 'priceWindow'>;
}

/** The explained period as the model saw it. */
export interface ExplainedDay {
  /** Finite feature values of the explained row, by column name. */
  values: Record<string, number>;
  /** Calendar events on the explained day, else the nearest ahead or behind (days, within the layout's cap). */
  events?: { on: string[]; next?: { name: string; days: number }; previous?: { name: string; days: number } };
}

/** One column's (or, without exact contributions, one group's) effect in units; `group` when already grouped. */
export interface FeatureEffect {
  feature: string;
  contribution: number;
  group?: string;
}

/** A column's effect with its group named for a buyer. */
export interface WordedContribution {
  /** The model's column name (for API users; never shown to a buyer outside "Advanced"). */
  feature: string;
  /** Units it adds to (or takes from) the first forecast period. */
  contribution: number;
  /** Stable id of its buyer-facing group, e.g. "recent_sales_28", "price", "day_of_week". */
  group: string;
  /** The group in a buyer's words, the same for every column of the group. */
  label: string;
  /** "units/day", "units/week" or "units/month": the model's period. */
  unit: string;
  /** The column's value on the explained period, when it has a meaning of its own (not a category code). */
  value?: number;
}

/** A buyer-facing group: its columns' contributions summed. */
export interface WhyGroup {
  group: string;
  label: string;
  contribution: number;
  unit: string;
}

/** Category codes and event codes: their numbers mean nothing outside the model. */
const CODE_COLUMNS = /^(store|product|category|event_(name|type)_\d)$/;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** The lag that reaches the same time last year, in the grain's periods (daily: the same weekday, 52 weeks back). */
const YEAR_LAGS: Record<Grain, number[]> = { daily: [364, 365], weekly: [52], monthly: [12] };
const ADJECTIVE: Record<Grain, string> = { daily: 'daily', weekly: 'weekly', monthly: 'monthly' };

/** The unit of a contribution: units per period of the model. */
export const periodUnit = (grain: Grain): string => `units/${GRAIN_SETTINGS[grain].unit[0]}`;

/** The buyer-facing group of a model column. */
export function groupOf(feature: string, layout: ExplainLayout): string {
  const { grain, spec } = layout;
  const lag = /^lag_(\d+)$/.exec(feature);
  if (lag) {
    const l = Number(lag[1]);
    if (YEAR_LAGS[grain].includes(l)) return 'sales_last_year';
    // A lag belongs to the shortest window that reaches it: lag_14 .. lag_28 to "the last 4 weeks".
    const w = Math.min(...spec.windows.filter((x) => x >= l));
    return Number.isFinite(w) ? `recent_sales_${w}` : `sales_${l}_ago`;
  }
  const roll = /^roll_(mean|max|std)_(\d+)$/.exec(feature);
  if (roll) return roll[1] === 'std' ? 'variability' : `recent_sales_${roll[2]}`;
  if (/^weekday_mean_\d+w$/.test(feature)) return 'weekday_sales';
  if (feature === 'days_since_last_sale') return 'last_sale';
  if (feature === 'days_since_first_sale' || feature === 'days_listed') return 'product_age';
  if (feature === 'day_of_week' || feature === 'day_of_month') return feature;
  if (feature === 'week_of_year' || feature === 'month') return 'time_of_year';
  if (feature === 'price' || /^price_rel_(\d+|max)$/.test(feature)) return 'price';
  if (feature === 'discount' || feature === 'promotion' || feature === 'snap') return feature;
  if (/^event_(name|type)_\d$/.test(feature) || feature === 'days_to_event' || feature === 'days_since_event') return 'holiday';
  if (feature === 'store' || feature === 'product' || feature === 'category') return feature;
  return 'other';
}

/** The columns of each group, in column order (groups in order of their first column). */
export function groupColumns(names: string[], layout: ExplainLayout): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of names) {
    const g = groupOf(name, layout);
    out.set(g, [...(out.get(g) ?? []), name]);
  }
  return out;
}

/** "7 days", "4 weeks" (a daily window of whole weeks), "6 months"; "week" for one period. */
function windowWords(periods: number, grain: Grain): string {
  if (grain === 'daily' && periods >= 14 && periods % 7 === 0) return periodsIn(periods / 7, 'weekly');
  return periods === 1 ? GRAIN_SETTINGS[grain].unit[0] : periodsIn(periods, grain);
}

const signedPercent = (ratio: number): string => {
  const pct = Math.round((ratio - 1) * 100);
  return pct === 0 ? 'unchanged' : `${pct > 0 ? '+' : ''}${pct}%`;
};

const ordinal = (n: number): string => {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

/** A group in a buyer's words, named from the explained period's values where they say more. */
export function groupLabel(group: string, layout: ExplainLayout, day: ExplainedDay = { values: {} }): string {
  const { grain, spec } = layout;
  const v = (name: string): number | undefined => (Number.isFinite(day.values[name]) ? day.values[name] : undefined);
  const recent = /^recent_sales_(\d+)$/.exec(group);
  if (recent) return `average ${ADJECTIVE[grain]} sales, last ${windowWords(Number(recent[1]), grain)}`;
  const ago = /^sales_(\d+)_ago$/.exec(group);
  if (ago) return `sales ${periodsIn(Number(ago[1]), grain)} ago`;
  switch (group) {
    case 'sales_last_year':
      return grain === 'daily' ? 'sales on the same weekday last year' : `sales in the same ${GRAIN_SETTINGS[grain].unit[0]} last year`;
    case 'weekday_sales': {
      const weeks = Math.max(0, ...spec.weekdayWeeks);
      return weeks > 0 ? `sales on the same weekday, last ${periodsIn(weeks, 'weekly')}` : 'sales on the same weekday';
    }
    case 'variability':
      return `how much ${ADJECTIVE[grain]} sales vary`;
    case 'last_sale': {
      const n = v('days_since_last_sale');
      return n === undefined ? 'time since the last sale' : `time since the last sale: ${periodsIn(n, grain)}`;
    }
    case 'product_age': {
      const n = v('days_since_first_sale');
      return n === undefined ? 'how long the product has sold' : `time since the first sale: ${periodsIn(n, grain)}`;
    }
    case 'day_of_week': {
      const d = v('day_of_week');
      return d === undefined || !WEEKDAYS[d] ? 'day of week' : `day of week (${WEEKDAYS[d]})`;
    }
    case 'day_of_month': {
      const d = v('day_of_month');
      return d === undefined ? 'day of the month' : `day of the month (the ${ordinal(d)})`;
    }
    case 'time_of_year': {
      const week = v('week_of_year');
      const month = v('month');
      if (grain === 'weekly' && week !== undefined) return `time of year (week ${week})`;
      return month !== undefined && MONTHS[month - 1] ? `time of year (${MONTHS[month - 1]})` : 'time of year';
    }
    case 'price': {
      const usual = v(`price_rel_${spec.priceWindow}`);
      if (usual !== undefined && usual > 0) return `price vs usual price: ${signedPercent(usual)}`;
      const highest = v('price_rel_max');
      if (highest !== undefined && highest > 0) return `price vs highest price: ${signedPercent(highest)}`;
      return 'price';
    }
    case 'discount':
      return v('discount') === 0 ? 'no discount' : 'discount';
    case 'promotion':
      return v('promotion') === 0 ? 'no promotion' : 'promotion';
    case 'holiday': {
      const e = day.events;
      if (e && e.on.length > 0) return `holiday or event: ${e.on.join(', ')}`;
      if (e?.next) return `holiday or event in ${periodsIn(e.next.days, 'daily')}: ${e.next.name}`;
      if (e?.previous) return `holiday or event ${periodsIn(e.previous.days, 'daily')} ago: ${e.previous.name}`;
      return e ? 'no holiday or event near' : 'holidays and events';
    }
    case 'snap': {
      const s = v('snap');
      return s === 1 ? 'SNAP benefit day' : s === 0 ? 'not a SNAP benefit day' : 'SNAP benefit days';
    }
    case 'store':
      return 'this store';
    case 'product':
      return 'this product';
    case 'category':
      return 'this category';
    default:
      return 'other factors';
  }
}

/** Each effect with its group, the group's label and unit, and the column's value when it means something. */
export function inWords(effects: FeatureEffect[], layout: ExplainLayout, day: ExplainedDay = { values: {} }): WordedContribution[] {
  const unit = periodUnit(layout.grain);
  const labels = new Map<string, string>();
  return effects.map((e) => {
    const group = e.group ?? groupOf(e.feature, layout);
    let label = labels.get(group);
    if (label === undefined) labels.set(group, (label = groupLabel(group, layout, day)));
    const value = day.values[e.feature];
    const out: WordedContribution = { feature: e.feature, contribution: e.contribution, group, label, unit };
    // A grouped effect (no exact contributions) stands for several columns: no one value is its own.
    if (e.group === undefined && Number.isFinite(value) && !CODE_COLUMNS.test(e.feature)) out.value = value;
    return out;
  });
}

/** The groups of worded contributions, contributions summed, largest effect first. */
export function whyGroups(items: Pick<WordedContribution, 'contribution' | 'group' | 'label' | 'unit'>[]): WhyGroup[] {
  const byGroup = new Map<string, WhyGroup>();
  for (const c of items) {
    const g = byGroup.get(c.group);
    if (g) g.contribution += c.contribution;
    else byGroup.set(c.group, { group: c.group, label: c.label, contribution: c.contribution, unit: c.unit });
  }
  return [...byGroup.values()].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}
