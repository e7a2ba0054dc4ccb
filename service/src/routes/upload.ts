import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { UploadForm, type ErrorBody } from '../../../shared/schemas';
import type { Database } from '../db/connection';
import { AppError } from '../errors';
import { describeIssues } from '../http';
import { ingestUpload, type UploadLimits } from '../uploads/ingest-upload';
import { readUploadedFile } from './multipart';

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
      const file = await readUploadedFile(c, 'sales file');
      const form = UploadForm.safeParse({
        mapping: parseJsonField(file.fields.mapping, 'mapping'),
        sheet: file.fields.sheet,
        date_format: file.fields.date_format?.toUpperCase(),
        store_id: file.fields.store_id,
      });
      if (!form.success) {
        const code = form.error.issues[0]?.path[0] === 'mapping' ? 'invalid_mapping' : 'invalid_request';
        throw new AppError(422, code, `Invalid form field: ${describeIssues(form.error.issues)}`);
      }
      return c.json(await ingestUpload(db, file, form.data, limits));
    },
  );
}

function parseJsonField(text: string | undefined, name: string): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(422, 'invalid_mapping', `"${name}" must be a JSON object such as {"units_sold": "Qty"}`);
  }
}

const formatBytes = (n: number) => (n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MB` : `${Math.round(n / 1024)} KB`);
