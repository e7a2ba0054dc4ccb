// Warm state for serving: loaded boosters and each store's series. Both are keyed by what the database says is
// current (the active model's id, the store's last upload), so instances sharing a database stay consistent and
// nothing stale is served after a retrain or an upload.
import type { Sql } from '../db/connection';
import { loadCalendarDays, loadSeries } from '../db/series';
import { storeDataState } from '../db/sales';
import { activeModelIds, loadModelById, storedArtifact } from '../db/training';
import { AppError } from '../errors';
import { calendarOrNull, periodEnd, type CalendarEvents, type Grain, type SeriesInput } from '../features/index';
import {
  ForecastModel,
  ModelLoadError,
  StoreBaseline,
  storeShape,
  untrainableReason,
  type Forecaster,
  type StoreShape,
} from '../model/index';
import { getEngine, nativeUnavailableReason } from '../model/engine/index';
import { describeScope, GLOBAL_SCOPE } from '../training/scopes';
import { servingModelOf, servingScopes } from './model-choice';

export interface StoreData {
  storeId: string;
  /** The last day the data covers (the end of its last period). */
  lastDate: string;
  /** The start of its last stored period (= lastDate for daily stores): forecasts start with the next period. */
  lastPeriod: string;
  grain: Grain;
  shape: StoreShape;
  /** Why the store cannot be trained, or null. */
  untrainable: string | null;
  version: number;
  series: SeriesInput[];
  byProduct: Map<string, SeriesInput>;
}

const MAX_MODELS = 32;
const MAX_STORES = 16;

export class ServingCache {
  private models = new Map<number, Promise<ForecastModel>>();
  private stores = new Map<string, { version: number; data: Promise<StoreData> }>();
  private baselines = new Map<string, StoreBaseline>();
  private calendar: { at: number; value: Promise<CalendarEvents | null> } | null = null;

  constructor(private readonly sql: Sql) {}

  /**
   * What answers the store: its own model; else the global model when it was trained on this store (a daily store it
   * saw); else the simple methods on the store's own history (StoreBaseline), labelled as such.
   */
  async forecasterFor(data: StoreData): Promise<{ forecaster: Forecaster; answerer: 'model' | 'global_model' | 'store_baseline' }> {
    const active = await activeModelIds(this.sql, servingScopes([data.storeId]));
    const chosen = servingModelOf(data.storeId, active);
    if (chosen && chosen.scope !== GLOBAL_SCOPE) return { forecaster: await this.modelById(chosen.id), answerer: 'model' };
    if (chosen && data.grain === 'daily' && !data.shape.sparse) {
      const global = await this.modelById(chosen.id);
      if (Object.hasOwn(global.encodings.store, data.storeId)) return { forecaster: global, answerer: 'global_model' };
    }
    const key = `${data.storeId}|${data.version}|${data.lastPeriod}`;
    let baseline = this.baselines.get(key);
    if (!baseline) {
      baseline = StoreBaseline.fit(data.storeId, data.series, data.grain, data.lastPeriod, data.shape.sparse);
      this.baselines.set(key, baseline);
      evict(this.baselines, MAX_STORES);
    }
    return { forecaster: baseline, answerer: 'store_baseline' };
  }

  /** The model serving the store (model-choice.ts) as loaded, or null when none serves it. */
  async modelForStore(storeId: string): Promise<ForecastModel | null> {
    const chosen = servingModelOf(storeId, await activeModelIds(this.sql, servingScopes([storeId])));
    return chosen ? this.modelById(chosen.id) : null;
  }

  private async modelById(id: number): Promise<ForecastModel> {
    const chosen = { id };
    let model = this.models.get(chosen.id);
    if (!model) {
      model = this.load(chosen.id);
      model.catch(() => this.models.delete(chosen.id));
      this.models.set(chosen.id, model);
      evict(this.models, MAX_MODELS, (m) => void m.then((loaded) => loaded.dispose()).catch(() => {}));
    }
    return model;
  }

  /** A model and, when it is served as a blend, its partner: each loaded model owns the partner it holds. */
  private async load(id: number, asPartner = false): Promise<ForecastModel> {
    const row = await loadModelById(this.sql, id);
    if (!row) {
      // A partner is never pruned while a kept model refers to it (db/training.ts), so this is a replaced active model.
      throw new AppError(
        409,
        'no_model',
        asPartner ? `Model ${id}, blended into the active model, is missing` : 'The active model was replaced while loading; try again',
      );
    }
    const label = `${row.scope}@${row.version}`;
    // Native models need the native engine; WASM-trained ones load in either and score faster in native for batches.
    const native = (await nativeUnavailableReason()) === null;
    if (row.engine === 'native' && !native) {
      throw new AppError(503, 'engine_unavailable', 'This model was trained with native XGBoost, which is not installed on this instance');
    }
    try {
      return await ForecastModel.fromArtifact(storedArtifact(row), {
        engine: getEngine(native ? 'native' : 'wasm'),
        label,
        ...(asPartner ? {} : { loadPartner: (partnerId: number) => this.load(partnerId, true) }),
      });
    } catch (err) {
      if (!(err instanceof ModelLoadError)) throw err;
      const store = describeScope(row.scope).store_id;
      throw new AppError(
        409,
        'model_outdated',
        `The model ${label} cannot be served by this version of the service: ${err.message} (POST /train_model with store_id "${store ?? 'all'}")`,
        { model_version: label },
      );
    }
  }

  async storeData(storeId: string): Promise<StoreData> {
    const state = await storeDataState(this.sql, storeId);
    if (!state) throw new AppError(404, 'not_found', `Store "${storeId}" not found`, { store_id: storeId });
    // The last day the data covers: the end of the last stored period (a weekly store's last week ends 6 days later).
    const lastDate = periodEnd(state.lastDate, state.grain);
    const cached = this.stores.get(storeId);
    if (cached && cached.version === state.version) {
      const data = await cached.data;
      if (data.lastDate === lastDate) return data;
    }
    // The store's model loads while its history does: a first request after a start (or an upload) waits for one.
    this.modelForStore(storeId).catch(() => {});
    // Series stay at the store's grain: its model (or baseline) forecasts in its own periods.
    const data = loadSeries(this.sql, { storeId }).then((series) => {
      const shape = storeShape(series, state.grain);
      return {
        storeId,
        lastDate,
        lastPeriod: state.lastDate,
        grain: state.grain,
        shape,
        untrainable: untrainableReason(storeId, shape),
        version: state.version,
        series,
        byProduct: new Map(series.map((s) => [s.productId, s])),
      };
    });
    data.catch(() => this.stores.delete(storeId));
    this.stores.set(storeId, { version: state.version, data });
    evict(this.stores, MAX_STORES);
    return data;
  }

  /** Events calendar, re-read at most every minute. */
  async calendarEvents(): Promise<CalendarEvents | null> {
    if (!this.calendar || Date.now() - this.calendar.at > 60_000) {
      this.calendar = { at: Date.now(), value: loadCalendarDays(this.sql).then(calendarOrNull) };
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
