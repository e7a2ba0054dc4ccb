// What the result sheets hold, independent of where they are written: the Excel adapter renders a SheetSpec as a
// table with number formats, status colours and a chart; the file adapter renders the same spec into an .xlsx
// download. Sheet and table names are stable per store/product, so running again updates the same sheet.
import { basisLine } from './basis';
import { historyPerDay } from './history';
import { historyFrom, periodLabel, periodsText, pointEnd, salesInPeriods } from './periods';
import { orderTotals, orderValueText, planHeader, type PlanParameters } from './plan';
import { BULK_PLAN_COLUMNS, BULK_PLAN_NUMBER_FORMATS, bulkPlanColumn, type BulkPlanColumnKind } from '../../../shared/bulk-plan-columns';
import { bulkPlanTitle, confidenceSummary, EMPTY_PLAN_TEXT } from '../../../shared/bulk-plan-sheet';
import type {
  BulkPredictResponse,
  Confidence,
  ForecastPoint,
  ForecastResponse,
  HistoryPoint,
  PurchasePlanResponse,
} from '../../../shared/schemas';

type ColumnKind = BulkPlanColumnKind | 'date';
export type SheetCell = string | number | null;

interface SheetColumn {
  header: string;
  kind: ColumnKind;
}

interface ChartSpec {
  type: 'line' | 'bar';
  title: string;
  /** Column holding the categories (x axis); must sit right before the series columns. */
  categoryColumn: number;
  /** Number of value columns right after the category column that make up the series. */
  seriesCount: number;
  /** Series names drawn dashed (interval bounds). */
  dashed?: string[];
}

/** Fill and font of cells holding a text, as the status colours are. */
export interface TextColour {
  fill: string;
  font: string;
}

export interface SheetSpec {
  sheetName: string;
  tableName: string;
  /** One line above the table saying what it is. */
  title: string;
  /** What the table was made with ("Store", "S001"), one line each under the title: the plan's header block. */
  header?: [string, string][];
  /** A line under the title and header block (how far to trust the numbers), in the blank line above the table. */
  note?: string;
  /** Columns whose cells are coloured by the text they hold, besides the 'status' column. */
  highlights?: { column: number; colours: Record<string, TextColour> }[];
  columns: SheetColumn[];
  /** Dates as ISO strings in 'date' columns; renderers turn them into real date cells. */
  rows: SheetCell[][];
  /** Said in place of the table when there are no rows. */
  emptyText?: string;
  chart?: ChartSpec;
}

export const MAX_SHEET_NAME = 31;
/** The row (0-based) where the table's header sits: a title line and a blank line come first. */
export const TABLE_HEADER_ROW = 2;

/** The row (0-based) of a spec's table header: below its title, its header block and its note line. */
export const tableHeaderRow = (spec: Pick<SheetSpec, 'header'>) => TABLE_HEADER_ROW + (spec.header?.length ?? 0);

export const NUMBER_FORMATS: Record<ColumnKind, string> = { ...BULK_PLAN_NUMBER_FORMATS, date: 'yyyy-mm-dd' };

export const STATUS_COLOURS: Record<string, TextColour> = {
  CRITICAL: { fill: '#F8D7DA', font: '#842029' },
  LOW: { fill: '#FFE8C2', font: '#8A4B00' },
  ADEQUATE: { fill: '#D1E7DD', font: '#0F5132' },
  EXCESS: { fill: '#CFE2FF', font: '#084298' },
  UNKNOWN: { fill: '#E9ECEF', font: '#495057' },
};

/** The bulk plan's Confidence column: a rough estimate in amber, no forecast in grey; normal rows stay plain. */
export const CONFIDENCE_COLOURS: Record<Exclude<Confidence, 'normal'>, TextColour> = {
  low: { fill: '#FFE8C2', font: '#8A4B00' },
  none: { fill: '#E9ECEF', font: '#495057' },
};

/** Short stable hash (FNV-1a) used to keep truncated names unique. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 4);
}

/**
 * An Excel-legal sheet name: at most 31 characters, none of [ ] : * ? / \, not starting or ending with an
 * apostrophe. A name that had to be cut keeps a hash of the full name so two long products stay apart.
 */
export function sheetName(...parts: string[]): string {
  const full = parts
    .join(' ')
    .replace(/[[\]:*?/\\]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^'+|'+$/g, '');
  if (full.length <= MAX_SHEET_NAME) return full || 'Sheet';
  return `${full.slice(0, MAX_SHEET_NAME - 5).trimEnd()}~${shortHash(full)}`;
}

/** An Excel-legal table name (letters, digits, underscore; unique per store/product). */
export function tableName(kind: string, ...parts: string[]): string {
  const raw = parts.join('_');
  const safe = raw.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 200);
  return `df${kind}_${safe}${safe === raw ? '' : `_${shortHash(raw)}`}`;
}

/** What the pane asked a plan with, for its header block; currency: the buyer's own, when set. */
export interface PlanRun {
  asked: PlanParameters;
  currency?: string;
}

const headerOf = (plan: BulkPredictResponse, run?: PlanRun) => (run ? { header: planHeader(plan, run.asked, run.currency) } : {});

export { confidenceSummary };

/**
 * The store plan, with the title, header block, note and columns of the service's export (shared/bulk-plan-sheet.ts
 * and bulk-plan-columns.ts), in the same order; the header block (what it was made with) only with `run`.
 */
export function bulkPredictionsSheet(plan: BulkPredictResponse, run?: PlanRun): SheetSpec {
  const columns = BULK_PLAN_COLUMNS.map((c): SheetColumn => ({ header: c.header(plan), kind: c.kind }));
  const rows = plan.predictions.map((p) => BULK_PLAN_COLUMNS.map((c) => c.value(p)));
  const confidence = BULK_PLAN_COLUMNS.findIndex((c) => c.key === 'confidence');
  return {
    sheetName: sheetName('Bulk Predictions', plan.store_id),
    tableName: tableName('Bulk', plan.store_id),
    title: bulkPlanTitle(plan),
    ...headerOf(plan, run),
    note: confidenceSummary(plan) || undefined,
    columns,
    rows,
    emptyText: EMPTY_PLAN_TEXT,
    ...(confidence >= 0 ? { highlights: [{ column: confidence, colours: CONFIDENCE_COLOURS }] } : {}),
  };
}

/**
 * Columns of the reorder plan, in its order: a few of the bulk plan's, the order first (right after the product, as
 * the chart of order quantities needs), then the product's name, how far to trust the order last.
 */
const REORDER_PLAN_COLUMNS = [
  'product_id',
  'order_quantity',
  'product_name',
  'status',
  'category',
  'current_stock',
  'reorder_point',
  'safety_stock',
  'days_of_cover',
  'order_value',
  'revenue_at_risk',
  'confidence',
  'note',
].map(bulkPlanColumn);

export function reorderPlanSheet(plan: BulkPredictResponse, run?: PlanRun): SheetSpec {
  const currency = run?.currency ?? plan.summary.currency;
  // Without a forecast there is no order to speak of (the service's 0 is not "nothing to order" either).
  const toOrder = plan.predictions.filter((p) => p.order_quantity > 0 && p.basis.confidence !== 'none');
  const totals = orderTotals(plan);
  const confidence = REORDER_PLAN_COLUMNS.findIndex((c) => c.key === 'confidence');
  const doubtful = toOrder.filter((p) => p.basis.confidence === 'low').length;
  return {
    sheetName: sheetName('Reorder Plan', plan.store_id),
    tableName: tableName('Reorder', plan.store_id),
    title:
      `Reorder plan, store ${plan.store_id}: ${toOrder.length} of ${plan.predictions.length} products to order on ` +
      `${plan.prediction_date}, ${Math.round(totals.units)} units, order value ${orderValueText(totals, currency)}`,
    ...headerOf(plan, run),
    note: doubtful
      ? `${doubtful} of these orders ${doubtful === 1 ? 'is a rough estimate' : 'are rough estimates'} (low confidence): check them before ordering`
      : undefined,
    columns: REORDER_PLAN_COLUMNS.map((c) => ({ header: c.header(plan), kind: c.kind })),
    rows: toOrder.map((p) => REORDER_PLAN_COLUMNS.map((c) => c.value(p))),
    highlights: [{ column: confidence, colours: CONFIDENCE_COLOURS }],
    emptyText: 'No product needs an order.',
    chart: { type: 'bar', title: `Order quantities, store ${plan.store_id}`, categoryColumn: 0, seriesCount: 1 },
  };
}

/** The order within a budget, most valuable lines first, with the running cost: what to buy until the money runs out. */
export function purchasePlanSheet(plan: PurchasePlanResponse): SheetSpec {
  const stores = plan.store_ids.join(' ');
  const budget = plan.budget === null ? 'no budget' : `a budget of ${plan.budget.toFixed(2)} ${plan.currency}`;
  return {
    sheetName: sheetName('Purchase Plan', stores),
    tableName: tableName('Purchase', ...plan.store_ids),
    title:
      `Purchase plan, ${plan.store_ids.length === 1 ? 'store' : 'stores'} ${stores}, ${plan.prediction_date}: ${budget}, ${plan.spend.toFixed(2)} ${plan.currency} spent on ` +
      `${Math.round(plan.units)} units (the full plan: ${plan.unconstrained_spend.toFixed(2)})`,
    header: [
      [plan.store_ids.length === 1 ? 'Store' : 'Stores', stores],
      ['Planning day', plan.prediction_date],
      ['Budget', plan.budget === null ? 'none' : `${plan.budget.toFixed(2)} ${plan.currency}`],
      [
        'Units expected short',
        `${Math.round(plan.expected_units_short)} (full plan: ${Math.round(plan.expected_units_short_unconstrained)})`,
      ],
    ],
    note: plan.unranked.length
      ? `Not in this list (no unit cost or price to rank them): ${plan.unranked.map((u) => (plan.store_ids.length === 1 ? u.product_id : `${u.store_id} ${u.product_id}`)).join(', ')}`
      : undefined,
    columns: [
      { header: 'Rank', kind: 'int' },
      { header: 'Store', kind: 'text' },
      { header: 'Product', kind: 'text' },
      { header: 'Product name', kind: 'text' },
      { header: 'Units', kind: 'int' },
      { header: `Cost (${plan.currency})`, kind: 'money' },
      { header: `Cumulative cost (${plan.currency})`, kind: 'money' },
      { header: 'Units it saves', kind: 'number' },
      { header: `Margin it saves (${plan.currency})`, kind: 'money' },
    ],
    rows: plan.lines.map((l) => [
      l.rank,
      l.store_id,
      l.product_id,
      l.product_name,
      l.units,
      l.cost,
      l.cumulative_cost,
      l.units_saved,
      l.margin_saved,
    ]),
    emptyText: plan.budget === 0 ? 'A budget of 0 buys nothing.' : 'No product needs an order.',
  };
}

/** History shown beside the forecast: the last days before it, enough to see the weekly pattern. */
export const HISTORY_DAYS_ON_SHEET = 91;

/** Interval levels arrive as a fraction (0.95) or a percent (95), as requests may give them: read both. */
export const levelFraction = (level: number) => (level > 1 ? level / 100 : level);
const pct = (level: number) => `${Math.round(levelFraction(level) * 1000) / 10}%`;

export function forecastSheet(fc: ForecastResponse, history: readonly HistoryPoint[]): SheetSpec {
  const levels = [...new Set(fc.forecast.flatMap((p) => p.intervals.map((i) => i.level)))].sort((a, b) => a - b);
  const byPeriod = fc.granularity !== 'day';
  const amount = byPeriod ? 'int' : 'number'; // weeks and months in whole units
  const intervalColumns = levels.flatMap((l): SheetColumn[] => [
    { header: `Lower ${pct(l)}`, kind: amount },
    { header: `Upper ${pct(l)}`, kind: amount },
  ]);
  const bounds = (p: ForecastPoint | null): SheetCell[] =>
    levels.flatMap((l) => {
      const i = p?.intervals.find((x) => x.level === l);
      return [i?.lower ?? null, i?.upper ?? null];
    });
  const firstForecast = fc.forecast[0]?.date;
  let columns: SheetColumn[];
  let rows: SheetCell[][];
  if (!byPeriod) {
    columns = [
      { header: 'Date', kind: 'date' },
      { header: 'Units sold', kind: 'number' },
      { header: 'Expected demand', kind: 'number' },
      ...intervalColumns,
    ];
    // Weekly and monthly history as its average per day, in the units of the daily forecast.
    const past = historyPerDay(history)
      .filter((h) => !firstForecast || h.date < firstForecast)
      .slice(-HISTORY_DAYS_ON_SHEET);
    rows = [
      ...past.map((h): SheetCell[] => [h.date, h.units_sold, null, ...bounds(null)]),
      ...fc.forecast.map((p): SheetCell[] => [p.date, null, p.expected_demand, ...bounds(p)]),
    ];
  } else {
    // Named periods first (the chart's categories), their first and last days at the end.
    columns = [
      { header: 'Period', kind: 'text' },
      { header: 'Units sold', kind: amount },
      { header: 'Expected demand', kind: amount },
      ...intervalColumns,
      { header: 'From', kind: 'date' },
      { header: 'To', kind: 'date' },
    ];
    const g = fc.granularity;
    const past = firstForecast ? salesInPeriods(history, firstForecast, g, historyFrom(firstForecast, g)) : [];
    rows = [
      ...past.map((h): SheetCell[] => [periodLabel(h.date, h.period_end, g), h.units_sold, null, ...bounds(null), h.date, h.period_end]),
      ...fc.forecast.map((p): SheetCell[] => {
        const end = pointEnd(p, g);
        return [periodLabel(p.date, end, g), null, p.expected_demand, ...bounds(p), p.date, end];
      }),
    ];
  }
  const seriesCount = 2 + intervalColumns.length;
  return {
    sheetName: sheetName('Forecast', fc.store_id, fc.product_id),
    tableName: tableName('Forecast', fc.store_id, fc.product_id),
    title:
      `Forecast of ${fc.product_id} in store ${fc.store_id}: ${periodsText(fc.forecast.length, fc.granularity)} after ${fc.last_history_date}, ` +
      `model ${fc.model_version}`,
    note: basisLine(fc.basis, { reasons: true }),
    columns,
    rows,
    emptyText: 'The forecast is empty.',
    chart: {
      type: 'line',
      title: `${fc.product_id} (${fc.store_id}): history, forecast and intervals`,
      categoryColumn: 0,
      seriesCount,
      dashed: intervalColumns.map((c) => c.header),
    },
  };
}
