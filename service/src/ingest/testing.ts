// Helpers for the ingest tests.
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { AppError } from '../errors';
import { type ParseOptions, type ParsedUpload, parseSalesFile } from './index';

export const DATA = '/work/shared/data';

export function parseCsv(text: string | Buffer, options: Partial<ParseOptions> = {}): Promise<ParsedUpload> {
  const data = typeof text === 'string' ? Buffer.from(text) : text;
  return parseSalesFile({ filename: 'sales.csv', data, ...options });
}

export function parseCsvGz(text: string, options: Partial<ParseOptions> = {}): Promise<ParsedUpload> {
  return parseSalesFile({ filename: 'sales.csv.gz', data: gzipSync(Buffer.from(text)), ...options });
}

/** Awaits a rejection and checks it is the AppError expected. */
export async function rejection(promise: Promise<unknown>, status: number, code: string): Promise<AppError> {
  let error: unknown = null;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected the parse to fail').toBeInstanceOf(AppError);
  const app = error as AppError;
  expect({ status: app.status, code: app.code, message: app.message }).toMatchObject({ status, code });
  return app;
}

// ---------------------------------------------------------------- workbooks made by hand (hostile-xlsx, streaming)

export const XLSX_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const WORKBOOK_RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
export const workbookXml = (sheetName = 'Sales') =>
  `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${XLSX_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
  `<sheets><sheet name="${sheetName}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
export const inlineCell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
export const sheetXml = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${XLSX_NS}"><sheetData>${rows}</sheetData></worksheet>`;
/** A header and one sale: 2024-01-05, product X, 4 units. */
export const SALES_ROWS =
  `<row r="1">${inlineCell('A1', 'date')}${inlineCell('B1', 'sku')}${inlineCell('C1', 'units')}</row>` +
  `<row r="2">${inlineCell('A2', '2024-01-05')}${inlineCell('B2', 'X')}<c r="C2"><v>4</v></c></row>`;
/** An uncompressed zip entry (rawZip's input). */
export const storedPart = (name: string, text: string) => ({
  name,
  method: 0 as const,
  data: Buffer.from(text),
  size: Buffer.byteLength(text),
});

/** Runs `work` while sampling resident memory; returns its result and the peak growth in MB. */
export async function peakGrowth<T>(work: () => Promise<T>): Promise<{ result: T | Error; mb: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  let result: T | Error;
  try {
    result = await work();
  } catch (e) {
    result = e as Error;
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { result, mb: (peak - start) / 2 ** 20 };
}
