import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProgressId, UploadForm, UploadQuery, type ErrorBody } from '../../../shared/schemas';
import { AppError } from '../errors';
import { describeIssues } from '../http';
import type { UploadProgress, UploadProgressBoard } from '../uploads/progress';
import type { UploadService } from '../uploads/service';
import { saveUploadedFile } from './multipart';

/** `maxBytes`: the largest request body; the rest of the upload limits are the service's. */
export function uploadRoutes(uploads: UploadService, maxBytes: number, progressBoard: UploadProgressBoard) {
  return new Hono()
    .get('/upload_progress/:progress_id', (c) => {
      const id = ProgressId.safeParse(c.req.param('progress_id'));
      if (!id.success) throw new AppError(422, 'invalid_request', `Invalid progress_id: ${describeIssues(id.error.issues)}`);
      return c.json(progressBoard.get(id.data).view());
    })
    .post(
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
        const query = UploadQuery.safeParse({ progress_id: c.req.query('progress_id') });
        if (!query.success) throw new AppError(422, 'invalid_request', `Invalid query: ${describeIssues(query.error.issues)}`);
        const progress: UploadProgress | null = query.data.progress_id ? progressBoard.start(query.data.progress_id) : null;
        try {
          const file = await saveUploadedFile(c, 'sales file', progress ? (bytesReceived) => progress.set({ bytesReceived }) : undefined);
          try {
            const answer = await uploads.ingest(file, parseForm(file.fields), progress);
            progress?.end('done');
            return c.json(answer);
          } finally {
            await file.remove();
          }
        } catch (e) {
          progress?.end('failed');
          throw e;
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
