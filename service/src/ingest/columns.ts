// Column-wise accumulators: one typed array per field instead of one object per row keeps big files lean.
import { MAX_ID_LENGTH } from '../../../shared/schemas';
import { type Cell, showCell } from './cells';
import type { DateKey } from './dates';
import { dotReading, parseBoolean, parseExtra, parseId, parseNumber, parseText } from './numbers';
import { Problems } from './problems';

export type Typed = Int32Array | Float64Array | Int8Array;

class Grow<T extends Typed> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  finish(): T {
    return this.data.subarray(0, this.length) as T;
  }
  /** Starts the next batch; the capacity is kept, so a steady batch size allocates nothing. */
  reset(): void {
    this.length = 0;
  }
}

const START = 1024;
export const growI32 = () => new Grow(new Int32Array(START), (n) => new Int32Array(n));
const growF64 = () => new Grow(new Float64Array(START), (n) => new Float64Array(n));
const growI8 = () => new Grow(new Int8Array(START), (n) => new Int8Array(n));

export interface ColumnReader {
  /** File column index and header. */
  readonly index: number;
  readonly header: string;
  push(cell: Cell, rowNumber: number): void;
  /**
   * The per-row values pushed since the last call (one batch of rows), then starts the next batch. The view is valid
   * until the next push: copy it to keep it. Dictionaries and problems span the whole file.
   */
  take(): Typed;
}

/** How many rows of each distinct date are kept to name in messages (Problems shows five). */
const ROWS_PER_KEY = 5;

/** Dates are kept as ids of distinct raw values: the order (DMY/MDY) is decided over the distinct values later. */
export class DateColumn implements ColumnReader {
  readonly keys: DateKey[] = [];
  private readonly ids = growI32();
  private readonly byText = new Map<string, number>();
  private readonly byNumber = new Map<number, number>();
  private readonly byTime = new Map<number, number>();
  /** Per key: how many rows have it, and the first few of them (file order), so messages name rows without per-row arrays. */
  readonly keyCounts: number[] = [];
  readonly keyRows: number[][] = [];
  /** Rows whose date is empty. */
  readonly emptyRows = new Problems();
  constructor(
    readonly index: number,
    readonly header: string,
  ) {}

  push(cell: Cell, rowNumber: number): void {
    let id: number | undefined;
    if (typeof cell === 'string') {
      if (cell === '') id = -1;
      else if ((id = this.byText.get(cell)) === undefined) this.byText.set(cell, (id = this.add(cell)));
    } else if (typeof cell === 'number') {
      if ((id = this.byNumber.get(cell)) === undefined) this.byNumber.set(cell, (id = this.add(cell)));
    } else if (cell instanceof Date) {
      const t = cell.getTime();
      if ((id = this.byTime.get(t)) === undefined) this.byTime.set(t, (id = this.add(cell)));
    } else if (cell === null) id = -1;
    else id = this.add(showCell(cell));
    this.ids.push(id);
    if (id < 0) this.emptyRows.add(rowNumber, showCell(null));
    else if (this.keyCounts[id]++ < ROWS_PER_KEY) this.keyRows[id].push(rowNumber);
  }

  private add(key: DateKey): number {
    this.keys.push(key);
    this.keyCounts.push(0);
    this.keyRows.push([]);
    return this.keys.length - 1;
  }

  take(): Int32Array {
    const batch = this.ids.finish();
    this.ids.reset();
    return batch;
  }
}

/** Ids and short texts, interned: one string per distinct value however many rows repeat it. */
export class TextColumn implements ColumnReader {
  readonly values: string[] = [];
  readonly problems = new Problems();
  /** Ids longer than MAX_ID_LENGTH, which no request could name. */
  readonly tooLong = new Problems();
  private readonly ids = growI32();
  private readonly seen = new Map<Cell, number>();
  private readonly byText = new Map<string, number>();
  private lastCell: Cell | undefined = undefined;
  private lastId = -1;
  /** Per distinct value: 1 when it is not acceptable, 2 when it is too long. */
  private readonly rejected: number[] = [];
  constructor(
    readonly index: number,
    readonly header: string,
    /** Ids must be present and must not look like formulas; other texts may be empty. */
    private readonly isId: boolean,
  ) {}

  push(cell: Cell, rowNumber: number): void {
    // Sorted files repeat a store or product for many rows in a row; comparing with the last value is cheaper
    // than hashing a fresh string.
    let id = cell === this.lastCell ? this.lastId : this.seen.get(cell);
    if (id === undefined) {
      const text = this.isId ? parseId(cell) : parseText(cell);
      if (text === null && !this.isId) id = -1;
      else if (text !== null && text !== undefined && this.byText.has(text)) id = this.byText.get(text)!;
      else {
        id = this.values.length;
        this.values.push(text ?? '');
        this.rejected.push(text === null || text === undefined ? 1 : this.isId && text.length > MAX_ID_LENGTH ? 2 : 0);
        // " B " and "B", "2.0" and "2" are one id: group rows by the cleaned text, not the raw cell.
        if (typeof text === 'string') this.byText.set(text, id);
      }
      // Keying dates by object identity would never hit; they are rare in id columns anyway.
      if (!(cell instanceof Date)) this.seen.set(cell, id);
    }
    this.lastCell = cell;
    this.lastId = id;
    if (id >= 0 && this.rejected[id] !== 0) (this.rejected[id] === 1 ? this.problems : this.tooLong).add(rowNumber, showCell(cell));
    this.ids.push(id);
  }

  take(): Int32Array {
    const batch = this.ids.finish();
    this.ids.reset();
    return batch;
  }
}

/** Beyond a billion units or money per row a value is a slip (the API refuses the same inputs); 1e308 would overflow. */
export const MAX_CELL_VALUE = 1e9;

export class NumberColumn implements ColumnReader {
  readonly problems = new Problems();
  readonly tooLarge = new Problems();
  /** Decimal-comma columns: "1.234"-like cells (read as thousands) and cells whose dot is a decimal point ("1.5"). */
  readonly thousandsDots = new Problems();
  readonly decimalDots = new Problems();
  empty = 0;
  negative = 0;
  private readonly data = growF64();
  constructor(
    readonly index: number,
    readonly header: string,
    private readonly decimalComma = false,
  ) {}

  push(cell: Cell, rowNumber: number): void {
    if (this.decimalComma) {
      const dot = dotReading(cell);
      if (dot === 'either') this.thousandsDots.add(rowNumber, showCell(cell));
      else if (dot === 'decimal') this.decimalDots.add(rowNumber, showCell(cell));
    }
    const n = parseNumber(cell, this.decimalComma);
    if (n === undefined) {
      this.problems.add(rowNumber, showCell(cell));
      this.data.push(NaN);
    } else if (n === null) {
      this.empty++;
      this.data.push(NaN);
    } else {
      if (n < 0) this.negative++;
      if (n > MAX_CELL_VALUE || n < -MAX_CELL_VALUE) this.tooLarge.add(rowNumber, showCell(cell));
      this.data.push(n);
    }
  }

  /** NaN marks an empty cell. */
  take(): Float64Array {
    const batch = this.data.finish();
    this.data.reset();
    return batch;
  }
}

export class BooleanColumn implements ColumnReader {
  readonly problems = new Problems();
  private readonly data = growI8();
  constructor(
    readonly index: number,
    readonly header: string,
  ) {}

  push(cell: Cell, rowNumber: number): void {
    const b = parseBoolean(cell);
    if (b === undefined) this.problems.add(rowNumber, showCell(cell));
    this.data.push(b === true ? 1 : b === false ? 0 : -1);
  }

  /** 1 true, 0 false, -1 empty. */
  take(): Int8Array {
    const batch = this.data.finish();
    this.data.reset();
    return batch;
  }
}

/** A column kept in `extra`; values interned like texts. */
export class ExtraColumn implements ColumnReader {
  readonly values: (string | number)[] = [];
  private readonly ids = growI32();
  private readonly seen = new Map<Cell, number>();
  constructor(
    readonly index: number,
    readonly header: string,
  ) {}

  push(cell: Cell): void {
    let id = this.seen.get(cell);
    if (id === undefined) {
      const v = parseExtra(cell);
      if (v === undefined) id = -1;
      else {
        id = this.values.length;
        this.values.push(v);
      }
      if (!(cell instanceof Date)) this.seen.set(cell, id);
    }
    this.ids.push(id);
  }

  /** -1 marks an empty cell. */
  take(): Int32Array {
    const batch = this.ids.finish();
    this.ids.reset();
    return batch;
  }
}

const OPEN_WORDS = new Set(['open', 'opened', 'offen', 'geöffnet', 'geoeffnet', 'abierto', 'ouvert', 'ouverte']);
const CLOSED_WORDS = new Set(['closed', 'close', 'geschlossen', 'cerrado', 'fermé', 'ferme', 'fermée']);

/** "open" / "closed" (and their German, Spanish, French words): 1 open, 0 closed, undefined for other text. */
export function openWord(text: string): 1 | 0 | undefined {
  const s = text.trim().toLowerCase();
  return OPEN_WORDS.has(s) ? 1 : CLOSED_WORDS.has(s) ? 0 : undefined;
}

/** Whether the store was open: words, or yes/no flags (Rossmann's Open 1/0; inverted for a "Closed" column). */
export class OpenColumn implements ColumnReader {
  readonly problems = new Problems();
  private readonly data = growI8();
  constructor(
    readonly index: number,
    readonly header: string,
    /** The column says "closed" (1 = closed). */
    private readonly inverted: boolean,
  ) {}

  push(cell: Cell, rowNumber: number): void {
    let open: number | undefined = typeof cell === 'string' ? openWord(cell) : undefined;
    if (open === undefined) {
      const b = parseBoolean(cell);
      if (b === undefined) this.problems.add(rowNumber, showCell(cell));
      open = b === null || b === undefined ? -1 : b !== this.inverted ? 1 : 0;
    }
    this.data.push(open);
  }

  /** 1 open, 0 closed, -1 empty. */
  take(): Int8Array {
    const batch = this.data.finish();
    this.data.reset();
    return batch;
  }
}
