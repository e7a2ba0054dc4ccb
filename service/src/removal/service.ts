// The removal endpoints' work: a store, a product, an upload undone, the demo data. Each is one transaction
// (db/removal.ts) and answers what it removed; 404 for what does not exist, 409 for what cannot be removed now.
import type { DemoRemovalResponse, ProductRemovalResponse, StoreRemovalResponse, UploadUndoResponse } from '../../../shared/schemas';
import type { Database } from '../db/connection';
import { removeDemoData, removeProduct, removeStore, TrainingRunning, undoUpload, type ScopeNames } from '../db/removal';
import { AppError, notFound } from '../errors';
import { ALL_SCOPES, GLOBAL_SCOPE, storeScope } from '../training/scopes';

const SCOPES: ScopeNames = { store: storeScope, all: ALL_SCOPES, global: GLOBAL_SCOPE };

export class RemovalService {
  constructor(private readonly db: Pick<Database, 'sql'>) {}

  /** A store's sales, products, models and training jobs. */
  async removeStore(storeId: string): Promise<StoreRemovalResponse> {
    const removed = await refusingWhileTraining(() => removeStore(this.db, storeId, SCOPES));
    if (!removed) throw notFound(`Store "${storeId}"`, { store_id: storeId });
    return { store_id: storeId, removed };
  }

  /** One product's sales and catalog row. */
  async removeProduct(storeId: string, productId: string): Promise<ProductRemovalResponse> {
    const removed = await refusingWhileTraining(() => removeProduct(this.db, storeId, productId, SCOPES));
    if (!removed) throw notFound(`Product "${productId}" in store "${storeId}"`, { store_id: storeId, product_id: productId });
    return { store_id: storeId, product_id: productId, removed };
  }

  /** Undoes an upload, or refuses when a later upload replaced days it wrote. */
  async undoUpload(uploadId: number): Promise<UploadUndoResponse> {
    const outcome = await refusingWhileTraining(() => undoUpload(this.db, uploadId, SCOPES));
    switch (outcome.status) {
      case 'not_found':
        throw notFound(`Upload ${uploadId}`, { upload_id: uploadId });
      case 'already_undone':
        throw new AppError(409, 'already_undone', `Upload ${uploadId} was undone at ${outcome.undoneAt}`, {
          upload_id: uploadId,
          undone_at: outcome.undoneAt,
        });
      case 'conflict': {
        const later = outcome.laterUploads;
        throw new AppError(
          409,
          'undo_conflict',
          `Upload ${uploadId} cannot be undone: later upload${later.length > 1 ? 's' : ''} ${later.join(', ')} replaced days it wrote; ` +
            `undo ${later.length > 1 ? 'those' : 'that one'} first (DELETE /uploads/${later.at(-1)})`,
          { upload_id: uploadId, later_uploads: later },
        );
      }
      case 'undone':
        return { upload_id: uploadId, stores: outcome.stores, restored_rows: outcome.restored, removed: outcome.removed };
    }
  }

  /** Every demo row, and the models and jobs that came from demo data. */
  async removeDemo(): Promise<DemoRemovalResponse> {
    return refusingWhileTraining(() => removeDemoData(this.db, SCOPES));
  }
}

async function refusingWhileTraining<T>(removal: () => Promise<T>): Promise<T> {
  try {
    return await removal();
  } catch (err) {
    if (!(err instanceof TrainingRunning)) throw err;
    const jobs = err.jobIds.join(', ');
    throw new AppError(
      409,
      'training_running',
      `Training job${err.jobIds.length > 1 ? 's' : ''} ${jobs} ${err.jobIds.length > 1 ? 'are' : 'is'} running over this data ` +
        `(store ${err.storeIds.join(', ')}); remove it once ${err.jobIds.length > 1 ? 'they have' : 'it has'} finished (GET /training_status/${err.jobIds[0]})`,
      { job_ids: err.jobIds, store_ids: err.storeIds },
    );
  }
}
