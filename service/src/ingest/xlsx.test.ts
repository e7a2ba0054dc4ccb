// Workbooks built here with exceljs, read back through the streaming reader.
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseSalesFile } from './index';
import { rejection } from './testing';
import { rawZip, relativeTargets, storedZip } from './zip';

const day = (d: number) => new Date(Date.UTC(2023, 0, d));

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const parseXlsx = (data: Buffer, options: { sheet?: string; maxRows?: number; maxDecompressedBytes?: number } = {}) =>
  parseSalesFile({ filename: 'Sales.xlsx', data, ...options });

function salesSheets(wb: ExcelJS.Workbook): void {
  const sales = wb.addWorksheet('Sales');
  sales.addRow(['Day', 'Shop', 'SKU', 'Qty', 'Price', 'Promo', 'Note']);
  sales.addRow([day(2), 7, { richText: [{ text: 'AB' }, { text: '-1' }] }, 5, { formula: 'D2/2', result: 2.5 }, true, 'first']);
  sales.addRow([day(3), 7, 'AB-1', 4, 2.5, false, 42]);
  sales.addRow([day(3), 8, 'AB-1', { formula: 'D3*2', result: 8 }, null, 'yes', null]);
  const weekly = wb.addWorksheet('Weekly');
  weekly.addRow([]);
  weekly.addRow(['Week Start', 'Store', 'Product', 'Units']);
  // Excel serial numbers without a date format: 44928 = 2023-01-02.
  weekly.addRow([44928, 'S1', 'P1', 10]);
  weekly.addRow([44935, 'S1', 'P1', 12]);
}

describe('xlsx', () => {
  it('reads the first sheet: Date cells, numeric ids, rich text, formula results, booleans', async () => {
    const parsed = await parseXlsx(await workbook(salesSheets));
    expect(parsed.format).toBe('generic');
    expect(parsed.rowsRead).toBe(3);
    expect(parsed.columns).toEqual({
      date: 'Day',
      store_id: 'Shop',
      product_id: 'SKU',
      units_sold: 'Qty',
      price: 'Price',
      promotion: 'Promo',
    });
    expect(parsed.records).toEqual([
      expect.objectContaining({
        storeId: '7',
        productId: 'AB-1',
        date: '2023-01-02',
        unitsSold: 5,
        price: 2.5,
        promotion: true,
        extra: { Note: 'first' },
      }),
      expect.objectContaining({ storeId: '7', productId: 'AB-1', date: '2023-01-03', unitsSold: 4, promotion: false, extra: { Note: 42 } }),
      expect.objectContaining({
        storeId: '8',
        productId: 'AB-1',
        date: '2023-01-03',
        unitsSold: 8,
        price: null,
        promotion: true,
        extra: null,
      }),
    ]);
  });

  it('reads a chosen sheet, with its header below a blank row and serial-number dates', async () => {
    const parsed = await parseXlsx(await workbook(salesSheets), { sheet: 'weekly' });
    // Two dates a week apart are too few to call the sheet weekly (and spread its weeks over days).
    expect(parsed.grain).toBe('daily');
    expect(parsed.records.map((r) => [r.date, r.unitsSold])).toEqual([
      ['2023-01-02', 10],
      ['2023-01-09', 12],
    ]);
  });

  it('names the sheets when the chosen one does not exist', async () => {
    const e = await rejection(parseXlsx(await workbook(salesSheets), { sheet: 'Sheet9' }), 422, 'sheet_not_found');
    expect(e.message).toMatch(/no sheet named "Sheet9". Its sheets are: "Sales", "Weekly"/);
  });

  it('skips a hidden first sheet by default', async () => {
    const data = await workbook((wb) => {
      const hidden = wb.addWorksheet('Lookup', { state: 'hidden' });
      hidden.addRow(['nothing useful']);
      const sales = wb.addWorksheet('Data');
      sales.addRow(['date', 'sku', 'units']);
      sales.addRow([day(5), 'A', 1]);
    });
    expect((await parseXlsx(data)).records[0]).toMatchObject({ date: '2023-01-05', productId: 'A' });
  });

  it('defaults to the first tab even when its sheet file comes later', async () => {
    const data = await workbook((wb) => {
      const later = wb.addWorksheet('Later');
      later.addRow(['date', 'sku', 'units']);
      later.addRow([day(1), 'later', 1]);
      const front = wb.addWorksheet('Front');
      front.addRow(['date', 'sku', 'units']);
      front.addRow([day(1), 'front', 1]);
      // exceljs writes tabs by orderNo (untyped); sheet files stay numbered by creation.
      (later as unknown as { orderNo: number }).orderNo = 1;
      (front as unknown as { orderNo: number }).orderNo = 0;
    });
    expect((await parseXlsx(data)).records[0].productId).toBe('front');
  });

  it('uses sheet row numbers in errors', async () => {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow([]);
      ws.addRow(['date', 'sku', 'units']);
      ws.addRow([day(5), 'A', 1]);
      ws.addRow([day(6), 'A', { error: '#N/A' }]);
      ws.addRow([day(7), 'A', '=1+2']);
    });
    const e = await rejection(parseXlsx(data), 422, 'invalid_number');
    expect(e.details).toEqual({ column: 'units', rows: [4, 5], values: ['#N/A', '=1+2'], count: 2 });
  });

  it('rejects a formula-looking id typed as text', async () => {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['date', 'sku', 'units']);
      ws.addRow([day(5), '=cmd|calc', 1]);
    });
    const e = await rejection(parseXlsx(data), 422, 'invalid_value');
    expect(e.message).toMatch(/Column "sku".*row 2 \("=cmd\|calc"\)/);
  });

  it('warns about formulas without a saved result and ignores stray cells', async () => {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['date', 'sku', 'units']);
      ws.addRow([day(5), 'A', { formula: 'B1*2' }]);
      ws.addRow([day(6), 'A', 3, null, 'a note far right']);
    });
    const parsed = await parseXlsx(data);
    expect(parsed.records.map((r) => r.unitsSold)).toEqual([0, 3]);
    expect(parsed.warnings.join(' ')).toMatch(/1 formula cell had no saved result/);
    expect(parsed.warnings.join(' ')).toMatch(/right of the last named column/);
  });

  it('caps rows', async () => {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['date', 'sku', 'units']);
      for (let d = 1; d <= 20; d++) ws.addRow([day(d), 'A', d]);
    });
    await rejection(parseXlsx(data, { maxRows: 10 }), 413, 'too_many_rows');
  });

  it('measures the unpacked size before reading', async () => {
    const data = await workbook((wb) => {
      const ws = wb.addWorksheet('S');
      ws.addRow(['date', 'sku', 'units']);
      for (let d = 1; d <= 2000; d++) ws.addRow([day(1 + (d % 28)), `SKU${d}`, d]);
    });
    await rejection(parseXlsx(data, { maxDecompressedBytes: 50_000 }), 413, 'file_too_large');
    expect((await parseXlsx(data)).records).toHaveLength(2000);
  });

  it('rejects damaged and foreign archives', async () => {
    const good = await workbook(salesSheets);
    await rejection(parseXlsx(good.subarray(0, good.length - 200)), 422, 'invalid_file');
    const renamed = Buffer.from(good.toString('latin1').replaceAll('xl/workbook.xml', 'xl/workbook.xmz'), 'latin1');
    const e = await rejection(parseXlsx(renamed), 422, 'invalid_file');
    expect(e.message).toMatch(/no xl\/workbook.xml/);
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const old = await rejection(parseXlsx(ole), 415, 'unsupported_file_type');
    expect(old.message).toMatch(/save as \.xlsx/);
  });
});

describe('xlsx archives', () => {
  const CONTENT_TYPES =
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
  const WORKBOOK =
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Only" sheetId="1" r:id="rId1"/></sheets></workbook>';
  const RELS =
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';
  const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const SHEET =
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
    `<row r="1">${inline('A1', 'date')}${inline('B1', 'sku')}${inline('C1', 'units')}</row>` +
    `<row r="2">${inline('A2', '2022-01-05')}${inline('B2', 'X')}<c r="C2"><v>4</v></c></row>` +
    '</sheetData></worksheet>';

  it('reads a workbook with inline strings and no shared-strings part, sheet before workbook.xml', async () => {
    const data = storedZip([
      { name: '[Content_Types].xml', content: CONTENT_TYPES },
      { name: 'xl/worksheets/sheet1.xml', content: SHEET },
      { name: 'xl/_rels/workbook.xml.rels', content: RELS },
      { name: 'xl/workbook.xml', content: WORKBOOK },
    ]);
    const parsed = await parseXlsx(data);
    expect(parsed.records).toEqual([expect.objectContaining({ date: '2022-01-05', productId: 'X', unitsSold: 4 })]);
  });

  it('reads exceljs-written multi-sheet workbooks every time (exceljs issue #3064)', async () => {
    const data = await workbook((wb) => {
      for (const name of ['A', 'B', 'C']) {
        const ws = wb.addWorksheet(name);
        ws.addRow(['date', 'sku', 'units']);
        ws.addRow([day(1), name, 1]);
      }
    });
    for (let i = 0; i < 15; i++) {
      expect((await parseXlsx(data, { sheet: 'C' })).records[0].productId).toBe('C');
      expect((await parseXlsx(data)).records[0].productId).toBe('A');
    }
  });

  // What openpyxl (and so pandas to_excel) writes: absolute relationship targets, which the standard allows.
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = (id: string, type: string, target: string) => `<Relationship Type="${REL}/${type}" Target="${target}" Id="${id}" />`;
  const text = (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`;
  const dated = (ref: string, serial: number) => `<c r="${ref}" s="1" t="n"><v>${serial}</v></c>`;
  const OPENPYXL_SHEET =
    `<worksheet xmlns="${MAIN}"><sheetData>` +
    `<row r="1">${text('A1', 0)}${text('B1', 1)}${text('C1', 2)}${text('D1', 3)}</row>` +
    // 45170.75 = 2023-09-01 18:00, a datetime styled as pandas writes one.
    `<row r="2">${dated('A2', 45170.75)}${text('B2', 4)}${text('C2', 5)}<c r="D2" t="n"><v>1</v></c></row>` +
    `<row r="3">${dated('A3', 45171)}${text('B3', 4)}${text('C3', 5)}<c r="D3" t="n"><v>2</v></c></row>` +
    '</sheetData></worksheet>';
  const OPENPYXL_STRINGS = `<sst xmlns="${MAIN}">${['Date', 'Store', 'SKU', 'Qty', 'OPX', 'A'].map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`;
  const OPENPYXL_STYLES =
    `<styleSheet xmlns="${MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd h:mm:ss" /></numFmts>` +
    '<cellXfs count="2"><xf numFmtId="0" /><xf numFmtId="164" applyNumberFormat="1" /></cellXfs></styleSheet>';
  const OPENPYXL_RELS =
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    rel('rId1', 'worksheet', '/xl/worksheets/sheet1.xml') +
    rel('rId2', 'worksheet', '/xl/worksheets/sheet2.xml') +
    rel('rId3', 'sharedStrings', '/xl/sharedStrings.xml') +
    rel('rId4', 'styles', '/xl/styles.xml') +
    '</Relationships>';
  const OPENPYXL_WORKBOOK =
    `<workbook xmlns:r="${REL}" xmlns="${MAIN}"><sheets><sheet name="Sheet" sheetId="1" state="visible" r:id="rId1" />` +
    '<sheet name="Second" sheetId="2" state="visible" r:id="rId2" /></sheets></workbook>';
  const openpyxlStyle = () =>
    storedZip([
      { name: '[Content_Types].xml', content: CONTENT_TYPES },
      { name: 'xl/worksheets/sheet1.xml', content: OPENPYXL_SHEET },
      { name: 'xl/worksheets/sheet2.xml', content: SHEET },
      { name: 'xl/sharedStrings.xml', content: OPENPYXL_STRINGS },
      { name: 'xl/styles.xml', content: OPENPYXL_STYLES },
      { name: 'xl/_rels/workbook.xml.rels', content: OPENPYXL_RELS },
      { name: 'xl/workbook.xml', content: OPENPYXL_WORKBOOK },
    ]);

  it('reads openpyxl / pandas workbooks, whose relationships use absolute targets', async () => {
    const first = await parseXlsx(openpyxlStyle());
    expect(first.records.map((r) => [r.date, r.storeId, r.productId, r.unitsSold])).toEqual([
      ['2023-09-01', 'OPX', 'A', 1],
      ['2023-09-02', 'OPX', 'A', 2],
    ]);
    expect((await parseXlsx(openpyxlStyle(), { sheet: 'Sheet' })).records).toHaveLength(2);
    expect((await parseXlsx(openpyxlStyle(), { sheet: 'second' })).records).toEqual([
      expect.objectContaining({ date: '2022-01-05', productId: 'X', unitsSold: 4 }),
    ]);
    const e = await rejection(parseXlsx(openpyxlStyle(), { sheet: 'Third' }), 422, 'sheet_not_found');
    expect(e.message).toMatch(/Its sheets are: "Sheet", "Second"/);
  });

  it('writes relationship targets relative to xl/, leaving external links and outside parts alone', () => {
    const rels = (targets: string[]) => targets.map((t, i) => rel(`rId${i}`, 'worksheet', t)).join('');
    expect(relativeTargets(rels(['/xl/worksheets/sheet1.xml', './worksheets/sheet2.xml', '../xl/styles.xml', 'sharedStrings.xml']))).toBe(
      rels(['worksheets/sheet1.xml', 'worksheets/sheet2.xml', 'styles.xml', 'sharedStrings.xml']),
    );
    expect(relativeTargets(rels(['worksheets/sheet1.xml', '/customXml/item1.xml', '../../x.xml']))).toBeNull();
    expect(relativeTargets(`<Relationship Id="rId9" Type="${REL}/hyperlink" Target="/xl/a.xml" TargetMode="External"/>`)).toBeNull();
  });

  it('caps the relationships part it rewrites in memory', async () => {
    const big = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${' '.repeat(9 << 20)}</Relationships>`;
    const data = rawZip([
      { name: 'xl/_rels/workbook.xml.rels', method: 8, data: deflateRawSync(Buffer.from(big)), size: 1000 },
      { name: 'xl/workbook.xml', method: 0, data: Buffer.from(WORKBOOK), size: WORKBOOK.length },
      { name: 'xl/worksheets/sheet1.xml', method: 0, data: Buffer.from(SHEET), size: SHEET.length },
    ]);
    const e = await rejection(parseXlsx(data), 413, 'file_too_large');
    expect(e.details).toMatchObject({ part: 'xl/_rels/workbook.xml.rels' });
  });
});
