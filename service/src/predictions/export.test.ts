import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { UNKNOWN_STOCK_NOTE } from '../../../shared/bulk-plan-columns';
import type { BulkPredictResponse } from '../../../shared/schemas';
import { neutralise, planToCsv, planToXlsx } from './export';

const plan: BulkPredictResponse = {
  store_id: 'S1',
  prediction_date: '2025-07-01',
  horizon_days: 7,
  granularity: 'day',
  model_version: 'store:S1@1',
  summary: {
    total_products: 1,
    critical: 1,
    low: 0,
    adequate: 0,
    excess: 0,
    unknown: 0,
    total_order_quantity: 12,
    total_order_value: 24,
    total_revenue_at_risk: 5,
    currency: 'USD',
    by_method: { model: 1 },
    by_confidence: { normal: 1 },
  },
  predictions: [
    {
      product_id: 'P1',
      category: '=HYPERLINK("http://evil","click")',
      current_stock: 3,
      predicted_demand: 10.5,
      lower: 6,
      upper: 15,
      status: 'CRITICAL',
      priority: 1,
      order_quantity: 12,
      reorder_point: 9,
      safety_stock: 2,
      days_of_cover: 2,
      expected_revenue: 21,
      revenue_at_risk: 5,
      order_value: 24,
      last_4_weeks: [1, 2, 3, 4],
      demand_breakdown: { daily: 1.5, weekly: 10.5, monthly: 45, quarterly: 136.5 },
      per_period: [{ date: '2025-07-01', period_end: '2025-07-01', expected_demand: 1.5 }],
      basis: {
        method: 'model',
        method_label: 'forecasting model',
        grain: 'daily',
        history_periods: 400,
        observed_periods: 400,
        series_kind: 'fast',
        confidence: 'normal',
        reasons: [],
      },
      note: null,
    },
  ],
};

describe('plan exports', () => {
  it('neutralises text that a spreadsheet would run as a formula', () => {
    for (const evil of ['=1+2', '+1', '-1+1', '@SUM(A1)', '\t=1', '\r=1']) expect(neutralise(evil)).toBe(`'${evil}`);
    expect(neutralise('Groceries')).toBe('Groceries');
  });

  it('writes CSV with quoted, neutralised text and plain numbers, below the header block', () => {
    const csv = planToCsv(
      { ...plan, predictions: [{ ...plan.predictions[0], product_name: '@Orange juice, 1l' }] },
      { lead_time_days: 3 },
    ).split('\r\n');
    // The title, then what the plan was made with, one label and value a line, then the note line (empty here).
    expect(csv[0]).toBe('"Bulk predictions, store S1: planning day 2025-07-01, horizon 7 days, model store:S1@1"');
    expect(csv.slice(1, 5)).toEqual([
      'Store,S1',
      'Planning day,2025-07-01',
      'Horizon,7 days (2025-07-01 to 2025-07-07)',
      'Lead time,3 days',
    ]);
    const header = csv.findIndex((l) => l.startsWith('Product,'));
    expect(csv[header - 1]).toBe('');
    expect(csv[header]).toMatch(/^Product,Product name,Category,Status/);
    // ... money, the demand per day / week / month / quarter, units sold in each of the last 4 weeks, an empty note.
    expect(csv[header + 1]).toBe(
      `P1,"'@Orange juice, 1l","'=HYPERLINK(""http://evil"",""click"")",CRITICAL,1,3,10.5,6,15,12,9,2,2,21,5,24,1.5,10.5,45,136.5,1,2,3,4,forecasting model,normal,`,
    );
  });

  it('says beside a product of unknown stock that its status and order were not assessed', async () => {
    const unknown = {
      ...plan.predictions[0],
      category: 'Groceries',
      current_stock: null,
      status: 'ADEQUATE' as const,
      priority: 3,
      order_quantity: 0,
      order_value: 0,
      days_of_cover: null,
      revenue_at_risk: null,
    };
    const csv = planToCsv({ ...plan, predictions: [unknown] }).split('\r\n');
    const header = csv.findIndex((l) => l.startsWith('Product,'));
    expect(csv[header]).toMatch(/,Note$/);
    expect(csv[header + 1]).toMatch(
      /^P1,,Groceries,ADEQUATE,3,,.*,"stock unknown: no inventory level stored, so no status, order or revenue at risk assessed; .*"$/,
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await planToXlsx({ ...plan, predictions: [unknown] })) as never);
    const sheet = wb.getWorksheet('Bulk Predictions S1')!;
    const row = header + 1; // ExcelJS rows are 1-based
    expect(sheet.getCell(row, sheet.columnCount).value).toBe('Note');
    expect(sheet.getCell(row + 1, sheet.columnCount).value).toBe(UNKNOWN_STOCK_NOTE);
  });

  it('writes XLSX whose cells hold text, never formulas', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await planToXlsx(plan)) as never);
    const sheet = wb.getWorksheet('Bulk Predictions S1')!;
    const row = 13; // below the title, the header block (9 lines) and the note line: the table's header on row 12
    expect(sheet.getCell(`A${row - 1}`).value).toBe('Product');
    expect(sheet.getCell(`C${row}`).value).toBe(`'=HYPERLINK("http://evil","click")`);
    expect(sheet.getCell(`C${row}`).type).not.toBe(ExcelJS.ValueType.Formula);
    expect(sheet.getCell(`J${row}`).value).toBe(12);
    expect(wb.getWorksheet('Summary')!.getCell('B1').value).toBe('S1');
  });
});
