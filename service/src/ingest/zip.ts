// Prepares an .xlsx (a ZIP) for exceljs's streaming reader.
// - Size: the reader inflates entries without limit and may spool worksheets to temp files, so a small upload
//   could expand to gigabytes. Every entry is inflated here first, counting bytes, against a budget.
// - Order: the reader needs the workbook, its relations, shared strings and styles before any worksheet. When a
//   sheet comes first (exceljs and many other writers put workbook.xml last) it spools sheets to temp files and,
//   intermittently, never sees workbook.xml (exceljs issue #3064: "reading 'sheets'"). So the archive is rebuilt
//   from its central directory with those parts first. Rebuilding also means the reader sees exactly the entries
//   measured here, whatever tricks the original local headers play.
// - Targets: the reader names a sheet only when a relationship's Target is exactly "worksheets/sheetN.xml". The
//   standard also allows absolute ("/xl/worksheets/sheet1.xml", what openpyxl and so pandas write) and dotted
//   forms, so the workbook's relationships are rewritten relative to xl/ (see relativeTargets).
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw, crc32 } from 'node:zlib';
import { AppError } from '../errors';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const MAX_ENTRIES = 5000;

const damaged = (why: string) =>
  new AppError(
    422,
    'invalid_file',
    `The .xlsx file is damaged or not a standard Excel workbook (${why}). Open it in Excel and save it again as .xlsx.`,
  );

const tooBig = (limit: number) =>
  new AppError(
    413,
    'file_too_large',
    `The workbook expands to more than ${Math.round(limit / 1024 / 1024)} MB when unpacked, more than one upload may have. Split it into smaller files.`,
    { maxDecompressedBytes: limit },
  );

const RELS = 'xl/_rels/workbook.xml.rels';

/**
 * Parts the reader keeps whole in memory get their own, smaller caps. Real workbooks stay far below them: a million
 * distinct texts are about 30 MB of shared strings, and styles are a few MB at most.
 */
const PART_CAPS: Record<string, { bytes: number; what: string }> = {
  'xl/sharedStrings.xml': { bytes: 100 * 1024 * 1024, what: 'table of texts (shared strings)' },
  'xl/styles.xml': { bytes: 32 * 1024 * 1024, what: 'styles' },
  // Kept whole to rewrite its targets; even 5,000 parts need well under 1 MB.
  [RELS]: { bytes: 8 * 1024 * 1024, what: 'list of parts (workbook relationships)' },
};

const partTooBig = (name: string) => {
  const cap = PART_CAPS[name];
  return new AppError(
    413,
    'file_too_large',
    `The workbook's ${cap.what} expands to more than ${Math.round(cap.bytes / 1024 / 1024)} MB, far more than a sales table needs. ` +
      'Paste the values into a new workbook and upload that, or save the sheet as CSV.',
    { part: name, maxPartBytes: cap.bytes },
  );
};

// Excel allows 255 characters in a number format; some room is left for other writers.
const MAX_FORMAT_CODE = 1000;

interface Entry {
  name: string;
  nameBytes: Buffer;
  flags: number;
  method: number;
  time: number;
  date: number;
  crc: number;
  size: number;
  /** The stored (compressed) bytes: where they are in the source, or (a rewritten or added part) the bytes. */
  at: number;
  length: number;
  content?: Buffer;
}

/**
 * The archive's bytes, read where they lie: an upload saved to disk is never loaded whole (only its directory, a
 * few parts' headers and 64 KB pieces as they are streamed on).
 */
export interface ZipBytes {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function bufferBytes(buf: Buffer): ZipBytes {
  return { size: buf.length, read: async (position, length) => buf.subarray(position, position + length), close: async () => {} };
}

export async function fileBytes(path: string): Promise<ZipBytes> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    read: async (position, length) => {
      const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - position)));
      const { bytesRead } = await handle.read(buf, 0, buf.length, position);
      return buf.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

const PIECE = 1 << 16;

async function* pieces(bytes: ZipBytes, e: Entry): AsyncGenerator<Buffer> {
  if (e.content) {
    yield e.content;
    return;
  }
  for (let at = e.at; at < e.at + e.length; at += PIECE) yield bytes.read(at, Math.min(PIECE, e.at + e.length - at));
}

async function readEntries(bytes: ZipBytes): Promise<Entry[]> {
  const tailStart = Math.max(0, bytes.size - 22 - 65535);
  const tail = await bytes.read(tailStart, bytes.size - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw damaged('no ZIP directory');
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  const eocdAt = tailStart + eocd;
  if (count === 0xffff || cdOffset === 0xffffffff) throw damaged('ZIP64 archives are not supported');
  if (count > MAX_ENTRIES) throw damaged(`${count} entries`);
  if (cdOffset + cdSize > eocdAt) throw damaged('directory out of bounds');
  const dir = await bytes.read(cdOffset, eocdAt - cdOffset);
  const entries: Entry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL) throw damaged('bad directory entry');
    const nameLength = dir.readUInt16LE(p + 28);
    const flags = dir.readUInt16LE(p + 8);
    const method = dir.readUInt16LE(p + 10);
    const compressed = dir.readUInt32LE(p + 20);
    const size = dir.readUInt32LE(p + 24);
    const offset = dir.readUInt32LE(p + 42);
    const nameBytes = Buffer.from(dir.subarray(p + 46, p + 46 + nameLength));
    if (compressed === 0xffffffff || size === 0xffffffff || offset === 0xffffffff) throw damaged('ZIP64 entries are not supported');
    if (flags & 1) throw damaged('the workbook is encrypted; remove its password');
    if (method !== 0 && method !== 8) throw damaged(`unsupported compression method ${method}`);
    const local = offset + 30 <= bytes.size ? await bytes.read(offset, 30) : Buffer.alloc(0);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw damaged('bad entry header');
    const start = offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (start + compressed > bytes.size) throw damaged('entry out of bounds');
    entries.push({
      name: nameBytes.toString('utf8'),
      nameBytes,
      flags,
      method,
      time: dir.readUInt16LE(p + 12),
      date: dir.readUInt16LE(p + 14),
      crc: dir.readUInt32LE(p + 16),
      size,
      at: start,
      length: compressed,
    });
    p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  return entries;
}

/**
 * Inflates without keeping the output (unless `keep`), stopping as soon as it passes `limit`: memory stays at
 * zlib's buffers and one piece of input whatever the entry claims or expands to.
 */
async function inflateCounting(
  input: AsyncIterable<Buffer>,
  limit: number,
  overLimit: () => AppError,
  keep = false,
): Promise<{ size: number; content?: Buffer }> {
  const kept: Buffer[] = [];
  let total = 0;
  // pipeline() rejects with an abort error, not the one thrown by its last stage: that one is kept here.
  let over: AppError | null = null;
  try {
    await pipeline(Readable.from(input), createInflateRaw(), async (inflated: AsyncIterable<Buffer>) => {
      for await (const chunk of inflated) {
        total += chunk.length;
        if (total > limit) throw (over = overLimit());
        if (keep) kept.push(chunk);
      }
    });
  } catch {
    throw over ?? damaged('corrupt compressed data');
  }
  return { size: total, content: keep ? Buffer.concat(kept) : undefined };
}

/**
 * exceljs tests every number cell's format with regular expressions that take time quadratic in the length of a
 * format with an unclosed "[" (utils.isDateFmt): one such format over 100,000 cells would hold the event loop for
 * minutes. Excel never writes those, so a workbook containing one is refused.
 */
function checkNumberFormats(styles: string): void {
  const marker = 'formatCode=';
  for (let at = styles.indexOf(marker); at >= 0; at = styles.indexOf(marker, at + marker.length)) {
    const quote = styles[at + marker.length];
    if (quote !== '"' && quote !== "'") continue;
    const end = styles.indexOf(quote, at + marker.length + 1);
    const code = decodeXml(styles.slice(at + marker.length + 1, end < 0 ? undefined : end));
    const unclosed = code.lastIndexOf('[') > code.lastIndexOf(']');
    if (code.length > MAX_FORMAT_CODE || unclosed) {
      throw new AppError(
        422,
        'invalid_file',
        `The workbook has a number format Excel would not write (${unclosed ? 'an unclosed "["' : `${code.length} characters long`}). ` +
          'Open it in Excel and save it again as .xlsx, or save the sheet as CSV.',
        { formatCode: `${code.slice(0, 40)}${code.length > 40 ? '…' : ''}` },
      );
    }
  }
}

const decodeXml = (text: string) =>
  text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (all, ref: string) => {
    if (ref[0] === '#') {
      const point = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return point <= 0x10ffff ? String.fromCodePoint(point) : all;
    }
    return ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' } as Record<string, string>)[ref] ?? all;
  });

/**
 * The workbook's relationships with every internal Target inside xl/ written relative to xl/ ("/xl/worksheets/
 * sheet1.xml" and "./worksheets/sheet1.xml" become "worksheets/sheet1.xml"); null when nothing changes.
 */
export function relativeTargets(xml: string): string | null {
  let changed = false;
  const out = xml.replace(/<(?:[\w.-]+:)?Relationship\b[^>]*>/g, (element) => {
    if (/\sTargetMode\s*=\s*["']External["']/.test(element)) return element;
    return element.replace(/(\sTarget\s*=\s*)(["'])(.*?)\2/, (all, before: string, quote: string, target: string) => {
      const part = resolvePart(target);
      if (part === null || !part.startsWith('xl/') || part.slice(3) === target) return all;
      changed = true;
      return `${before}${quote}${part.slice(3)}${quote}`;
    });
  });
  return changed ? out : null;
}

/** A Target of xl/workbook.xml's relationships -> the part's path in the archive (no leading "/"). */
function resolvePart(target: string): string | null {
  const path: string[] = target.startsWith('/') ? [] : ['xl'];
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (path.pop() === undefined) return null;
    } else path.push(segment);
  }
  return path.join('/');
}

const EMPTY_STRINGS = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

function storedEntry(name: string, content: Buffer): Entry {
  const nameBytes = Buffer.from(name);
  const crc = crc32(content) >>> 0;
  return { name, nameBytes, flags: 0, method: 0, time: 0, date: 0x21, crc, size: content.length, at: 0, length: content.length, content };
}

const FIRST = ['xl/_rels/workbook.xml.rels', 'xl/workbook.xml', 'xl/sharedStrings.xml', 'xl/styles.xml'];
const sheetNumber = (name: string) => Number(/^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name)?.[1] ?? NaN);

function rank(name: string): number {
  const first = FIRST.indexOf(name);
  if (first >= 0) return first;
  if (!Number.isNaN(sheetNumber(name))) return FIRST.length;
  return FIRST.length + 1;
}

/** A ZIP of uncompressed files; tests use it to make workbooks exceljs would not write. */
export function storedZip(files: { name: string; content: string }[]): Buffer {
  return build(files.map((f) => storedEntry(f.name, Buffer.from(f.content))));
}

/** A ZIP of entries given as they are to be stored (tests build archives no writer would, e.g. zip bombs). */
export function rawZip(entries: { name: string; method: 0 | 8; data: Buffer; size: number; crc?: number }[]): Buffer {
  return build(
    entries.map((e) => ({
      name: e.name,
      method: e.method,
      size: e.size,
      nameBytes: Buffer.from(e.name),
      flags: 0,
      time: 0,
      date: 0x21,
      crc: e.crc ?? crc32(e.data) >>> 0,
      at: 0,
      length: e.data.length,
      content: e.data,
    })),
  );
}

/** The archive in order: headers and directory as bytes, and in between each entry, whose data the caller supplies. */
function* layout(entries: Entry[]): Generator<Buffer | Entry> {
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    // Sizes go in the local header and the data-descriptor flag is dropped: nothing is left to guess while streaming.
    const flags = e.flags & ~0x08;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(e.time, 10);
    local.writeUInt16LE(e.date, 12);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(e.nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    yield local;
    yield e.nameBytes;
    yield e;

    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(CENTRAL, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(flags, 8);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt16LE(e.time, 12);
    dir.writeUInt16LE(e.date, 14);
    dir.writeUInt32LE(e.crc, 16);
    dir.writeUInt32LE(e.length, 20);
    dir.writeUInt32LE(e.size, 24);
    dir.writeUInt16LE(e.nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, e.nameBytes);
    offset += 30 + e.nameBytes.length + e.length;
  }
  const cdSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(offset, 16);
  yield* central;
  yield end;
}

/** An archive of entries whose bytes are all in memory (the tests' workbooks). */
function build(entries: Entry[]): Buffer {
  return Buffer.concat([...layout(entries)].map((part) => (Buffer.isBuffer(part) ? part : part.content!)));
}

/** The archive streamed: entries' bytes read from the source piece by piece as the reader asks for them. */
async function* streamed(entries: Entry[], bytes: ZipBytes): AsyncGenerator<Buffer> {
  for (const part of layout(entries)) {
    if (Buffer.isBuffer(part)) yield part;
    else yield* pieces(bytes, part);
  }
}

/**
 * Returns the workbook rebuilt for the streaming reader, as a stream of its bytes read from `bytes` as it is read.
 * Throws 413 when it would unpack to more than `limit` bytes, 422 when it is not a readable workbook.
 */
export async function prepareXlsx(bytes: ZipBytes, limit: number): Promise<AsyncIterable<Buffer>> {
  const entries = (await readEntries(bytes)).filter((e) => !e.name.endsWith('/'));
  const names = new Set(entries.map((e) => e.name));
  if (names.size !== entries.length) throw damaged('repeated entry names');
  if (!names.has('xl/workbook.xml') || !names.has('xl/_rels/workbook.xml.rels')) throw damaged('no xl/workbook.xml inside');
  if (entries.reduce((sum, e) => sum + e.size, 0) > limit) throw tooBig(limit);
  for (const e of entries) if (PART_CAPS[e.name] && e.size > PART_CAPS[e.name].bytes) throw partTooBig(e.name);

  // Declared sizes can lie: count what each entry really expands to.
  let total = 0;
  for (const e of entries) {
    const partCap = PART_CAPS[e.name]?.bytes ?? Infinity;
    const budget = Math.min(limit - total, partCap);
    const overLimit = () => (partCap <= limit - total ? partTooBig(e.name) : tooBig(limit));
    const styles = e.name === 'xl/styles.xml';
    const rels = e.name === RELS;
    let size: number;
    let content: Buffer | undefined;
    if (e.method === 0) {
      size = e.length;
      if (size > budget) throw overLimit();
      if (styles || rels) content = await bytes.read(e.at, e.length);
    } else {
      ({ size, content } = await inflateCounting(pieces(bytes, e), budget, overLimit, styles || rels));
    }
    if (size > budget) throw overLimit();
    if (styles && content) checkNumberFormats(content.toString('utf8'));
    if (rels && content) {
      const rewritten = relativeTargets(content.toString('utf8'));
      if (rewritten !== null) entries[entries.indexOf(e)] = storedEntry(RELS, Buffer.from(rewritten));
    }
    total += size;
  }
  // Without shared strings the reader would defer every sheet; an empty table keeps it streaming.
  if (!names.has('xl/sharedStrings.xml')) entries.push(storedEntry('xl/sharedStrings.xml', EMPTY_STRINGS));
  const ordered = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e.name) - rank(b.e.name) || sheetNumber(a.e.name) - sheetNumber(b.e.name) || a.i - b.i)
    .map(({ e }) => e);
  return streamed(ordered, bytes);
}
