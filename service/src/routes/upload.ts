import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { UploadForm, type ErrorBody } from '../../../shared/schemas';
import { AppError } from '../errors';
import { describeIssues } from '../http';
import type { UploadService } from '../uploads/service';
import { saveUploadedFile } from './multipart';

/** `maxBytes`: the largest request body; the rest of the upload limits are the service's. */
export function uploadRoutes(uploads: UploadService, maxBytes: number) {
  return new Hono().post(
    '/upload_data',
    bodyLimit({
      maxSize: maxBytes,
      onError: (c) => {
        // The rest of the body is not wanted: the server drains a bounded part of it so that the client can read this
        // answer (drain.ts), then closes the connection; say so.
        c.header('Connection', 'close');
        const body: ErrorBody = {
          error: {
            code: 'payload_too_large',
            message: `Upload exceeds the ${formatBytes(maxBytes)} limit: split the file, or ask your admin to raise MAX_UPLOAD_MB`,
            details: { max_bytes: maxBytes },
          },
        };
        return c.json(body, 413);
      },
    }),
    async (c) => {
      const file = await saveUploadedFile(c, 'sales file');
      try {
        return c.json(await uploads.ingest(file, parseForm(file.fields)));
      } finally {
        await file.remove();
      }
    },
  );
}

/** The upload's form fields, checked (422 naming the field). */
function parseForm(fields: Record<string, string>): UploadForm {
  const form = UploadForm.safeParse({
    mapping: parseJsonField(fields.mapping, 'mapping'),
    sheet: fields.sheet,
    date_format: fields.date_format?.toUpperCase(),
    store_id: fields.store_id,
    units_from: fields.units_from?.trim().toLowerCase() || undefined,
    week_dates: fields.week_dates?.trim().toLowerCase() || undefined,
    allow_future: parseBooleanField(fields.allow_future),
  });
  if (!form.success) {
    const code = form.error.issues[0]?.path[0] === 'mapping' ? 'invalid_mapping' : 'invalid_request';
    throw new AppError(422, code, `Invalid form field: ${describeIssues(form.error.issues)}`);
  }
  return form.data;
}

/** A form field's "true" / "false" (any case) as a boolean; anything else is left for the schema to refuse. */
function parseBooleanField(text: string | undefined): unknown {
  const lower = text?.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : text;
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
