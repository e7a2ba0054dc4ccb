// Helpers for the ingest tests.
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { AppError } from '../errors';
import { type ParseOptions, type ParsedUpload, parseSalesFile } from './index';

export const DATA = '/work/shared/data';

export function parseCsv(text: string | Buffer, options: Partial<ParseOptions> = {}): Promise<ParsedUpload> {
  const data = typeof text === 'string' ? Buffer.from(text) : text;
  return parseSalesFile({ filename: 'sales.csv', data, ...options });
}

export function parseCsvGz(text: string, options: Partial<ParseOptions> = {}): Promise<ParsedUpload> {
  return parseSalesFile({ filename: 'sales.csv.gz', data: gzipSync(Buffer.from(text)), ...options });
}

/** Awaits a rejection and checks it is the AppError expected. */
export async function rejection(promise: Promise<unknown>, status: number, code: string): Promise<AppError> {
  let error: unknown = null;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected the parse to fail').toBeInstanceOf(AppError);
  const app = error as AppError;
  expect({ status: app.status, code: app.code, message: app.message }).toMatchObject({ status, code });
  return app;
}
