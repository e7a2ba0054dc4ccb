// An uploaded file's bytes -> canonical daily sales records. Pure: no HTTP, no SQL.
import {
  ALL_STORES_ID,
  MAX_ID_LENGTH,
  type ColumnMapping,
  type DateOrder,
  type Grain,
  type UnitsFrom,
  type WeekDates,
} from '../../../shared/schemas';
import { AppError } from '../errors';
import type { SalesRecord } from '../sales/record';
import { aggregate, type DescribedRecord, type Interned } from './aggregate';
import { plural, letOthersIn } from './cells';
import { BooleanColumn, type ColumnReader, MAX_CELL_VALUE, NumberColumn, TextColumn } from './columns';
import { decodeText, gunzip, MAX_TEXT_BYTES, readCsv } from './csv';
import { resolveDates } from './dates';
import { refuseFutureDates } from './future';
import type { Format } from './headers';
import { lookAlikeIds, lookAlikeWarning } from './ids';
import { parseId } from './numbers';
import { cellError } from './problems';
import {
  closedWarning,
  openProblems,
  readOpen,
  readProduct,
  readUnits,
  refuseUnnamedProducts,
  returnsWarning,
  totalsWarning,
  withOpenColumn,
} from './readings';
import { Table, type TableData } from './table';
import { readXlsx } from './xlsx';
import { readGrain } from './grain';

export interface ParseOptions {
  /** Decides the type: .csv, .csv.gz, .xlsx (case-insensitive). */
  filename: string;
  data: Buffer;
  /** Canonical name -> file header; overrides recognition for those fields. */
  mapping?: ColumnMapping;
  /** Workbook sheet name; default the first (visible) sheet. */
  sheet?: string;
  /** Forced order for numeric dates. */
  dateOrder?: DateOrder;
  /** Weekly files: each date is its week's first day or its last (default: the header's say, else the first). */
  weekDates?: WeekDates;
  /** The grain of each store that already has sales: an inconclusive file takes it, another grain is refused. */
  knownGrains?: ReadonlyMap<string, Grain>;
  /** Store for files without a store column, default 'default'. */
  defaultStoreId?: string;
  /** Files with money but no units: derive units as sales value / price. */
  unitsFrom?: UnitsFrom;
  /** Store sales dated after today instead of refusing them (422 future_dates); they are still warned about. */
  allowFuture?: boolean;
  /** Cap on data rows (413 too_many_rows); default 5,000,000. */
  maxRows?: number;
  /** Cap on header columns (413 too_many_columns); default 200. */
  maxColumns?: number;
  /** Gzip/zip bomb guard for .csv.gz and .xlsx; default 1 GiB. */
  maxDecompressedBytes?: number;
}

export interface ParsedUpload {
  format: Format;
  /** The period each record covers; weekly and monthly records are dated by the first day of their period. */
  grain: Grain;
  /** For weekly data: how the file dated its weeks. */
  weekDates: WeekDates | null;
  /** Data rows in the file (blank rows not counted). */
  rowsRead: number;
  /**
   * One per (storeId, productId, date), sorted by store, product, date; with the product's description when the file
   * names its products in words.
   */
  records: DescribedRecord[];
  /** Which file header fed each canonical field. */
  columns: ColumnMapping;
  warnings: string[];
}

const DEFAULT_MAX_ROWS = 5_000_000;
const DEFAULT_MAX_COLUMNS = 200;
const DEFAULT_MAX_DECOMPRESSED = 1024 ** 3;
const ACCEPTED = '.csv, .csv.gz or .xlsx';

type Kind = 'csv' | 'csv.gz' | 'xlsx';

function fileKind(filename: string): Kind {
  const name = filename.trim().toLowerCase();
  if (name.endsWith('.csv.gz')) return 'csv.gz';
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.xlsx')) return 'xlsx';
  if (name.endsWith('.xls')) {
    throw new AppError(
      415,
      'unsupported_file_type',
      `"${filename}" is an old Excel 97-2003 workbook (.xls). Open it in Excel and save as .xlsx (or CSV UTF-8), then upload that.`,
      { accepted: ['.csv', '.csv.gz', '.xlsx'] },
    );
  }
  throw new AppError(415, 'unsupported_file_type', `"${filename}" is not a supported file type. Upload a ${ACCEPTED} file.`, {
    accepted: ['.csv', '.csv.gz', '.xlsx'],
  });
}

export async function parseSalesFile(opts: ParseOptions): Promise<ParsedUpload> {
  const kind = fileKind(opts.filename);
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const maxDecompressed = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
  const defaultStore = checkDefaultStore(opts.defaultStoreId);
  if (opts.data.length === 0) throw new AppError(422, 'empty_file', 'The file is empty: it has no header row and no data.');

  const warnings: string[] = [];
  const maxColumns = opts.maxColumns ?? DEFAULT_MAX_COLUMNS;
  const newTable = (decimalComma = false) =>
    new Table({ mapping: opts.mapping, maxRows, maxColumns, strictWidth: kind !== 'xlsx', decimalComma, unitsFrom: opts.unitsFrom });
  let table: Table;
  let date1904 = false;
  if (kind === 'xlsx') {
    table = newTable();
    const result = await readXlsx(opts.data, table, { sheet: opts.sheet, maxRows, maxDecompressedBytes: maxDecompressed });
    date1904 = result.date1904;
    warnings.push(...result.warnings);
  } else {
    // Text beyond MAX_TEXT_BYTES cannot be decoded anyway; don't inflate past it.
    const bytes = kind === 'csv.gz' ? gunzip(opts.data, Math.min(maxDecompressed, MAX_TEXT_BYTES)) : opts.data;
    const { text, warning } = decodeText(bytes);
    if (warning) warnings.push(warning);
    // Spreadsheets that separate fields with semicolons do so because the comma is their decimal mark.
    table = await readCsv(text, (delimiter) => newTable(delimiter === ';'));
  }
  const data = table.finish();
  // Requests that came in meanwhile (/ready, /stores during a large upload) are answered before the next stretch.
  await letOthersIn();
  return build(data, opts, defaultStore, date1904, warnings);
}

// POST /train_model {"store_id": "all"} trains every store: a store of that name could never be trained alone.
const reservedStore = (where: string) =>
  new AppError(
    422,
    'invalid_value',
    `The store id "${ALL_STORES_ID}" (in ${where}) is reserved: training "${ALL_STORES_ID}" means every store. Rename that store.`,
    { field: 'store_id', values: [ALL_STORES_ID] },
  );

function checkDefaultStore(value: string | undefined): string {
  if (value === undefined) return 'default';
  if (value.trim() === ALL_STORES_ID) throw reservedStore('the store_id field');
  const id = parseId(value);
  if (id === null || id === undefined) {
    throw new AppError(
      422,
      'invalid_value',
      `The store id "${value}" is not usable: it must not be empty or start with =, +, @, a tab or a carriage return.`,
      { field: 'store_id', values: [value] },
    );
  }
  return id;
}

async function build(
  data: TableData,
  opts: ParseOptions,
  defaultStore: string,
  date1904: boolean,
  warnings: string[],
): Promise<ParsedUpload> {
  const { plan, fields } = data;
  const store = fields.store_id as TextColumn | undefined;
  const product = fields.product_id as TextColumn | undefined;

  // Report the leftmost column with a problem, as a user reading the sheet would meet it.
  let dates: ReturnType<typeof resolveDates> | null = null;
  for (const reader of data.readers) {
    if (reader === data.date) {
      dates = resolveDates({
        column: reader.header,
        keys: data.date.keys,
        ids: data.dateIds,
        rowNumbers: data.rowNumbers,
        order: opts.dateOrder,
        date1904,
      });
    } else throwProblems(reader);
  }
  if (dates === null) throw new Error('date column missing after planning');

  const transactions = plan.format === 'transactions' || dates.hasTime;
  const format: Format = transactions ? 'transactions' : plan.format;
  if (dates.warning) warnings.push(dates.warning);

  if (store?.values.includes(ALL_STORES_ID)) throw reservedStore(`column "${store.header}"`);
  for (const [what, column] of [
    ['store', store],
    ['product', product],
  ] as const) {
    const lookAlike = column && lookAlikeWarning(what, lookAlikeIds(column.values));
    if (lookAlike) warnings.push(lookAlike);
  }
  const interned = (c: ColumnReader | undefined): Interned | undefined =>
    c instanceof TextColumn ? { ids: c.finish(), values: c.values } : undefined;
  const numbers = (c: ColumnReader | undefined): Float64Array | undefined => (c instanceof NumberColumn ? c.finish() : undefined);
  const units = readUnits(data);
  const storeIds = store ? interned(store)! : null;
  const products = readProduct(data, storeIds, defaultStore);
  const open = readOpen(data, transactions);
  await letOthersIn();
  const result = await aggregate({
    n: data.rowsRead,
    dateIds: data.dateIds,
    dateIso: dates.iso,
    dateDay: dates.day,
    store: storeIds,
    defaultStore,
    product: products.product,
    units: units.values,
    open: open?.open,
    inventory: numbers(fields.inventory_level),
    ordered: numbers(fields.units_ordered),
    price: numbers(fields.price),
    discount: numbers(fields.discount),
    unitCost: numbers(fields.unit_cost),
    promotion: fields.promotion instanceof BooleanColumn ? fields.promotion.finish() : undefined,
    category: interned(fields.category),
    region: interned(fields.region),
    description: data.description ? descriptions(data.description) : undefined,
    extras: transactions ? [] : data.extras.map((x) => ({ name: x.header, ids: x.finish(), values: x.values })),
    transactions,
  });

  // One product per store cannot hold two rows of one store and date, unless they are lines of receipts.
  if (data.plan.storeLevel && !transactions && result.merged > 0) refuseUnnamedProducts(data, storeIds, data.dateIds, dates.iso);
  const rows = data.rowsRead;
  const line = transactions ? 'line' : 'row';
  warnings.push(...units.warnings);
  if (products.warning) warnings.push(products.warning);
  const totals = totalsWarning(data);
  if (totals) warnings.push(totals);
  if (!store) warnings.push(`The file has no store column; all rows were assigned to store "${defaultStore}".`);
  else if (opts.defaultStoreId !== undefined) {
    warnings.push(`The file has a store column ("${store.header}"), so the store_id "${opts.defaultStoreId}" sent with it was not used.`);
  }
  if (units.empty > 0) {
    warnings.push(`${plural(units.empty, line)} with an empty "${units.header}" counted as 0 units.`);
  }
  const returns = returnsWarning(units, result.moreReturnsThanSales, line);
  if (returns) warnings.push(returns);
  if (transactions) {
    warnings.push(
      `The file lists individual sales (${plan.transactionColumn !== null ? `column "${plan.headers[plan.transactionColumn]}"` : 'dates with times of day'}); ` +
        `${plural(rows, 'line')} ${rows === 1 ? 'was' : 'were'} summed into ${plural(result.records.length, 'daily record')} per store and product.`,
    );
  } else if (result.merged > 0) {
    warnings.push(
      `${plural(result.merged, 'row')} repeated a store, product and date already in the file; units were added up and the other values taken from the last such row.`,
    );
  }
  await letOthersIn();
  const period = readGrain(result.records, {
    transactions,
    dateHeader: data.date.header,
    weekDates: opts.weekDates,
    knownGrains: opts.knownGrains,
  });
  warnings.push(...period.warnings);
  if (!opts.allowFuture) refuseFutureDates(data, dates, period.grain, period.weekDates);
  // Periods are re-dated by spreading each record, so the descriptions are still there.
  const records = period.records as DescribedRecord[];
  const closed = open && closedWarning(records, open.header);
  if (closed) warnings.push(closed);
  const future = futureDates(records);
  if (future) {
    warnings.push(
      `${plural(future.records, 'record')} ${future.records === 1 ? 'is' : 'are'} dated after today (${future.today}), the latest ${future.latest}. ` +
        'Sales cannot be in the future: check those dates, since forecasts start after the latest stored day.',
    );
  }
  if (data.strayCells.count > 0) {
    warnings.push(`${plural(data.strayCells.count, 'row')} had values right of the last named column; those values were ignored.`);
  }

  return {
    format,
    grain: period.grain,
    weekDates: period.weekDates,
    // Total rows were data rows of the file too, though skipped.
    rowsRead: rows + data.totalRows.count,
    records,
    columns: withOpenColumn(plan.columns, open),
    warnings,
  };
}

/** A product description is shown beside its id: at most this many characters are kept. */
export const MAX_DESCRIPTION_LENGTH = 200;

/** The description column's values, trimmed (parseText) and cut to MAX_DESCRIPTION_LENGTH. */
function descriptions(column: TextColumn): Interned {
  const cut = (v: string) => (v.length > MAX_DESCRIPTION_LENGTH ? `${v.slice(0, MAX_DESCRIPTION_LENGTH - 1).trimEnd()}…` : v);
  return { ids: column.finish(), values: column.values.map(cut) };
}

/** Records dated after today (UTC), or null. */
function futureDates(records: SalesRecord[]): { records: number; latest: string; today: string } | null {
  const today = new Date().toISOString().slice(0, 10);
  let count = 0;
  let latest = '';
  for (const r of records) {
    if (r.date <= today) continue;
    count++;
    if (r.date > latest) latest = r.date;
  }
  return count > 0 ? { records: count, latest, today } : null;
}

function throwProblems(reader: ColumnReader): void {
  const open = openProblems(reader);
  if (open) throw open;
  if (reader instanceof NumberColumn && reader.problems.count > 0) {
    throw cellError(
      'invalid_number',
      reader.header,
      reader.problems,
      'values that are not numbers',
      'Use plain numbers such as 12, 3.5, $1,234.50 or -2 (3,5 in a semicolon-separated file); formulas and text are not accepted.',
    );
  }
  if (reader instanceof NumberColumn && reader.thousandsDots.count > 0 && reader.decimalDots.count > 0) {
    const decimal = reader.decimalDots;
    throw cellError(
      'ambiguous_number',
      reader.header,
      reader.thousandsDots,
      'numbers that could be read two ways, a dot between thousands or a decimal point,',
      `The file separates fields with semicolons, so a comma is read as the decimal mark and a dot as a thousands separator ` +
        `("1.234" is 1234), but the column also has dots that can only be decimal points (row ${decimal.rows[0]}: "${decimal.values[0]}"). ` +
        'Write the column one way, decimals with a comma (1,5 and 1,234) or without thousands dots (1234), and upload it again.',
    );
  }
  if (reader instanceof NumberColumn && reader.tooLarge.count > 0) {
    throw cellError(
      'value_out_of_range',
      reader.header,
      reader.tooLarge,
      `values beyond ${MAX_CELL_VALUE.toLocaleString('en-US')} (in size)`,
      'Numbers that large are typing or export slips; correct or remove those rows.',
    );
  }
  if (reader instanceof BooleanColumn && reader.problems.count > 0) {
    throw cellError('invalid_value', reader.header, reader.problems, 'values that are not yes/no', 'Use 1/0, true/false, yes/no or y/n.');
  }
  if (reader instanceof TextColumn && reader.problems.count > 0) {
    throw cellError(
      'invalid_value',
      reader.header,
      reader.problems,
      'ids that cannot be used',
      'An id must not be empty or start with =, +, @, a tab or a carriage return (spreadsheets would run it as a formula).',
    );
  }
  if (reader instanceof TextColumn && reader.tooLong.count > 0) {
    throw cellError(
      'id_too_long',
      reader.header,
      reader.tooLong,
      `ids longer than ${MAX_ID_LENGTH} characters`,
      `Store and product ids can have at most ${MAX_ID_LENGTH} characters (forecasts and other requests refuse longer ones); ` +
        'shorten those ids or map a shorter column to them, and upload the file again.',
    );
  }
}
