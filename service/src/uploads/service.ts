// The sales upload endpoint's work: an uploaded file from bytes to stored sales, parse (pure), then store in one
// transaction.
import { createHash } from 'node:crypto';
import type { UploadForm, UploadResponse } from '../../../shared/schemas';
import type { Database } from '../db/connection';
import { storeUpload } from '../db/sales';
import { AppError } from '../errors';
import { parseSalesFile } from '../ingest';

export interface UploadLimits {
  maxRows: number;
  /** Named columns a file may have (413 too_many_columns beyond). */
  maxColumns?: number;
  /** What an .xlsx or .csv.gz may expand to (413 file_too_large beyond). */
  maxUnpackedBytes?: number;
}

export class UploadService {
  constructor(
    private readonly db: Pick<Database, 'sql' | 'kind'>,
    private readonly limits: UploadLimits,
  ) {}

  /** Stores every row of the file or, on any problem (422 naming the column and rows, 413, 415), none. */
  async ingest(file: { name: string; bytes: Buffer }, form: UploadForm): Promise<UploadResponse> {
    const parsed = await parseSalesFile({
      filename: file.name,
      data: file.bytes,
      mapping: form.mapping,
      sheet: form.sheet,
      dateOrder: form.date_format,
      defaultStoreId: form.store_id,
      maxRows: this.limits.maxRows,
      maxColumns: this.limits.maxColumns,
      maxDecompressedBytes: this.limits.maxUnpackedBytes,
    });
    if (parsed.records.length === 0) throw new AppError(422, 'empty_file', `"${file.name}" has no sales rows`);

    const checksum = createHash('sha256').update(file.bytes).digest('hex');
    const stored = await storeUpload(
      this.db,
      {
        filename: file.name,
        checksum,
        format: parsed.format,
        grain: parsed.grain,
        rowsRead: parsed.rowsRead,
        columns: parsed.columns as Record<string, string>,
        warnings: parsed.warnings,
      },
      parsed.records,
    );
    return {
      upload_id: stored.uploadId,
      filename: file.name,
      checksum,
      format: parsed.format,
      grain: parsed.grain,
      rows_read: parsed.rowsRead,
      records: parsed.records.length,
      inserted: stored.counts.inserted,
      updated: stored.counts.updated,
      skipped: parsed.records.length - stored.counts.inserted - stored.counts.updated,
      stores: stored.stores,
      date_range: { first: stored.firstDate!, last: stored.lastDate! },
      columns: parsed.columns,
      warnings: parsed.warnings,
    };
  }
}
