// Test support: an in-memory workbook behind office-addin-mock objects, enough of Excel's API for the adapter.
// Every object the adapter gets is an OfficeMockObject, so reading a property that was not loaded and synced
// yields office-addin-mock's error string instead of a value, as it would fail in Excel. Writes are applied to
// the model when the adapter calls context.sync().
import { OfficeMockObject } from 'office-addin-mock';

type Cell = string | number | boolean;

interface FakeSheet {
  name: string;
  cells: Cell[][];
  formats: string[][];
}
interface FakeTable {
  name: string;
  sheet: string;
  row: number;
  col: number;
  rows: number;
  cols: number;
  style?: string;
}
interface FakeChart {
  name: string;
  sheet: string;
  type: string;
  source: { row: number; col: number; rows: number; cols: number };
  seriesBy: string;
  title?: string;
  position?: [string, string];
  dashedSeries: number[];
}
interface FakeConditionalFormat {
  sheet: string;
  row: number;
  col: number;
  rows: number;
  cols: number;
  type: string;
  text?: string;
  fill?: string;
}

export class FakeWorkbook {
  sheets: FakeSheet[] = [];
  tables: FakeTable[] = [];
  charts: FakeChart[] = [];
  conditionalFormats: FakeConditionalFormat[] = [];
  selection: { sheet: string; address: string } | null = null;
  /** How often worksheets.add was called (never twice for the same name in a correct adapter). */
  sheetsAdded = 0;
  syncs = 0;
  /** Recalculations asked for (Excel.CalculationType values), applied at sync. */
  calculations: string[] = [];
  /** Cells transferred by reads: lets tests see chunking. */
  readCalls: { rows: number; cols: number }[] = [];
  tableCounter = 0;

  addSheet(name: string, rows: Cell[][] = []): FakeSheet {
    if (this.sheet(name)) throw new Error(`A sheet named "${name}" already exists`);
    const sheet = { name, cells: rows.map((r) => [...r]), formats: [] };
    this.sheets.push(sheet);
    return sheet;
  }
  addTable(name: string, sheet: string, row: number, col: number, rows: number, cols: number): FakeTable {
    if (this.tables.some((t) => t.name.toLowerCase() === name.toLowerCase())) throw new Error(`Table "${name}" exists`);
    const table = { name, sheet, row, col, rows, cols };
    this.tables.push(table);
    return table;
  }
  sheet(name: string): FakeSheet | undefined {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase());
  }
  /** Values of a block; missing cells read as ''. */
  values(sheet: string, row: number, col: number, rows: number, cols: number): Cell[][] {
    const s = this.sheet(sheet);
    return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => s?.cells[row + i]?.[col + j] ?? ''));
  }
  usedRange(sheet: string): { row: number; col: number; rows: number; cols: number } | null {
    const s = this.sheet(sheet);
    if (!s) return null;
    let minR = Infinity,
      minC = Infinity,
      maxR = -1,
      maxC = -1;
    s.cells.forEach((r, i) =>
      r?.forEach((v, j) => {
        if (v === '' || v === undefined || v === null) return;
        minR = Math.min(minR, i);
        minC = Math.min(minC, j);
        maxR = Math.max(maxR, i);
        maxC = Math.max(maxC, j);
      }),
    );
    return maxR < 0 ? null : { row: minR, col: minC, rows: maxR - minR + 1, cols: maxC - minC + 1 };
  }
  write(sheet: string, row: number, col: number, values: unknown[][], into: 'cells' | 'formats' = 'cells'): void {
    const s = this.sheet(sheet)!;
    const grid = s[into] as unknown[][];
    values.forEach((r, i) =>
      r.forEach((v, j) => {
        grid[row + i] ??= [];
        grid[row + i][col + j] = v;
      }),
    );
  }
}

const A1 = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/;
const colIndex = (letters: string) => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
const colLetters = (index: number) => {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

// office-addin-mock builds untyped object trees that stand in for Excel's proxies: `any` is what they are.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Mock = OfficeMockObject & Record<string, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FakeContext = any;

/** Builds the Excel global for one workbook: `vi.stubGlobal('Excel', fakeExcel(book))`. */
export function fakeExcel(book: FakeWorkbook): {
  run: <T>(cb: (ctx: FakeContext) => Promise<T>) => Promise<T>;
  CalculationType: Record<string, string>;
} {
  return {
    CalculationType: { recalculate: 'Recalculate', full: 'Full', fullRebuild: 'FullRebuild' },
    run: async <T>(callback: (ctx: FakeContext) => Promise<T>): Promise<T> => {
      const tracked: { mock: Mock; commit?: () => void }[] = [];
      const track = (data: Record<string, unknown>, commit?: (mock: Mock) => void): Mock => {
        const mock = new OfficeMockObject(data) as Mock;
        tracked.push({ mock, commit: commit && (() => commit(mock)) });
        return mock;
      };

      const rangeMock = (sheet: string, row: number, col: number, rows: number, cols: number, whole = false): Mock => {
        // A whole-sheet range is only cleared, never read: no snapshot of its million rows.
        let snapshot: unknown = whole ? [] : book.values(sheet, row, col, rows, cols);
        let formatSnapshot: unknown = [];
        const address = `${quote(sheet)}!${colLetters(col)}${row + 1}:${colLetters(col + cols - 1)}${row + rows}`;
        return track(
          {
            values: snapshot,
            numberFormat: formatSnapshot,
            address,
            rowIndex: row,
            columnIndex: col,
            rowCount: rows,
            columnCount: cols,
            isNullObject: false,
            format: { font: {}, fill: {}, autofitColumns: () => {} },
            conditionalFormats: {
              add: (type: string) => {
                let added = false;
                return track({ textComparison: { format: { fill: {}, font: {} } } }, (cf) => {
                  if (added) return;
                  added = true;
                  const tc = cf.textComparison;
                  book.conditionalFormats.push({ sheet, row, col, rows, cols, type, text: tc.rule?.text, fill: tc.format.fill.color });
                });
              },
              clearAll: () => {
                book.conditionalFormats = book.conditionalFormats.filter((f) => f.sheet !== sheet || !overlaps(f, row, col, rows, cols));
              },
            },
            clear: () => {
              const s = book.sheet(sheet);
              if (!s) return;
              for (let i = row; i < row + rows && i < s.cells.length; i++) {
                for (let j = col; j < col + cols; j++) {
                  if (s.cells[i]) s.cells[i][j] = '';
                  if (s.formats[i]) s.formats[i][j] = '';
                }
              }
            },
          },
          (m) => {
            // A value the adapter assigned (not the loaded snapshot) is written once, when it changes.
            if (Array.isArray(m.values) && m.values !== snapshot) {
              book.write(sheet, row, col, m.values);
              snapshot = m.values;
            }
            if (Array.isArray(m.numberFormat) && m.numberFormat !== formatSnapshot) {
              book.write(sheet, row, col, m.numberFormat, 'formats');
              formatSnapshot = m.numberFormat;
            }
          },
        );
      };

      const countingRange = (sheet: string, row: number, col: number, rows: number, cols: number): Mock => {
        const m = rangeMock(sheet, row, col, rows, cols);
        // Where the range is, for tables.add and charts.add (not an Excel property: no load needed).
        m.__geometry = { row, col, rows, cols };
        const load = m.load.bind(m);
        m.load = (props: Parameters<typeof load>[0]) => {
          if (typeof props === 'string' && props.split(',').includes('values')) book.readCalls.push({ rows, cols });
          return load(props);
        };
        return m;
      };

      const chartMock = (chart: FakeChart): Mock =>
        track(
          {
            isNullObject: false,
            title: {},
            legend: {},
            series: {
              getItemAt: (i: number) =>
                track({ format: { line: {} } }, (s) => {
                  if (s.format.line.lineStyle === 'Dash' && !chart.dashedSeries.includes(i)) chart.dashedSeries.push(i);
                }),
            },
            setPosition: (from: string, to: string) => {
              chart.position = [from, to];
            },
            delete: () => {
              book.charts = book.charts.filter((c) => c !== chart);
            },
          },
          (m) => {
            if (typeof m.name === 'string') chart.name = m.name;
            if (typeof m.title.text === 'string') chart.title = m.title.text;
          },
        );

      const nullObject = () => track({ isNullObject: true, name: '', rowCount: 0, columnCount: 0, rowIndex: 0, columnIndex: 0 });

      const tableMock = (table: FakeTable): Mock =>
        track(
          {
            name: table.name,
            isNullObject: false,
            worksheet: sheetData(table.sheet),
            getRange: () => countingRange(table.sheet, table.row, table.col, table.rows, table.cols),
            delete: () => {
              book.tables = book.tables.filter((t) => t !== table);
            },
          },
          (m) => {
            if (typeof m.style === 'string') table.style = m.style;
          },
        );

      // The table object returned by tables.add: its name is set by the adapter, so it is not a loaded property.
      const newTableMock = (table: FakeTable): Mock =>
        track({ getRange: () => countingRange(table.sheet, table.row, table.col, table.rows, table.cols) }, (m) => {
          if (typeof m.name === 'string') table.name = m.name;
          if (typeof m.style === 'string') table.style = m.style;
        });

      const sheetMock = (name: string): Mock => track(sheetData(name));
      function sheetData(name: string): Record<string, unknown> {
        const sheetOf = () => book.sheet(name)!.name;
        return {
          name: book.sheet(name)!.name,
          isNullObject: false,
          getRange: (address?: string) => {
            if (!address) return rangeMock(sheetOf(), 0, 0, 1_048_576, 16_384, true);
            const m = A1.exec(address);
            if (!m) throw new Error(`fake Excel: unsupported address ${address}`);
            const r0 = Number(m[2]) - 1,
              c0 = colIndex(m[1]);
            const r1 = m[4] ? Number(m[4]) - 1 : r0,
              c1 = m[3] ? colIndex(m[3]) : c0;
            return countingRange(sheetOf(), r0, c0, r1 - r0 + 1, c1 - c0 + 1);
          },
          getRangeByIndexes: (row: number, col: number, rows: number, cols: number) => countingRange(sheetOf(), row, col, rows, cols),
          getUsedRange: () => {
            const u = book.usedRange(sheetOf()) ?? { row: 0, col: 0, rows: 1, cols: 1 };
            return countingRange(sheetOf(), u.row, u.col, u.rows, u.cols);
          },
          getUsedRangeOrNullObject: () => {
            const u = book.usedRange(sheetOf());
            return u ? countingRange(sheetOf(), u.row, u.col, u.rows, u.cols) : nullObject();
          },
          activate: () => {},
          tables: {
            add: (range: Mock, hasHeaders: boolean) => {
              if (!hasHeaders) throw new Error('fake Excel: tables without headers are not modelled');
              const g = range.__geometry;
              const table = book.addTable(`Table${++book.tableCounter}`, sheetOf(), g.row, g.col, g.rows, g.cols);
              return newTableMock(table);
            },
          },
          charts: {
            add: (type: string, source: Mock, seriesBy: string) => {
              const chart: FakeChart = {
                name: `Chart ${book.charts.length + 1}`,
                sheet: sheetOf(),
                type,
                seriesBy,
                source: { ...source.__geometry },
                dashedSeries: [],
              };
              book.charts.push(chart);
              return chartMock(chart);
            },
            getItemOrNullObject: (chartName: string) => {
              const chart = book.charts.find((c) => c.sheet === sheetOf() && c.name === chartName);
              return chart ? chartMock(chart) : nullObject();
            },
          },
        };
      }

      const collection = (items: () => Mock[]): Record<string, unknown> => ({
        load(this: Mock, props: string) {
          const inner = props.replace(/items\//g, '');
          this.items = items().map((item) => item.load(inner));
          return this;
        },
      });

      const queuedCalculations: string[] = [];
      const context = {
        workbook: {
          application: { calculate: (type: string) => queuedCalculations.push(type) },
          worksheets: {
            ...collection(() => book.sheets.map((s) => sheetMock(s.name))),
            getItem: (name: string) => {
              if (!book.sheet(name)) throw new Error(`ItemNotFound: sheet ${name}`);
              return sheetMock(name);
            },
            getItemOrNullObject: (name: string) => (book.sheet(name) ? sheetMock(name) : nullObject()),
            add: (name: string) => {
              book.sheetsAdded++;
              book.addSheet(name);
              return sheetMock(name);
            },
          },
          tables: {
            ...collection(() => book.tables.map(tableMock)),
            getItem: (name: string) => {
              const table = book.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
              if (!table) throw new Error(`ItemNotFound: table ${name}`);
              return tableMock(table);
            },
            getItemOrNullObject: (name: string) => {
              const table = book.tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
              return table ? tableMock(table) : nullObject();
            },
          },
          getSelectedRange: () => {
            const sel = book.selection;
            if (!sel) return countingRange(book.sheets[0]?.name ?? 'Sheet1', 0, 0, 1, 1);
            const m = A1.exec(sel.address)!;
            const r0 = Number(m[2]) - 1,
              c0 = colIndex(m[1]);
            const r1 = m[4] ? Number(m[4]) - 1 : r0,
              c1 = m[3] ? colIndex(m[3]) : c0;
            return countingRange(sel.sheet, r0, c0, r1 - r0 + 1, c1 - c0 + 1);
          },
        },
        sync: async () => {
          book.syncs++;
          book.calculations.push(...queuedCalculations.splice(0));
          // Apply queued writes first, then let office-addin-mock deliver what was loaded.
          for (const t of [...tracked]) t.commit?.();
          for (const t of [...tracked]) await t.mock.sync();
        },
      };
      return callback(new OfficeMockObject(context));
    },
  };
}

const quote = (sheet: string) => (/^[A-Za-z0-9_]+$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`);

function overlaps(f: { row: number; col: number; rows: number; cols: number }, row: number, col: number, rows: number, cols: number) {
  return f.row < row + rows && row < f.row + f.rows && f.col < col + cols && col < f.col + f.cols;
}
