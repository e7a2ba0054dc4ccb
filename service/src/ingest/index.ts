// An uploaded file's bytes -> canonical daily sales records. Pure: no HTTP, no SQL.
import { ALL_STORES_ID, type ColumnMapping, type DateOrder, type Grain, type UnitsFrom, type WeekDates } from '../../../shared/schemas';
import { statSync } from 'node:fs';
import { AppError } from '../errors';
import { fmt, plural, letOthersIn } from './cells';
import { BooleanColumn, type ColumnReader, NumberColumn, TextColumn, type Typed } from './columns';
import { bufferSource, fileSource, gunzipSource, readCsvSource } from './csv';
import { resolveDates, type ResolvedDates } from './dates';
import { type DescribedRecord, type EmitCounts, emitRecords, type RecordPlan, type RecordSink, type SpooledText } from './emit';
import { refuseFutureDates } from './future';
import { periodStartOf, readGrain } from './grain';
import type { Format } from './headers';
import { lookAlikeIds, lookAlikeWarning } from './ids';
import { checkDefaultStore, fileKind, reservedStore, throwProblems } from './refusals';
import { Problems } from './problems';
import {
  closedWarning,
  deriveUnits,
  readOpen,
  readProduct,
  readUnits,
  refuseMissingPrices,
  refuseUnnamedProducts,
  returnsWarning,
  statusFlags,
  totalsWarning,
  withOpenColumn,
} from './readings';
import { grainEvidenceOfSeries, SeriesDays, SeriesIndex } from './series';
import { RowSpool } from './spool';
import { Table, type TableBatch, type TableData, type TableLayout } from './table';
import { readXlsx } from './xlsx';

export type { DescribedRecord, EmitCounts, RecordSink } from './emit';

export interface ParseOptions {
  /** Decides the type: .csv, .csv.gz, .xlsx (case-insensitive). */
  filename: string;
  /** The file's bytes, or (`path`) where it was saved: a large upload is read from disk as it is parsed. */
  data?: Buffer;
  path?: string;
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
  /** Cap on data rows (413 too_many_rows); default 50,000,000. */
  maxRows?: number;
  /** Cap on header columns (413 too_many_columns); default 200. */
  maxColumns?: number;
  /** Gzip/zip bomb guard for .csv.gz and .xlsx; default 8 GiB (.xlsx: at most 1 GiB). */
  maxDecompressedBytes?: number;
  /** Told the rows read so far after each batch of the first pass (for upload progress). */
  onRows?: (rowsRead: number) => void;
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

const DEFAULT_MAX_ROWS = 50_000_000;
const DEFAULT_MAX_COLUMNS = 200;
const DEFAULT_MAX_DECOMPRESSED = 8 * 1024 ** 3;
const MAX_XLSX_UNPACKED = 1024 ** 3;
/** What a file's first pass decided, before any record is built; `emit` builds them (the second pass). */
export interface SalesFileReading {
  format: Format;
  grain: Grain;
  weekDates: WeekDates | null;
  rowsRead: number;
  /** Records the file makes: one per store, product and date (or period). */
  records: number;
  columns: ColumnMapping;
  /** The stores and products the file names, sorted. */
  stores: string[];
  products: string[];
  firstDate: string;
  lastDate: string;
  /** Builds every record and hands them to the sink in batches; reads the spooled rows once. */
  emit(sink: RecordSink): Promise<EmitCounts>;
  /** The warnings about the file, in reading order; the record counts of `emit` complete them. */
  warnings(counts: EmitCounts): string[];
  /** Frees the spooled rows (a temporary file for large uploads). */
  close(): void;
}

/** Reads and parses a file completely (both passes), records sorted by store, product and date. */
export async function parseSalesFile(opts: ParseOptions): Promise<ParsedUpload> {
  const reading = await readSalesFile(opts);
  try {
    const records: DescribedRecord[] = [];
    const counts = await reading.emit((batch) => {
      for (const r of batch) records.push(r);
    });
    records.sort((a, b) =>
      a.storeId < b.storeId
        ? -1
        : a.storeId > b.storeId
          ? 1
          : a.productId < b.productId
            ? -1
            : a.productId > b.productId
              ? 1
              : a.date < b.date
                ? -1
                : a.date > b.date
                  ? 1
                  : 0,
    );
    return {
      format: reading.format,
      grain: reading.grain,
      weekDates: reading.weekDates,
      rowsRead: reading.rowsRead,
      records,
      columns: reading.columns,
      warnings: reading.warnings(counts),
    };
  } finally {
    reading.close();
  }
}

/**
 * The first pass: reads the file row by row into a spool (bounded memory), checks every cell, decides dates, grain
 * and duplicates, and refuses the file (4xx) when anything is wrong. Nothing is built or stored yet.
 */
export async function readSalesFile(opts: ParseOptions): Promise<SalesFileReading> {
  const kind = fileKind(opts.filename);
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  const maxDecompressed = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
  const defaultStore = checkDefaultStore(opts.defaultStoreId);
  const size = opts.data ? opts.data.length : opts.path ? statSync(opts.path).size : 0;
  if (size === 0) throw new AppError(422, 'empty_file', 'The file is empty: it has no header row and no data.');
  const bytes = opts.data ? bufferSource(opts.data) : fileSource(opts.path!);

  const warnings: string[] = [];
  const maxColumns = opts.maxColumns ?? DEFAULT_MAX_COLUMNS;
  let spool = new RowSpool();
  let series = new SeriesIndex();
  let rowsRead = 0;
  const newTable = (decimalComma = false) => {
    // A table started over (another CSV reading) starts its spool over too.
    spool.close();
    spool = new RowSpool();
    series = new SeriesIndex();
    rowsRead = 0;
    return new Table({
      mapping: opts.mapping,
      maxRows,
      maxColumns,
      strictWidth: kind !== 'xlsx',
      decimalComma,
      unitsFrom: opts.unitsFrom,
      onBatch: (batch, layout) => {
        spool.append(spoolBatch(batch, layout, series));
        rowsRead += batch.n;
        opts.onRows?.(rowsRead);
      },
    });
  };
  try {
    let table: Table;
    let date1904 = false;
    if (kind === 'xlsx') {
      table = newTable();
      // Read where it lies (the saved upload): the zip's directory at its end first, then each part piece by piece.
      const workbook = opts.data ?? opts.path!;
      // Excel's largest sheet unpacks to well under 1 GiB: a zip bomb is stopped there whatever the CSV limit.
      const unpacked = Math.min(maxDecompressed, MAX_XLSX_UNPACKED);
      const result = await readXlsx(workbook, table, { sheet: opts.sheet, maxRows, maxDecompressedBytes: unpacked });
      date1904 = result.date1904;
      warnings.push(...result.warnings);
    } else {
      const text = kind === 'csv.gz' ? gunzipSource(bytes, maxDecompressed) : bytes;
      // Spreadsheets that separate fields with semicolons do so because the comma is their decimal mark.
      const read = await readCsvSource(text, (delimiter) => newTable(delimiter === ';'));
      if (read.warning) warnings.push(read.warning);
      table = read.table;
    }
    const data = table.finish();
    // Requests that came in meanwhile (/ready, /stores during a large upload) are answered before the next stretch.
    await letOthersIn();
    return await decide(data, spool, series, opts, defaultStore, date1904, warnings);
  } catch (e) {
    spool.close();
    throw e;
  }
}

/** The batch as spooled: row numbers, each row's series, then every reader's column in file column order. */
function spoolBatch(batch: TableBatch, layout: TableLayout, series: SeriesIndex): Typed[] {
  const store = layout.fields.store_id ? (batch.columns[layout.readers.indexOf(layout.fields.store_id)] as Int32Array) : null;
  const productReader = layout.plan.storeLevel ? undefined : layout.fields.product_id;
  const product = productReader ? (batch.columns[layout.readers.indexOf(productReader)] as Int32Array) : null;
  const ids = new Int32Array(batch.n);
  for (let i = 0; i < batch.n; i++) {
    const s = store ? store[i] : -1;
    // Store-level files: one product per store, the store itself.
    ids[i] = series.of(s, product ? product[i] : Math.max(s, 0));
  }
  return [batch.rowNumbers, ids, ...batch.columns];
}

/** A temporary bitset beyond this many bytes (series x days of the file's span / 8) is refused rather than risked. */
const MAX_SERIES_DAY_BYTES = 512 * 1024 * 1024;

async function decide(
  data: TableData,
  spool: RowSpool,
  seriesIndex: SeriesIndex,
  opts: ParseOptions,
  defaultStore: string,
  date1904: boolean,
  warnings: string[],
): Promise<SalesFileReading> {
  const { plan, fields } = data;
  const store = fields.store_id as TextColumn | undefined;
  const productColumn = fields.product_id as TextColumn | undefined;
  const at = (reader: ColumnReader) => 2 + data.readers.indexOf(reader);

  // Report the leftmost column with a problem, as a user reading the sheet would meet it.
  let dates: ResolvedDates | null = null;
  for (const reader of data.readers) {
    if (reader === data.date) {
      dates = resolveDates({
        column: reader.header,
        keys: data.date.keys,
        keyRows: data.date.keyRows,
        keyCounts: data.date.keyCounts,
        emptyRows: data.date.emptyRows,
        order: opts.dateOrder,
        date1904,
      });
    } else throwProblems(reader);
  }
  if (dates === null) throw new Error('date column missing after planning');
  const resolved = dates;

  const transactions = plan.format === 'transactions' || resolved.hasTime;
  const format: Format = transactions ? 'transactions' : plan.format;
  if (resolved.warning) warnings.push(resolved.warning);

  if (store?.values.includes(ALL_STORES_ID)) throw reservedStore(`column "${store.header}"`);
  for (const [what, column] of [
    ['store', store],
    ['product', productColumn],
  ] as const) {
    const lookAlike = column && lookAlikeWarning(what, lookAlikeIds(column.values));
    if (lookAlike) warnings.push(lookAlike);
  }
  const units = readUnits(data);
  const products = readProduct(data, store, defaultStore);
  const productValues = products.product ? products.product.values : [defaultStore];
  const open = readOpen(data, transactions);
  const unitsOf = (batch: Typed[], noPrice?: Problems): Float64Array =>
    units.derive
      ? deriveUnits(
          batch[at(units.derive.money)] as Float64Array,
          batch[at(units.derive.price)] as Float64Array,
          batch[0] as Int32Array,
          noPrice,
        )
      : (batch[at(units.column!)] as Float64Array);

  // One look over the spooled rows: the days of each series (repeats, record count, grain), missing prices.
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const d of resolved.day) {
    if (d < firstDay) firstDay = d;
    if (d > lastDay) lastDay = d;
  }
  if (SeriesDays.bytes(seriesIndex.size, firstDay, lastDay) > MAX_SERIES_DAY_BYTES) {
    throw new AppError(
      413,
      'file_too_large',
      `The file's ${fmt(seriesIndex.size)} store and product pairs over ${fmt(lastDay - firstDay + 1)} days are more than one upload can check; split it by store or by year.`,
    );
  }
  const seriesDays = new SeriesDays(seriesIndex.size, firstDay, lastDay);
  const noPrice = new Problems();
  const repeatedStoreDays = new Problems();
  const storeLevelRepeats = plan.storeLevel && !transactions;
  for (const batch of spool.batches()) {
    const rowNumbers = batch[0] as Int32Array;
    const series = batch[1] as Int32Array;
    const dateIds = batch[at(data.date)] as Int32Array;
    for (let i = 0; i < series.length; i++) {
      const day = resolved.day[dateIds[i]];
      if (!seriesDays.add(series[i], day) && storeLevelRepeats) {
        const iso = resolved.iso[dateIds[i]];
        const s = seriesIndex.store[series[i]];
        repeatedStoreDays.add(rowNumbers[i], store ? `store ${store.values[s]} on ${iso}` : iso);
      }
    }
    if (units.derive) {
      const derived = unitsOf(batch, noPrice);
      for (const u of derived) if (u < 0) units.negative++;
    }
    await letOthersIn();
  }
  refuseMissingPrices(units, noPrice);
  const records = seriesDays.records;
  const merged = data.rowsRead - records;
  // One product per store cannot hold two rows of one store and date, unless they are lines of receipts.
  if (storeLevelRepeats && merged > 0) refuseUnnamedProducts(data, repeatedStoreDays);

  const stores = store ? [...store.values].sort() : [defaultStore];
  const storeOf = (s: number) => (store ? store.values[s] : defaultStore);
  // Series in store then product order: the order a reader of the sorted records meets them.
  const seriesOrder = Array.from({ length: seriesIndex.size }, (_, i) => i).sort((a, b) => {
    const sa = storeOf(seriesIndex.store[a]);
    const sb = storeOf(seriesIndex.store[b]);
    if (sa !== sb) return sa < sb ? -1 : 1;
    const pa = productValues[seriesIndex.product[a]];
    const pb = productValues[seriesIndex.product[b]];
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
  const isoOfDay = new Map<number, string>();
  resolved.day.forEach((d, k) => isoOfDay.set(d, resolved.iso[k]));
  const distinctDays = [...isoOfDay.keys()];
  const evidence = transactions ? null : grainEvidenceOfSeries(seriesDays, seriesOrder, (d) => isoOfDay.get(d)!, distinctDays);
  const period = readGrain(evidence ?? { grain: 'daily', conclusive: true, example: null, fits: new Set(['daily']) }, stores, {
    transactions,
    dateHeader: data.date.header,
    weekDates: opts.weekDates,
    knownGrains: opts.knownGrains,
  });
  if (!opts.allowFuture) refuseFutureDates(data, resolved, period.grain, period.weekDates);
  const periodStart = periodStartOf(period.grain, period.weekDates);
  const storedDateOfKey = resolved.iso.map(periodStart);
  let firstDate = storedDateOfKey[0];
  let lastDate = storedDateOfKey[0];
  for (const d of storedDateOfKey) {
    if (d < firstDate) firstDate = d;
    if (d > lastDate) lastDate = d;
  }

  const text = (c: ColumnReader | undefined, values?: string[]): SpooledText | undefined =>
    c instanceof TextColumn ? { at: at(c), values: values ?? c.values } : undefined;
  const numberAt = (c: ColumnReader | undefined) => (c instanceof NumberColumn ? at(c) : undefined);
  const recordPlan: RecordPlan = {
    spool,
    seriesAt: 1,
    dateAt: at(data.date),
    repeats: transactions ? null : seriesDays.repeats,
    dayOfKey: resolved.day,
    storedDateOfKey,
    firstDay,
    lastDay,
    store: text(store) ?? null,
    defaultStore,
    product: products.product ? text(products.product)! : { at: -1, values: productValues },
    units: (batch) => unitsOf(batch),
    open: open?.column
      ? (batch) => batch[at(open.column!)] as Int8Array
      : open?.status
        ? (batch) => statusFlags(batch[at(open.status!.column)] as Int32Array, open.status!.flags)
        : undefined,
    inventoryAt: numberAt(fields.inventory_level),
    orderedAt: numberAt(fields.units_ordered),
    priceAt: numberAt(fields.price),
    discountAt: numberAt(fields.discount),
    unitCostAt: numberAt(fields.unit_cost),
    promotionAt: fields.promotion instanceof BooleanColumn ? at(fields.promotion) : undefined,
    category: text(fields.category),
    region: text(fields.region),
    description: data.description ? text(data.description, data.description.values.map(cutDescription)) : undefined,
    extras: transactions ? [] : data.extras.map((x) => ({ name: x.header, at: at(x), values: x.values })),
    transactions,
  };

  const rows = data.rowsRead;
  const line = transactions ? 'line' : 'row';
  const before = [...warnings, ...units.warnings];
  if (products.warning) before.push(products.warning);
  const totals = totalsWarning(data);
  if (totals) before.push(totals);
  if (!store) before.push(`The file has no store column; all rows were assigned to store "${defaultStore}".`);
  else if (opts.defaultStoreId !== undefined) {
    before.push(`The file has a store column ("${store.header}"), so the store_id "${opts.defaultStoreId}" sent with it was not used.`);
  }
  if (units.empty > 0) before.push(`${plural(units.empty, line)} with an empty "${units.header}" counted as 0 units.`);
  const summary: string[] = [];
  if (transactions) {
    summary.push(
      `The file lists individual sales (${plan.transactionColumn !== null ? `column "${plan.headers[plan.transactionColumn]}"` : 'dates with times of day'}); ` +
        `${plural(rows, 'line')} ${rows === 1 ? 'was' : 'were'} summed into ${plural(records, 'daily record')} per store and product.`,
    );
  } else if (merged > 0) {
    summary.push(
      `${plural(merged, 'row')} repeated a store, product and date already in the file; units were added up and the other values taken from the last such row.`,
    );
  }
  summary.push(...period.warnings);

  return {
    format,
    grain: period.grain,
    weekDates: period.weekDates,
    // Total rows were data rows of the file too, though skipped.
    rowsRead: rows + data.totalRows.count,
    records,
    columns: withOpenColumn(plan.columns, open),
    stores,
    products: [...new Set(productValues)].sort(),
    firstDate,
    lastDate,
    emit: (sink) => emitRecords(recordPlan, sink),
    warnings: (counts) => {
      const out = [...before];
      const returns = returnsWarning(units, counts.moreReturnsThanSales, line);
      if (returns) out.push(returns);
      out.push(...summary);
      const closed = open && closedWarning(counts.closed, open.header);
      if (closed) out.push(closed);
      const future = counts.future;
      if (future) {
        out.push(
          `${plural(future.records, 'record')} ${future.records === 1 ? 'is' : 'are'} dated after today (${future.today}), the latest ${future.latest}. ` +
            'Sales cannot be in the future: check those dates, since forecasts start after the latest stored day.',
        );
      }
      if (data.strayCells.count > 0) {
        out.push(`${plural(data.strayCells.count, 'row')} had values right of the last named column; those values were ignored.`);
      }
      return out;
    },
    close: () => spool.close(),
  };
}

/** A product description is shown beside its id: at most this many characters are kept. */
export const MAX_DESCRIPTION_LENGTH = 200;

/** A description (already trimmed by parseText) cut to MAX_DESCRIPTION_LENGTH. */
const cutDescription = (v: string) => (v.length > MAX_DESCRIPTION_LENGTH ? `${v.slice(0, MAX_DESCRIPTION_LENGTH - 1).trimEnd()}…` : v);
