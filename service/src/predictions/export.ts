// The store plan as a CSV or XLSX file: the lines of shared/bulk-plan-sheet.ts (a title, the header block saying what
// the plan was made with, a note, then the table of shared/bulk-plan-columns.ts), which the pane's "Bulk Predictions"
// sheet and download write as well. Text that a spreadsheet could run as a formula is neutralised.
import ExcelJS from 'exceljs';
import { BULK_PLAN_COLUMNS, BULK_PLAN_NUMBER_FORMATS, type BulkPlanCell } from '../../../shared/bulk-plan-columns';
import { bulkPlanSheetLines, type PlanParameters } from '../../../shared/bulk-plan-sheet';
import type { BulkPredictResponse } from '../../../shared/schemas';

export type { PlanParameters };

/** Prefixes text starting with = + - @ (or tab / CR) with an apostrophe so spreadsheets show it as text. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const cell = (v: BulkPlanCell) => (typeof v === 'string' ? neutralise(v) : v);

/** `asked`: the parameters the plan was asked with (the request's), for the header block. */
export function planToCsv(plan: BulkPredictResponse, asked: PlanParameters = {}): string {
  const quote = (v: BulkPlanCell) => {
    if (v === null) return '';
    const s = String(cell(v));
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = bulkPlanSheetLines(plan, asked).rows.map((row) => row.map(quote).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export async function planToXlsx(plan: BulkPredictResponse, asked: PlanParameters = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`Bulk Predictions ${plan.store_id}`.slice(0, 31).replace(/[[\]:*?/\\]/g, '_'));
  const { headerRow, rows } = bulkPlanSheetLines(plan, asked);
  rows.forEach((values, i) => {
    const row = sheet.addRow(values.map((v) => cell(v) ?? undefined));
    // The title, the header block's labels and the table's header in bold; the table's cells in its number formats.
    if (i === 0 || i === headerRow) row.font = { bold: true };
    else if (i < headerRow && values.length === 2) row.getCell(1).font = { bold: true };
    if (i > headerRow && plan.predictions.length > 0) {
      BULK_PLAN_COLUMNS.forEach((c, j) => (row.getCell(j + 1).numFmt = BULK_PLAN_NUMBER_FORMATS[c.kind]));
    }
  });
  const headers = rows[headerRow] ?? [];
  BULK_PLAN_COLUMNS.forEach((_, j) => (sheet.getColumn(j + 1).width = Math.max(12, String(headers[j] ?? '').length + 2)));
  // The table's header row stays in view (Excel counts rows from 1).
  sheet.views = [{ state: 'frozen', ySplit: headerRow + 1 }];
  if (plan.predictions.length > 0) {
    sheet.autoFilter = {
      from: { row: headerRow + 1, column: 1 },
      to: { row: headerRow + 1 + plan.predictions.length, column: BULK_PLAN_COLUMNS.length },
    };
  }
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
