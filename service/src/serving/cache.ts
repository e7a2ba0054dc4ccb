// Warm state for serving: loaded boosters and each store's series. Both are keyed by what the database says is
// current (the active model's id, the store's last upload), so instances sharing a database stay consistent and
// nothing stale is served after a retrain or an upload.
import type { Sql } from '../db/connection';
import { loadCalendar, loadSeries } from '../db/series';
import { storeDataState } from '../db/sales';
import { activeModelIds, loadModelById, type ModelRow } from '../db/training';
import { AppError } from '../errors';
import type { CalendarEvents, Encodings, FeatureSpec, SeriesInput, TargetTransform } from '../features/index';
import type { IntervalModel } from '../forecast/index';
import { getEngine, nativeUnavailableReason, type Booster } from '../model/engine/index';
import { GLOBAL_SCOPE, storeScope } from '../training/scopes';

export interface ServingModel {
  id: number;
  /** e.g. "store:CA_1@3" */
  version: string;
  row: ModelRow;
  booster: Booster;
  encodings: Encodings;
  spec: FeatureSpec;
  target: TargetTransform;
  intervals: IntervalModel;
  /** The model this one is blended with (the global model of the same training job), with its weight. */
  partner?: { model: ServingModel; weight: number };
}

/** Frees a model's boosters (its own and its partner's: each ServingModel owns the boosters it holds). */
function disposeModel(m: ServingModel): void {
  m.booster.dispose();
  if (m.partner) disposeModel(m.partner.model);
}

export interface StoreData {
  storeId: string;
  lastDate: string;
  version: number;
  series: SeriesInput[];
  byProduct: Map<string, SeriesInput>;
}

const MAX_MODELS = 32;
const MAX_STORES = 16;

export class ServingCache {
  private models = new Map<number, Promise<ServingModel>>();
  private stores = new Map<string, { version: number; data: Promise<StoreData> }>();
  private calendar: { at: number; value: Promise<CalendarEvents | null> } | null = null;

  constructor(private readonly sql: Sql) {}

  /** The store's own active model, else the global one; 409 when neither has been trained. */
  async modelForStore(storeId: string): Promise<ServingModel> {
    const active = await activeModelIds(this.sql, [storeScope(storeId), GLOBAL_SCOPE]);
    const chosen = active.find((m) => m.scope === storeScope(storeId)) ?? active.find((m) => m.scope === GLOBAL_SCOPE);
    if (!chosen) {
      throw new AppError(409, 'no_model', `No trained model for store "${storeId}" yet: POST /train_model first`, { store_id: storeId });
    }
    let model = this.models.get(chosen.id);
    if (!model) {
      model = this.load(chosen.id);
      model.catch(() => this.models.delete(chosen.id));
      this.models.set(chosen.id, model);
      evict(this.models, MAX_MODELS, (m) => void m.then(disposeModel).catch(() => {}));
    }
    return model;
  }

  private async load(id: number, asPartner = false): Promise<ServingModel> {
    const row = await loadModelById(this.sql, id);
    if (!row) {
      // A partner is never pruned while a kept model refers to it (db/training.ts), so this is a replaced active model.
      throw new AppError(
        409,
        'no_model',
        asPartner ? `Model ${id}, blended into the active model, is missing` : 'The active model was replaced while loading; try again',
      );
    }
    // Native models need the native engine; WASM-trained ones load in either and score faster in native for batches.
    const native = (await nativeUnavailableReason()) === null;
    if (row.engine === 'native' && !native) {
      throw new AppError(503, 'engine_unavailable', 'This model was trained with native XGBoost, which is not installed on this instance');
    }
    const booster = await getEngine(native ? 'native' : 'wasm').load({
      engine: row.engine as 'native' | 'wasm',
      format: row.format as never,
      bytes: row.bytes,
    });
    const params = row.params as { target?: TargetTransform; ensemble?: { model_id: number; weight: number } };
    let partner: ServingModel['partner'];
    if (params.ensemble && !asPartner) {
      try {
        partner = { model: await this.load(params.ensemble.model_id, true), weight: params.ensemble.weight };
      } catch (err) {
        booster.dispose();
        throw err;
      }
    }
    return {
      id,
      partner,
      version: `${row.scope}@${row.version}`,
      row,
      booster,
      encodings: row.encodings as Encodings,
      spec: row.features as FeatureSpec,
      target: params.target ?? 'log1p',
      intervals: row.intervals as IntervalModel,
    };
  }

  async storeData(storeId: string): Promise<StoreData> {
    const state = await storeDataState(this.sql, storeId);
    if (!state) throw new AppError(404, 'not_found', `Store "${storeId}" not found`, { store_id: storeId });
    const cached = this.stores.get(storeId);
    if (cached && cached.version === state.version) {
      const data = await cached.data;
      if (data.lastDate === state.lastDate) return data;
    }
    const data = loadSeries(this.sql, { storeId }).then((series) => ({
      storeId,
      lastDate: state.lastDate,
      version: state.version,
      series,
      byProduct: new Map(series.map((s) => [s.productId, s])),
    }));
    data.catch(() => this.stores.delete(storeId));
    this.stores.set(storeId, { version: state.version, data });
    evict(this.stores, MAX_STORES);
    return data;
  }

  /** Events calendar, re-read at most every minute. */
  async calendarEvents(): Promise<CalendarEvents | null> {
    if (!this.calendar || Date.now() - this.calendar.at > 60_000) {
      this.calendar = { at: Date.now(), value: loadCalendar(this.sql) };
    }
    return this.calendar.value;
  }
}

function evict<K, V>(map: Map<K, V>, max: number, dispose?: (v: V) => void) {
  while (map.size > max) {
    const [key, value] = map.entries().next().value as [K, V];
    map.delete(key);
    dispose?.(value);
  }
}
