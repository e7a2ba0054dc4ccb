// What a buyer's columns mean beyond their names: units derived from money, money forecast on purpose, net over
// gross quantities, returns, store-level files, total rows and closed days. Pure: columns in, arrays and warnings out.
import { normaliseHeader } from '../../../shared/columns';
import type { ColumnMapping } from '../../../shared/schemas';
import { AppError } from '../errors';
import type { SalesRecord } from '../sales/record';
import { tidy } from '../features/period';
import { type Interned } from './aggregate';
import { plural } from './cells';
import { type NumberColumn, OpenColumn, openWord, type TextColumn } from './columns';
import { cellError, describeRows, Problems } from './problems';
import type { TableData } from './table';

export interface Units {
  header: string;
  /** Per row; NaN = empty (counted as 0). */
  values: Float64Array;
  empty: number;
  negative: number;
  warnings: string[];
}

/** Units per row: the units column, or sales value / price when the upload asks for it (units_from=sales_value). */
export function readUnits(data: TableData): Units {
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
    return { header: units.header, values: units.finish(), empty: units.empty, negative: units.negative, warnings };
  }
  const money = fields.sales_value as NumberColumn;
  const price = fields.price as NumberColumn;
  const m = money.finish();
  const p = price.finish();
  const values = new Float64Array(m.length);
  const noPrice = new Problems();
  let negative = 0;
  for (let i = 0; i < m.length; i++) {
    if (Number.isNaN(m[i]) || m[i] === 0) values[i] = m[i];
    else if (p[i] > 0) values[i] = tidy(m[i] / p[i]);
    else {
      noPrice.add(data.rowNumbers[i], Number.isNaN(p[i]) ? '(empty)' : String(p[i]));
      values[i] = NaN;
    }
    if (values[i] < 0) negative++;
  }
  if (noPrice.count > 0) {
    throw cellError(
      'invalid_value',
      price.header,
      noPrice,
      'no usable price (empty, 0 or negative) for rows with a sales value',
      `Units are derived as "${money.header}" / "${price.header}" (units_from=sales_value): fill in those prices or remove the rows.`,
    );
  }
  return {
    header: money.header,
    values,
    empty: money.empty,
    negative,
    warnings: [
      `Units sold were derived per row as "${money.header}" / "${price.header}" (units_from=sales_value), not counted: ` +
        'where prices are rounded or sales include discounts, these units are approximate.',
    ],
  };
}

/** "2 rows had negative units ... 1 date had more returns than sales and is stored as 0 units sold". */
export function returnsWarning(units: Units, moreReturnsThanSales: number, line: string): string | null {
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
 * The product of each row. A store-level file (no product column, or one column mapped as both store and product)
 * has one product per store whose id is the store id; the warning says so.
 */
export function readProduct(data: TableData, store: Interned | null, defaultStore: string): { product: Interned; warning: string | null } {
  const column = data.fields.product_id as TextColumn | undefined;
  if (column && !data.plan.storeLevel) return { product: { ids: column.finish(), values: column.values }, warning: null };
  const product = store ?? { ids: new Int32Array(data.rowsRead), values: [defaultStore] };
  const example = product.values[0];
  const warning = column
    ? `product_id and store_id are both read from "${column.header}": store-level sales, one product per store, whose product id is the store id.`
    : `The file has no product column: it was read as store-level sales, one product per store, whose product id is the store id ` +
      `(store "${example}" has product "${example}"). To forecast products, map a product column: mapping {"product_id": "<your column>"}.`;
  return { product, warning };
}

/** A store-level file with several rows for one store and date holds products it does not name: refuse it. */
export function refuseUnnamedProducts(data: TableData, store: Interned | null, dateIds: Int32Array, dateIso: string[]): never {
  const { plan } = data;
  const seen = new Set<string>();
  const repeats = new Problems();
  for (let row = 0; row < data.rowsRead; row++) {
    const storeId = store ? store.values[store.ids[row]] : '';
    const key = `${storeId}\u0000${dateIso[dateIds[row]]}`;
    if (seen.has(key)) repeats.add(data.rowNumbers[row], store ? `store ${storeId} on ${dateIso[dateIds[row]]}` : dateIso[dateIds[row]]);
    else seen.add(key);
  }
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
export function totalsWarning(data: TableData): string | null {
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

/** Per row whether the store was open (1 / 0 closed / -1 unknown), from the open field or a status column. */
export function readOpen(data: TableData, transactions: boolean): { open: Int8Array; header: string } | null {
  const column = data.fields.open;
  if (column instanceof OpenColumn) return { open: column.finish(), header: column.header };
  if (transactions) return null;
  for (const x of data.extras) {
    if (!STATUS_HEADERS.has(normaliseHeader(x.header)) || x.values.length === 0) continue;
    const flags = x.values.map((v) => (typeof v === 'string' ? openWord(v) : undefined));
    if (flags.some((f) => f === undefined) || !flags.includes(0)) continue;
    const ids = x.finish();
    const open = new Int8Array(ids.length);
    for (let i = 0; i < ids.length; i++) open[i] = ids[i] < 0 ? -1 : flags[ids[i]]!;
    return { open, header: x.header };
  }
  return null;
}

/** Columns as answered: a status column read as the open field is named there. */
export function withOpenColumn(columns: ColumnMapping, open: { header: string } | null): ColumnMapping {
  return open && columns.open === undefined ? { ...columns, open: open.header } : columns;
}

export function closedWarning(records: SalesRecord[], header: string): string | null {
  let closed = 0;
  for (const r of records) if (r.closed === true) closed++;
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
