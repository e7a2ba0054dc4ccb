// The store plan as a CSV or XLSX file. Text that a spreadsheet could run as a formula is neutralised.
import ExcelJS from 'exceljs';
import type { BulkPredictResponse } from '../../../shared/schemas';

/** Prefixes text starting with = + - @ (or tab / CR) with an apostrophe so spreadsheets show it as text. */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Written beside a product whose stock is unknown: its status, order and revenue at risk are not assessed. */
export const UNKNOWN_STOCK_NOTE =
  'stock unknown: no inventory level stored, so no status, order or revenue at risk assessed; ask /predict_with_context with current_stock';

const COLUMNS: {
  header: string;
  key: string;
  value: (p: BulkPredictResponse['predictions'][number]) => string | number | null;
  numFmt?: string;
}[] = [
  { header: 'Product', key: 'product_id', value: (p) => p.product_id },
  { header: 'Category', key: 'category', value: (p) => p.category },
  { header: 'Status', key: 'status', value: (p) => p.status },
  { header: 'Priority', key: 'priority', value: (p) => p.priority },
  { header: 'Current stock', key: 'current_stock', value: (p) => p.current_stock, numFmt: '#,##0' },
  { header: 'Predicted demand', key: 'predicted_demand', value: (p) => p.predicted_demand, numFmt: '#,##0.0' },
  { header: 'Lower', key: 'lower', value: (p) => p.lower, numFmt: '#,##0.0' },
  { header: 'Upper', key: 'upper', value: (p) => p.upper, numFmt: '#,##0.0' },
  { header: 'Order quantity', key: 'order_quantity', value: (p) => p.order_quantity, numFmt: '#,##0' },
  { header: 'Reorder point', key: 'reorder_point', value: (p) => p.reorder_point, numFmt: '#,##0.0' },
  { header: 'Safety stock', key: 'safety_stock', value: (p) => p.safety_stock, numFmt: '#,##0.0' },
  { header: 'Days of cover', key: 'days_of_cover', value: (p) => p.days_of_cover, numFmt: '0.0' },
  { header: 'Expected revenue', key: 'expected_revenue', value: (p) => p.expected_revenue, numFmt: '#,##0.00' },
  { header: 'Revenue at risk', key: 'revenue_at_risk', value: (p) => p.revenue_at_risk, numFmt: '#,##0.00' },
  { header: 'Order value', key: 'order_value', value: (p) => p.order_value, numFmt: '#,##0.00' },
  // The JSON has no field for it: a product without a stored inventory level gets no stock status worth the name.
  { header: 'Note', key: 'note', value: (p) => (p.current_stock === null ? UNKNOWN_STOCK_NOTE : null) },
];

const cell = (v: string | number | null) => (typeof v === 'string' ? neutralise(v) : v);

export function planToCsv(plan: BulkPredictResponse): string {
  const quote = (v: string | number | null) => {
    if (v === null) return '';
    const s = String(cell(v));
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [COLUMNS.map((c) => quote(c.header)).join(',')];
  for (const p of plan.predictions) lines.push(COLUMNS.map((c) => quote(c.value(p))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export async function planToXlsx(plan: BulkPredictResponse): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`Bulk Predictions ${plan.store_id}`.slice(0, 31).replace(/[[\]:*?/\\]/g, '_'));
  sheet.columns = COLUMNS.map((c) => ({
    header: c.header,
    key: c.key,
    width: Math.max(12, c.header.length + 2),
    style: c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  for (const p of plan.predictions) sheet.addRow(Object.fromEntries(COLUMNS.map((c) => [c.key, cell(c.value(p))])));
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
