import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseSalesFile } from './index';
import { RowSpool } from './spool';
import { removeStaleUploadFiles } from './temp-files';
import { peakGrowth, SALES_ROWS, sheetXml, storedPart, WORKBOOK_RELS, workbookXml } from './testing';
import { rawZip } from './zip';

const PIECE = 4 * 1024 * 1024;
const MB = 2 ** 20;
/** The parts of a one-row workbook. */
const SMALL_WORKBOOK = [
  storedPart('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
  storedPart('xl/workbook.xml', workbookXml()),
  storedPart('xl/worksheets/sheet1.xml', sheetXml(SALES_ROWS)),
];
const dir = mkdtempSync(join(tmpdir(), 'df-stream-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A CSV of at least `bytes` bytes: one product per row over many days, and a description column. */
function bigCsv(bytes: number, name: (i: number) => string): { text: string; rows: number } {
  const lines = ['Date,SKU,Name,Qty'];
  let size = lines[0].length + 1;
  let i = 0;
  while (size < bytes) {
    const line = `${new Date(Date.UTC(2023, 0, 1 + (i % 300))).toISOString().slice(0, 10)},P${Math.floor(i / 300)},${name(i)},${i % 7}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
    i++;
  }
  return { text: `${lines.join('\n')}\n`, rows: i };
}

describe('files read in pieces', () => {
  it('reads a file from disk the same as from memory, across piece boundaries and a character split by one', async () => {
    // "é" is two bytes in UTF-8: some row's name straddles the 4 MiB boundary of the pieces.
    const { text, rows } = bigCsv(PIECE + 300_000, (i) => `Café ${i}`);
    const bytes = Buffer.from(text, 'utf8');
    const path = join(dir, 'big.csv');
    writeFileSync(path, bytes);
    const fromDisk = await parseSalesFile({ filename: 'big.csv', path });
    const fromMemory = await parseSalesFile({ filename: 'big.csv', data: bytes });
    expect(fromDisk.rowsRead).toBe(rows);
    expect(fromDisk.records.length).toBe(rows);
    expect(fromDisk.records.every((r) => r.description?.startsWith('Café '))).toBe(true);
    expect(fromDisk.warnings).toEqual(fromMemory.warnings);
    expect(fromDisk.records).toEqual(fromMemory.records);
  });

  it('starts over as Windows-1252 when bytes past the first piece are not UTF-8, and says so', async () => {
    const { text, rows } = bigCsv(PIECE + 800_000, (i) => (i > 200_000 ? 'Caf\u00e9' : 'Cafe'));
    // Latin-1 bytes: "é" is 0xE9, not valid UTF-8, and first appears beyond the first 4 MiB piece.
    const bytes = Buffer.from(text, 'latin1');
    expect(bytes.indexOf(0xe9)).toBeGreaterThan(PIECE);
    const parsed = await parseSalesFile({ filename: 'old.csv', data: bytes });
    expect(parsed.rowsRead).toBe(rows);
    expect(parsed.warnings.some((w) => w.includes('Windows-1252'))).toBe(true);
    expect(parsed.records.filter((r) => r.description === 'Café').length).toBeGreaterThan(0);
  });

  it('unpacks a .csv.gz as a stream to the same records', async () => {
    const { text } = bigCsv(PIECE + 50_000, (i) => `n${i}`);
    const plain = await parseSalesFile({ filename: 'a.csv', data: Buffer.from(text) });
    const gz = await parseSalesFile({ filename: 'a.csv.gz', data: gzipSync(Buffer.from(text)) });
    expect(gz.records).toEqual(plain.records);
  });
});

describe('workbooks read where they lie', () => {
  it('reads an .xlsx from disk the same as from memory', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Sales');
    sheet.addRow(['Date', 'Store', 'SKU', 'Name', 'Units', 'Price']);
    for (let i = 0; i < 5_000; i++)
      sheet.addRow([
        new Date(Date.UTC(2024, 0, 1 + (i % 250))),
        'S1',
        `P${Math.floor(i / 250)}`,
        `Item ${Math.floor(i / 250)}`,
        i % 9,
        1.25,
      ]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const path = join(dir, 'sales.xlsx');
    writeFileSync(path, bytes);
    const fromDisk = await parseSalesFile({ filename: 'sales.xlsx', path });
    const fromMemory = await parseSalesFile({ filename: 'sales.xlsx', data: bytes });
    expect(fromDisk.records.length).toBe(5_000);
    expect(fromDisk.records).toEqual(fromMemory.records);
    expect(fromDisk.warnings).toEqual(fromMemory.warnings);
  });

  it('holds neither the workbook nor its parts whole: a 160 MB workbook (mostly a picture) read in a fraction of its size', async () => {
    const path = join(dir, 'pictures.xlsx');
    const picture = Buffer.alloc(160 * MB);
    for (let i = 0; i < picture.length; i += 4096) picture[i] = i & 0xff;
    writeFileSync(path, rawZip([...SMALL_WORKBOOK, { name: 'xl/media/image1.png', method: 0, data: picture, size: picture.length }]));
    const { result, mb } = await peakGrowth(() => parseSalesFile({ filename: 'pictures.xlsx', path }));
    expect(result).toMatchObject({ rowsRead: 1, records: [expect.objectContaining({ productId: 'X', unitsSold: 4 })] });
    // Read whole (as before), memory grew by at least the file: 160 MB.
    expect(mb).toBeLessThan(60);
  });
});

describe('row spool', () => {
  it('moves to a temporary file past its memory limit and gives the batches back unchanged, in order', () => {
    const spool = new RowSpool(1000);
    const batches = Array.from({ length: 5 }, (_, b) => [
      Int32Array.from({ length: 100 }, (_, i) => b * 100 + i),
      Float64Array.from({ length: 100 }, (_, i) => (i === 3 ? NaN : b + i / 10)),
      Int8Array.from({ length: 100 }, (_, i) => (i % 3) - 1),
    ]);
    for (const batch of batches) spool.append(batch);
    expect(spool.onDisk).toBe(true);
    expect(spool.rows).toBe(500);
    const back = [...spool.batches()];
    expect(back).toEqual(batches);
    // A second read gives the same (pass 1's checks and pass 2 both read the spool).
    expect([...spool.batches()]).toEqual(batches);
    spool.close();
    spool.close();
  });
});

describe('temporary files of uploads', () => {
  it('removes what a process that no longer runs left, and keeps what a running one is using', () => {
    const root = mkdtempSync(join(dir, 'tmp-'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(join(root, `df-upload-${dead}-abc`));
    writeFileSync(join(root, `df-upload-${dead}-abc`, 'file'), 'x');
    mkdirSync(join(root, `df-upload-${process.pid}-def`));
    mkdirSync(join(root, 'someone-else'));
    expect(removeStaleUploadFiles(root)).toBe(1);
    expect(existsSync(join(root, `df-upload-${dead}-abc`))).toBe(false);
    expect(existsSync(join(root, `df-upload-${process.pid}-def`))).toBe(true);
    expect(existsSync(join(root, 'someone-else'))).toBe(true);
  });
});
