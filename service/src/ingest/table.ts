// Receives rows from the CSV or XLSX reader: the first non-blank row is the header, the rest feed the columns.
import type { CanonicalField, ColumnMapping, UnitsFrom } from '../../../shared/schemas';
import { AppError } from '../errors';
import { type Cell, columnLetter, fmt, isBlank, showCell } from './cells';
import {
  BooleanColumn,
  type ColumnReader,
  DateColumn,
  ExtraColumn,
  growI32,
  NumberColumn,
  OpenColumn,
  TextColumn,
  type Typed,
} from './columns';
import { type ColumnPlan, planColumns } from './headers';
import { Problems, describeRows } from './problems';

const NUMERIC: Partial<Record<CanonicalField, true>> = {
  units_sold: true,
  inventory_level: true,
  units_ordered: true,
  price: true,
  discount: true,
  unit_cost: true,
  sales_value: true,
};

// "Total", "Subtotal", "Grand total", "Gesamt", "Summe", Excel's "<item> Total" / "<item> Ergebnis": a sum of rows
// above, not a product or store. Cheap first test, then the exact one.
const TOTAL_HINT = /total|gesamt|summe|ergebnis|^\s*sum\s*$/i;
const TOTAL_LABELS = new Set([
  'total',
  'totals',
  'subtotal',
  'subtotals',
  'grandtotal',
  'totalgeneral',
  'gesamt',
  'gesamtsumme',
  'gesamtergebnis',
  'summe',
  'zwischensumme',
  'sum',
]);

/** A cell naming a total or subtotal row rather than a product, store or date. */
export function isTotalLabel(cell: string): boolean {
  if (cell.length > 80 || !TOTAL_HINT.test(cell)) return false;
  const t = cell
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_:.-]+/g, ' ')
    .trim();
  return TOTAL_LABELS.has(t.replace(/ /g, '')) || / (sub ?)?totals?$| ergebnis$/.test(t);
}

export interface TableOptions {
  mapping?: ColumnMapping;
  maxRows: number;
  /** Columns the header may name (counted up to its last non-blank cell); more is refused with 413. */
  maxColumns?: number;
  /** CSV: values beyond the header are an error (usually an unquoted delimiter). XLSX: stray cells, ignored. */
  strictWidth: boolean;
  /** Numbers are written with a decimal comma (semicolon-separated CSV). */
  decimalComma?: boolean;
  /** Derive units from the sales value (see ColumnPlan.deriveUnits). */
  unitsFrom?: UnitsFrom;
  /**
   * Receives the rows in batches as they are read, column by column (see TableBatch); the arrays are reused after the
   * call. Without it the rows are dropped (the dictionaries and problems are still kept).
   */
  onBatch?: (batch: TableBatch, table: TableLayout) => void;
}

/** Rows per batch handed to onBatch. */
export const TABLE_BATCH_ROWS = 65_536;

/** One batch of data rows: their file row numbers and, per reader (TableLayout.readers order), its values. */
export interface TableBatch {
  n: number;
  rowNumbers: Int32Array;
  columns: Typed[];
}

/** What is known once the header is read: the plan and the readers, in file column order. */
export interface TableLayout {
  plan: ColumnPlan;
  date: DateColumn;
  fields: TableData['fields'];
  extras: ExtraColumn[];
  description: TextColumn | null;
  readers: ColumnReader[];
}

export interface TableData {
  plan: ColumnPlan;
  rowsRead: number;
  date: DateColumn;
  fields: Partial<Record<Exclude<CanonicalField, 'date'>, TextColumn | NumberColumn | BooleanColumn | OpenColumn>>;
  extras: ExtraColumn[];
  /** The column naming each product in words (ColumnPlan.descriptionColumn), if any. */
  description: TextColumn | null;
  /** Every reader in file column order, for reporting problems left to right. */
  readers: ColumnReader[];
  strayCells: Problems;
  /** Total and subtotal rows, skipped (not in rowsRead); the label of each shown. */
  totalRows: Problems;
  /** Headers of the columns those labels were in. */
  totalColumns: string[];
}

export class Table {
  private plan: ColumnPlan | null = null;
  private readers: ColumnReader[] = [];
  private date: DateColumn | null = null;
  private fields: TableData['fields'] = {};
  private extras: ExtraColumn[] = [];
  private description: TextColumn | null = null;
  private width = 0;
  private rows = 0;
  private batchRows = 0;
  private readonly rowNumbers = growI32();
  private readonly stray = new Problems();
  private readonly totals = new Problems();
  private readonly totalColumns = new Set<string>();
  /** Columns (store, product, date) whose text may mark a total row. */
  private totalAt: number[] = [];

  constructor(private readonly options: TableOptions) {}

  /** `cells` may be reused by the caller after the call; only the first `count` entries are read. */
  row(cells: ArrayLike<Cell>, count: number, rowNumber: number): void {
    let blank = true;
    for (let i = 0; i < count; i++) {
      if (!isBlank(cells[i])) {
        blank = false;
        break;
      }
    }
    if (blank) return;
    if (this.plan === null) {
      this.header(cells, count);
      return;
    }
    if (this.isTotalRow(cells, count, rowNumber)) return;
    if (this.rows >= this.options.maxRows) {
      throw new AppError(
        413,
        'too_many_rows',
        `The file has more than ${fmt(this.options.maxRows)} data rows, the most one upload may have. Split it into smaller files.`,
        { maxRows: this.options.maxRows },
      );
    }
    this.rows++;
    this.batchRows++;
    this.rowNumbers.push(rowNumber);
    const readers = this.readers;
    for (let k = 0; k < readers.length; k++) {
      const r = readers[k];
      r.push(r.index < count ? cells[r.index] : null, rowNumber);
    }
    if (count > this.width) {
      for (let i = this.width; i < count; i++) {
        if (!isBlank(cells[i])) {
          this.stray.add(rowNumber, `${columnLetter(i)}: ${showCell(cells[i])}`);
          break;
        }
      }
    }
    if (this.batchRows === TABLE_BATCH_ROWS) this.flush();
  }

  private flush(): void {
    const n = this.batchRows;
    this.batchRows = 0;
    const rowNumbers = this.rowNumbers.finish();
    this.rowNumbers.reset();
    const columns = this.readers.map((r) => r.take());
    if (n > 0) this.options.onBatch?.({ n, rowNumbers, columns }, this.layout());
  }

  private layout(): TableLayout {
    return {
      plan: this.plan!,
      date: this.date!,
      fields: this.fields,
      extras: this.extras,
      description: this.description,
      readers: this.readers,
    };
  }

  private isTotalRow(cells: ArrayLike<Cell>, count: number, rowNumber: number): boolean {
    for (const i of this.totalAt) {
      const c = i < count ? cells[i] : null;
      if (typeof c === 'string' && isTotalLabel(c)) {
        this.totals.add(rowNumber, c.trim());
        this.totalColumns.add(this.plan!.headers[i]);
        return true;
      }
    }
    return false;
  }

  private header(cells: ArrayLike<Cell>, count: number): void {
    const names: string[] = [];
    for (let i = 0; i < count; i++) {
      const c = cells[i];
      names.push(c === null ? '' : c instanceof Date ? showCell(c) : String(c));
    }
    while (names.length > 0 && names[names.length - 1].trim() === '') names.pop();
    const maxColumns = this.options.maxColumns;
    if (maxColumns !== undefined && names.length > maxColumns) {
      throw new AppError(
        413,
        'too_many_columns',
        `The header has ${fmt(names.length)} columns, more than the ${fmt(maxColumns)} one upload may have. ` +
          'Remove the columns that are not sales data, or split the file.',
        { maxColumns, columns: names.length },
      );
    }
    const plan = planColumns(names, this.options.mapping, { unitsFrom: this.options.unitsFrom });
    this.plan = plan;
    this.width = names.length;
    for (const [field, index] of Object.entries(plan.fields) as [CanonicalField, number][]) {
      const header = plan.headers[index];
      if (field === 'date') this.date = new DateColumn(index, header);
      else if (NUMERIC[field]) this.fields[field] = new NumberColumn(index, header, this.options.decimalComma ?? false);
      else if (field === 'promotion') this.fields[field] = new BooleanColumn(index, header);
      else if (field === 'open') this.fields[field] = new OpenColumn(index, header, plan.openInverted);
      else this.fields[field] = new TextColumn(index, header, field === 'store_id' || field === 'product_id');
    }
    // A header-detected transaction file drops its other columns; don't spend memory on them.
    if (plan.transactionColumn === null) this.extras = plan.extras.map((i) => new ExtraColumn(i, plan.headers[i]));
    if (plan.descriptionColumn !== null)
      this.description = new TextColumn(plan.descriptionColumn, plan.headers[plan.descriptionColumn], false);
    this.totalAt = [...new Set([plan.fields.product_id, plan.fields.store_id, plan.fields.date])].filter((i) => i !== undefined);
    const all: ColumnReader[] = [this.date!, ...Object.values(this.fields), ...this.extras];
    if (this.description) all.push(this.description);
    this.readers = all.sort((a, b) => a.index - b.index);
  }

  finish(): TableData {
    if (this.plan === null || this.rows === 0) {
      throw new AppError(
        422,
        'empty_file',
        this.plan === null
          ? 'The file is empty: it has no header row and no data.'
          : this.totals.count > 0
            ? `The file has no data rows besides ${this.totals.count === 1 ? 'a total row' : 'total rows'} (${describeRows(this.totals)}).`
            : 'The file has a header row but no data rows.',
      );
    }
    if (this.options.strictWidth && this.stray.count > 0) {
      throw new AppError(
        422,
        'invalid_file',
        `Some rows have more values than the header has columns: ${describeRows(this.stray)}. ` +
          'A text value probably contains the delimiter without being quoted; quote it or remove the extra values.',
        { rows: this.stray.rows, values: this.stray.values, count: this.stray.count },
      );
    }
    this.flush();
    return {
      plan: this.plan,
      rowsRead: this.rows,
      date: this.date!,
      fields: this.fields,
      extras: this.extras,
      description: this.description,
      readers: this.readers,
      strayCells: this.stray,
      totalRows: this.totals,
      totalColumns: [...this.totalColumns],
    };
  }
}
