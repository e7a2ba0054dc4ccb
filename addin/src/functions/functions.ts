// The DEMAND.* cell functions. Their JSDoc is the source of functions.json (generated at build time by
// custom-functions-metadata; see functions/metadata.ts), so each comment is what Excel shows for the function.
// Every call goes through the shared QueryBatcher: a recalculation of thousands of cells costs a few requests.
import { MAX_HORIZON_DAYS, type BatchAnswer, type BatchQueryInput, type Granularity } from '../../../shared/schemas';
import { ApiError } from '../api/client';
import { isoToExcelSerial } from '../mapping/csv';
import {
  asGrid,
  at,
  BadArgument,
  broadcastShape,
  FIRST_DATE_SERIAL,
  isBlank,
  parseDate,
  parseDays,
  parseGranularity,
  parseId,
  parseLevel,
  parseQuantity,
  type Cell,
  type Grid,
  type Shape,
} from './args';
import { QueryFailed, type QueryBatcher } from './batcher';
import { cellError, isCellError, type CellError } from './runtime';

let batcher: QueryBatcher | null = null;

/** Which batcher (service connection and cache) the functions use: set at start-up by register.ts, or by a test. */
export function useBatcher(next: QueryBatcher | null): void {
  batcher = next;
}

const DEFAULT_INTERVAL_LEVEL = 0.95;

/**
 * Expected units a product sells in a store on a future day, week or month. A number n instead of a date: the next
 * n periods in a column. With a level: [expected, lower, upper] per period. Ranges of products and days give a grid.
 * @customfunction FORECAST
 * @param store Store id, or a range of store ids.
 * @param product Product id, or a range of product ids.
 * @param target_date_or_horizon A future day (a date, or text such as 2025-07-01), a range of days, or a number below 1000 for the next periods in a column.
 * @param level Optional confidence level such as 0.95 or 95: adds the lower and upper bounds of the interval.
 * @param granularity Optional "day", "week" or "month" (default: the store's own periods). With a date: the week or month starting that day.
 * @returns Expected units per period.
 */
export async function forecast(
  store: any[][],
  product: any[][],
  target_date_or_horizon: any[][],
  level?: number,
  granularity?: string,
): Promise<any[][]> {
  return cellFunction(async () => {
    const wanted = parseLevel(level, 'level');
    const levels = wanted === null ? undefined : [wanted];
    const periods = parseGranularity(granularity as Cell, 'granularity');
    const args = { store: asGrid(store), product: asGrid(product), target_date_or_horizon: asGrid(target_date_or_horizon) };
    const shape = broadcastShape(args);
    const target = at(args.target_date_or_horizon, 0, 0);
    const asRow = (p: { expected_demand: number; intervals: { lower: number; upper: number }[] }): Cell[] =>
      wanted === null ? [p.expected_demand] : [p.expected_demand, p.intervals[0].lower, p.intervals[0].upper];

    if (isSingle(shape) && isHorizon(target)) {
      const ids = { store_id: parseId(at(args.store, 0, 0), 'store'), product_id: parseId(at(args.product, 0, 0), 'product') };
      return (await nextPeriods(ids, target, periods, levels)).map(asRow);
    }
    if (wanted !== null && shape.cols > 1) {
      throw new BadArgument(
        'With a level each day answers three cells (expected, lower, upper): give a column of days or products, not a row',
      );
    }
    return cells(
      args,
      shape,
      async (get) => {
        const day = get('target_date_or_horizon');
        if (isHorizon(day))
          throw new BadArgument('A number of days (a horizon) needs one store, one product and one cell; give dates in a range');
        const answer = await ask({
          kind: 'forecast',
          store_id: parseId(get('store'), 'store'),
          product_id: parseId(get('product'), 'product'),
          date: parseDate(day, 'target_date'),
          levels,
          ...(periods === null ? {} : { granularity: periods }),
        });
        return asRow(forecastOf(answer)[0]);
      },
      wanted === null ? 1 : 3,
    );
  });
}

/**
 * Lower and upper bound of the units a product will sell in a store on a day, at a confidence level (like
 * FORECAST.ETS.CONFINT's confidence_level, default 0.95). A column of days or products gives one row each.
 * @customfunction INTERVAL
 * @param store Store id, or a range of store ids.
 * @param product Product id, or a range of product ids.
 * @param target_date A future day (a date, or text such as 2025-07-01), or a column of days.
 * @param level Optional confidence level, 0.95 (the default) or 95.
 * @returns The lower and upper bound, side by side.
 */
export async function interval(store: any[][], product: any[][], target_date: any[][], level?: number): Promise<any[][]> {
  return cellFunction(async () => {
    const wanted = parseLevel(level, 'level') ?? DEFAULT_INTERVAL_LEVEL;
    const args = { store: asGrid(store), product: asGrid(product), target_date: asGrid(target_date) };
    const shape = broadcastShape(args);
    if (shape.cols > 1) throw new BadArgument('Each day answers two cells (lower, upper): give a column of days or products, not a row');
    return cells(
      args,
      shape,
      async (get) => {
        const answer = await ask({
          kind: 'forecast',
          store_id: parseId(get('store'), 'store'),
          product_id: parseId(get('product'), 'product'),
          date: parseDate(get('target_date'), 'target_date'),
          levels: [wanted],
        });
        const [bound] = forecastOf(answer)[0].intervals;
        return [bound.lower, bound.upper];
      },
      2,
    );
  });
}

/**
 * Units to order now so that stock covers the lead time and review period at the service level (0 when none is
 * needed), from the same plan as the pane's Smart prediction.
 * @customfunction REORDER
 * @param store Store id, or a range of store ids.
 * @param product Product id, or a range of product ids.
 * @param on_hand Optional units on hand, or a range of them (default: the last stored inventory level).
 * @param lead_time_days Optional days from order to delivery (default: the product's, else the service's).
 * @param service_level Optional chance of not running out, 0.95 or 95 (default: the service's).
 * @returns Units to order.
 */
export async function reorder(
  store: any[][],
  product: any[][],
  on_hand?: any[][],
  lead_time_days?: number,
  service_level?: number,
): Promise<any[][]> {
  return cellFunction(async () => {
    const common = replenishmentInputs(lead_time_days, service_level);
    const args = { store: asGrid(store), product: asGrid(product), on_hand: asGrid(on_hand ?? null) };
    return cells(args, broadcastShape(args), async (get) => {
      const answer = await ask(replenishmentQuery(get, common));
      return [planOf(answer).order_quantity];
    });
  });
}

/**
 * Units to order of a product when the store's whole order must fit a budget: the most useful units per money are
 * bought first, until the budget is spent (0 when it does not reach this product).
 * @customfunction BUDGETORDER
 * @param store Store id, or a range of store ids.
 * @param product Product id, or a range of product ids.
 * @param budget The money the store's whole order may cost.
 * @returns Units to order within the budget.
 */
export async function budgetOrder(store: any[][], product: any[][], budget: number): Promise<any[][]> {
  return cellFunction(async () => {
    const money = parseQuantity(budget as Cell, 'budget', 1e12);
    if (money === null) throw new BadArgument("budget is needed: the money the store's whole order may cost");
    const args = { store: asGrid(store), product: asGrid(product) };
    return cells(args, broadcastShape(args), async (get) => {
      const answer = await ask({
        kind: 'purchase',
        store_id: parseId(get('store'), 'store'),
        product_id: parseId(get('product'), 'product'),
        budget: money,
      });
      if (answer.kind !== 'purchase') throw new Error(`unexpected answer ${answer.kind}`);
      return [answer.order_quantity];
    });
  });
}

/**
 * Stock status of a product in a store: CRITICAL (order now), LOW (order soon), ADEQUATE or EXCESS.
 * @customfunction STATUS
 * @param store Store id, or a range of store ids.
 * @param product Product id, or a range of product ids.
 * @param on_hand Optional units on hand, or a range of them (default: the last stored inventory level).
 * @returns CRITICAL, LOW, ADEQUATE or EXCESS.
 */
export async function status(store: any[][], product: any[][], on_hand?: any[][]): Promise<any[][]> {
  return cellFunction(async () => {
    const args = { store: asGrid(store), product: asGrid(product), on_hand: asGrid(on_hand ?? null) };
    return cells(args, broadcastShape(args), async (get) => [planOf(await ask(replenishmentQuery(get, {}))).status]);
  });
}

/**
 * Units sold per day of a product in a store, as two columns: the day (format the column as a date) and units.
 * @customfunction HISTORY
 * @param store Store id.
 * @param product Product id.
 * @param from Optional first day (a date or text such as 2025-01-01).
 * @param to Optional last day.
 * @returns Days and units sold, oldest first.
 */
export async function history(store: any, product: any, from?: any, to?: any): Promise<any[][]> {
  return cellFunction(async () => {
    const storeId = parseId(single(store, 'store'), 'store');
    const productId = parseId(single(product, 'product'), 'product');
    const first = isBlank(single(from, 'from')) ? undefined : parseDate(single(from, 'from'), 'from');
    const last = isBlank(single(to, 'to')) ? undefined : parseDate(single(to, 'to'), 'to');
    if (first && last && first > last) throw new BadArgument(`from (${first}) is after to (${last})`);
    const answer = await ask({ kind: 'history', store_id: storeId, product_id: productId, from: first, to: last });
    const days = answer.kind === 'history' ? answer.history : [];
    if (days.length === 0) {
      throw cellError(
        'notAvailable',
        `No sales of "${productId}" in "${storeId}"${first ? ` from ${first}` : ''}${last ? ` to ${last}` : ''}`,
      );
    }
    return days.map((d) => [isoToExcelSerial(d.date), d.units_sold]);
  });
}

/** Metric names DEMAND.ACCURACY accepts, each the field of the model's holdout metrics it reads. */
const ACCURACY_METRICS = ['WAPE', 'MAE', 'RMSE', 'MASE', 'RMSSE', 'BIAS', 'ACCURACY'] as const;
/** After TRACKED_: the fields of the saved plans' figures against what sold (GET /accuracy/{store_id}). */
const TRACKED_METRICS = ['WAPE', 'BIAS', 'COVERAGE', 'VALUE_ADDED', 'REFERENCE_WAPE', 'ACTUAL', 'FORECAST', 'PERIODS'] as const;

/**
 * A store's forecast accuracy: the model's figure on the weeks it never saw; BASELINE_ before it, the simple method's;
 * TRACKED_ before it (WAPE, BIAS, COVERAGE, VALUE_ADDED...), how the saved plans did against what sold since.
 * @customfunction ACCURACY
 * @param store Store id, or a range of store ids.
 * @param metric Optional WAPE (default), MAE, RMSE, MASE, RMSSE, BIAS or ACCURACY; BASELINE_WAPE and so on for the baseline; TRACKED_WAPE and so on for the saved plans.
 * @returns The metric (WAPE 0.25 = 25% of units sold, in absolute error).
 */
export async function accuracy(store: any[][], metric?: string): Promise<any[][]> {
  return cellFunction(async () => {
    const name = isBlank(metric) ? 'WAPE' : String(metric).trim().toUpperCase();
    const args = { store: asGrid(store) };
    if (name.startsWith('TRACKED_')) {
      const part = name.slice('TRACKED_'.length);
      if (!(TRACKED_METRICS as readonly string[]).includes(part)) {
        throw new BadArgument(`metric "${metric}" is not TRACKED_ and one of ${TRACKED_METRICS.join(', ')}`);
      }
      return cells(args, broadcastShape(args), async (get) => {
        const storeId = parseId(get('store'), 'store');
        const answer = await ask({ kind: 'tracked_accuracy', store_id: storeId });
        if (answer.kind !== 'tracked_accuracy') throw new Error(`unexpected answer ${answer.kind}`);
        if (answer.scored_periods === 0) {
          throw cellError('notAvailable', `no saved plan of store ${storeId} has its sales uploaded yet`);
        }
        const value = (answer.overall as Record<string, unknown>)[part.toLowerCase()];
        if (typeof value !== 'number') throw cellError('notAvailable', `${name} cannot be measured on what sold so far`);
        return [value];
      });
    }
    const baseline = name.startsWith('BASELINE_');
    const field = (baseline ? name.slice('BASELINE_'.length) : name).toLowerCase();
    if (!(ACCURACY_METRICS as readonly string[]).includes(field.toUpperCase()) || (baseline && field === 'accuracy')) {
      throw new BadArgument(
        `metric "${metric}" is not one of ${ACCURACY_METRICS.join(', ')} (or BASELINE_ and one of them, or TRACKED_ and one of ${TRACKED_METRICS.join(', ')})`,
      );
    }
    return cells(args, broadcastShape(args), async (get) => {
      const answer = await ask({ kind: 'accuracy', store_id: parseId(get('store'), 'store') });
      if (answer.kind !== 'accuracy') throw new Error(`unexpected answer ${answer.kind}`);
      const figures = (baseline ? answer.metrics.baseline : answer.metrics) as Record<string, unknown>;
      const value = figures[field];
      if (typeof value !== 'number') throw cellError('notAvailable', `${name} was not measured for ${answer.model_version}`);
      return [value];
    });
  });
}

/** What DEMAND.BASIS can show of an answer's basis. */
const BASIS_PARTS = ['CONFIDENCE', 'METHOD', 'WHY', 'HISTORY'] as const;

/**
 * How far to trust the forecast of a product: normal, low (a rough estimate) or none (too little data). With part:
 * the method that forecasts it, why, or the history behind it.
 * @customfunction BASIS
 * @param store Store id, or a range of store ids.
 * @param product Product id, or a range of product ids.
 * @param part Optional "confidence" (default), "method", "why" or "history".
 * @returns normal, low or none; or the method, the reasons, or the history.
 */
export async function basis(store: any[][], product: any[][], part?: string): Promise<any[][]> {
  return cellFunction(async () => {
    const wanted = isBlank(part) ? 'CONFIDENCE' : String(part).trim().toUpperCase();
    if (!(BASIS_PARTS as readonly string[]).includes(wanted)) {
      throw new BadArgument(`part "${part}" is not one of ${BASIS_PARTS.map((p) => p.toLowerCase()).join(', ')}`);
    }
    const args = { store: asGrid(store), product: asGrid(product) };
    return cells(args, broadcastShape(args), async (get) => {
      const query = { kind: 'forecast' as const, store_id: parseId(get('store'), 'store'), product_id: parseId(get('product'), 'product') };
      let answer: BatchAnswer;
      try {
        answer = await ask({ ...query, horizon_periods: 1 });
      } catch (err) {
        // No basis for any forecast is an answer here, not an error: "none", and why.
        if (err instanceof QueryFailed && err.failure.code === 'insufficient_history') {
          return [wanted === 'WHY' ? err.failure.message : wanted === 'CONFIDENCE' ? 'none' : ''];
        }
        throw err;
      }
      if (answer.kind !== 'forecast') throw new Error(`unexpected answer ${answer.kind}`);
      const b = answer.basis;
      if (wanted === 'METHOD') return [b.method_label];
      if (wanted === 'WHY') return [b.reasons.join(' ') || 'checked on its own history: no reason to doubt it'];
      if (wanted === 'HISTORY') return [`${b.history_periods} ${b.grain === 'daily' ? 'days' : b.grain === 'weekly' ? 'weeks' : 'months'}`];
      return [b.confidence];
    });
  });
}

/** Metadata id -> code, for CustomFunctions.associate. */
export const FUNCTIONS = {
  FORECAST: forecast,
  INTERVAL: interval,
  REORDER: reorder,
  BUDGETORDER: budgetOrder,
  STATUS: status,
  HISTORY: history,
  ACCURACY: accuracy,
  BASIS: basis,
} as const;

// ---------------------------------------------------------------- plumbing

function ask(query: BatchQueryInput): Promise<BatchAnswer> {
  if (!batcher) throw cellError('notAvailable', 'The add-in is still starting: try again in a moment');
  return batcher.ask(query);
}

const isSingle = (shape: Shape) => shape.rows === 1 && shape.cols === 1;

const PERIOD_WORDS: Record<Granularity, string> = { day: 'days', week: 'weeks', month: 'months' };
/**
 * The most periods a cell may ask for: a year of weeks or months (what a weekly or monthly store can be forecast);
 * the service refuses, with its reason, what a daily store cannot answer (beyond 180 days).
 */
const MAX_PERIODS: Record<Granularity, number> = { day: MAX_HORIZON_DAYS, week: 52, month: 12 };

/** The next n periods of a forecast: of the granularity asked for, else of the store's own (the answer says which). */
async function nextPeriods(
  ids: { store_id: string; product_id: string },
  target: Cell,
  periods: Granularity | null,
  levels: number[] | undefined,
) {
  // Without a granularity n counts the store's own periods, which the service knows: checked against the day limit.
  const n = parseDays(target, 'The horizon', MAX_PERIODS[periods ?? 'day'], PERIOD_WORDS[periods ?? 'day']);
  const answer = await ask({
    kind: 'forecast',
    ...ids,
    horizon_periods: n,
    levels,
    ...(periods === null ? {} : { granularity: periods }),
  });
  return forecastOf(answer);
}

/** A number below the first date serial (or such text) is a count of days. */
function isHorizon(value: Cell): boolean {
  const n = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && n < FIRST_DATE_SERIAL;
}

function single(value: unknown, name: string): Cell {
  const grid = asGrid(value ?? null);
  if (grid.length !== 1 || grid[0].length !== 1) throw new BadArgument(`${name} must be a single cell`);
  return grid[0][0];
}

function forecastOf(answer: BatchAnswer) {
  if (answer.kind !== 'forecast') throw new Error(`unexpected answer ${answer.kind}`);
  return answer.forecast;
}

function planOf(answer: BatchAnswer) {
  if (answer.kind !== 'replenishment') throw new Error(`unexpected answer ${answer.kind}`);
  return answer.stock_recommendation;
}

function replenishmentInputs(leadTime: unknown, serviceLevel: unknown) {
  const lead = parseQuantity(leadTime as Cell, 'lead_time_days', 365);
  const level = parseLevel(serviceLevel as Cell, 'service_level');
  return { ...(lead === null ? {} : { lead_time_days: lead }), ...(level === null ? {} : { service_level: level }) };
}

function replenishmentQuery(get: (name: string) => Cell, common: { lead_time_days?: number; service_level?: number }): BatchQueryInput {
  const onHand = parseQuantity(get('on_hand'), 'on_hand');
  return {
    kind: 'replenishment',
    store_id: parseId(get('store'), 'store'),
    product_id: parseId(get('product'), 'product'),
    ...(onHand === null ? {} : { current_stock: onHand }),
    ...common,
  };
}

/**
 * One answer per position of the combined shape, each `width` cells wide. All questions are asked at once (so they
 * share a batch). A position whose store, product or day is blank stays blank; a position that fails shows its own
 * error, so one unknown product does not blank a whole grid.
 */
async function cells(
  args: Record<string, Grid>,
  shape: Shape,
  answer: (get: (name: string) => Cell) => Promise<Cell[]>,
  width = 1,
): Promise<(Cell | CellError)[][]> {
  const ids = ['store', 'product', 'target_date_or_horizon', 'target_date'].filter((name) => name in args);
  const positions = Array.from({ length: shape.rows * shape.cols }, (_, i) => ({ r: Math.floor(i / shape.cols), c: i % shape.cols }));
  const many = positions.length > 1;
  const values = await Promise.all(
    positions.map(async ({ r, c }): Promise<(Cell | CellError)[]> => {
      const get = (name: string) => at(args[name], r, c);
      if (many && ids.some((name) => isBlank(get(name)))) return new Array(width).fill('');
      try {
        return await answer(get);
      } catch (err) {
        if (!many) throw err;
        return new Array(width).fill(toCellError(err));
      }
    }),
  );
  const rows: (Cell | CellError)[][] = [];
  for (let r = 0; r < shape.rows; r++) rows.push(values.slice(r * shape.cols, (r + 1) * shape.cols).flat());
  return rows;
}

/** Runs a function body; whatever it throws reaches Excel as an error value with a message. */
async function cellFunction<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw toCellError(err);
  }
}

/** Bad arguments are #VALUE!; unknown stores and products, missing models and an unreachable service are #N/A. */
function toCellError(err: unknown): CellError {
  if (isCellError(err)) return err;
  if (err instanceof BadArgument) return cellError('invalidValue', err.message);
  if (err instanceof QueryFailed) {
    const { status, code, message } = err.failure;
    // Too little history is not a typing slip: no forecast is available (the message says what data is missing).
    if (code === 'insufficient_history') return cellError('notAvailable', message);
    if (status === 400 || status === 422) return cellError('invalidValue', message);
    if (status >= 500) return cellError('notAvailable', `The service failed: ${message}`);
    return cellError('notAvailable', message);
  }
  if (err instanceof ApiError) {
    if (err.status === 401 || err.status === 403) {
      return cellError('notAvailable', `The service refused the request (${err.message}): check the API key in the pane's Settings`);
    }
    if (err.status === 0) return cellError('notAvailable', `${err.message}. Check the service URL in the pane's Settings`);
    return cellError('notAvailable', `The service answered HTTP ${err.status}: ${err.message}`);
  }
  return cellError('notAvailable', err instanceof Error ? err.message : String(err));
}
