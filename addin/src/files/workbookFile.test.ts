import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { isoToExcelSerial } from '../mapping/csv';
import { bulkPredictionsSheet, forecastSheet, reorderPlanSheet, TABLE_HEADER_ROW, tableHeaderRow } from '../results/sheets';
import { bulkAnswer, forecastAnswer, historyPoints } from '../testing/fixtures';
import { buildWorkbook, previewWorkbookFile } from './workbookFile';

describe('browser file adapter', () => {
  it('previews a CSV: headers and first rows as text', () => {
    const csv = new TextEncoder().encode('Day,SKU,Qty\n2025-01-01,00123,3\n2025-01-02,00123,4\n');
    const preview = previewWorkbookFile(csv, 'sales.csv');
    expect(preview.kind).toBe('csv');
    expect(preview.sheets[0].headers).toEqual(['Day', 'SKU', 'Qty']);
    expect(preview.sheets[0].rows[0]).toEqual(['2025-01-01', '00123', '3']);
  });

  it('previews every sheet of an .xlsx', () => {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['Notes']]), 'Read me');
    const sales = XLSX.utils.aoa_to_sheet([
      ['Date', 'Store', 'Item', 'Units'],
      [45658, 'S1', 'A', 2],
    ]);
    sales.A2.z = 'yyyy-mm-dd';
    XLSX.utils.book_append_sheet(book, sales, 'Sales');
    const bytes = XLSX.write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer;
    const preview = previewWorkbookFile(bytes, 'book.xlsx');
    expect(preview.sheets.map((s) => s.name)).toEqual(['Read me', 'Sales']);
    expect(preview.sheets[1].headers).toEqual(['Date', 'Store', 'Item', 'Units']);
    expect(preview.sheets[1].rows[0]).toEqual(['2025-01-01', 'S1', 'A', 2]);
  });

  it('builds the result workbook with the same sheets, tables and number formats as in Excel', () => {
    const plan = bulkAnswer();
    const bytes = buildWorkbook([bulkPredictionsSheet(plan), reorderPlanSheet(plan), forecastSheet(forecastAnswer(), historyPoints(3))]);
    const book = XLSX.read(bytes, { type: 'array', cellNF: true });
    expect(book.SheetNames).toEqual(['Bulk Predictions S001', 'Reorder Plan S001', 'Forecast S001 P0001']);
    const bulk = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['Bulk Predictions S001'], { header: 1, blankrows: true });
    expect(String(bulk[0][0])).toMatch(/^Bulk predictions, store S001/);
    expect(bulk[TABLE_HEADER_ROW].slice(0, 4)).toEqual(['Product', 'Product name', 'Category', 'Status']);
    expect(bulk[TABLE_HEADER_ROW + 1].slice(0, 4)).toEqual(['P0003', undefined, 'Toys', 'CRITICAL']); // P0003 has no name
    expect(bulk[TABLE_HEADER_ROW + 2].slice(0, 2)).toEqual(['P0001', 'Orange juice 1l']);
    const reorder = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['Reorder Plan S001'], { header: 1, blankrows: true });
    expect(reorder.slice(TABLE_HEADER_ROW + 1).map((r) => [r[0], r[2]])).toEqual([
      ['P0003', undefined],
      ['P0001', 'Orange juice 1l'],
    ]);
    const fc = book.Sheets['Forecast S001 P0001'];
    const dateCell = fc[XLSX.utils.encode_cell({ r: TABLE_HEADER_ROW + 1, c: 0 })];
    expect(dateCell.v).toBe(isoToExcelSerial('2025-06-28'));
    expect(dateCell.z).toBe('yyyy-mm-dd');
  });

  it('writes the header block of a download between the title and the table, as the Excel adapter does', () => {
    const plan = bulkAnswer();
    const run = { asked: { lead_time_days: 3, review_days: 7, service_level: 95 } };
    const spec = bulkPredictionsSheet(plan, run);
    const book = XLSX.read(buildWorkbook([spec, reorderPlanSheet(plan, run)]), { type: 'array' });
    for (const name of ['Bulk Predictions S001', 'Reorder Plan S001']) {
      const rows = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets[name], { header: 1, blankrows: true });
      expect(rows.slice(1, 10).map((r) => r[0])).toEqual([
        'Store',
        'Planning day',
        'Horizon',
        'Lead time',
        'Review period',
        'Service level',
        'Model',
        'Basis',
        'Currency',
      ]);
      expect(rows[4]).toEqual(['Lead time', '3 days']);
      expect(rows[6]).toEqual(['Service level', '95%']);
      expect(rows[tableHeaderRow(spec)][0]).toBe('Product');
    }
  });
});
