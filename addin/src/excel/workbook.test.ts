// The Excel adapter against office-addin-mock objects over an in-memory workbook (./testing.ts).
// Long file: reading, writing and connecting are one adapter, and its tests share the workbook and plan fixtures.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bulkPlanHeaders } from '../../../shared/bulk-plan-columns';
import { bulkPlanSheetLines } from '../../../shared/bulk-plan-sheet';
import type { BulkPredictResponse, ForecastResponse, HistoryPoint } from '../../../shared/schemas';
import { isoToExcelSerial } from '../mapping/csv';
import { bulkPredictionsSheet, forecastSheet, reorderPlanSheet, TABLE_HEADER_ROW } from '../results/sheets';
import { basis, weeklyForecastAnswer, weeklyHistory } from '../testing/fixtures';
import { FakeWorkbook, fakeExcel } from './testing';
import {
  chartName,
  connectOffice,
  listDataSources,
  looksLikeOffice,
  officeLocale,
  previewSource,
  readSource,
  recalculateWorkbook,
  writeResultSheets,
} from './workbook';

afterEach(() => {
  vi.unstubAllGlobals();
});

function salesBook(rows = 10): FakeWorkbook {
  const book = new FakeWorkbook();
  const data: (string | number)[][] = [['Date', 'Store', 'SKU', 'Qty', 'Price']];
  for (let i = 0; i < rows; i++) data.push([isoToExcelSerial('2025-01-01') + i, 'S1', `P${i % 3}`, i, 2.5]);
  // The table starts at B2 on its sheet, with a note above it.
  const sheet = book.addSheet('Sales', [['Weekly export'], ['', ...data[0]], ...data.slice(1).map((r) => ['', ...r])]);
  expect(sheet.cells[1][1]).toBe('Date');
  book.addTable('SalesTable', 'Sales', 1, 1, rows + 1, 5);
  book.addSheet('Notes', [['just text']]);
  return book;
}

const plan: BulkPredictResponse = {
  store_id: 'S1',
  prediction_date: '2025-07-01',
  horizon_days: 7,
  granularity: 'day',
  model_version: 'store:S1@2',
  summary: {
    total_products: 2,
    by_method: { model: 2 },
    by_confidence: { normal: 2 },
    critical: 1,
    low: 0,
    adequate: 1,
    excess: 0,
    unknown: 0,
    total_order_quantity: 40,
    total_order_value: 100,
    total_revenue_at_risk: 55,
    currency: 'USD',
  },
  predictions: [
    {
      product_id: '00123',
      product_name: 'Orange juice 1l',
      category: 'Toys',
      current_stock: 3,
      predicted_demand: 30.5,
      lower: 20,
      upper: 41,
      status: 'CRITICAL',
      priority: 1,
      order_quantity: 40,
      reorder_point: 25,
      safety_stock: 8,
      days_of_cover: 0.7,
      expected_revenue: 120,
      revenue_at_risk: 55,
      order_value: 100,
      last_4_weeks: [20, 25, 31, 28],
      per_period: [],
      basis: basis(),
      note: null,
      demand_breakdown: { daily: 4.4, weekly: 30.5, monthly: 131, quarterly: 400 },
    },
    {
      product_id: 'P2',
      category: null,
      current_stock: 90,
      predicted_demand: 10,
      lower: 5,
      upper: 15,
      status: 'ADEQUATE',
      priority: 3,
      order_quantity: 0,
      reorder_point: 12,
      safety_stock: 4,
      days_of_cover: 60,
      expected_revenue: 30,
      revenue_at_risk: 0,
      order_value: 0,
      last_4_weeks: [9, 10],
      per_period: [],
      basis: basis(),
      note: null,
      demand_breakdown: { daily: 1.4, weekly: 10, monthly: 43, quarterly: 130 },
    },
  ],
};

const forecast: ForecastResponse = {
  store_id: 'S1',
  product_id: 'P1',
  model_version: 'store:S1@2',
  last_history_date: '2025-06-30',
  granularity: 'day',
  basis: basis(),
  forecast: ['2025-07-01', '2025-07-02', '2025-07-03'].map((date, i) => ({
    date,
    expected_demand: 5 + i,
    intervals: [
      { level: 0.8, lower: 3 + i, upper: 7 + i },
      { level: 0.95, lower: 2 + i, upper: 9 + i },
    ],
  })),
};
const history: HistoryPoint[] = ['2025-06-28', '2025-06-29', '2025-06-30'].map((date, i) => ({
  date,
  period_end: date,
  closed: false,
  units_sold: 4 + i,
  inventory_level: null,
  units_ordered: null,
  price: null,
  discount: null,
  promotion: null,
  category: null,
  region: null,
  extra: null,
}));

describe('reading the workbook', () => {
  it('lists tables, sheets and the selection, leaving out result sheets', async () => {
    const book = salesBook(4);
    book.addSheet('Forecast S1 P1', [['old'], ['x']]);
    book.selection = { sheet: 'Sales', address: 'B2:F4' };
    vi.stubGlobal('Excel', fakeExcel(book));
    const sources = await listDataSources();
    expect(sources.map((s) => [s.kind, s.name, s.sheet, s.rows])).toEqual([
      ['table', 'SalesTable', 'Sales', 5],
      ['sheet', 'Sales', 'Sales', 6],
      ['range', 'B2:F4', 'Sales', 3],
    ]);
  });

  it('previews a table: headers, first rows and row count', async () => {
    vi.stubGlobal('Excel', fakeExcel(salesBook(10)));
    const preview = await previewSource({ kind: 'table', name: 'SalesTable', sheet: '' }, 3);
    expect(preview.headers).toEqual(['Date', 'Store', 'SKU', 'Qty', 'Price']);
    expect(preview.rows).toHaveLength(3);
    expect(preview.rows[0]).toEqual([isoToExcelSerial('2025-01-01'), 'S1', 'P0', 0, 2.5]);
    expect(preview.totalRows).toBe(10);
  });

  it('reads a table in chunks of rows, in order', async () => {
    const book = salesBook(25);
    vi.stubGlobal('Excel', fakeExcel(book));
    const got: unknown[][] = [];
    const progress: number[] = [];
    const result = await readSource(
      { kind: 'table', name: 'SalesTable', sheet: '' },
      { chunkCells: 50, onRows: (rows) => got.push(...rows), onProgress: (done) => progress.push(done) },
    );
    expect(result).toEqual({ headers: ['Date', 'Store', 'SKU', 'Qty', 'Price'], rows: 25 });
    expect(got.map((r) => r[3])).toEqual(Array.from({ length: 25 }, (_, i) => i));
    // 50 cells / 5 columns = 10 rows per call: header + 3 chunks (10, 10, 5).
    const chunks = book.readCalls.filter((c) => c.cols === 5 && c.rows !== 1);
    expect(chunks.map((c) => c.rows)).toEqual([10, 10, 5]);
    expect(progress).toEqual([0, 10, 20, 25]);
  });

  it('reads the used range of a sheet and skips blank rows', async () => {
    const book = new FakeWorkbook();
    book.addSheet('Raw', [
      ['day', 'item', 'units'],
      ['2025-01-01', 'A', 1],
      ['', '', ''],
      ['2025-01-02', 'A', 2],
    ]);
    vi.stubGlobal('Excel', fakeExcel(book));
    const rows: unknown[][] = [];
    const result = await readSource({ kind: 'sheet', name: 'Raw', sheet: 'Raw' }, { onRows: (r) => rows.push(...r) });
    expect(result.headers).toEqual(['day', 'item', 'units']);
    expect(rows).toEqual([
      ['2025-01-01', 'A', 1],
      ['2025-01-02', 'A', 2],
    ]);
  });
});

describe('writing result sheets', () => {
  it('writes a results sheet as a table with number formats and status colours', async () => {
    const book = salesBook(2);
    vi.stubGlobal('Excel', fakeExcel(book));
    const spec = bulkPredictionsSheet(plan);
    expect(await writeResultSheets([spec])).toEqual(['Bulk Predictions S1']);

    const sheet = book.sheet('Bulk Predictions S1')!;
    expect(sheet.cells[0][0]).toMatch(/^Bulk predictions, store S1/);
    const header = sheet.cells[TABLE_HEADER_ROW];
    expect(header.slice(0, 5)).toEqual(['Product', 'Product name', 'Category', 'Status', 'Priority']);
    expect(sheet.cells[TABLE_HEADER_ROW + 1].slice(0, 4)).toEqual(['00123', 'Orange juice 1l', 'Toys', 'CRITICAL']);
    expect(sheet.cells[TABLE_HEADER_ROW + 2].slice(1, 3)).toEqual(['', '']); // no name, null category
    // last 4 weeks padded at the front when the product is younger than 4 weeks (then the empty note)
    const soldFrom = header.indexOf('Sold 4 weeks ago');
    expect(sheet.cells[TABLE_HEADER_ROW + 2].slice(soldFrom, soldFrom + 4)).toEqual(['', '', 9, 10]);
    // The same header row as the service's export of the plan (addin/test/bulk-plan-columns.test.ts checks that one).
    expect(header).toEqual(bulkPlanHeaders(plan));
    const format = (name: string) => sheet.formats[TABLE_HEADER_ROW + 1][header.indexOf(name)];
    expect([format('Product'), format('Product name'), format('Current stock'), format('Expected revenue (USD)')]).toEqual([
      '@',
      '@',
      '#,##0',
      '#,##0.00',
    ]);

    const table = book.tables.find((t) => t.name === spec.tableName)!;
    expect(table).toMatchObject({
      sheet: 'Bulk Predictions S1',
      row: TABLE_HEADER_ROW,
      col: 0,
      rows: 3,
      cols: spec.columns.length,
      style: 'TableStyleMedium2',
    });
    const formats = book.conditionalFormats.filter((f) => f.sheet === 'Bulk Predictions S1');
    const status = header.indexOf('Status');
    const statusFormats = formats.filter((f) => f.col === status);
    expect(statusFormats.map((f) => f.text).sort()).toEqual(['ADEQUATE', 'CRITICAL', 'EXCESS', 'LOW', 'UNKNOWN']);
    expect(statusFormats.every((f) => f.rows === 2 && f.type === 'ContainsText')).toBe(true);
    expect(statusFormats.find((f) => f.text === 'CRITICAL')!.fill).toBe('#F8D7DA');
    // Rough estimates and missing forecasts are coloured in the Confidence column; nothing else is.
    const confidence = header.indexOf('Confidence');
    expect(formats.filter((f) => f.col !== status).map((f) => [f.col, f.text, f.fill])).toEqual([
      [confidence, 'low', '#FFE8C2'],
      [confidence, 'none', '#E9ECEF'],
    ]);
    expect(sheet.cells[1]?.[0] ?? '').toBe(''); // every forecast normal: no note above the table
  });

  it('writes a product without a forecast with empty demand cells and its note, never 0, and flags rough estimates', async () => {
    const book = new FakeWorkbook();
    vi.stubGlobal('Excel', fakeExcel(book));
    const noBasis = '"P9" has sales records for 2 days: at least 4 days are needed for any forecast. Upload more of its sales history.';
    const mixed: BulkPredictResponse = {
      ...plan,
      summary: { ...plan.summary, by_confidence: { low: 1, none: 1 } },
      predictions: [
        { ...plan.predictions[0], basis: basis({ confidence: 'low', reasons: ['a rough estimate'] }) },
        {
          ...plan.predictions[1],
          product_id: 'P9',
          predicted_demand: null,
          lower: null,
          upper: null,
          status: 'UNKNOWN',
          order_quantity: 0,
          basis: basis({ confidence: 'none', reasons: [noBasis], method_label: 'no forecast' }),
          note: noBasis,
        },
      ],
    };
    await writeResultSheets([bulkPredictionsSheet(mixed)]);
    const sheet = book.sheet('Bulk Predictions S1')!;
    const header = sheet.cells[TABLE_HEADER_ROW];
    const cell = (row: number, name: string) => sheet.cells[TABLE_HEADER_ROW + 1 + row][header.indexOf(name)];
    for (const name of ['Demand (next 7 days)', 'Demand low (next 7 days)', 'Demand high (next 7 days)', 'Next 7 days'])
      expect(cell(1, name), name).toBe('');
    expect(cell(1, 'Note')).toBe(noBasis);
    expect(cell(1, 'Confidence')).toBe('none');
    expect(cell(0, 'Confidence')).toBe('low');
    expect(cell(0, 'Demand (next 7 days)')).toBe(30.5);
    expect(sheet.cells[1][0]).toBe('1 product has too little history for an order · 1 product is a rough estimate (low confidence)');
  });

  it('adds a bar chart of order quantities to the reorder sheet', async () => {
    const book = new FakeWorkbook();
    vi.stubGlobal('Excel', fakeExcel(book));
    const spec = reorderPlanSheet(plan);
    await writeResultSheets([spec]);
    const sheet = book.sheet('Reorder Plan S1')!;
    // The order right after the product (the chart's categories and series), then its name.
    expect(sheet.cells[TABLE_HEADER_ROW + 1].slice(0, 4)).toEqual(['00123', 40, 'Orange juice 1l', 'CRITICAL']);
    expect(sheet.cells[TABLE_HEADER_ROW + 2]?.[0] ?? '').toBe(''); // only products to order
    expect(book.charts).toHaveLength(1);
    expect(book.charts[0]).toMatchObject({
      name: chartName(spec),
      sheet: 'Reorder Plan S1',
      type: 'BarClustered',
      seriesBy: 'Columns',
      title: 'Order quantities, store S1',
      source: { row: TABLE_HEADER_ROW, col: 0, rows: 2, cols: 2 },
    });
    // Beside the table: its 13 columns, how far to trust each order and the note.
    expect(spec.columns.slice(-2).map((c) => c.header)).toEqual(['Confidence', 'Note']);
    expect(book.charts[0].position?.[0]).toBe('O3');
  });

  it('writes the header block of a download above the table, and flags rough orders on the reorder sheet', async () => {
    const book = new FakeWorkbook();
    vi.stubGlobal('Excel', fakeExcel(book));
    const rough: BulkPredictResponse = {
      ...plan,
      summary: { ...plan.summary, by_confidence: { normal: 1, low: 1 } },
      predictions: [{ ...plan.predictions[0], basis: basis({ confidence: 'low', reasons: ['a rough estimate'] }) }, plan.predictions[1]],
    };
    const run = { asked: { lead_time_days: 5, service_level: 97.5 }, currency: 'EUR' };
    await writeResultSheets([bulkPredictionsSheet(rough, run), reorderPlanSheet(rough, run)]);
    for (const name of ['Bulk Predictions S1', 'Reorder Plan S1']) {
      const sheet = book.sheet(name)!;
      const block = Object.fromEntries(sheet.cells.slice(1, 10).map((r) => [r[0], r[1]]));
      expect(block).toMatchObject({
        Store: 'S1',
        'Planning day': plan.prediction_date,
        'Lead time': '5 days',
        'Review period': "each product's own from the data, else the service's default",
        'Service level': '97.5%',
        Model: plan.model_version,
        Currency: 'EUR',
      });
      expect(block.Horizon).toMatch(/^7 days \(/);
      expect(block.Basis).toBe('forecasting model trained on this store: 2 products · confidence: 1 normal, 1 low (rough estimate)');
      expect(sheet.cells[10 + 1][0]).toBe('Product'); // title, 9 lines, the note line, then the table
    }
    // Write to sheets writes the lines of the service's export of the same plan, cell for cell (addin/test/bulk-plan-columns.test.ts
    // compares the export with the pane's download).
    const written = book.sheet('Bulk Predictions S1')!.cells.map((row) => row.map((c) => (c === '' ? null : c)));
    expect(written).toEqual(bulkPlanSheetLines(rough, run.asked, run.currency).rows.map((row) => row.map((c) => c ?? null)));
    const reorder = book.sheet('Reorder Plan S1')!;
    expect(reorder.cells[10][0]).toMatch(/^1 of these orders is a rough estimate/);
    const confidence = reorder.cells[11].indexOf('Confidence');
    expect(book.conditionalFormats.filter((f) => f.sheet === 'Reorder Plan S1' && f.col === confidence).map((f) => f.text)).toEqual([
      'low',
      'none',
    ]);
  });

  it('writes a forecast with dates as date serials, history alongside and a line chart with a dashed band', async () => {
    const book = new FakeWorkbook();
    vi.stubGlobal('Excel', fakeExcel(book));
    const spec = forecastSheet(forecast, history);
    await writeResultSheets([spec]);
    const sheet = book.sheet('Forecast S1 P1')!;
    expect(sheet.cells[TABLE_HEADER_ROW]).toEqual([
      'Date',
      'Units sold',
      'Expected demand',
      'Lower 80%',
      'Upper 80%',
      'Lower 95%',
      'Upper 95%',
    ]);
    expect(sheet.cells[TABLE_HEADER_ROW + 1]).toEqual([isoToExcelSerial('2025-06-28'), 4, '', '', '', '', '']);
    expect(sheet.cells[TABLE_HEADER_ROW + 4]).toEqual([isoToExcelSerial('2025-07-01'), '', 5, 3, 7, 2, 9]);
    expect(sheet.formats[TABLE_HEADER_ROW + 1][0]).toBe('yyyy-mm-dd');
    const [chart] = book.charts;
    expect(chart).toMatchObject({ type: 'Line', source: { row: TABLE_HEADER_ROW, col: 0, rows: 7, cols: 7 } });
    expect(chart.dashedSeries.sort()).toEqual([2, 3, 4, 5]);
  });

  it('writes a weekly forecast with named weeks, their first and last days as dates, and the basis line above the table', async () => {
    const book = new FakeWorkbook();
    vi.stubGlobal('Excel', fakeExcel(book));
    const weekly = weeklyForecastAnswer(2);
    await writeResultSheets([forecastSheet(weekly, weeklyHistory(2))]);
    const sheet = book.sheet('Forecast W01 P0001')!;
    expect(sheet.cells[1][0]).toMatch(/^Forecast by: same week last year \(simple method\) · 5 weeks of history · Confidence: low — /);
    expect(sheet.cells[TABLE_HEADER_ROW]).toEqual(['Period', 'Units sold', 'Expected demand', 'Lower 80%', 'Upper 80%', 'From', 'To']);
    expect(sheet.cells[TABLE_HEADER_ROW + 3]).toEqual([
      'Week of 7 Jul 2025',
      '',
      40,
      30,
      52,
      isoToExcelSerial('2025-07-07'),
      isoToExcelSerial('2025-07-13'),
    ]);
    expect(sheet.formats[TABLE_HEADER_ROW + 1].slice(0, 3)).toEqual(['@', '#,##0', '#,##0']);
    expect(book.charts[0]).toMatchObject({ type: 'Line', source: { row: TABLE_HEADER_ROW, col: 0, rows: 5, cols: 5 } });
    expect(book.charts[0].dashedSeries.sort()).toEqual([2, 3]);
  });

  it('updates the same sheets in place on a second run, never duplicating sheets, tables or charts', async () => {
    const book = salesBook(2);
    vi.stubGlobal('Excel', fakeExcel(book));
    await writeResultSheets([bulkPredictionsSheet(plan), reorderPlanSheet(plan), forecastSheet(forecast, history)]);
    expect(book.sheetsAdded).toBe(3);
    const before = {
      sheets: book.sheets.length,
      tables: book.tables.length,
      charts: book.charts.length,
      cf: book.conditionalFormats.length,
    };

    // Second run: one product fewer, a longer forecast.
    const smaller = { ...plan, predictions: plan.predictions.slice(0, 1) };
    const longer = {
      ...forecast,
      forecast: [...forecast.forecast, { date: '2025-07-04', expected_demand: 9, intervals: forecast.forecast[0].intervals }],
    };
    await writeResultSheets([bulkPredictionsSheet(smaller), reorderPlanSheet(smaller), forecastSheet(longer, history)]);
    expect(book.sheetsAdded).toBe(3);
    expect({
      sheets: book.sheets.length,
      tables: book.tables.length,
      charts: book.charts.length,
      cf: book.conditionalFormats.length,
    }).toEqual(before);

    const bulk = book.sheet('Bulk Predictions S1')!;
    expect(bulk.cells[TABLE_HEADER_ROW + 1][0]).toBe('00123');
    expect(bulk.cells[TABLE_HEADER_ROW + 2]?.[0] ?? '').toBe(''); // the old second row is gone
    const bulkTable = book.tables.find((t) => t.sheet === 'Bulk Predictions S1')!;
    expect(bulkTable.rows).toBe(2);
    const forecastChart = book.charts.find((c) => c.sheet === 'Forecast S1 P1')!;
    expect(forecastChart.source.rows).toBe(8);
    // The user's own sheets are untouched.
    expect(book.sheet('Sales')!.cells[1][1]).toBe('Date');
  });

  it('writes a note instead of a table when there is nothing to order, and removes the old table', async () => {
    const book = new FakeWorkbook();
    vi.stubGlobal('Excel', fakeExcel(book));
    await writeResultSheets([reorderPlanSheet(plan)]);
    expect(book.tables).toHaveLength(1);
    const nothing = { ...plan, predictions: plan.predictions.slice(1) };
    await writeResultSheets([reorderPlanSheet(nothing)]);
    expect(book.tables).toHaveLength(0);
    expect(book.charts).toHaveLength(0);
    expect(book.sheet('Reorder Plan S1')!.cells[TABLE_HEADER_ROW][0]).toBe('No product needs an order.');
  });
});

describe('the Office host', () => {
  const fakeWindow = (search = '', extra: Record<string, unknown> = {}) => {
    const win: Record<string, unknown> = {
      location: { search },
      sessionStorage: { getItem: () => null },
      document: { head: { appendChild: vi.fn() }, createElement: () => ({}) },
      ...extra,
    };
    win.top = win;
    win.self = win;
    return win as unknown as Window;
  };

  it('runs as a web app outside Office without fetching office.js', async () => {
    const win = fakeWindow();
    expect(looksLikeOffice(win)).toBe(false);
    expect(await connectOffice({ win })).toMatchObject({ kind: 'browser' });
    expect((win.document.head.appendChild as ReturnType<typeof vi.fn>).mock.calls).toHaveLength(0);
  });

  it('recognises Office by the _host_Info parameter, a frame or the WebView2 bridge', () => {
    expect(looksLikeOffice(fakeWindow('?_host_Info=Excel$Win32$16.01$en-US'))).toBe(true);
    expect(looksLikeOffice(fakeWindow('', { chrome: { webview: {} } }))).toBe(true);
    expect(looksLikeOffice(fakeWindow('?office=0', { chrome: { webview: {} } }))).toBe(false);
    const framed = fakeWindow();
    (framed as unknown as Record<string, unknown>).top = {};
    expect(looksLikeOffice(framed)).toBe(true);
  });

  it('reports Excel when Office.onReady says so, and a web app for another or no host', async () => {
    const office = (host: string | null) => ({ onReady: async () => ({ host, platform: 'PC' }), HostType: { Excel: 'Excel' } });
    expect(await connectOffice({ win: fakeWindow('', { Office: office('Excel') }) })).toEqual({ kind: 'excel', detail: 'Excel (PC)' });
    expect((await connectOffice({ win: fakeWindow('', { Office: office('Word') }) })).kind).toBe('browser');
    expect((await connectOffice({ win: fakeWindow('', { Office: office(null) }) })).kind).toBe('browser');
  });

  it("tells the workbook's language for dates: the content language, else the display language", async () => {
    const office = (context: Record<string, string> | undefined) => ({
      onReady: async () => ({ host: 'Excel', platform: 'PC' }),
      HostType: { Excel: 'Excel' },
      context,
    });
    const connect = (context?: Record<string, string>) => connectOffice({ win: fakeWindow('', { Office: office(context) }) });
    expect(await connect({ contentLanguage: 'de-DE', displayLanguage: 'en-US' })).toEqual({
      kind: 'excel',
      detail: 'Excel (PC)',
      locale: 'de-DE',
    });
    expect((await connect({ contentLanguage: '', displayLanguage: 'fr-FR' })).locale).toBe('fr-FR');
    expect(await connect({})).toEqual({ kind: 'excel', detail: 'Excel (PC)' });
    expect(officeLocale(undefined)).toBeUndefined();
  });

  it('gives up on a hanging office.js after the timeout', async () => {
    const win = fakeWindow('?office=1');
    const started = Date.now();
    const info = await connectOffice({ win, timeoutMs: 50 });
    expect(info.kind).toBe('browser');
    expect(info.detail).toMatch(/did not load/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('recalculating', () => {
  afterEach(() => vi.unstubAllGlobals());
  it('asks Excel for a full recalculation, so DEMAND.* cells ask the service again', async () => {
    const book = new FakeWorkbook();
    book.addSheet('Plan', [['=DEMAND.FORECAST("S1","P1",7)']]);
    vi.stubGlobal('Excel', fakeExcel(book));
    await recalculateWorkbook();
    expect(book.calculations).toEqual(['Full']);
  });
});
