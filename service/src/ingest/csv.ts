// CSV bytes -> rows for the Table.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { createGunzip, gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../errors';
import { letOthersIn } from './cells';
import type { Table } from './table';

/** V8 cannot hold a longer string; such a file is far beyond any row cap anyway. */
export const MAX_TEXT_BYTES = 500 * 1024 * 1024;

/** Unpacks a .csv.gz, refusing (413) what expands beyond `limit` bytes: a gzip bomb or a file too large for one upload. */
export function gunzip(data: Buffer, limit: number): Buffer {
  try {
    return gunzipSync(data, { maxOutputLength: limit });
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLargeUnpacked(limit);
    throw notGzip();
  }
}

/** Decodes the bytes, returning a warning when they were not UTF-8. */
export function decodeText(data: Buffer): { text: string; warning: string | null } {
  if (data.length > MAX_TEXT_BYTES) {
    throw new AppError(
      413,
      'file_too_large',
      `The CSV is larger than ${MAX_TEXT_BYTES / 1024 / 1024} MB once decompressed; split it into smaller files.`,
    );
  }
  // Excel's "Unicode text" export is UTF-16 with a byte order mark.
  if (data[0] === 0xff && data[1] === 0xfe) return { text: data.subarray(2).toString('utf16le'), warning: null };
  if (data[0] === 0xfe && data[1] === 0xff) {
    const swapped = Buffer.from(data.subarray(2));
    swapped.swap16();
    return { text: swapped.toString('utf16le'), warning: null };
  }
  rejectBinary(data);
  if (isUtf8(data)) {
    const text = data.toString('utf8');
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, warning: null };
  }
  // Older Excel versions save CSV in the Windows code page.
  return {
    text: decodeWindows1252(data),
    warning: 'The file is not UTF-8; it was read as Windows-1252 (Western European). Save it as "CSV UTF-8" if characters look wrong.',
  };
}

// Node's TextDecoder('windows-1252') decodes 0x80-0x9F as Latin-1 control characters; Windows-1252 puts €, quotes,
// dashes and a few letters there (0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined and stay as they are).
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWindows1252(data: Buffer): string {
  return data.toString('latin1').replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

const BINARY = 'binary data, not text';

/** Text files hold no NUL bytes (UTF-16 aside, which has a byte order mark). */
function rejectNul(data: Buffer): void {
  if (data.indexOf(0) >= 0) {
    throw new AppError(415, 'unsupported_file_type', `The file is named .csv but its contents are ${BINARY}.`, { detected: BINARY });
  }
}

function rejectBinary(data: Buffer): void {
  const head = data.subarray(0, 8);
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  let what: string | null = null;
  if (starts(0x50, 0x4b, 0x03, 0x04)) what = 'a ZIP archive (an .xlsx workbook renamed to .csv?); upload it with its .xlsx name';
  else if (starts(0x1f, 0x8b)) what = 'gzip-compressed; name it .csv.gz';
  else if (starts(0xd0, 0xcf, 0x11, 0xe0)) what = 'an old Excel .xls workbook; open it in Excel and save as .xlsx or CSV UTF-8';
  else if (starts(0x25, 0x50, 0x44, 0x46)) what = 'a PDF document';
  else if (data.indexOf(0) >= 0) what = BINARY;
  if (what) {
    throw new AppError(415, 'unsupported_file_type', `The file is named .csv but its contents are ${what}.`, { detected: what });
  }
}

/** The candidate that occurs most often outside quotes in the first line; comma on a tie. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  let best = ',';
  for (const d of [';', '\t', '|']) if (counts[d] > counts[best]) best = d;
  return best;
}

/** How long reading may hold the event loop before it lets other requests in (/ready, /stores during an upload). */
const SLICE_MS = 50;

/**
 * Splits lines into cells for the table, piece by piece of the file's text (a line may span two pieces). Lines without
 * multi-line fields or stray quotes are split here, several times faster than a general parser (M5: 0.5 s instead of
 * 3 s); `push` answers false for a line that needs the full parser, and the caller starts over with csv-parse.
 */
class LineSplitter {
  private carry = '';
  private rowNumber = 0;
  private readonly cells: string[] = [];
  private sliceStart = performance.now();

  constructor(
    private readonly delimiter: string,
    private readonly table: Table,
  ) {}

  /** The next piece of text; `last` for the final one. */
  async push(piece: string, last: boolean): Promise<boolean> {
    const text = this.carry + piece;
    const cut = last ? text.length : text.lastIndexOf('\n') + 1;
    this.carry = text.slice(cut);
    if (cut === 0) return true;
    if (LONE_CR.test(cut === text.length ? text : text.slice(0, cut))) return false;
    return this.lines(text, cut);
  }

  private async lines(text: string, len: number): Promise<boolean> {
    const { delimiter, table, cells } = this;
    let pos = 0;
    let nextQuote = text.indexOf('"');
    while (pos < len) {
      let end = text.indexOf('\n', pos);
      if (end < 0 || end > len) end = len;
      const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      if (nextQuote >= 0 && nextQuote < pos) nextQuote = text.indexOf('"', pos);
      let count: number;
      if (nextQuote >= 0 && nextQuote < lineEnd) {
        count = splitQuotedLine(text, pos, lineEnd, delimiter, cells);
        if (count < 0) return false;
      } else {
        count = 0;
        let p = pos;
        for (;;) {
          const d = text.indexOf(delimiter, p);
          if (d < 0 || d >= lineEnd) {
            cells[count++] = text.substring(p, lineEnd);
            break;
          }
          cells[count++] = text.substring(p, d);
          p = d + 1;
        }
      }
      table.row(cells, count, ++this.rowNumber);
      pos = end + 1;
      if ((this.rowNumber & 1023) === 0 && performance.now() - this.sliceStart > SLICE_MS) {
        await letOthersIn();
        this.sliceStart = performance.now();
      }
    }
    return true;
  }
}

/** A lone carriage return (old Mac line ends, or one inside a field) needs the full parser. */
const LONE_CR = /\r(?!\n)/;

/**
 * Feeds the rows of a text given piece by piece (`pieces` can be started again) to a table from `newTable`. Starts
 * over with csv-parse, on a fresh table, when a line needs it.
 */
async function readCsvPieces(pieces: () => AsyncIterable<string>, newTable: (delimiter: string) => Table): Promise<Table> {
  let delimiter: string | null = null;
  let table: Table | null = null;
  let splitter: LineSplitter | null = null;
  let simple = true;
  let pending: string | null = null;
  // One piece of look-ahead, so the splitter knows which piece is the last.
  const feed = async (piece: string, last: boolean) => {
    if (delimiter === null) {
      delimiter = detectDelimiter(piece);
      table = newTable(delimiter);
      splitter = new LineSplitter(delimiter, table);
    }
    if (!(await splitter!.push(piece, last))) simple = false;
  };
  for await (const piece of pieces()) {
    if (pending !== null) {
      await feed(pending, false);
      if (!simple) break;
    }
    pending = piece;
  }
  if (simple) {
    await feed(pending ?? '', true);
    if (simple) return table!;
  }
  const fresh = newTable(delimiter ?? ',');
  await parseQuoted(pieces, delimiter ?? ',', fresh);
  return fresh;
}

const QUOTE = 34;

/** RFC 4180 fields of one line; -1 for a field running onto the next line or a quote out of place. */
function splitQuotedLine(text: string, start: number, end: number, delimiter: string, cells: string[]): number {
  let count = 0;
  let p = start;
  for (;;) {
    if (p < end && text.charCodeAt(p) === QUOTE) {
      let value = '';
      let q = p + 1;
      for (;;) {
        const close = text.indexOf('"', q);
        if (close < 0 || close >= end) return -1;
        if (close + 1 < end && text.charCodeAt(close + 1) === QUOTE) {
          value += text.substring(q, close + 1);
          q = close + 2;
          continue;
        }
        value += text.substring(q, close);
        p = close + 1;
        break;
      }
      cells[count++] = value;
      if (p === end) return count;
      if (text[p] !== delimiter) return -1;
      p++;
      if (p === end) {
        cells[count++] = '';
        return count;
      }
    } else {
      const d = text.indexOf(delimiter, p);
      const fieldEnd = d < 0 || d >= end ? end : d;
      const value = text.substring(p, fieldEnd);
      if (value.includes('"')) return -1;
      cells[count++] = value;
      if (fieldEnd === end) return count;
      p = d + 1;
    }
  }
}

async function parseQuoted(pieces: () => AsyncIterable<string>, delimiter: string, table: Table): Promise<void> {
  let rowNumber = 0;
  const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  const input = Readable.from(pieces());
  input.on('error', (e) => parser.destroy(e));
  input.pipe(parser);
  try {
    for await (const record of parser as AsyncIterable<string[]>) table.row(record, record.length, ++rowNumber);
  } catch (e) {
    input.destroy();
    if (e instanceof AppError) throw e;
    throw new AppError(422, 'invalid_file', `The CSV could not be read: ${(e as Error).message}.`, { row: rowNumber + 1 });
  }
}

/** Bytes read at a time from a file or a buffer. */
const PIECE_BYTES = 4 * 1024 * 1024;

/** A file's bytes, chunk by chunk; `chunks` can be called again to read it again from the start. */
export interface ByteSource {
  chunks(): AsyncIterable<Buffer>;
}

export function bufferSource(data: Buffer): ByteSource {
  return {
    async *chunks() {
      for (let i = 0; i < data.length; i += PIECE_BYTES) yield data.subarray(i, i + PIECE_BYTES);
    },
  };
}

export function fileSource(path: string): ByteSource {
  return { chunks: () => createReadStream(path, { highWaterMark: PIECE_BYTES }) };
}

/** A .csv.gz unpacked as it is read, refused (413) once it expands beyond `limit` bytes: a gzip bomb, or too large. */
export function gunzipSource(source: ByteSource, limit: number): ByteSource {
  return {
    async *chunks() {
      const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
      const input = Readable.from(source.chunks());
      input.on('error', (e) => gunzip.destroy(e));
      input.pipe(gunzip);
      let total = 0;
      try {
        for await (const chunk of gunzip as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > limit) throw tooLargeUnpacked(limit);
          yield chunk;
        }
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw notGzip();
      } finally {
        input.destroy();
        gunzip.destroy();
      }
    },
  };
}

const notGzip = () => new AppError(422, 'invalid_file', 'The .csv.gz file is not valid gzip data; compress the CSV again with gzip.');

function tooLargeUnpacked(limit: number): AppError {
  return new AppError(
    413,
    'file_too_large',
    `The file expands to more than ${Math.round(limit / 1024 / 1024)} MB when unpacked, more than one upload may have. Split it into smaller files.`,
    { maxDecompressedBytes: limit },
  );
}

class NotUtf8 extends Error {}

type Encoding = 'utf8' | 'cp1252' | 'utf16le' | 'utf16be';

async function* decodePieces(source: ByteSource, encoding: Encoding): AsyncGenerator<string> {
  // TextDecoder drops a byte order mark at the start.
  const decoder =
    encoding === 'cp1252'
      ? null
      : new TextDecoder(encoding === 'utf8' ? 'utf-8' : encoding === 'utf16le' ? 'utf-16le' : 'utf-16be', { fatal: encoding === 'utf8' });
  let first = true;
  for await (const chunk of source.chunks()) {
    if (encoding === 'utf8' || encoding === 'cp1252') {
      if (first) rejectBinary(chunk);
      else rejectNul(chunk);
    }
    first = false;
    if (decoder === null) yield decodeWindows1252(chunk);
    else {
      try {
        yield decoder.decode(chunk, { stream: true });
      } catch {
        throw new NotUtf8();
      }
    }
  }
  if (decoder) {
    let rest: string;
    try {
      rest = decoder.decode();
    } catch {
      throw new NotUtf8();
    }
    if (rest !== '') yield rest;
  }
}

async function firstBytes(source: ByteSource): Promise<Buffer> {
  for await (const chunk of source.chunks()) return chunk.subarray(0, 8);
  return Buffer.alloc(0);
}

/**
 * Reads a CSV from its bytes as they come, never the whole text at once: UTF-8 (a byte order mark dropped), else
 * Windows-1252 with a warning, or UTF-16 with a byte order mark (Excel's "Unicode text").
 */
export async function readCsvSource(
  source: ByteSource,
  newTable: (delimiter: string) => Table,
): Promise<{ table: Table; warning: string | null }> {
  const head = await firstBytes(source);
  if (head[0] === 0xff && head[1] === 0xfe)
    return { table: await readCsvPieces(() => decodePieces(source, 'utf16le'), newTable), warning: null };
  if (head[0] === 0xfe && head[1] === 0xff)
    return { table: await readCsvPieces(() => decodePieces(source, 'utf16be'), newTable), warning: null };
  try {
    return { table: await readCsvPieces(() => decodePieces(source, 'utf8'), newTable), warning: null };
  } catch (e) {
    if (!(e instanceof NotUtf8)) throw e;
  }
  // Older Excel versions save CSV in the Windows code page.
  return {
    table: await readCsvPieces(() => decodePieces(source, 'cp1252'), newTable),
    warning: 'The file is not UTF-8; it was read as Windows-1252 (Western European). Save it as "CSV UTF-8" if characters look wrong.',
  };
}
