// One column table (shared/bulk-plan-columns.ts), two producers: the service's plan export (CSV and XLSX) and the
// pane's "Bulk Predictions" sheet must each put exactly the table's headers in its header row, in order. Each output
// is produced and read back as a user gets it; the sheet as the Excel adapter writes it is checked in
// addin/src/excel/workbook.test.ts (only the adapter's own tests stand in for Office.js).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { BULK_PLAN_COLUMNS, bulkPlanHeaders, UNKNOWN_COST_NOTE, UNKNOWN_STOCK_NOTE } from '../../shared/bulk-plan-columns';
import type { BulkPredictResponse } from '../../shared/schemas';
import { planToCsv, planToXlsx } from '../../service/src/predictions/export';
import { buildWorkbook } from '../src/files/workbookFile';
import { bulkPredictionsSheet, TABLE_HEADER_ROW, tableHeaderRow } from '../src/results/sheets';
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

describe('both bulk plan spreadsheets have the table header row, in order', () => {
  it("the service's CSV export", () => {
    const [first] = planToCsv(plan).split('\r\n');
    // No header holds a comma or a quote, so splitting the line is reading it.
    expect(first.split(',')).toEqual(headers);
  });

  it("the service's XLSX export", async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await planToXlsx(plan)) as never);
    const values = book.getWorksheet('Bulk Predictions S7')!.getRow(1).values as unknown[];
    expect(values.slice(1)).toEqual(headers); // ExcelJS rows are 1-based
  });

  it("the pane's .xlsx download in a browser, below the header block it has there", () => {
    const sheet = bulkPredictionsSheet(plan);
    const book = XLSX.read(buildWorkbook([sheet]), { type: 'array' });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['Bulk Predictions S7'], { header: 1, blankrows: true });
    expect(rows[TABLE_HEADER_ROW]).toEqual(headers);
    const download = bulkPredictionsSheet(plan, { asked: { lead_time_days: 5 } });
    const withHeader = XLSX.read(buildWorkbook([download]), { type: 'array' });
    const lines = XLSX.utils.sheet_to_json<unknown[]>(withHeader.Sheets['Bulk Predictions S7'], { header: 1, blankrows: true });
    expect(lines[tableHeaderRow(download)]).toEqual(headers);
    expect(lines[1]).toEqual(['Store', 'S7']);
  });
});
