// The store plan as a CSV or XLSX file, with the columns of shared/bulk-plan-columns.ts (the pane's "Bulk Predictions"
// sheet has the same). Text that a spreadsheet could run as a formula is neutralised.
import ExcelJS from 'exceljs';
import { BULK_PLAN_COLUMNS, BULK_PLAN_NUMBER_FORMATS, bulkPlanHeaders } from '../../../shared/bulk-plan-columns';
import type { BulkPredictResponse } from '../../../shared/schemas';

/** Prefixes text starting with = + - @ (or tab / CR) with an apostrophe so spreadsheets show it as text. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const cell = (v: string | number | null) => (typeof v === 'string' ? neutralise(v) : v);

export function planToCsv(plan: BulkPredictResponse): string {
  const quote = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(cell(v));
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [bulkPlanHeaders(plan).map(quote).join(',')];
  for (const p of plan.predictions) lines.push(BULK_PLAN_COLUMNS.map((c) => quote(c.value(p))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export async function planToXlsx(plan: BulkPredictResponse): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`Bulk Predictions ${plan.store_id}`.slice(0, 31).replace(/[[\]:*?/\\]/g, '_'));
  const headers = bulkPlanHeaders(plan);
  sheet.columns = BULK_PLAN_COLUMNS.map((c, i) => ({
    header: headers[i],
    key: c.key,
    width: Math.max(12, headers[i].length + 2),
    style: { numFmt: BULK_PLAN_NUMBER_FORMATS[c.kind] },
  }));
  for (const p of plan.predictions) sheet.addRow(Object.fromEntries(BULK_PLAN_COLUMNS.map((c) => [c.key, cell(c.value(p))])));
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  const summary = workbook.addWorksheet('Summary');
  summary.addRows([
    ['Store', neutralise(plan.store_id)],
    ['Prediction date', plan.prediction_date],
    ['Horizon (days)', plan.horizon_days],
    ['Model', plan.model_version],
    ...Object.entries(plan.summary).map(([k, v]) => [k.replace(/_/g, ' '), v]),
  ]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
