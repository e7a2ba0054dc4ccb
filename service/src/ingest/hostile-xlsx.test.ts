// Workbooks made to hurt the server: zip bombs, oversized shared strings, prototype-polluting names, and number
// formats that would send exceljs's date check into quadratic time. Each must fail fast with a clear 4xx (or be read
// as plain data) and leave the process as it was.
import { constants, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, UploadResponse } from '../../../shared/schemas';
import { testBackends } from '../db/testing';
import { startTestServer, type TestServer } from '../testing/server';
import { parseSalesFile } from './index';
import {
  inlineCell as inline,
  peakGrowth,
  rejection,
  SALES_ROWS,
  sheetXml,
  storedPart as stored,
  WORKBOOK_RELS as RELS,
  workbookXml,
  XLSX_NS as NS,
} from './testing';
import { rawZip, storedZip } from './zip';

const xlsx = (data: Buffer, options: { maxDecompressedBytes?: number; maxColumns?: number } = {}) =>
  parseSalesFile({ filename: 'hostile.xlsx', data, ...options });

/**
 * Raw deflate data for head + chunk x times + tail, built in milliseconds: each piece is compressed on its own and
 * sync-flushed, so the compressed chunk can simply be repeated (its back-references never leave it).
 */
function deflateRepeated(head: string, chunk: string, times: number, tail: string): { data: Buffer; size: number } {
  const piece = (text: string) => deflateRawSync(Buffer.from(text), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const repeated = piece(chunk);
  const data = Buffer.concat([piece(head), ...Array.from({ length: times }, () => repeated), deflateRawSync(Buffer.from(tail))]);
  return { data, size: Buffer.byteLength(head) + Buffer.byteLength(chunk) * times + Buffer.byteLength(tail) };
}

/** A workbook whose `part` is a bomb expanding to about `mb` MB; `declared` is the size its directory claims. */
function bombWorkbook(part: 'sheet' | 'sharedStrings', mb: number, declared: 'honest' | 'lying'): Buffer {
  const row = `<row>${inline('A1', 'x'.repeat(40))}</row>`;
  const chunk = row.repeat(Math.ceil((1 << 20) / row.length));
  const bomb =
    part === 'sheet'
      ? deflateRepeated(`<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>`, chunk, mb, '</sheetData></worksheet>')
      : deflateRepeated(
          `<?xml version="1.0"?><sst xmlns="${NS}">`,
          '<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>'.repeat(20_000),
          mb,
          '</sst>',
        );
  const name = part === 'sheet' ? 'xl/worksheets/sheet1.xml' : 'xl/sharedStrings.xml';
  return rawZip([
    stored('xl/_rels/workbook.xml.rels', RELS),
    stored('xl/workbook.xml', workbookXml()),
    ...(part === 'sheet' ? [] : [stored('xl/worksheets/sheet1.xml', sheetXml(SALES_ROWS))]),
    { name, method: 8, data: bomb.data, size: declared === 'honest' ? bomb.size : 1000, crc: 0 },
  ]);
}

function styledWorkbook(formatCode: string, cells: number): Buffer {
  const styles =
    `<?xml version="1.0"?><styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="${formatCode}"/></numFmts>` +
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>' +
    '<cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>';
  const rows = Array.from({ length: cells }, (_, i) => {
    const r = i + 2;
    return `<row r="${r}"><c r="A${r}" s="1"><v>${45000 + (i % 28)}</v></c>${inline(`B${r}`, 'X')}<c r="C${r}"><v>${i}</v></c></row>`;
  }).join('');
  return storedZip([
    { name: 'xl/_rels/workbook.xml.rels', content: RELS },
    { name: 'xl/workbook.xml', content: workbookXml() },
    { name: 'xl/styles.xml', content: styles },
    {
      name: 'xl/worksheets/sheet1.xml',
      content: sheetXml(`<row r="1">${inline('A1', 'date')}${inline('B1', 'sku')}${inline('C1', 'units')}</row>${rows}`),
    },
  ]);
}

describe('zip bombs', () => {
  it('refuses at once a sheet whose directory admits it unpacks to 1.5 GB', async () => {
    const bomb = bombWorkbook('sheet', 1536, 'honest');
    expect(bomb.length * 200).toBeLessThan(1536 * 2 ** 20);
    const e = await rejection(xlsx(bomb), 413, 'file_too_large');
    expect(e.details).toEqual({ maxDecompressedBytes: 1024 ** 3 });
  });

  it('stops inflating a sheet that lies about its size at the cap, in bounded memory', async () => {
    const bomb = bombWorkbook('sheet', 1536, 'lying');
    const cap = 256 * 2 ** 20;
    const { result, mb } = await peakGrowth(() => xlsx(bomb, { maxDecompressedBytes: cap }));
    expect(result).toMatchObject({ status: 413, code: 'file_too_large', details: { maxDecompressedBytes: cap } });
    // It was inflated up to the 256 MB cap, and none of that was kept.
    expect(mb).toBeLessThan(150);
  });

  it('caps the shared strings, which the reader keeps in memory, well below the whole workbook', async () => {
    for (const declared of ['honest', 'lying'] as const) {
      const e = await rejection(xlsx(bombWorkbook('sharedStrings', 150, declared)), 413, 'file_too_large');
      expect(e.details).toEqual({ part: 'xl/sharedStrings.xml', maxPartBytes: 100 * 2 ** 20 });
      expect(e.message).toMatch(/table of texts \(shared strings\) expands to more than 100 MB/);
    }
  });
});

describe('names that could pollute prototypes', () => {
  const hostileNames = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty'];

  it('reads __proto__, constructor and friends as ordinary extra columns; Object.prototype is untouched', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const header = ['date', 'sku', 'units', ...hostileNames].map((h, i) => inline(`${String.fromCharCode(65 + i)}1`, h)).join('');
    const values = ['2024-01-05', 'X', null, ...hostileNames.map((h) => `value of ${h}`)]
      .map((v, i) => (v === null ? `<c r="C2"><v>4</v></c>` : inline(`${String.fromCharCode(65 + i)}2`, v)))
      .join('');
    const data = storedZip([
      { name: 'xl/_rels/workbook.xml.rels', content: RELS.replace(/rId1/g, '__proto__') },
      { name: 'xl/workbook.xml', content: workbookXml('__proto__').replace('r:id="rId1"', 'r:id="__proto__"') },
      { name: 'xl/worksheets/sheet1.xml', content: sheetXml(`<row r="1">${header}</row><row r="2">${values}</row>`) },
    ]);
    const parsed = await xlsx(data);
    const extra = parsed.records[0].extra!;
    expect(Object.keys(extra)).toEqual(hostileNames);
    for (const h of hostileNames) expect(Object.getOwnPropertyDescriptor(extra, h)?.value).toBe(`value of ${h}`);
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(extra))).toEqual(Object.fromEntries(hostileNames.map((h) => [h, `value of ${h}`])));
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('does the same for a CSV header', async () => {
    const csv = `date,sku,units,__proto__,constructor\n2024-01-05,X,4,{"polluted":1},evil\n`;
    const parsed = await parseSalesFile({ filename: 'hostile.csv', data: Buffer.from(csv) });
    expect(Object.getOwnPropertyDescriptor(parsed.records[0].extra!, '__proto__')?.value).toBe('{"polluted":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('number formats exceljs would take quadratic time over', () => {
  it('refuses an unclosed "[" in a format before a single cell is read', async () => {
    // 50,000 characters: exceljs would spend seconds on every one of the 2,000 numbers formatted with it.
    const e = await rejection(xlsx(styledWorkbook('['.repeat(50_000), 2000)), 422, 'invalid_file');
    expect(e.message).toMatch(/number format Excel would not write \(an unclosed "\["\)/);
  });

  it('refuses a format far longer than Excel allows, even with its brackets closed', async () => {
    const e = await rejection(xlsx(styledWorkbook(`[Red]${'0'.repeat(5000)}`, 10)), 422, 'invalid_file');
    expect(e.message).toMatch(/5005 characters long/);
  });

  it('still reads ordinary custom formats, such as a date with a locale in brackets', async () => {
    const parsed = await xlsx(styledWorkbook('[$-409]mmm d, yyyy;@', 3));
    expect(parsed.records.map((r) => r.date)).toEqual(['2023-03-15', '2023-03-16', '2023-03-17']);
  });
});

describe('wide sheets', () => {
  it('refuses a header wider than the column cap with 413', async () => {
    const header = Array.from({ length: 300 }, (_, i) => inline(`A${i}`.replace(/^A/, ''), i < 3 ? ['date', 'sku', 'units'][i] : `c${i}`))
      .map((c, i) => c.replace(/r="[^"]*"/, `r="${colName(i)}1"`))
      .join('');
    const data = storedZip([
      { name: 'xl/_rels/workbook.xml.rels', content: RELS },
      { name: 'xl/workbook.xml', content: workbookXml() },
      { name: 'xl/worksheets/sheet1.xml', content: sheetXml(`<row r="1">${header}</row>`) },
    ]);
    const e = await rejection(xlsx(data, { maxColumns: 200 }), 413, 'too_many_columns');
    expect(e.details).toEqual({ maxColumns: 200, columns: 300 });
  });
});

function colName(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

describe.each(testBackends)('hostile uploads over HTTP on %s', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { env: { MAX_UPLOAD_UNPACKED_MB: '50' } });
  });
  afterAll(async () => server?.close());

  const upload = async (name: string, bytes: Buffer, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const res = await fetch(`${server.url}/upload_data`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as UploadResponse & ErrorBody };
  };

  it('applies MAX_UPLOAD_UNPACKED_MB to a zip bomb, and stores nothing', async () => {
    const { status, body } = await upload('bomb.xlsx', bombWorkbook('sheet', 200, 'lying'));
    expect(status).toBe(413);
    expect(body.error).toMatchObject({ code: 'file_too_large', details: { maxDecompressedBytes: 50 * 2 ** 20 } });
    const [{ n }] = await server.db.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM uploads`;
    expect(n).toBe(0);
  });

  it('ignores __proto__ in a mapping, and stores a __proto__ column as data', async () => {
    const csv = Buffer.from('date,sku,units,__proto__\n2024-01-05,X,4,kept\n');
    const mapped = await upload('sales.csv', csv, { mapping: '{"__proto__":{"polluted":true},"units_sold":"units"}' });
    expect(mapped.status).toBe(200);
    expect(mapped.body.columns).toMatchObject({ units_sold: 'units' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const plain = await upload('sales.csv', csv, { store_id: 'H1' });
    expect(plain.status).toBe(200);
    const history = await (await fetch(`${server.url}/history/H1/X`)).json();
    expect(history.history[0].extra).toEqual(JSON.parse('{"__proto__":"kept"}'));
    expect(Object.getOwnPropertyDescriptor(history.history[0].extra, '__proto__')?.value).toBe('kept');
  });
});
