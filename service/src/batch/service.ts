// POST /batch: many small questions from Excel cells answered at once. The forecast and replenishment queries of a
// store share one recursive forecast of the series they ask about (PredictionService.forecastMany and
// stockRecommendations), so each answer is what /forecast or /predict_with_context gives, at a fraction of the cost
// of asking one by one; every store asked about comes with a version key the add-in caches answers under.
import type { BatchAnswer, BatchError, BatchQuery, BatchResponse, BatchResult } from '../../../shared/schemas';
import type { Sql } from '../db/connection';
import { listProducts, storeDataState } from '../db/sales';
import type { AccuracyService } from '../accuracy/service';
import type { CatalogService } from '../catalog/service';
import { activeModelIds, listModels } from '../db/training';
import { AppError, notFound } from '../errors';
import type { PredictionService } from '../predictions/service';
import { requireServingModel, servingModelOf, servingScopes } from '../serving/model-choice';

/** A query the route could not parse: it fails alone. */
export interface RejectedQuery {
  rejected: string;
  id?: string;
}

interface StoreState {
  /** Active model of the store, else the global one; null when neither exists. */
  modelId: number | null;
  /** Last upload that touched the store. */
  dataVersion: number;
}

/** The cache key of everything the batch answers about a store: its model and its data. */
const storeVersion = (state: StoreState | null) => (state ? `m${state.modelId ?? 0}.u${state.dataVersion}` : 'none');

type Query<K extends BatchQuery['kind']> = Extract<BatchQuery, { kind: K }>;
type Item<K extends BatchQuery['kind']> = { index: number; query: Query<K> };

export class BatchService {
  constructor(
    private readonly sql: Sql,
    private readonly predictions: PredictionService,
    private readonly catalog: Pick<CatalogService, 'history'>,
    private readonly tracked: Pick<AccuracyService, 'storeAccuracy'>,
  ) {}

  async answer(queries: (BatchQuery | RejectedQuery)[], alsoStores: string[] = []): Promise<BatchResponse> {
    const results: BatchResult[] = new Array(queries.length);
    const set = (index: number, answer: BatchAnswer | BatchError) => {
      const id = queries[index].id;
      results[index] = id === undefined ? answer : { ...answer, id };
    };
    const byKind = {
      forecast: [] as Item<'forecast'>[],
      replenishment: [] as Item<'replenishment'>[],
      history: [] as Item<'history'>[],
      accuracy: [] as Item<'accuracy'>[],
      tracked_accuracy: [] as Item<'tracked_accuracy'>[],
      purchase: [] as Item<'purchase'>[],
    };
    queries.forEach((query, index) => {
      if ('rejected' in query) set(index, failure(422, 'invalid_request', query.rejected));
      else (byKind[query.kind] as { index: number; query: BatchQuery }[]).push({ index, query });
    });

    const storeIds = [...new Set([...queries.flatMap((q) => ('rejected' in q ? [] : [q.store_id])), ...alsoStores])];
    // Read before answering: if a model or an upload lands meanwhile, the next check sees a newer key.
    const states = await this.storeStates(storeIds);

    // Stores one after another: each is one forecast, and the database calls of one store are few.
    for (const [storeId, items] of groupBy(byKind.forecast, (item) => item.query.store_id)) {
      await settle(items, set, async () => {
        const answers = await this.predictions.forecastMany(
          storeId,
          items.map(({ query: q }) => ({
            product_id: q.product_id,
            start_date: q.date,
            horizon_days: q.horizon_days ?? 1,
            horizon_periods: q.horizon_periods,
            granularity: q.granularity,
            levels: q.levels ?? [],
            save: q.save,
          })),
        );
        return answers.map((a) =>
          a instanceof AppError
            ? asFailure(a)
            : {
                ok: true,
                kind: 'forecast',
                model_version: a.model_version,
                last_history_date: a.last_history_date,
                granularity: a.granularity,
                basis: a.basis,
                forecast: a.forecast,
              },
        );
      });
    }
    for (const [storeId, items] of groupBy(byKind.replenishment, (item) => item.query.store_id)) {
      await settle(items, set, async () => {
        const answers = await this.predictions.stockRecommendations(
          storeId,
          items.map(({ query: { id: _id, kind: _kind, store_id: _store, ...request } }) => request),
        );
        return answers.map((a) => (a instanceof AppError ? asFailure(a) : { ok: true, kind: 'replenishment', ...a }));
      });
    }
    for (const items of groupBy(byKind.history, ({ query: q }) => JSON.stringify([q.store_id, q.product_id, q.from, q.to])).values()) {
      await settle(items, set, async () => {
        const answer = await this.history(items[0].query);
        return items.map(() => answer);
      });
    }
    for (const items of groupBy(byKind.purchase, ({ query: q }) => JSON.stringify([q.store_id, q.budget])).values()) {
      await settle(items, set, async () => {
        const q = items[0].query;
        const plan = await this.predictions.purchasePlan({ store_id: q.store_id, horizon_days: 7, budget: q.budget });
        const orders = new Map(plan.orders.map((o) => [o.product_id, o]));
        const unplanned = new Map(plan.not_planned.map((o) => [o.product_id, o.reason]));
        const unranked = new Map(plan.unranked.map((o) => [o.product_id, o.reason]));
        // One read of the store's products for the whole group (a sheet of cells asks about hundreds).
        const known = new Set((await listProducts(this.sql, q.store_id)).map((p) => p.product_id));
        return items.map(({ query }): BatchAnswer | BatchError => {
          const why = unplanned.get(query.product_id) ?? unranked.get(query.product_id);
          if (why !== undefined) return failure(409, 'not_planned', `No budget order for "${query.product_id}": ${why}`);
          const own = orders.get(query.product_id);
          if (own) {
            return {
              ok: true,
              kind: 'purchase',
              order_quantity: own.order_quantity,
              unconstrained_order_quantity: own.unconstrained_order_quantity,
            };
          }
          // Planned with nothing to order, or not a product of the store.
          return known.has(query.product_id)
            ? { ok: true, kind: 'purchase', order_quantity: 0, unconstrained_order_quantity: 0 }
            : failure(404, 'not_found', `Product "${query.product_id}" in store "${query.store_id}" not found`);
        });
      });
    }
    for (const items of groupBy(byKind.tracked_accuracy, ({ query: q }) => JSON.stringify([q.store_id, q.from, q.to])).values()) {
      await settle(items, set, async () => {
        const q = items[0].query;
        const r = await this.tracked.storeAccuracy(q.store_id, { from: q.from, to: q.to, top: 1 });
        const answer: BatchAnswer = {
          ok: true,
          kind: 'tracked_accuracy',
          granularity: r.granularity,
          scored_periods: r.scored_periods,
          pending_periods: r.pending_periods,
          overall: r.overall,
        };
        return items.map(() => answer);
      });
    }
    if (byKind.accuracy.length) {
      const active = await listModels(this.sql, { activeOnly: true });
      for (const item of byKind.accuracy) {
        await settle([item], set, async () => [accuracy(item.query.store_id, states.get(item.query.store_id) ?? null, active)]);
      }
    }
    return { results, versions: Object.fromEntries(storeIds.map((id) => [id, storeVersion(states.get(id) ?? null)])) };
  }

  private async storeStates(storeIds: string[]): Promise<Map<string, StoreState | null>> {
    const states = new Map<string, StoreState | null>();
    if (storeIds.length === 0) return states;
    const [data, models] = await Promise.all([
      Promise.all(storeIds.map((id) => storeDataState(this.sql, id))),
      activeModelIds(this.sql, servingScopes(storeIds)),
    ]);
    storeIds.forEach((id, i) => {
      const d = data[i];
      states.set(id, d ? { dataVersion: d.version, modelId: servingModelOf(id, models)?.id ?? null } : null);
    });
    return states;
  }

  /** GET /history's answer (the same periods and 404), reduced to what a cell shows. */
  private async history(q: Query<'history'>): Promise<BatchAnswer> {
    const { history } = await this.catalog.history(q.store_id, q.product_id, { from: q.from, to: q.to });
    return { ok: true, kind: 'history', history: history.map((r) => ({ date: r.date, units_sold: r.units_sold })) };
  }
}

type ModelRow = Awaited<ReturnType<typeof listModels>>[number];

/** The metrics of the model that serves the store: its own, else the global one (as the predictions use). */
function accuracy(storeId: string, state: StoreState | null, active: ModelRow[]): BatchAnswer {
  if (!state) throw notFound(`Store "${storeId}"`, { store_id: storeId });
  const model = requireServingModel(storeId, active);
  return {
    ok: true,
    kind: 'accuracy',
    model_version: `${model.scope}@${model.version}`,
    metrics: model.metrics,
  };
}

/** Gives each item its answer; an error of the whole group (an unknown store, say) becomes every item's answer. */
async function settle<T extends { index: number }>(
  items: T[],
  set: (index: number, answer: BatchAnswer | BatchError) => void,
  answer: () => Promise<(BatchAnswer | BatchError)[]>,
) {
  try {
    const answers = await answer();
    items.forEach((item, k) => set(item.index, answers[k]));
  } catch (err) {
    const failed = asFailure(err);
    items.forEach((item) => set(item.index, failed));
  }
}

const failure = (status: number, code: string, message: string): BatchError => ({ ok: false, error: { code, status, message } });

/** A domain error becomes the query's result; anything else is a bug and fails the whole request loudly. */
function asFailure(err: unknown): BatchError {
  if (err instanceof AppError) return failure(err.status, err.code, err.message);
  throw err;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
