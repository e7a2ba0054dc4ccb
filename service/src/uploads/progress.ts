// How far each upload sent with a progress id has got, for GET /upload_progress/{id}: the pane shows rows stored
// once the bytes are sent. Kept in this instance's memory (an upload is taken by one instance), for a while after.
import type { UploadProgressResponse } from '../../../shared/schemas';
import { AppError } from '../errors';

type Phase = UploadProgressResponse['phase'];

/** One upload's counters, updated by the route (bytes) and the upload's reading and storing. */
export class UploadProgress {
  phase: Phase = 'receiving';
  bytesReceived = 0;
  rowsRead = 0;
  records: number | null = null;
  recordsWritten = 0;
  readonly startedAt = new Date();
  updatedAt = new Date();
  endedAt: number | null = null;

  constructor(readonly id: string) {}

  set(change: Partial<Pick<UploadProgress, 'phase' | 'bytesReceived' | 'rowsRead' | 'records' | 'recordsWritten'>>): void {
    Object.assign(this, change);
    this.updatedAt = new Date();
  }

  end(outcome: 'done' | 'failed'): void {
    this.set({ phase: outcome });
    this.endedAt = Date.now();
  }

  view(): UploadProgressResponse {
    return {
      progress_id: this.id,
      phase: this.phase,
      bytes_received: this.bytesReceived,
      rows_read: this.rowsRead,
      records: this.records,
      records_written: this.recordsWritten,
      started_at: this.startedAt.toISOString(),
      updated_at: this.updatedAt.toISOString(),
    };
  }
}

/** Ended uploads are kept this long for a last poll. */
const KEEP_MS = 10 * 60_000;
/** At most this many ended uploads are kept (the oldest go first). */
const MAX_ENDED = 1000;

export class UploadProgressBoard {
  private readonly uploads = new Map<string, UploadProgress>();

  /** A new upload under the client's id; 409 while another upload with that id is still being taken. */
  start(id: string): UploadProgress {
    this.prune();
    const existing = this.uploads.get(id);
    if (existing && existing.endedAt === null) {
      throw new AppError(
        409,
        'conflict',
        `An upload with progress_id "${id}" is still being taken: choose a new progress_id for each upload`,
      );
    }
    const progress = new UploadProgress(id);
    this.uploads.delete(id);
    this.uploads.set(id, progress);
    return progress;
  }

  get(id: string): UploadProgress {
    this.prune();
    const progress = this.uploads.get(id);
    if (!progress) {
      throw new AppError(
        404,
        'not_found',
        `No upload with progress_id "${id}" on this instance: it ended more than 10 minutes ago, was never started, or another instance takes it`,
        { progress_id: id },
      );
    }
    return progress;
  }

  private prune(): void {
    const now = Date.now();
    let ended = 0;
    for (const p of this.uploads.values()) if (p.endedAt !== null) ended++;
    // Map order is start order: the oldest first.
    for (const [id, p] of this.uploads) {
      if (p.endedAt === null) continue;
      if (now - p.endedAt > KEEP_MS || ended > MAX_ENDED) {
        this.uploads.delete(id);
        ended--;
      }
    }
  }
}
