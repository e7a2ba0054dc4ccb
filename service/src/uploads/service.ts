// The sales upload endpoint's work: an uploaded file from bytes to stored sales, parse (pure), then store in one
// transaction.
import { createHash } from 'node:crypto';
import type { UploadForm, UploadResponse } from '../../../shared/schemas';
import type { Database, Sql } from '../db/connection';
import { storedIds } from '../db/known-ids';
import { demoStoreIds } from '../db/removal';
import { storeDateSpan, storeGrains, storeSpans, storeUpload } from '../db/sales';
import { AppError } from '../errors';
import { type EmitCounts, readSalesFile, type SalesFileReading } from '../ingest';
import { lookAlikeStored, lookAlikeWarning } from '../ingest/ids';
import { shapeFromSpan, untrainableReason } from '../model/index';
import type { UploadProgress } from './progress';

export interface UploadLimits {
  maxRows: number;
  /** Named columns a file may have (413 too_many_columns beyond). */
  maxColumns?: number;
  /** What an .xlsx or .csv.gz may expand to (413 file_too_large beyond). */
  maxUnpackedBytes?: number;
}

/** An uploaded file: its bytes, or where it was saved (with the sha256 taken while saving). */
export type UploadedSalesFile = { name: string } & (
  { bytes: Buffer; path?: undefined; checksum?: undefined } | { path: string; checksum: string; bytes?: undefined }
);

/** Told the stores an upload added days to, once it is stored; answers the training jobs it queued. */
export type AfterNewDays = (stores: string[]) => Promise<{ store_id: string; job_id: number }[]>;

export class UploadService {
  constructor(
    private readonly db: Pick<Database, 'sql' | 'kind'>,
    private readonly limits: UploadLimits,
    private readonly afterNewDays: AfterNewDays | null = null,
  ) {}

  /** Stores every row of the file or, on any problem (422 naming the column and rows, 413, 415), none. */
  async ingest(file: UploadedSalesFile, form: UploadForm, progress: UploadProgress | null = null): Promise<UploadResponse> {
    progress?.set({ phase: 'reading' });
    const reading = await readSalesFile({
      onRows: progress ? (rowsRead) => progress.set({ rowsRead }) : undefined,
      filename: file.name,
      data: file.bytes,
      path: file.path,
      mapping: form.mapping,
      sheet: form.sheet,
      dateOrder: form.date_format,
      weekDates: form.week_dates,
      knownGrains: await storeGrains(this.db.sql),
      defaultStoreId: form.store_id,
      unitsFrom: form.units_from,
      allowFuture: form.allow_future,
      maxRows: this.limits.maxRows,
      maxColumns: this.limits.maxColumns,
      maxDecompressedBytes: this.limits.maxUnpackedBytes,
    });
    try {
      progress?.set({ phase: 'storing', rowsRead: reading.rowsRead, records: reading.records });
      return await this.store(file, reading, progress);
    } finally {
      reading.close();
    }
  }

  private async store(file: UploadedSalesFile, reading: SalesFileReading, progress: UploadProgress | null): Promise<UploadResponse> {
    if (reading.records === 0) throw new AppError(422, 'empty_file', `"${file.name}" has no sales rows`);
    const fromStore = [
      ...(await demoStoreWarnings(this.db.sql, reading.stores)),
      ...(await storedLookAlikeWarnings(this.db.sql, reading.stores, reading.products)),
    ];
    const checksum = file.checksum ?? createHash('sha256').update(file.bytes!).digest('hex');
    let counts: EmitCounts | null = null;
    const warnings = () => [...reading.warnings(counts!), ...fromStore];
    const stored = await storeUpload(
      this.db,
      {
        filename: file.name,
        checksum,
        format: reading.format,
        grain: reading.grain,
        weekDates: reading.weekDates,
        rowsRead: reading.rowsRead,
        columns: reading.columns as Record<string, string>,
        warnings,
      },
      {
        records: reading.records,
        stores: reading.stores,
        firstDate: reading.firstDate,
        lastDate: reading.lastDate,
        emit: async (sink) => {
          let written = 0;
          counts = await reading.emit(async (batch) => {
            await sink(batch);
            written += batch.length;
            progress?.set({ recordsWritten: written });
          });
          // Then the merge with stored days, the product figures and the commit.
          progress?.set({ phase: 'finishing' });
          return counts;
        },
      },
    );
    const said = warnings();
    // Said now, not only when Train is pressed: a store too short or too scattered to train.
    const untrainable = await untrainableWarnings(this.db.sql, stored.stores, reading.grain);
    said.push(...untrainable.map((w) => w.warning));
    const retraining =
      this.afterNewDays && stored.counts.inserted > 0
        ? await this.afterNewDays(stored.stores.filter((storeId) => !untrainable.some((w) => w.storeId === storeId)))
        : undefined;
    return {
      upload_id: stored.uploadId,
      filename: file.name,
      checksum,
      format: reading.format,
      grain: reading.grain,
      week_dates: reading.weekDates,
      rows_read: reading.rowsRead,
      records: reading.records,
      inserted: stored.counts.inserted,
      updated: stored.counts.updated,
      skipped: reading.records - stored.counts.inserted - stored.counts.updated,
      stores: stored.stores,
      date_range: { first: stored.firstDate!, last: stored.lastDate! },
      columns: reading.columns,
      warnings: said,
      ...(retraining ? { retraining } : {}),
    };
  }
}

/** Store and product ids of the upload that differ from stored ones only in upper/lower case or spaces. */
async function storedLookAlikeWarnings(sql: Sql, storeIds: string[], productIds: string[]): Promise<string[]> {
  const stores = new Set(storeIds);
  const products = new Set(productIds);
  const stored = await storedIds(sql, [...stores]);
  return [
    lookAlikeWarning('store', lookAlikeStored(stores, stored.stores), true),
    lookAlikeWarning('product', lookAlikeStored(products, stored.products), true),
  ].filter((w): w is string => w !== null);
}
/** Why each store of the upload cannot be trained yet (too little or too scattered history), as upload warnings. */
async function untrainableWarnings(
  sql: Sql,
  storeIds: string[],
  grain: Parameters<typeof shapeFromSpan>[1],
): Promise<{ storeId: string; warning: string }[]> {
  const out: { storeId: string; warning: string }[] = [];
  for (const span of await storeSpans(sql, storeIds)) {
    // The catalog's count is a lower bound of the store's dates: count them exactly before saying so.
    if (untrainableReason(span.store_id, shapeFromSpan(span, grain)) === null) continue;
    const exact = await storeDateSpan(sql, span.store_id);
    const reason = exact && untrainableReason(span.store_id, shapeFromSpan(exact, grain));
    if (reason) out.push({ storeId: span.store_id, warning: reason });
  }
  return out;
}

/** Rows uploaded into a store that holds generated demo data are stored next to it: the answer says so. */
async function demoStoreWarnings(sql: Sql, storeIds: string[]): Promise<string[]> {
  const demo = await demoStoreIds(sql, storeIds);
  return [...demo]
    .sort()
    .map(
      (id) =>
        `Store "${id}" holds generated demo data: these rows are stored alongside it, and its figures and forecasts mix both. ` +
        'DELETE /demo removes the demo data and keeps your rows; or upload under a store id of your own',
    );
}
