// Model scopes: one model per store ("store:<id>") and one over all stores ("global").
import { ALL_STORES_ID } from '../../../shared/schemas';

export const GLOBAL_SCOPE = 'global';
/** A training job's scope: a store, or every store plus the global model (the contract's reserved store id). */
export const ALL_SCOPES = ALL_STORES_ID;

export const storeScope = (storeId: string) => `store:${storeId}`;

export function describeScope(scope: string): { scope: 'store' | 'global'; store_id: string | null } {
  return scope.startsWith('store:') ? { scope: 'store', store_id: scope.slice('store:'.length) } : { scope: 'global', store_id: null };
}
