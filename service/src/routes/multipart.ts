// Reading an uploaded file from a multipart/form-data body, with the same errors for every upload endpoint.
// busboy parses the body as it streams in: the whole-body parser (Request.formData) held the event loop for over a
// second on an 18 MB file, and nothing else (/ready, /stores) was answered meanwhile.
import busboy from 'busboy';
import type { Context } from 'hono';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { AppError } from '../errors';

export interface UploadedFile {
  name: string;
  bytes: Buffer;
  /** The other (text) fields of the form, trimmed; empty ones left out. */
  fields: Record<string, string>;
}

const malformed = () => new AppError(400, 'malformed_multipart', 'The multipart body could not be read');

/** The file in field "file" and the text fields; 415 when the body is not multipart, 400 when the file is missing. */
export async function readUploadedFile(c: Context, what: string): Promise<UploadedFile> {
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
  let file: { name: string; chunks: Buffer[] } | null = null;
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('field', (name, value) => {
      if (value.trim() !== '') fields[name] = value.trim();
    });
    parser.on('file', (name, stream, info) => {
      // A body that ends early fails the file part too; the parser's own error reports it.
      stream.on('error', () => {});
      // The first "file" field is the upload; any other file part is read and dropped.
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      const current = { name: info.filename || 'upload', chunks: [] as Buffer[] };
      file = current;
      stream.on('data', (chunk: Buffer) => current.chunks.push(chunk));
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
  } catch (err) {
    // The body itself failed (the size limit, a client hang-up): that error, not a malformed form.
    if (bodyError !== null) throw bodyError;
    if (err instanceof AppError) throw err;
    throw malformed();
  }
  const uploaded = file as { name: string; chunks: Buffer[] } | null;
  if (!uploaded) throw new AppError(400, 'missing_file', `Attach the ${what} in a multipart field named "file"`);
  return { name: uploaded.name, bytes: Buffer.concat(uploaded.chunks), fields };
}
