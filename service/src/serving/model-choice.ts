// Which model serves a store: its own active model, else the global one. One rule and one "no model" answer for
// predictions, bulk plans and /batch.
import { AppError } from '../errors';
import { GLOBAL_SCOPE, storeScope } from '../training/scopes';

/** The active model (of those given) that serves the store, or null when neither its own nor the global one exists. */
export function servingModelOf<M extends { scope: string }>(storeId: string, active: M[]): M | null {
  return active.find((m) => m.scope === storeScope(storeId)) ?? active.find((m) => m.scope === GLOBAL_SCOPE) ?? null;
}

/** The scopes whose active models may serve these stores. */
export const servingScopes = (storeIds: string[]): string[] => [...storeIds.map(storeScope), GLOBAL_SCOPE];

export function noModelError(storeId: string): AppError {
  return new AppError(409, 'no_model', `No trained model for store "${storeId}" yet: POST /train_model first`, { store_id: storeId });
}

/** servingModelOf, or the 409 that says to train first. */
export function requireServingModel<M extends { scope: string }>(storeId: string, active: M[]): M {
  const model = servingModelOf(storeId, active);
  if (!model) throw noModelError(storeId);
  return model;
}
