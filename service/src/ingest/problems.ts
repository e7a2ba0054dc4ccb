import { AppError } from '../errors';
import { plural } from './cells';

const SHOWN = 5;
const EMPTY = '(empty)';

/** The first few offending cells of one column, plus how many there were in all. */
export class Problems {
  count = 0;
  readonly rows: number[] = [];
  readonly values: string[] = [];

  add(row: number, value: string): void {
    this.count++;
    if (this.rows.length < SHOWN) {
      this.rows.push(row);
      this.values.push(value);
    }
  }
}

/** "row 5 ("abc"), row 9 ("=1+2") and 3 more rows" */
export function describeRows(p: Problems): string {
  const parts = p.rows.map((row, i) => `row ${row} (${p.values[i] === EMPTY ? EMPTY.slice(1, -1) : JSON.stringify(p.values[i])})`);
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
  const more = p.count - p.rows.length;
  return more > 0 ? `${parts.join(', ')} and ${plural(more, 'more row')}` : list;
}

/**
 * A 422 about cells of one column. `what` completes "Column "X" has ...", `hint` tells how to fix it.
 */
export function cellError(code: string, column: string, p: Problems, what: string, hint: string): AppError {
  return new AppError(422, code, `Column "${column}" has ${what} in ${describeRows(p)}. ${hint}`, {
    column,
    rows: p.rows,
    values: p.values,
    count: p.count,
  });
}
