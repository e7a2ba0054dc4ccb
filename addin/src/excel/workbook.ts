/// <reference types="office-js" />
// The Excel adapter: the only module that touches Office.js (loading it, Office.onReady, Excel.run, the add-in's
// storage). Components never call it directly; src/make-pane-host.ts hands its functions to the pages through the
// PaneHost (src/pane-host.ts).
import { headerTexts, isBlankRow, isoToExcelSerial, type CellValue } from '../mapping/csv';
import { NUMBER_FORMATS, STATUS_COLOURS, tableHeaderRow, type SheetCell, type SheetSpec, type TextColour } from '../results/sheets';

// ---------------------------------------------------------------- host

const OFFICE_JS_URL = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

type HostKind = 'excel' | 'browser';
export interface HostInfo {
  kind: HostKind;
  /** Why: shown in Settings. */
  detail: string;
  /** Inside Excel: the workbook's language (Office.context.contentLanguage, else the display language), e.g. "de-DE". */
  locale?: string;
}

type OfficeWindow = Window & {
  Office?: typeof Office;
  chrome?: { webview?: unknown };
  webkit?: { messageHandlers?: Record<string, unknown> };
};

/**
 * Signs that the page runs inside an Office client: the _host_Info parameter Office adds to the pane URL (also kept
 * in sessionStorage), Excel on the web's iframe, the WebView2 / WKWebView bridges of the desktop clients.
 * `?office=1` / `?office=0` force either way.
 */
export function looksLikeOffice(win: OfficeWindow = window as OfficeWindow): boolean {
  const params = new URLSearchParams(win.location?.search ?? '');
  if (params.get('office') === '0') return false;
  if (params.get('office') === '1' || params.has('_host_Info')) return true;
  try {
    if (win.sessionStorage?.getItem('hostInfoValue')) return true;
  } catch {
    // storage may be blocked; not a sign either way
  }
  let framed = false;
  try {
    framed = win.top !== win.self;
  } catch {
    framed = true; // a cross-origin parent: Excel on the web
  }
  return framed || Boolean(win.chrome?.webview) || Boolean(win.webkit?.messageHandlers?.Office);
}

function loadScript(src: string, timeoutMs: number, doc: Document): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = doc.createElement('script');
    const timer = setTimeout(() => reject(new Error(`office.js did not load within ${timeoutMs / 1000} s`)), timeoutMs);
    script.src = src;
    script.async = true;
    script.onload = () => {
      clearTimeout(timer);
      resolve();
    };
    script.onerror = () => {
      clearTimeout(timer);
      reject(new Error('office.js could not be loaded'));
    };
    doc.head.appendChild(script);
  });
}

/**
 * Decides whether the pane runs in Excel. Outside Office it answers at once without fetching anything (the page
 * works offline); inside, it loads office.js from the Office CDN and waits for Office.onReady, both bounded.
 */
export async function connectOffice(options: { timeoutMs?: number; win?: OfficeWindow } = {}): Promise<HostInfo> {
  const win = options.win ?? (window as OfficeWindow);
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof win.Office === 'undefined') {
    if (!looksLikeOffice(win)) return { kind: 'browser', detail: 'Not inside Office: running as a web app.' };
    try {
      await loadScript(OFFICE_JS_URL, timeoutMs, win.document);
    } catch (err) {
      return { kind: 'browser', detail: `${(err as Error).message}: running as a web app.` };
    }
  }
  const office = win.Office;
  if (!office?.onReady) return { kind: 'browser', detail: 'Office.js is not available: running as a web app.' };
  const info = await Promise.race([office.onReady(), new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))]);
  if (!info) return { kind: 'browser', detail: 'Office did not report ready: running as a web app.' };
  if (info.host === office.HostType.Excel) {
    const locale = officeLocale(office);
    return { kind: 'excel', detail: `Excel (${info.platform ?? 'unknown platform'})`, ...(locale ? { locale } : {}) };
  }
  return {
    kind: 'browser',
    detail: info.host ? `Office host ${info.host} is not Excel: running as a web app.` : 'No Office host: running as a web app.',
  };
}

/**
 * The language dates are written in inside Office: the document's (contentLanguage, the editing language of the
 * workbook), else Office's display language; undefined when Office says neither.
 */
export function officeLocale(office: Pick<typeof Office, 'context'> | undefined): string | undefined {
  const context = office?.context as Partial<Pick<Office.Context, 'contentLanguage' | 'displayLanguage'>> | undefined;
  return context?.contentLanguage || context?.displayLanguage || undefined;
}

// ---------------------------------------------------------------- storage

export interface KeyValueStorage {
  getItem(key: string): Promise<string | null>;
  setItem(key: string, value: string): Promise<void>;
}

/**
 * The add-in's own storage inside Office (OfficeRuntime.storage): kept per add-in and user, shared with the custom
 * functions runtime, not saved into the workbook (an API key must not travel with a file). Null outside Office.
 */
export function officeRuntimeStorage(): KeyValueStorage | null {
  const runtime = (globalThis as { OfficeRuntime?: { storage?: KeyValueStorage } }).OfficeRuntime;
  return runtime?.storage ?? null;
}

// ---------------------------------------------------------------- reading

export interface DataSource {
  kind: 'table' | 'sheet' | 'range';
  /** Table name, sheet name, or the range address without its sheet. */
  name: string;
  sheet: string;
  /** Rows including the header row. */
  rows: number;
  columns: number;
  label: string;
}

/** Our own result sheets and tables are never offered as sales data. */
const RESULT_SHEET = /^(Bulk Predictions|Reorder Plan|Forecast) /;
const RESULT_TABLE = /^df(Bulk|Reorder|Forecast)_/;

/** Tables first (the best guess), then every sheet's used range, then the current selection. */
export async function listDataSources(): Promise<DataSource[]> {
  return Excel.run(async (ctx) => {
    const tables = ctx.workbook.tables;
    tables.load('items/name');
    const sheets = ctx.workbook.worksheets;
    sheets.load('items/name');
    const selection = ctx.workbook.getSelectedRange();
    selection.load('address,rowCount,columnCount');
    await ctx.sync();

    const tableInfo = tables.items
      .filter((t) => !RESULT_TABLE.test(t.name))
      .map((t) => {
        const range = t.getRange();
        range.load('rowCount,columnCount');
        const ws = t.worksheet;
        ws.load('name');
        return { name: t.name, range, ws };
      });
    const sheetInfo = sheets.items
      .filter((s) => !RESULT_SHEET.test(s.name))
      .map((s) => {
        const used = s.getUsedRangeOrNullObject(true);
        used.load('isNullObject,rowCount,columnCount');
        return { name: s.name, used };
      });
    await ctx.sync();

    const sources: DataSource[] = tableInfo.map(({ name, range, ws }) => ({
      kind: 'table',
      name,
      sheet: ws.name,
      rows: range.rowCount,
      columns: range.columnCount,
      label: `Table ${name} (${ws.name}, ${range.rowCount - 1} rows)`,
    }));
    for (const { name, used } of sheetInfo) {
      if (used.isNullObject || used.rowCount < 2) continue;
      sources.push({
        kind: 'sheet',
        name,
        sheet: name,
        rows: used.rowCount,
        columns: used.columnCount,
        label: `Sheet ${name} (${used.rowCount - 1} rows)`,
      });
    }
    if (selection.rowCount >= 2) {
      const [sheet, local] = splitAddress(selection.address);
      sources.push({
        kind: 'range',
        name: local,
        sheet,
        rows: selection.rowCount,
        columns: selection.columnCount,
        label: `Selection ${selection.address} (${selection.rowCount - 1} rows)`,
      });
    }
    return sources;
  });
}

function splitAddress(address: string): [string, string] {
  const bang = address.lastIndexOf('!');
  if (bang < 0) return ['', address];
  return [
    address
      .slice(0, bang)
      .replace(/^'(.*)'$/, '$1')
      .replace(/''/g, "'"),
    address.slice(bang + 1),
  ];
}

interface Block {
  ws: Excel.Worksheet;
  rowIndex: number;
  columnIndex: number;
  rowCount: number;
  columnCount: number;
}

async function locate(ctx: Excel.RequestContext, source: Pick<DataSource, 'kind' | 'name' | 'sheet'>): Promise<Block> {
  let ws: Excel.Worksheet;
  let range: Excel.Range;
  if (source.kind === 'table') {
    const table = ctx.workbook.tables.getItem(source.name);
    ws = table.worksheet;
    range = table.getRange();
  } else if (source.kind === 'sheet') {
    ws = ctx.workbook.worksheets.getItem(source.name);
    range = ws.getUsedRange(true);
  } else {
    ws = ctx.workbook.worksheets.getItem(source.sheet);
    range = ws.getRange(source.name);
  }
  range.load('rowIndex,columnIndex,rowCount,columnCount');
  await ctx.sync();
  return { ws, rowIndex: range.rowIndex, columnIndex: range.columnIndex, rowCount: range.rowCount, columnCount: range.columnCount };
}

export interface SourcePreview {
  headers: string[];
  /** The first rows under the header. */
  rows: CellValue[][];
  /** Data rows (header excluded). */
  totalRows: number;
}

export async function previewSource(source: Pick<DataSource, 'kind' | 'name' | 'sheet'>, maxRows = 5): Promise<SourcePreview> {
  return Excel.run(async (ctx) => {
    const block = await locate(ctx, source);
    const top = block.ws.getRangeByIndexes(block.rowIndex, block.columnIndex, Math.min(block.rowCount, maxRows + 1), block.columnCount);
    top.load('values');
    await ctx.sync();
    const [header = [], ...rows] = top.values as CellValue[][];
    return { headers: headerTexts(header), rows, totalRows: Math.max(0, block.rowCount - 1) };
  });
}

interface ReadOptions {
  /** Cells per call: Excel on the web answers at most about 5 MB per sync. */
  chunkCells?: number;
  /** Receives data rows (header excluded), in order, one chunk at a time. */
  onRows: (rows: CellValue[][]) => void;
  onProgress?: (done: number, total: number) => void;
}

/** Reads a table or range in chunks of rows; returns its headers and the number of non-blank data rows. */
export async function readSource(
  source: Pick<DataSource, 'kind' | 'name' | 'sheet'>,
  options: ReadOptions,
): Promise<{ headers: string[]; rows: number }> {
  const chunkCells = options.chunkCells ?? 100_000;
  return Excel.run(async (ctx) => {
    const block = await locate(ctx, source);
    const head = block.ws.getRangeByIndexes(block.rowIndex, block.columnIndex, 1, block.columnCount);
    head.load('values');
    await ctx.sync();
    const headers = headerTexts((head.values as CellValue[][])[0] ?? []);
    const total = block.rowCount - 1;
    const step = Math.max(1, Math.floor(chunkCells / Math.max(1, block.columnCount)));
    let done = 0;
    let kept = 0;
    options.onProgress?.(0, total);
    while (done < total) {
      const n = Math.min(step, total - done);
      const part = block.ws.getRangeByIndexes(block.rowIndex + 1 + done, block.columnIndex, n, block.columnCount);
      part.load('values');
      await ctx.sync();
      const rows = (part.values as CellValue[][]).filter((r) => !isBlankRow(r));
      kept += rows.length;
      if (rows.length) options.onRows(rows);
      done += n;
      options.onProgress?.(done, total);
    }
    return { headers, rows: kept };
  });
}

// ---------------------------------------------------------------- writing

export const chartName = (spec: SheetSpec) => `${spec.tableName}_chart`;

const cellColumn = (index: number): string => {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

function excelValue(cell: SheetCell, kind: SheetSpec['columns'][number]['kind']): string | number {
  if (cell === null) return '';
  if (kind === 'date' && typeof cell === 'string') return isoToExcelSerial(cell);
  return cell;
}

/**
 * Writes one result sheet: the sheet is found by name or added, whatever an earlier run wrote there (its table,
 * chart, cells and conditional formats) is removed, and the table, formats, status colours and chart are written
 * anew. Running again therefore updates the same sheet and never adds a second one.
 */
async function writeSpec(ctx: Excel.RequestContext, spec: SheetSpec): Promise<void> {
  const sheets = ctx.workbook.worksheets;
  let ws = sheets.getItemOrNullObject(spec.sheetName);
  ws.load('isNullObject');
  const oldTable = ctx.workbook.tables.getItemOrNullObject(spec.tableName);
  oldTable.load('isNullObject');
  await ctx.sync();
  if (ws.isNullObject) ws = sheets.add(spec.sheetName);
  const oldChart = ws.charts.getItemOrNullObject(chartName(spec));
  oldChart.load('isNullObject');
  await ctx.sync();
  if (!oldTable.isNullObject) oldTable.delete();
  if (!oldChart.isNullObject) oldChart.delete();
  const whole = ws.getRange();
  whole.conditionalFormats.clearAll();
  whole.clear();

  const title = ws.getRange('A1');
  title.values = [[spec.title]];
  title.format.font.bold = true;
  // The header block (what the table was made with), one label and value a line, then the note line.
  const header = spec.header ?? [];
  if (header.length) {
    const block = ws.getRangeByIndexes(1, 0, header.length, 2);
    block.numberFormat = header.map(() => ['@', '@']);
    block.values = header.map(([label, value]) => [label, value]);
    ws.getRangeByIndexes(1, 0, header.length, 1).format.font.bold = true;
  }
  const headerRow = tableHeaderRow(spec);
  if (spec.note) ws.getRangeByIndexes(headerRow - 1, 0, 1, 1).values = [[spec.note]];
  const nRows = spec.rows.length;
  const nCols = spec.columns.length;
  if (nRows === 0) {
    ws.getRange(`A${headerRow + 1}`).values = [[spec.emptyText ?? 'Nothing to show.']];
    ws.activate();
    await ctx.sync();
    return;
  }

  // Formats before values, so that text columns keep ids such as "00123" as text.
  spec.columns.forEach((column, j) => {
    const body = ws.getRangeByIndexes(headerRow + 1, j, nRows, 1);
    body.numberFormat = spec.rows.map(() => [NUMBER_FORMATS[column.kind]]);
  });
  const tableRange = ws.getRangeByIndexes(headerRow, 0, nRows + 1, nCols);
  tableRange.values = [
    spec.columns.map((c) => c.header),
    ...spec.rows.map((row) => spec.columns.map((c, j) => excelValue(row[j] ?? null, c.kind))),
  ];
  const table = ws.tables.add(tableRange, true);
  table.name = spec.tableName;
  table.style = 'TableStyleMedium2';

  // Status colours on the 'status' column, and the spec's own (the bulk plan's low and no-forecast rows).
  const statusColumn = spec.columns.findIndex((c) => c.kind === 'status');
  const highlights = [...(statusColumn >= 0 ? [{ column: statusColumn, colours: STATUS_COLOURS }] : []), ...(spec.highlights ?? [])];
  for (const { column, colours } of highlights) {
    const cells = ws.getRangeByIndexes(headerRow + 1, column, nRows, 1);
    for (const [text, colour] of Object.entries(colours) as [string, TextColour][]) {
      const format = cells.conditionalFormats.add('ContainsText');
      format.textComparison.format.fill.color = colour.fill;
      format.textComparison.format.font.color = colour.font;
      format.textComparison.rule = { operator: 'Contains', text };
    }
  }

  if (spec.chart) {
    const { chart: c } = spec;
    const source = ws.getRangeByIndexes(headerRow, c.categoryColumn, nRows + 1, c.seriesCount + 1);
    const chart = ws.charts.add(c.type === 'line' ? 'Line' : 'BarClustered', source, 'Columns');
    chart.name = chartName(spec);
    chart.title.text = c.title;
    chart.legend.position = 'Bottom';
    const left = cellColumn(nCols + 1);
    const right = cellColumn(nCols + 9);
    chart.setPosition(`${left}${headerRow + 1}`, `${right}${headerRow + 22}`);
    const seriesNames = spec.columns.slice(c.categoryColumn + 1, c.categoryColumn + 1 + c.seriesCount).map((col) => col.header);
    seriesNames.forEach((name, i) => {
      if (c.dashed?.includes(name)) chart.series.getItemAt(i).format.line.lineStyle = 'Dash';
    });
  }
  tableRange.format.autofitColumns();
  ws.activate();
  await ctx.sync();
}

/** Recalculates every formula of the workbook: DEMAND.* cells ask the service again (after a new model or data). */
export async function recalculateWorkbook(): Promise<void> {
  await Excel.run(async (ctx) => {
    ctx.workbook.application.calculate(Excel.CalculationType.full);
    await ctx.sync();
  });
}

/** Writes result sheets in order; the last one is left active. Returns the sheet names. */
export async function writeResultSheets(specs: readonly SheetSpec[]): Promise<string[]> {
  for (const spec of specs) await Excel.run((ctx) => writeSpec(ctx, spec));
  return specs.map((s) => s.sheetName);
}
