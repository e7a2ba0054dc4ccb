import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { UploadForm, type ErrorBody } from '../../../shared/schemas';
import type { Database } from '../db/connection';
import { AppError } from '../errors';
import { describeIssues } from '../http';
import { ingestUpload, type UploadLimits } from '../uploads/ingest-upload';

export function uploadRoutes(db: Database, limits: UploadLimits & { maxBytes: number }) {
  return new Hono().post(
    '/upload_data',
    bodyLimit({
      maxSize: limits.maxBytes,
      onError: (c) => {
        // The rest of the body is never read: tell the client not to reuse this connection.
        c.header('Connection', 'close');
        const body: ErrorBody = {
          error: {
            code: 'payload_too_large',
            message: `Upload exceeds the ${formatBytes(limits.maxBytes)} limit`,
            details: { max_bytes: limits.maxBytes },
          },
        };
        return c.json(body, 413);
      },
    }),
    async (c) => {
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
      if (!(file instanceof File)) {
        throw new AppError(400, 'missing_file', 'Attach the sales file in a multipart field named "file"');
      }
      const form = UploadForm.safeParse({
        mapping: parseJsonField(body.mapping, 'mapping'),
        sheet: textField(body.sheet),
        date_format: textField(body.date_format)?.toUpperCase(),
        store_id: textField(body.store_id),
      });
      if (!form.success) {
        const code = form.error.issues[0]?.path[0] === 'mapping' ? 'invalid_mapping' : 'invalid_request';
        throw new AppError(422, code, `Invalid form field: ${describeIssues(form.error.issues)}`);
      }
      const bytes = Buffer.from(await file.arrayBuffer());
      return c.json(await ingestUpload(db, { name: file.name || 'upload', bytes }, form.data, limits));
    },
  );
}

const textField = (v: string | File | undefined) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

function parseJsonField(v: string | File | undefined, name: string): unknown {
  const text = textField(v);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(422, 'invalid_mapping', `"${name}" must be a JSON object such as {"units_sold": "Qty"}`);
  }
}

const formatBytes = (n: number) => (n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MB` : `${Math.round(n / 1024)} KB`);
