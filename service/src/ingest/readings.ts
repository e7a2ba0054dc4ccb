// What a buyer's columns mean beyond their names: units derived from money, money forecast on purpose, net over
// gross quantities, returns, store-level files, total rows and closed days. Pure: columns in, arrays and warnings out.
import { normaliseHeader } from '../../../shared/columns';
import type { ColumnMapping } from '../../../shared/schemas';
import { AppError } from '../errors';
import { tidy } from '../features/period';
import { plural } from './cells';
import { type ExtraColumn, type NumberColumn, OpenColumn, openWord, type TextColumn } from './columns';
import { cellError, describeRows, Problems } from './problems';
import type { TableData } from './table';

export interface Units {
  header: string;
  /** Derived per row as sales value / price (units_from=sales_value): the two columns; else the units column. */
  derive: { money: NumberColumn; price: NumberColumn } | null;
  column: NumberColumn | null;
  empty: number;
  /** Negative units: counted by the column, or while deriving (see deriveUnits). */
  negative: number;
  warnings: string[];
}

/** How units are read: the units column, or sales value / price when the upload asks for it (units_from=sales_value). */
export function readUnits(data: Pick<TableData, 'plan' | 'fields'>): Units {
  const { plan, fields } = data;
  if (!plan.deriveUnits) {
    const units = fields.units_sold as NumberColumn;
    const warnings: string[] = [];
    if (plan.moneyAsUnits) {
      warnings.push(
        `units_sold is read from "${units.header}", which holds money (sales value), as the mapping asks: forecasts, intervals, ` +
          'stock and order figures will be in money, not units.',
      );
    }
    if (plan.grossUnits !== null) {
      warnings.push(
        `Units sold were read from "${units.header}" (net of returns); the gross quantity "${plan.headers[plan.grossUnits]}" was not used as units.`,
      );
    }
    return { header: units.header, derive: null, column: units, empty: units.empty, negative: units.negative, warnings };
  }
  const money = fields.sales_value as NumberColumn;
  const price = fields.price as NumberColumn;
  return {
    header: money.header,
    derive: { money, price },
    column: null,
    empty: money.empty,
    negative: 0,
    warnings: [
      `Units sold were derived per row as "${money.header}" / "${price.header}" (units_from=sales_value), not counted: ` +
        'where prices are rounded or sales include discounts, these units are approximate.',
    ],
  };
}

/** Units of a batch as sales value / price; rows with money but no usable price go to `noPrice` (the upload is refused). */
export function deriveUnits(money: Float64Array, price: Float64Array, rowNumbers: Int32Array, noPrice?: Problems): Float64Array {
  const values = new Float64Array(money.length);
  for (let i = 0; i < money.length; i++) {
    if (Number.isNaN(money[i]) || money[i] === 0) values[i] = money[i];
    else if (price[i] > 0) values[i] = tidy(money[i] / price[i]);
    else {
      noPrice?.add(rowNumbers[i], Number.isNaN(price[i]) ? '(empty)' : String(price[i]));
      values[i] = NaN;
    }
  }
  return values;
}

/** 422 for rows with a sales value and no usable price, when units are derived. */
export function refuseMissingPrices(units: Units, noPrice: Problems): void {
  if (!units.derive || noPrice.count === 0) return;
  const { money, price } = units.derive;
  throw cellError(
    'invalid_value',
    price.header,
    noPrice,
    'no usable price (empty, 0 or negative) for rows with a sales value',
    `Units are derived as "${money.header}" / "${price.header}" (units_from=sales_value): fill in those prices or remove the rows.`,
  );
}

/** "2 rows had negative units ... 1 date had more returns than sales and is stored as 0 units sold". */
export function returnsWarning(units: Pick<Units, 'negative' | 'header'>, moreReturnsThanSales: number, line: string): string | null {
  if (units.negative === 0 && moreReturnsThanSales === 0) return null;
  const head =
    `${plural(units.negative, line)} had negative units in "${units.header}" (returns); ` +
    'returns are subtracted from the units sold of the same store, product and date';
  if (moreReturnsThanSales === 0) return `${head}.`;
  return (
    `${head}; ${plural(moreReturnsThanSales, 'date')} had more returns than sales and ${moreReturnsThanSales === 1 ? 'is' : 'are'} ` +
    'stored as 0 units sold (returns are not demand).'
  );
}

/**
 * The column naming each row's product. A store-level file (no product column, or one column mapped as both store and
 * product) has one product per store whose id is the store id (the store column, or null: the default store); the
 * warning says so.
 */
export function readProduct(
  data: Pick<TableData, 'plan' | 'fields'>,
  store: TextColumn | undefined,
  defaultStore: string,
): { product: TextColumn | null; warning: string | null } {
  const column = data.fields.product_id as TextColumn | undefined;
  if (column && !data.plan.storeLevel) return { product: column, warning: null };
  const example = store ? store.values[0] : defaultStore;
  const warning = column
    ? `product_id and store_id are both read from "${column.header}": store-level sales, one product per store, whose product id is the store id.`
    : `The file has no product column: it was read as store-level sales, one product per store, whose product id is the store id ` +
      `(store "${example}" has product "${example}"). To forecast products, map a product column: mapping {"product_id": "<your column>"}.`;
  return { product: store ?? null, warning };
}

/** A store-level file with several rows for one store and date holds products it does not name: refuse it. */
export function refuseUnnamedProducts(data: Pick<TableData, 'plan'>, repeats: Problems): never {
  const { plan } = data;
  const category = plan.fields.category;
  const suggestion = category !== undefined ? plan.headers[category] : '<your product column>';
  const named = plan.headers.filter((h) => h !== '');
  const why =
    plan.fields.product_id !== undefined
      ? `product_id and store_id are both "${plan.headers[plan.fields.product_id]}" (store-level)`
      : 'The file has no product column, so it was read as store-level sales (one product per store)';
  throw new AppError(
    422,
    'missing_columns',
    `${why}, but ${plural(repeats.count, 'row')} ${repeats.count === 1 ? 'repeats' : 'repeat'} a store and date already in the file: ${describeRows(repeats)}. ` +
      `It holds several products (or departments) per store: map the column that names them, e.g. mapping {"product_id": "${suggestion}"}. ` +
      `Its columns are: ${named.map((h) => `"${h}"`).join(', ')}.`,
    { missing: ['product_id'], rows: repeats.rows, values: repeats.values, count: repeats.count, headers: named },
  );
}

/** "3 rows are totals or subtotals, not sales (row 14 ("Total"), ...)": skipped so nothing is counted twice. */
export function totalsWarning(data: Pick<TableData, 'totalRows' | 'totalColumns'>): string | null {
  const t = data.totalRows;
  if (t.count === 0) return null;
  const where = data.totalColumns.map((h) => `"${h}"`).join(' / ');
  return (
    `${plural(t.count, 'row')} ${t.count === 1 ? 'is a total or subtotal' : 'are totals or subtotals'}, not sales ` +
    `(${describeRows(t)} in ${where}): ${t.count === 1 ? 'it was' : 'they were'} skipped, so nothing is counted twice.`
  );
}

// A text column named like this whose every value is "open" or "closed" says whether the store was open.
const STATUS_HEADERS = new Set(['status', 'daystatus', 'shopstatus', 'tagesstatus', 'estado', 'statut']);

/** Whether the store was open, per row: the open field, or a status column whose every value is open or closed. */
export interface OpenReading {
  header: string;
  column: OpenColumn | null;
  /** A status column and the flag of each of its values (1 open, 0 closed). */
  status: { column: ExtraColumn; flags: (0 | 1)[] } | null;
}

export function readOpen(data: Pick<TableData, 'fields' | 'extras'>, transactions: boolean): OpenReading | null {
  const column = data.fields.open;
  if (column instanceof OpenColumn) return { header: column.header, column, status: null };
  if (transactions) return null;
  for (const x of data.extras) {
    if (!STATUS_HEADERS.has(normaliseHeader(x.header)) || x.values.length === 0) continue;
    const flags = x.values.map((v) => (typeof v === 'string' ? openWord(v) : undefined));
    if (flags.some((f) => f === undefined) || !flags.includes(0)) continue;
    return { header: x.header, column: null, status: { column: x, flags: flags as (0 | 1)[] } };
  }
  return null;
}

/** The open flags of a batch (1 open / 0 closed / -1 unknown) from the status column's ids. */
export function statusFlags(ids: Int32Array, flags: (0 | 1)[]): Int8Array {
  const open = new Int8Array(ids.length);
  for (let i = 0; i < ids.length; i++) open[i] = ids[i] < 0 ? -1 : flags[ids[i]];
  return open;
}

/** Columns as answered: a status column read as the open field is named there. */
export function withOpenColumn(columns: ColumnMapping, open: { header: string } | null): ColumnMapping {
  return open && columns.open === undefined ? { ...columns, open: open.header } : columns;
}

export function closedWarning(closed: number, header: string): string | null {
  if (closed === 0) return null;
  return (
    `${plural(closed, 'day')} ${closed === 1 ? 'is' : 'are'} marked closed in "${header}": stored as closed, with units as given, ` +
    'not as days without demand; training and forecast intervals skip them as they skip stock-out days.'
  );
}

/** An open/closed column with values that say neither. */
export function openProblems(reader: unknown): AppError | null {
  if (!(reader instanceof OpenColumn) || reader.problems.count === 0) return null;
  return cellError(
    'invalid_value',
    reader.header,
    reader.problems,
    'values that say neither open nor closed',
    'Use 1/0 (1 = open, as in an "Open" column), yes/no, or the words open / closed.',
  );
}
