// One sheet (shared/bulk-plan-sheet.ts: title, header block, note; shared/bulk-plan-columns.ts: the table), two
// producers: the service's plan export (CSV and XLSX) and the pane's "Bulk Predictions" download must each hold
// exactly those lines, in order, for the same plan and parameters; a change to one side alone fails here. Each output
// is produced and read back as a user gets it; the sheet as the Excel adapter writes it is checked in
// addin/src/excel/workbook.test.ts (only the adapter's own tests stand in for Office.js).
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { BULK_PLAN_COLUMNS, bulkPlanHeaders, UNKNOWN_COST_NOTE, UNKNOWN_STOCK_NOTE } from '../../shared/bulk-plan-columns';
import type { BulkPredictResponse } from '../../shared/schemas';
import { bulkPlanSheetLines } from '../../shared/bulk-plan-sheet';
import { planToCsv, planToXlsx } from '../../service/src/predictions/export';
import { buildWorkbook } from '../src/files/workbookFile';
import { bulkPredictionsSheet } from '../src/results/sheets';
import { basis } from '../src/testing/fixtures';

const NO_FORECAST = '"P3" has sales records for 2 days: at least 4 days are needed for any forecast. Upload more of its sales history.';

const plan: BulkPredictResponse = {
  store_id: 'S7',
  prediction_date: '2025-07-01',
  horizon_days: 14,
  granularity: 'day',
  model_version: 'store:S7@3',
  summary: {
    total_products: 3,
    by_method: { model: 2, 'baseline:observed_mean': 1 },
    by_confidence: { normal: 2, none: 1 },
    critical: 1,
    low: 0,
    adequate: 0,
    excess: 0,
    unknown: 1,
    total_order_quantity: 30,
    total_order_value: 75,
    total_revenue_at_risk: 12,
    currency: 'EUR',
  },
  predictions: [
    {
      product_id: 'P1',
      product_name: 'Orange juice 1l',
      category: 'Toys',
      current_stock: 4,
      predicted_demand: 28,
      lower: 20,
      upper: 37,
      status: 'CRITICAL',
      priority: 1,
      order_quantity: 30,
      reorder_point: 22,
      safety_stock: 6,
      days_of_cover: 2,
      expected_revenue: 70,
      revenue_at_risk: 12,
      order_value: 75,
      last_4_weeks: [11, 12, 14, 13],
      per_period: [],
      basis: basis(),
      note: null,
      demand_breakdown: { daily: 2, weekly: 14, monthly: 60, quarterly: 182 },
    },
    {
      product_id: 'P2',
      product_name: null,
      category: null,
      current_stock: null,
      predicted_demand: 5,
      lower: 2,
      upper: 9,
      status: 'UNKNOWN',
      priority: 5,
      order_quantity: 0,
      reorder_point: 4,
      safety_stock: 1,
      days_of_cover: null,
      expected_revenue: 12.5,
      revenue_at_risk: null,
      order_value: 0,
      last_4_weeks: [2, 3],
      per_period: [],
      basis: basis(),
      note: null,
      demand_breakdown: { daily: 0.4, weekly: 2.5, monthly: 11, quarterly: 33 },
    },
    {
      product_id: 'P3',
      product_name: 'Oat milk 1l',
      category: 'Toys',
      current_stock: 6,
      predicted_demand: null,
      lower: null,
      upper: null,
      status: 'UNKNOWN',
      priority: 5,
      order_quantity: 0,
      reorder_point: 0,
      safety_stock: 0,
      days_of_cover: null,
      expected_revenue: null,
      revenue_at_risk: null,
      order_value: null,
      last_4_weeks: [1],
      per_period: [],
      basis: basis({
        method: 'baseline:observed_mean',
        method_label: 'average of the recorded days',
        history_periods: 2,
        observed_periods: 2,
        series_kind: 'new',
        confidence: 'none',
        reasons: [NO_FORECAST],
      }),
      note: NO_FORECAST,
      demand_breakdown: { daily: 0, weekly: 0, monthly: 0, quarterly: 0 },
    },
  ],
};

const headers = bulkPlanHeaders(plan);

describe('the bulk plan column table', () => {
  it('names every column once and says the horizon and currency in the headers that depend on them', () => {
    expect(new Set(BULK_PLAN_COLUMNS.map((c) => c.key)).size).toBe(BULK_PLAN_COLUMNS.length);
    expect(new Set(headers).size).toBe(headers.length);
    // Periods named: the horizon's days, the average per day, the next 7, 30 and 91 days.
    for (const named of [
      'Demand (next 14 days)',
      'Demand low (next 14 days)',
      'Demand high (next 14 days)',
      'Per day (average)',
      'Next 7 days',
    ])
      expect(headers).toContain(named);
    expect(headers).toContain('Order value (EUR)');
  });

  it('gives orders and stock levels in whole units, a part unit rounded up', () => {
    const p = { ...plan.predictions[0], reorder_point: 21.2, safety_stock: 5.01, order_quantity: 30 };
    const cell = (header: string) => BULK_PLAN_COLUMNS[headers.indexOf(header)].value(p);
    expect([cell('Order quantity'), cell('Reorder point'), cell('Safety stock')]).toEqual([30, 22, 6]);
    expect(BULK_PLAN_COLUMNS.filter((c) => ['order_quantity', 'reorder_point', 'safety_stock'].includes(c.key)).map((c) => c.kind)).toEqual(
      ['int', 'int', 'int'],
    );
  });

  it('leaves the value of an order without a unit cost empty and says why, never 0', () => {
    const p = { ...plan.predictions[0], order_value: null };
    const cell = (header: string) => BULK_PLAN_COLUMNS[headers.indexOf(header)].value(p);
    expect(cell('Order value (EUR)')).toBeNull();
    expect(cell('Note')).toBe(UNKNOWN_COST_NOTE);
    expect(UNKNOWN_STOCK_NOTE).not.toMatch(/\//); // no HTTP paths in a buyer's sheet
  });

  it('gives the weeks of a short history at the end, the older ones empty, and a note for unknown stock', () => {
    const row = (id: string) => BULK_PLAN_COLUMNS.map((c) => c.value(plan.predictions.find((p) => p.product_id === id)!));
    const sold = headers.indexOf('Sold 4 weeks ago');
    expect(row('P1').slice(sold, sold + 4)).toEqual([11, 12, 14, 13]);
    expect(row('P2').slice(sold, sold + 4)).toEqual([null, null, 2, 3]);
    expect(row('P1').at(-1)).toBeNull();
    expect(row('P2').at(-1)).toBe(UNKNOWN_STOCK_NOTE);
  });

  it('leaves the demand of a product without a basis empty and says what is missing', () => {
    const row = (id: string) => BULK_PLAN_COLUMNS.map((c) => c.value(plan.predictions.find((p) => p.product_id === id)!));
    const cell = (id: string, header: string) => row(id)[headers.indexOf(header)];
    for (const header of [
      'Demand (next 14 days)',
      'Demand low (next 14 days)',
      'Demand high (next 14 days)',
      'Per day (average)',
      'Next 7 days',
    ])
      expect(cell('P3', header), header).toBeNull();
    expect(cell('P3', 'Confidence')).toBe('none');
    expect(cell('P3', 'Forecast method')).toBe('average of the recorded days');
    expect(cell('P3', 'Note')).toBe(NO_FORECAST);
    expect(cell('P1', 'Confidence')).toBe('normal');
  });
});

/** A sheet's rows as text, as a buyer reads them: empty cells as '', no trailing empty cells. */
const asText = (rows: readonly (readonly unknown[])[]) =>
  rows.map((row) => {
    const cells = Array.from(row, (v) => (v === null || v === undefined ? '' : String(v)));
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    return cells;
  });

const xlsxRows = (bytes: Uint8Array | Buffer, sheet: string) => {
  const book = XLSX.read(bytes, { type: bytes instanceof Buffer ? 'buffer' : 'array' });
  return asText(XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[sheet], { header: 1, blankrows: true, defval: null }));
};

describe("the service's export and the pane's download are the same sheet", () => {
  const asked = { lead_time_days: 5, review_days: 3.5, service_level: 97.5 };
  const expected = asText(bulkPlanSheetLines(plan, asked).rows);
  const pane = () => xlsxRows(buildWorkbook([bulkPredictionsSheet(plan, { asked })]), 'Bulk Predictions S7');

  it('has the title, the header block, the note, then the table with every product, product names included', () => {
    const { headerRow, rows } = bulkPlanSheetLines(plan, asked);
    expect(rows[0]).toEqual(['Bulk predictions, store S7: planning day 2025-07-01, horizon 14 days, model store:S7@3']);
    expect(rows.slice(1, headerRow - 1)).toEqual([
      ['Store', 'S7'],
      ['Planning day', '2025-07-01'],
      ['Horizon', '14 days (2025-07-01 to 2025-07-14)'],
      ['Lead time', '5 days'],
      ['Review period', '3.5 days'],
      ['Service level', '97.5%'],
      ['Model', 'store:S7@3'],
      [
        'Basis',
        'forecasting model trained on this store: 2 products; average of the recorded days: 1 product · confidence: 2 normal, 1 no forecast',
      ],
      ['Currency', 'EUR'],
    ]);
    expect(rows[headerRow - 1]).toEqual(['1 product has too little history for an order']);
    expect(rows[headerRow]).toEqual(headers);
    expect(headers.slice(0, 3)).toEqual(['Product', 'Product name', 'Category']);
    expect(rows.slice(headerRow + 1).map((r) => r.slice(0, 2))).toEqual([
      ['P1', 'Orange juice 1l'],
      ['P2', null],
      ['P3', 'Oat milk 1l'],
    ]);
  });

  it("the pane's .xlsx download (in Excel, Write to sheets writes the same spec: addin/src/excel/workbook.test.ts)", () => {
    expect(pane()).toEqual(expected);
  });

  it("the service's XLSX export", async () => {
    expect(xlsxRows(await planToXlsx(plan, asked), 'Bulk Predictions S7')).toEqual(expected);
    expect(xlsxRows(await planToXlsx(plan, asked), 'Bulk Predictions S7')).toEqual(pane());
  });

  it("the service's CSV export", () => {
    const csv = parse(planToCsv(plan, asked), { relax_column_count: true, skip_empty_lines: false }) as string[][];
    expect(asText(csv)).toEqual(expected);
    expect(asText(csv)).toEqual(pane());
  });

  it('tells the parameters that were not asked, alike in both', async () => {
    const none = asText(bulkPlanSheetLines(plan, {}).rows);
    expect(none[4]).toEqual(['Lead time', "each product's own from the data, else the service's default"]);
    expect(xlsxRows(buildWorkbook([bulkPredictionsSheet(plan, { asked: {} })]), 'Bulk Predictions S7')).toEqual(none);
    expect(xlsxRows(await planToXlsx(plan), 'Bulk Predictions S7')).toEqual(none);
  });

  it('says the same in place of the table of a store without products', async () => {
    const empty = { ...plan, predictions: [] };
    const lines = asText(bulkPlanSheetLines(empty, asked).rows);
    expect(lines.at(-1)).toEqual(['The store has no products to predict.']);
    expect(xlsxRows(buildWorkbook([bulkPredictionsSheet(empty, { asked })]), 'Bulk Predictions S7')).toEqual(lines);
    expect(xlsxRows(await planToXlsx(empty, asked), 'Bulk Predictions S7')).toEqual(lines);
  });

  it('keeps the table header of the XLSX in view and in bold, its cells in the number formats of their columns', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await planToXlsx(plan, asked)) as never);
    const sheet = book.getWorksheet('Bulk Predictions S7')!;
    const headerRow = bulkPlanSheetLines(plan, asked).headerRow + 1; // ExcelJS rows are 1-based
    expect((sheet.getRow(headerRow).values as unknown[]).slice(1)).toEqual(headers);
    expect(sheet.getRow(headerRow).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: headerRow });
    const column = (key: string) => BULK_PLAN_COLUMNS.findIndex((c) => c.key === key) + 1;
    expect(sheet.getRow(headerRow + 1).getCell(column('order_value')).numFmt).toBe('#,##0.00');
    expect(sheet.getRow(headerRow + 1).getCell(column('product_id')).numFmt).toBe('@');
  });
});
