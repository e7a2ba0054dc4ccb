// Reading an uploaded file from a multipart/form-data body, with the same errors for every upload endpoint.
// busboy parses the body as it streams in: the whole-body parser (Request.formData) held the event loop for over a
// second on an 18 MB file, and nothing else (/ready, /stores) was answered meanwhile.
import busboy from 'busboy';
import type { Context } from 'hono';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../errors';
import { uploadTempDir } from '../ingest/temp-files';

export interface UploadedFile {
  name: string;
  /** The file's bytes, when read into memory. */
  bytes: Buffer;
  /** The other (text) fields of the form, trimmed; empty ones left out. */
  fields: Record<string, string>;
}

/** A file saved to a temporary file as it streamed in: its bytes never all in memory. */
export interface SavedFile {
  name: string;
  path: string;
  size: number;
  /** sha256 of the bytes, hex. */
  checksum: string;
  fields: Record<string, string>;
  /** Removes the temporary file. */
  remove(): Promise<void>;
}

const malformed = () => new AppError(400, 'malformed_multipart', 'The multipart body could not be read');

/** The file in field "file" and the text fields; 415 when the body is not multipart, 400 when the file is missing. */
export async function readUploadedFile(c: Context, what: string): Promise<UploadedFile> {
  const chunks: Buffer[] = [];
  const { name, fields } = await readForm(c, what, (stream) => {
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    return new Promise<void>((resolve) => stream.on('end', resolve));
  });
  return { name, bytes: Buffer.concat(chunks), fields };
}

/** As readUploadedFile, but the file goes to a temporary file (sha256 taken on the way): for uploads of any size. */
export async function saveUploadedFile(c: Context, what: string, onBytes?: (received: number) => void): Promise<SavedFile> {
  const dir = uploadTempDir();
  const path = join(dir, 'file');
  const remove = () => rm(dir, { recursive: true, force: true });
  const hash = createHash('sha256');
  let size = 0;
  try {
    const { name, fields } = await readForm(c, what, (stream) => {
      stream.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
        onBytes?.(size);
      });
      return pipeline(stream, createWriteStream(path));
    });
    return { name, path, size, checksum: hash.digest('hex'), fields, remove };
  } catch (e) {
    await remove();
    throw e;
  }
}

async function readForm(
  c: Context,
  what: string,
  receive: (stream: Readable) => Promise<void>,
): Promise<{ name: string; fields: Record<string, string> }> {
  const contentType = c.req.header('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data in a field named "file"');
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8' });
  } catch {
    throw malformed(); // no boundary
  }
  const body = c.req.raw.body;
  if (!body) throw malformed();

  const fields: Record<string, string> = {};
  let name: string | null = null;
  let received: Promise<void> | null = null;
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('field', (field, value) => {
      if (value.trim() !== '') fields[field] = value.trim();
    });
    parser.on('file', (field, stream, info) => {
      // A body that ends early fails the file part too; the parser's own error reports it.
      stream.on('error', () => {});
      // The first "file" field is the upload; any other file part is read and dropped.
      if (field !== 'file' || name !== null) {
        stream.resume();
        return;
      }
      name = info.filename || 'upload';
      received = receive(stream);
      received.catch(() => {});
    });
    parser.on('close', resolve);
    parser.on('error', reject);
  });
  const source = Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>);
  let bodyError: unknown = null;
  source.on('error', (err) => {
    bodyError = err;
    parser.destroy(err);
  });
  source.pipe(parser);
  try {
    await parsed;
    if (received) await received;
  } catch (err) {
    // The body itself failed (the size limit, a client hang-up): that error, not a malformed form.
    if (bodyError !== null) throw bodyError;
    if (err instanceof AppError) throw err;
    throw malformed();
  }
  if (name === null) throw new AppError(400, 'missing_file', `Attach the ${what} in a multipart field named "file"`);
  return { name, fields };
}
