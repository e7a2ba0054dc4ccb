// Reading an uploaded file from a multipart/form-data body, with the same errors for every upload endpoint.
import type { Context } from 'hono';
import { AppError } from '../errors';

export interface UploadedFile {
  name: string;
  bytes: Buffer;
  /** The other (text) fields of the form, trimmed; empty ones left out. */
  fields: Record<string, string>;
}

/** The file in field "file" and the text fields; 415 when the body is not multipart, 400 when the file is missing. */
export async function readUploadedFile(c: Context, what: string): Promise<UploadedFile> {
  const contentType = c.req.header('content-type') ?? '';
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
    throw new AppError(415, 'unsupported_media_type', 'Send the file as multipart/form-data in a field named "file"');
  }
  let body: Record<string, string | File>;
  try {
    body = (await c.req.parseBody()) as Record<string, string | File>;
  } catch {
    throw new AppError(400, 'malformed_multipart', 'The multipart body could not be read');
  }
  const file = body.file;
  if (!(file instanceof File)) throw new AppError(400, 'missing_file', `Attach the ${what} in a multipart field named "file"`);
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string' && value.trim() !== '') fields[key] = value.trim();
  return { name: file.name || 'upload', bytes: Buffer.from(await file.arrayBuffer()), fields };
}
