// The prediction endpoints' work: pick the model and data, forecast, and turn forecasts into stock decisions.
// Long file: one class serves the five prediction endpoints, which share the store context, the horizon checks and
// the planning inputs; its pure helpers live in answers.ts and scenario.ts.
import {
  MAX_AHEAD_DAYS,
  type Basis,
  type Granularity,
  type BulkPrediction,
  type BulkPredictResponse,
  type PurchasePlanResponse,
  type ForecastResponse,
  type PredictResponse,
  type PredictWithContextResponse,
  type Scenario,
} from '../../../shared/schemas';
import type { Config } from '../config';
import type { Sql } from '../db/connection';
import { listProducts, productAttributes, type ProductAttributesRow } from '../db/sales';
import { saveSnapshot, type SnapshotHeader, type SnapshotPeriod } from '../db/snapshots';
import { normaliseLevel } from '../forecast/index';
import { AppError, notFound } from '../errors';
import { addDays, daysAhead, periodDays, periodEnd, type SeriesInput } from '../features/index';
import {
  count,
  demandBreakdown,
  replenishmentPlan,
  resolveAttributes,
  type ReplenishmentDefaults,
  type ResolvedAttributes,
} from '../inventory/index';
import type { ServingCache, StoreData } from '../serving/cache';

type Answerer = Awaited<ReturnType<ServingCache['forecasterFor']>>['answerer'];
type Calendar = Awaited<ReturnType<ServingCache['calendarEvents']>>;
import { seriesBasis, type Forecaster, type ProductForecast } from '../model/index';
import {
  aggregate,
  answerPeriods,
  dailyPath,
  granularityFor,
  levelPercent,
  periodLengthsFrom,
  periodsCovering,
  periodTotals,
  storePeriodsTo,
} from './periods';
import { lastInventory, lastPrice, lastWeeks, noBasis, stockRecommendation, summarise, unknownStock } from './answers';
import { scenarioOverrides, scenarioPriceNotes, scenarioPrices } from './scenario';
import { planSnapshotPeriods, snapshotGranularity } from './snapshot';
import { budgetPlan, type BudgetCandidate } from '../inventory/budget';
import { applyOverrides, overridesFor, type ForecastOverride } from '../overrides/apply';
import { activeOverrides } from '../overrides/service';

export type PredictionConfig = Pick<Config, 'LEAD_TIME_DAYS' | 'REVIEW_DAYS' | 'SERVICE_LEVEL' | 'EXCESS_COVER_MULTIPLE' | 'CURRENCY'>;

/** Forecasts of whole stores are computed in blocks of this many days and reused until the model or data change. */
const FORECAST_BLOCK_DAYS = 28;
/**
 * Days of forecast a stock recommendation is computed from (at least the protection period): its demand estimates,
 * days of cover and plan. Fixed, so /bulk_predict, /predict_with_context and /batch agree whatever horizon or earlier
 * call made a longer forecast available.
 */
const PLANNING_DAYS = 28;
const planningDays = (a: Pick<ResolvedAttributes, 'leadTimeDays' | 'reviewDays'>) =>
  Math.max(PLANNING_DAYS, Math.ceil(a.leadTimeDays + a.reviewDays));
const CACHED_STORE_FORECASTS = 8;

/** What shapes a stock recommendation: the inputs of /predict_with_context except a scenario. */
export interface StockRequest {
  product_id: string;
  date?: string;
  current_stock?: number;
  on_order?: number;
  lead_time_days?: number;
  lead_time_sd_days?: number;
  review_days?: number;
  service_level?: number;
  service_measure?: 'cycle' | 'fill_rate';
  unit_cost?: number;
  price?: number;
  pack_size?: number;
  min_order_qty?: number;
}
export type StockRecommendation = PredictWithContextResponse['stock_recommendation'];

export class PredictionService {
  private storeForecasts = new Map<string, ProductForecast[]>();
  /** Each cached store forecast's bases, worked out once (they read every record of every series). */
  private storeBases = new WeakMap<ProductForecast[], Basis[]>();

  constructor(
    private readonly sql: Sql,
    private readonly cache: ServingCache,
    private readonly config: PredictionConfig,
  ) {}

  private get defaults(): ReplenishmentDefaults {
    return {
      leadTimeDays: this.config.LEAD_TIME_DAYS,
      reviewDays: this.config.REVIEW_DAYS,
      serviceLevel: this.config.SERVICE_LEVEL > 1 ? this.config.SERVICE_LEVEL / 100 : this.config.SERVICE_LEVEL,
      excessCoverMultiple: this.config.EXCESS_COVER_MULTIPLE,
      currency: this.config.CURRENCY,
    };
  }

  private async productContext(storeId: string, productId: string) {
    const data = await this.cache.storeData(storeId);
    const series = data.byProduct.get(productId);
    if (!series) throw notFound(`Product "${productId}" in store "${storeId}"`, { store_id: storeId, product_id: productId });
    const { forecaster: model, answerer } = await this.cache.forecasterFor(data);
    const [calendar, overrides] = await Promise.all([this.cache.calendarEvents(), activeOverrides(this.sql, storeId)]);
    return { data, series, model, answerer, calendar, overrides };
  }

  /** The store's forecast of a series set from its last stored period, long enough to cover every day up to `end`. */
  private storePath(
    model: Forecaster,
    data: StoreData,
    series: SeriesInput[],
    end: string,
    calendar: Calendar,
    overrides: ForecastOverride[],
    scenario?: ReturnType<typeof scenarioOverrides>,
  ) {
    const horizon = Math.max(1, storePeriodsTo(data.lastDate, end, data.grain));
    return withOverrides(model.forecast(series, { origin: data.lastPeriod, horizon, calendar, scenario }), data, overrides);
  }

  private basisOf(
    data: StoreData,
    answerer: Answerer,
    series: SeriesInput,
    f: Pick<ProductForecast, 'method' | 'kind' | 'override'>,
  ): Basis {
    const basis = seriesBasis(series, f.method, f.kind, {
      storeId: data.storeId,
      grain: data.grain,
      answerer,
      untrained: data.untrainable,
      sparse: data.shape.sparse,
      origin: data.lastPeriod,
    });
    // A forecast with no basis stays without one: an override does not make up for missing data.
    return f.override && basis.confidence !== 'none' ? { ...basis, override: f.override } : basis;
  }

  /** Steps from the last stored day to the first requested day; rejects days in the past or too far ahead. */
  private offsetOf(data: StoreData, date: string | undefined, field: string, span = 1): number {
    if (date === undefined) return 0;
    const ahead = daysAhead(data.lastDate, date);
    if (ahead < 1) {
      throw new AppError(
        422,
        'date_not_in_future',
        `${field} ${date} is not after the last stored day (${data.lastDate}); forecasts start on ${addDays(data.lastDate, 1)}`,
        { field, last_stored_date: data.lastDate },
      );
    }
    const max = MAX_AHEAD_DAYS[data.grain];
    if (ahead - 1 + span > max) {
      throw new AppError(422, 'beyond_horizon', `${field} ${date} is more than ${max} days after the last stored day (${data.lastDate})`, {
        field,
        max_date: addDays(data.lastDate, max),
      });
    }
    return ahead - 1;
  }

  async predict(req: { store_id: string; product_id: string; date: string }): Promise<PredictResponse> {
    const { data, series, model, answerer, calendar, overrides } = await this.productContext(req.store_id, req.product_id);
    granularityFor('day', data.grain, req.store_id);
    const offset = this.offsetOf(data, req.date, 'date');
    const [f] = this.storePath(model, data, [series], req.date, calendar, overrides);
    const basis = requireBasis(this.basisOf(data, answerer, series, f), req.product_id);
    return {
      store_id: req.store_id,
      product_id: req.product_id,
      date: req.date,
      predicted_demand: round(f.values[offset]),
      model_version: model.label,
      basis,
    };
  }

  async forecast(req: ForecastAsk & { store_id: string; scenario?: Scenario }): Promise<ForecastResponse> {
    const { data, series, model, answerer, calendar, overrides } = await this.productContext(req.store_id, req.product_id);
    const ask = this.forecastPeriods(data, req);
    const scenario = scenarioOverrides(req.scenario, req.store_id, req.product_id);
    const [f] = this.storePath(model, data, [series], ask.end, calendar, overrides, scenario);
    return this.forecastAnswer(req.store_id, model, answerer, data, series, f, ask, req.levels);
  }

  /**
   * /forecast answers for several products of one store, their series forecast together in one recursive forecast
   * (a series' numbers do not depend on the others it is forecast with). Each answer, or error, is what /forecast
   * gives for that request; only an unknown store fails the whole call.
   */
  async forecastMany(storeId: string, requests: (ForecastAsk & { levels: number[] })[]): Promise<(ForecastResponse | AppError)[]> {
    const context = await this.storeContext(storeId, requests);
    const { data, model, answerer } = context;
    const prepared = context.found.map((series, i) =>
      series instanceof AppError ? series : attempt(() => ({ series, ask: this.forecastPeriods(data, requests[i]) })),
    );
    const forecasts = this.forecastTogether(model, data, prepared, (p) => p.ask.end, context.calendar, context.overrides);
    const answers = prepared.map((p, i) =>
      p instanceof AppError
        ? p
        : attempt(() =>
            this.forecastAnswer(storeId, model, answerer, data, p.series, forecasts.get(p.series.productId)!, p.ask, requests[i].levels),
          ),
    );
    // Answers asked to be kept: one snapshot per planning day, length, periods and interval level.
    const kept = new Map<string, { header: SnapshotHeader; periods: SnapshotPeriod[] }>();
    prepared.forEach((p, i) => {
      const answer = answers[i];
      if (!requests[i].save || p instanceof AppError || answer instanceof AppError) return;
      const start = p.ask.periods[0].date;
      const horizonDays = p.ask.periods.reduce((sum, period) => sum + period.days, 0);
      const granularity = snapshotGranularity(data.grain, p.ask.granularity);
      const level = requests[i].levels.length > 0 ? normaliseLevel(requests[i].levels[0]) : 0.8;
      const key = JSON.stringify([start, horizonDays, granularity, level]);
      const group = kept.get(key) ?? {
        header: {
          source: 'batch',
          storeId,
          grain: data.grain,
          granularity,
          predictionDate: start,
          horizonDays,
          modelVersion: model.label,
          intervalLevel: levelPercent(level),
          parameters: { granularity: p.ask.granularity },
          products: 0,
        },
        periods: [],
      };
      const f = forecasts.get(p.series.productId)!;
      group.periods.push(
        ...planSnapshotPeriods({
          forecasts: [f],
          bases: [answer.basis],
          grain: data.grain,
          lastDate: data.lastDate,
          start,
          horizonDays,
          granularity,
          level,
          intervals: model.intervals,
        }),
      );
      group.header.products++;
      kept.set(key, group);
    });
    for (const { header, periods } of kept.values()) await saveSnapshot(this.sql, header, periods);
    return answers;
  }

  /** The periods a forecast request asks for, checked against the store's grain and the horizon. */
  private forecastPeriods(data: StoreData, req: ForecastAsk) {
    const granularity = granularityFor(req.granularity, data.grain, data.storeId);
    const offset = this.offsetOf(data, req.start_date, 'start_date');
    const start = addDays(data.lastDate, offset + 1);
    const count = req.horizon_periods ?? periodsCovering(start, granularity, req.horizon_days);
    const periods = answerPeriods(start, granularity, count);
    const end = periods[periods.length - 1].period_end;
    // Weeks and months may end past the day limit: a buyer asking for 6 months gets 6 whole months.
    checkHorizon(
      data,
      granularity,
      end,
      req.horizon_periods !== undefined ? 'horizon_periods' : req.start_date ? 'start_date' : 'horizon_days',
    );

    return { granularity, periods, end };
  }

  /**
   * /predict_with_context's stock recommendation for several products of one store, their series forecast together;
   * each answer, or error, is the one /predict_with_context gives for that request.
   */
  async stockRecommendations(
    storeId: string,
    requests: StockRequest[],
  ): Promise<({ date: string; model_version: string; basis: Basis; stock_recommendation: StockRecommendation } | AppError)[]> {
    const context = await this.storeContext(storeId, requests);
    const products = new Map((await productAttributes(this.sql, storeId)).map((p) => [p.product_id, p]));
    const prepared = context.found.map((series, i) =>
      series instanceof AppError
        ? series
        : attempt(() => ({
            series,
            offset: this.offsetOf(context.data, requests[i].date, 'date'),
            inputs: this.planInputs(requests[i], products.get(series.productId) ?? null, series),
          })),
    );
    const { data, model, answerer } = context;
    const forecasts = this.forecastTogether(
      model,
      data,
      prepared,
      (p) => addDays(data.lastDate, p.offset + p.inputs.horizon),
      context.calendar,
      context.overrides,
    );
    return prepared.map((p, i) =>
      p instanceof AppError
        ? p
        : attempt(() => {
            const f = forecasts.get(p.series.productId)!;
            const basis = requireBasis(this.basisOf(data, answerer, p.series, f), p.series.productId);
            const daily = dailyPath(f.values, f.dates, data.grain).slice(p.offset, p.offset + p.inputs.horizon);
            const plan = this.plan(requests[i], p.inputs, model, daily, data, p.offset);
            return {
              date: addDays(data.lastDate, p.offset + 1),
              model_version: model.label,
              basis,
              stock_recommendation: stockRecommendation(plan, p.inputs.stock),
            };
          }),
    );
  }

  /** A store's data, each request's series (or its 404), and the store's model (or why there is none). */
  private async storeContext(storeId: string, requests: { product_id: string }[]) {
    const data = await this.cache.storeData(storeId);
    const found = requests.map(
      (r) =>
        data.byProduct.get(r.product_id) ??
        notFound(`Product "${r.product_id}" in store "${storeId}"`, { store_id: storeId, product_id: r.product_id }),
    );
    const { forecaster: model, answerer } = await this.cache.forecasterFor(data);
    const [calendar, overrides] = await Promise.all([this.cache.calendarEvents(), activeOverrides(this.sql, storeId)]);
    return { data, found, calendar, overrides, model, answerer };
  }

  /** One recursive forecast of every series the prepared requests need, as long as the longest needs. */
  private forecastTogether<P extends { series: SeriesInput }>(
    model: Forecaster,
    data: StoreData,
    prepared: (P | AppError)[],
    endOf: (p: P, index: number) => string,
    calendar: Calendar,
    overrides: ForecastOverride[],
  ): Map<string, ProductForecast> {
    const series = new Map<string, SeriesInput>();
    let end = addDays(data.lastDate, 1);
    prepared.forEach((p, i) => {
      if (p instanceof AppError) return;
      series.set(p.series.productId, p.series);
      const e = endOf(p, i);
      if (e > end) end = e;
    });
    if (series.size === 0) return new Map();
    return new Map(this.storePath(model, data, [...series.values()], end, calendar, overrides).map((f) => [f.productId, f]));
  }

  /** The /forecast answer for the asked periods out of a store forecast that runs at least that far. */
  private forecastAnswer(
    storeId: string,
    model: Forecaster,
    answerer: Answerer,
    data: StoreData,
    series: SeriesInput,
    f: ProductForecast,
    ask: ReturnType<PredictionService['forecastPeriods']>,
    requestLevels: number[],
  ): ForecastResponse {
    const basis = requireBasis(this.basisOf(data, answerer, series, f), f.productId);
    const levels = [...new Set(requestLevels)].sort((a, b) => a - b);
    // In the store's own periods the calibrated per-period intervals answer; coarser periods are sums with their own.
    const native = ask.periods.map((p) => f.dates.indexOf(p.date));
    const aligned =
      native.every((k, i) => k >= 0 && (i === 0 || k === native[i - 1] + 1)) &&
      ask.periods.every((p) => p.days === periodDays(p.date, data.grain));
    let forecast: ForecastResponse['forecast'];
    if (aligned) {
      const values = native.map((k) => f.values[k]);
      const bounds = model.dailyIntervals(values, levels, native[0] + 1);
      const daily = data.grain === 'daily';
      forecast = values.map((v, i) => ({
        date: ask.periods[i].date,
        ...(daily ? {} : { period_end: ask.periods[i].period_end, days: ask.periods[i].days }),
        expected_demand: round(v),
        intervals: bounds[i],
      }));
    } else {
      forecast = aggregate(f, data.grain, addDays(data.lastDate, 1), ask.periods, levels, model.intervals).map((p) => ({
        date: p.date,
        period_end: p.period_end,
        days: p.days,
        expected_demand: round(p.expected),
        intervals: p.intervals,
      }));
    }
    return {
      store_id: storeId,
      product_id: f.productId,
      model_version: model.label,
      last_history_date: data.lastDate,
      granularity: ask.granularity,
      basis,
      forecast,
    };
  }

  async predictWithContext(
    req: StockRequest & { store_id: string; scenario?: Scenario; granularity?: Granularity },
  ): Promise<PredictWithContextResponse> {
    const { data, series, model, answerer, calendar, overrides } = await this.productContext(req.store_id, req.product_id);
    const granularity = granularityFor(req.granularity, data.grain, req.store_id);
    const offset = this.offsetOf(data, req.date, 'date');
    const product = (await productAttributes(this.sql, req.store_id)).find((p) => p.product_id === req.product_id) ?? null;
    const inputs = this.planInputs(req, product, series);
    const { attributes, stock } = inputs;
    const scenario = scenarioOverrides(req.scenario, req.store_id, req.product_id);
    const [f] = this.storePath(model, data, [series], addDays(data.lastDate, offset + inputs.horizon), calendar, overrides, scenario);
    const basis = requireBasis(this.basisOf(data, answerer, series, f), req.product_id);
    const daily = dailyPath(f.values, f.dates, data.grain).slice(offset, offset + inputs.horizon);
    const planningDate = addDays(data.lastDate, offset + 1);
    // Money at the price customers would pay on each day of the scenario.
    const prices = scenarioPrices(req.scenario, attributes.price, planningDate, daily.length);
    const dailyPrices = prices.changed ? (prices.prices.every((p) => p !== null) ? (prices.prices as number[]) : null) : attributes.price;
    const plan = this.plan(req, inputs, model, daily, data, offset, dailyPrices);
    const priceNotes = prices.changed
      ? scenarioPriceNotes({ ...prices, prices: prices.prices.slice(0, plan.protection_days) }, attributes.price, planningDate)
      : [];
    if (priceNotes.length > 0 && plan.price !== null && new Set((dailyPrices as number[]).slice(0, plan.protection_days)).size > 1) {
      priceNotes.push(
        `money counts each day's expected units at that day's price; price is their average over the ${count(plan.protection_days, 'day')} of lead time + review, weighted by demand`,
      );
    }
    const breakdown = demandBreakdown(daily);
    const level = 0.95;
    const first = this.firstPeriodInterval(model, data, f, offset, level);
    const metrics = model.metrics;
    // Contributions explain the model (all of a model answer, half of a blend); a simple method's answer has none.
    const explained = f.method === 'model' || f.method.startsWith('blend:');
    const explanation = explained ? model.explain(series, { origin: data.lastPeriod, scenario, calendar }) : [];
    const perPeriod = periodTotals(daily.slice(0, plan.protection_days), planningDate, granularity);
    return {
      summary: summarise(req.product_id, plan.status, plan.order_quantity, daily[0], plan.days_of_cover),
      store_id: req.store_id,
      product_id: req.product_id,
      date: planningDate,
      stock_recommendation: stockRecommendation(plan, stock),
      demand_estimates: {
        daily: round(breakdown.daily),
        weekly: round(breakdown.weekly),
        monthly: round(breakdown.monthly),
        over_lead_time: round(plan.demand_over_lead_time),
        granularity,
        per_period: perPeriod,
      },
      financial_impact: {
        currency: plan.currency,
        price: plan.price === null ? null : round(plan.price, 4),
        unit_cost: attributes.unitCost,
        expected_revenue: roundMoney(plan.expected_revenue),
        revenue_at_risk: roundMoney(plan.revenue_at_risk),
        order_value: roundMoney(plan.order_value),
        excess_stock_value: roundMoney(plan.excess_stock_value),
      },
      confidence_interval: { level: level * 100, ...first },
      performance_context: {
        model_version: model.label,
        wape: metrics.wape ?? null,
        mase: metrics.mase ?? null,
        baseline_wape: metrics.baseline?.wape ?? null,
        accuracy: metrics.accuracy ?? null,
        best_baseline: metrics.best_baseline?.name ?? null,
        best_baseline_wape: metrics.best_baseline?.figures.wape ?? null,
      },
      basis,
      explanation,
      notes: [...basis.reasons, ...attributes.notes, ...priceNotes, ...plan.notes],
    };
  }

  /** The interval of the first forecast day (daily store) or of the store period it falls in (weekly, monthly). */
  private firstPeriodInterval(model: Forecaster, data: StoreData, f: ProductForecast, offset: number, level: number) {
    if (data.grain === 'daily') {
      const [bounds] = model.dailyIntervals([f.values[offset]], [level], offset + 1);
      return { lower: bounds[0].lower, upper: bounds[0].upper, date: f.dates[offset], period_end: f.dates[offset] };
    }
    const day = addDays(data.lastDate, offset + 1);
    const k = Math.max(
      0,
      f.dates.findLastIndex((d) => d <= day),
    );
    const [bounds] = model.dailyIntervals([f.values[k]], [level], k + 1);
    return { lower: bounds[0].lower, upper: bounds[0].upper, date: f.dates[k], period_end: periodEnd(f.dates[k], data.grain) };
  }

  /** A recommendation's inputs besides the forecast: the product's attributes, the stock, the days to forecast. */
  private planInputs(req: StockRequest, product: ProductAttributesRow | null, series: SeriesInput) {
    const attributes = this.attributes(req, product, series);
    const stock = req.current_stock ?? lastInventory(series);
    if (stock === null) {
      throw new AppError(
        422,
        'current_stock_required',
        `current_stock is needed: the stored data of "${req.product_id}" has no inventory level`,
        { field: 'current_stock' },
      );
    }
    return { attributes, stock, horizon: planningDays(attributes) };
  }

  /**
   * The replenishment plan from the expected units per day from day `offset + 1` after the last stored day. A weekly
   * or monthly store's error model is of its periods: the plan sums the days into them (a part period as its share).
   */
  private plan(
    req: { on_order?: number; service_level?: number; service_measure?: 'cycle' | 'fill_rate' },
    inputs: Pick<ReturnType<PredictionService['planInputs']>, 'attributes' | 'stock'>,
    model: Forecaster,
    daily: number[],
    data: StoreData,
    offset: number,
    price: number | number[] | null = inputs.attributes.price,
  ) {
    const { attributes, stock } = inputs;
    const uncertainty =
      data.grain === 'daily'
        ? { kind: 'model' as const, model: model.intervals }
        : {
            kind: 'model' as const,
            model: model.intervals,
            periodDays: periodLengthsFrom(addDays(data.lastDate, offset + 1), data.grain, daily.length, data.lastPeriod),
          };
    return replenishmentPlan({
      dailyForecast: daily,
      uncertainty,
      currentStock: stock,
      onOrder: req.on_order ?? 0,
      leadTimeDays: attributes.leadTimeDays,
      leadTimeSdDays: attributes.leadTimeSdDays,
      reviewDays: attributes.reviewDays,
      serviceLevel: req.service_level ?? this.defaults.serviceLevel,
      serviceMeasure: req.service_measure,
      packSize: attributes.packSize,
      minOrderQty: attributes.minOrderQty,
      unitCost: attributes.unitCost,
      price,
      excessCoverMultiple: this.defaults.excessCoverMultiple,
      currency: this.defaults.currency,
    });
  }

  async bulkPredict(req: BulkAsk): Promise<BulkPredictResponse> {
    return (await this.storePlans(req)).response;
  }

  /**
   * POST /purchase_plan: the store's plan with every order cut to a budget (and a capacity in units), the most
   * valuable units first (inventory/budget.ts); with neither, the plan's own orders.
   */
  async purchasePlan(
    req: Omit<BulkAsk, 'store_id'> & { store_id?: string; store_ids?: string[]; budget?: number; capacity_units?: number },
  ): Promise<PurchasePlanResponse> {
    const storeIds = [...new Set(req.store_ids ?? [req.store_id!])];
    // Candidates of several stores are ranked together: each is keyed by store and product.
    const keyOf = (storeId: string, productId: string) => JSON.stringify([storeId, productId]);
    const names = new Map<string, string | null>();
    const candidates: BudgetCandidate[] = [];
    const notPlanned: PurchasePlanResponse['not_planned'] = [];
    let predictionDate: string | null = null;
    let currency = this.defaults.currency;
    for (const storeId of storeIds) {
      const { response, plans } = await this.storePlans({ ...req, store_id: storeId, save: false });
      predictionDate ??= response.prediction_date;
      currency = response.summary.currency;
      for (const p of response.predictions) {
        const key = keyOf(storeId, p.product_id);
        names.set(key, p.product_name ?? null);
        if (p.status === 'UNKNOWN') {
          notPlanned.push({ store_id: storeId, product_id: p.product_id, reason: p.note ?? 'no stored stock level' });
          continue;
        }
        const own = plans.get(p.product_id)!;
        candidates.push({
          productId: key,
          position: own.plan.inventory_position,
          orderQuantity: own.plan.order_quantity,
          packSize: own.attributes.packSize,
          minOrderQty: own.attributes.minOrderQty,
          unitCost: own.attributes.unitCost,
          price: own.plan.price,
          protection: own.plan.demand_model.protection,
          distribution: own.plan.demand_model.distribution,
        });
      }
    }
    const ids = (key: string) => {
      const [store_id, product_id] = JSON.parse(key) as [string, string];
      return { store_id, product_id, product_name: names.get(key) ?? null };
    };
    const budget = budgetPlan(candidates, req.budget ?? null, req.capacity_units ?? null);
    const unconstrainedSpend = candidates.reduce((sum, c) => sum + (c.unitCost === null ? 0 : c.orderQuantity * c.unitCost), 0);
    return {
      store_ids: storeIds,
      prediction_date: predictionDate!,
      currency,
      budget: req.budget ?? null,
      capacity_units: req.capacity_units ?? null,
      spend: budget.spend,
      units: budget.units,
      unconstrained_spend: roundMoney(unconstrainedSpend)!,
      expected_units_short: budget.expectedShort,
      expected_units_short_unconstrained: budget.expectedShortUnconstrained,
      lines: budget.lines.map((l, i) => ({
        rank: i + 1,
        ...ids(l.productId),
        units: l.units,
        cost: roundMoney(l.cost)!,
        units_saved: l.unitsSaved,
        margin_saved: roundMoney(l.marginSaved)!,
        value_per_money: Number.isFinite(l.valuePerMoney) ? l.valuePerMoney : null,
        cumulative_cost: roundMoney(l.cumulativeCost)!,
        cumulative_units: l.cumulativeUnits,
      })),
      orders: candidates
        .filter((c) => c.orderQuantity > 0)
        .map((c) => ({
          ...ids(c.productId),
          order_quantity: budget.orders.get(c.productId) ?? 0,
          unconstrained_order_quantity: c.orderQuantity,
        })),
      unranked: budget.unranked.map((u) => {
        const { store_id, product_id } = ids(u.productId);
        return { store_id, product_id, reason: u.reason };
      }),
      not_planned: notPlanned,
    };
  }

  /** The store's plan (what /bulk_predict answers), with each product's replenishment plan and attributes behind it. */
  private async storePlans(req: BulkAsk) {
    const data = await this.cache.storeData(req.store_id);
    const { forecaster: model, answerer } = await this.cache.forecasterFor(data);
    const [calendar, overrides] = await Promise.all([this.cache.calendarEvents(), activeOverrides(this.sql, req.store_id)]);
    const granularity = granularityFor(req.granularity, data.grain, req.store_id);
    const offset = this.offsetOf(data, req.prediction_date, 'prediction_date');
    const start = addDays(data.lastDate, offset + 1);
    const periods = answerPeriods(start, granularity, req.horizon_periods ?? periodsCovering(start, granularity, req.horizon_days));
    const horizonDays = periods.reduce((s, p) => s + p.days, 0);
    checkHorizon(
      data,
      granularity,
      periods[periods.length - 1].period_end,
      req.prediction_date ? 'prediction_date' : req.horizon_periods !== undefined ? 'horizon_periods' : 'horizon_days',
    );
    const [attributeRows, catalog] = await Promise.all([productAttributes(this.sql, req.store_id), listProducts(this.sql, req.store_id)]);
    const products = new Map(attributeRows.map((p) => [p.product_id, p]));
    // Each product's name in words (an upload's description column), shown beside its id.
    const names = new Map(catalog.map((p) => [p.product_id, p.description]));
    const serviceLevel = req.service_level ?? this.defaults.serviceLevel;
    // Each product's attributes, once: they set both the forecast length and the plan.
    const attributesOf = data.series.map((series) => this.attributes(req, products.get(series.productId) ?? null, series));
    const planDays = attributesOf.map(planningDays);
    const forecasts = withOverrides(
      this.storeForecast(model, data, offset + Math.max(horizonDays, ...planDays), calendar),
      data,
      overrides,
    );

    let bases = this.storeBases.get(forecasts);
    if (!bases) {
      bases = forecasts.map((f, k) => this.basisOf(data, answerer, data.series[k], f));
      this.storeBases.set(forecasts, bases);
    }
    const plans = new Map<string, { plan: ReturnType<typeof replenishmentPlan>; attributes: (typeof attributesOf)[number] }>();
    const predictions: BulkPrediction[] = forecasts.map((f, k) => {
      const series = data.series[k];
      const product = products.get(series.productId) ?? null;
      const attributes = attributesOf[k];
      const basis = bases[k];
      const stock = lastInventory(series);
      const days = dailyPath(f.values, f.dates, data.grain);
      // The days /predict_with_context plans from, whatever length the (cached) store forecast has.
      const daily = days.slice(offset, offset + planDays[k]);
      const plan = this.plan(
        { service_level: serviceLevel, service_measure: req.service_measure },
        { attributes, stock: stock ?? 0 },
        model,
        daily,
        data,
        offset,
      );
      plans.set(series.productId, { plan, attributes });
      const window = days.slice(offset, offset + horizonDays);
      const [total] = aggregate(
        f,
        data.grain,
        addDays(data.lastDate, 1),
        [{ date: start, period_end: periods[periods.length - 1].period_end, days: horizonDays }],
        [serviceLevel],
        model.intervals,
      );
      const breakdown = demandBreakdown(daily);
      const row: BulkPrediction = {
        product_id: series.productId,
        product_name: names.get(series.productId) ?? null,
        category: product?.category ?? series.category,
        current_stock: stock,
        predicted_demand: round(window.reduce((a, b) => a + b, 0)),
        lower: total.intervals[0].lower,
        upper: total.intervals[0].upper,
        per_period: periodTotals(window, start, granularity),
        status: plan.status,
        priority: plan.priority,
        order_quantity: plan.order_quantity,
        reorder_point: round(plan.reorder_point),
        safety_stock: round(plan.safety_stock),
        days_of_cover: plan.days_of_cover === null ? null : round(plan.days_of_cover),
        expected_revenue: roundMoney(plan.expected_revenue),
        revenue_at_risk: roundMoney(plan.revenue_at_risk),
        order_value: roundMoney(plan.order_value),
        last_4_weeks: lastWeeks(series, data.lastDate, 4),
        demand_breakdown: { daily: breakdown.daily, weekly: breakdown.weekly, monthly: breakdown.monthly, quarterly: breakdown.quarterly },
        basis,
        note: basis.reasons.length > 0 ? basis.reasons.join('; ') : null,
      };
      if (basis.confidence === 'none') return noBasis(row);
      return stock === null ? unknownStock(row) : row;
    });
    // Most urgent first (products of unknown stock last), then by what is at stake.
    predictions.sort(
      (a, b) => a.priority - b.priority || (b.revenue_at_risk ?? 0) - (a.revenue_at_risk ?? 0) || a.product_id.localeCompare(b.product_id),
    );
    const withStatus = (status: string) => predictions.filter((p) => p.status === status).length;
    const tally = (key: (p: BulkPrediction) => string) => {
      const out: Record<string, number> = {};
      for (const p of predictions) out[key(p)] = (out[key(p)] ?? 0) + 1;
      return out;
    };
    let snapshotId: number | null = null;
    if (req.save) {
      const kept = snapshotGranularity(data.grain, granularity);
      const level = levelPercent(serviceLevel);
      snapshotId = await saveSnapshot(
        this.sql,
        {
          source: 'bulk_predict',
          storeId: req.store_id,
          grain: data.grain,
          granularity: kept,
          predictionDate: start,
          horizonDays,
          modelVersion: model.label,
          intervalLevel: level,
          parameters: {
            granularity,
            lead_time_days: req.lead_time_days ?? null,
            review_days: req.review_days ?? null,
            service_level: serviceLevel,
          },
          products: predictions.filter((p) => p.predicted_demand !== null).length,
        },
        planSnapshotPeriods({
          forecasts,
          bases,
          grain: data.grain,
          lastDate: data.lastDate,
          start,
          horizonDays,
          granularity: kept,
          level: serviceLevel,
          intervals: model.intervals,
        }),
      );
    }
    const response: BulkPredictResponse = {
      store_id: req.store_id,
      prediction_date: start,
      horizon_days: horizonDays,
      granularity,
      model_version: model.label,
      snapshot_id: snapshotId,
      summary: {
        total_products: predictions.length,
        critical: withStatus('CRITICAL'),
        low: withStatus('LOW'),
        adequate: withStatus('ADEQUATE'),
        excess: withStatus('EXCESS'),
        unknown: withStatus('UNKNOWN'),
        total_order_quantity: round(predictions.reduce((s, p) => s + p.order_quantity, 0)),
        total_order_value: roundMoney(predictions.reduce((s, p) => s + (p.order_value ?? 0), 0))!,
        total_revenue_at_risk: roundMoney(predictions.reduce((s, p) => s + (p.revenue_at_risk ?? 0), 0))!,
        currency: this.defaults.currency,
        by_method: tally((p) => p.basis.method),
        by_confidence: tally((p) => p.basis.confidence),
      },
      predictions,
    };
    return { response, plans };
  }

  /**
   * The whole store's forecast from its last stored period, covering at least `days` days. A recursive forecast's
   * first periods do not depend on how far it runs, so one forecast of a whole block serves every shorter request
   * until the model or the data change.
   */
  private storeForecast(model: Forecaster, data: StoreData, days: number, calendar: Calendar) {
    const block = data.grain === 'daily' ? FORECAST_BLOCK_DAYS : data.grain === 'weekly' ? 4 : 1;
    const needed = Math.max(1, storePeriodsTo(data.lastDate, addDays(data.lastDate, days), data.grain));
    const horizon = Math.ceil(needed / block) * block;
    const key = `${model.label}|${data.storeId}|${data.version}|${data.lastPeriod}`;
    const cached = this.storeForecasts.get(key);
    if (cached && cached[0]?.values.length >= horizon) return cached;
    const forecasts = model.forecast(data.series, { origin: data.lastPeriod, horizon, calendar });
    this.storeForecasts.delete(key);
    this.storeForecasts.set(key, forecasts);
    while (this.storeForecasts.size > CACHED_STORE_FORECASTS) this.storeForecasts.delete(this.storeForecasts.keys().next().value!);
    return forecasts;
  }

  private attributes(
    req: {
      lead_time_days?: number;
      lead_time_sd_days?: number;
      review_days?: number;
      unit_cost?: number;
      price?: number;
      pack_size?: number;
      min_order_qty?: number;
    },
    product: ProductAttributesRow | null,
    series: SeriesInput,
  ) {
    return resolveAttributes(
      {
        leadTimeDays: req.lead_time_days,
        leadTimeSdDays: req.lead_time_sd_days,
        reviewDays: req.review_days,
        unitCost: req.unit_cost,
        price: req.price,
        packSize: req.pack_size,
        minOrderQty: req.min_order_qty,
      },
      {
        unitCost: product?.unit_cost,
        leadTimeDays: product?.lead_time_days,
        leadTimeSdDays: product?.lead_time_sd_days,
        packSize: product?.pack_size,
        minOrderQty: product?.min_order_qty,
        price: lastPrice(series),
      },
      this.defaults,
    );
  }
}

/**
 * Refuses an answer ending beyond how far the store can be forecast (MAX_AHEAD_DAYS of its grain); weeks and months
 * may run up to a period past it, so a buyer asking for 6 months gets 6 whole months.
 */
function checkHorizon(data: StoreData, granularity: Granularity, end: string, field: string): void {
  const max = MAX_AHEAD_DAYS[data.grain];
  const slack = granularity === 'month' ? 31 : granularity === 'week' ? 6 : 0;
  if (daysAhead(data.lastDate, end) <= max + slack) return;
  throw new AppError(
    422,
    'beyond_horizon',
    `The forecast would end on ${end}, more than ${max} days after the last stored day (${data.lastDate}): ` +
      `${data.grain} data is forecast at most ${data.grain === 'daily' ? '180 days' : data.grain === 'weekly' ? '52 weeks' : '12 months'} ahead`,
    { field, max_date: addDays(data.lastDate, max) },
  );
}

/** What /forecast and /batch ask of one product. */
export interface ForecastAsk {
  product_id: string;
  start_date?: string;
  horizon_days: number;
  horizon_periods?: number;
  granularity?: Granularity;
  levels: number[];
  /** Keep the answer as a snapshot to be scored later (/batch). */
  save?: boolean;
}

/** The basis, or a 422 that says what is missing when the data gives none for a forecast. */
function requireBasis(basis: Basis, productId: string): Basis {
  if (basis.confidence !== 'none') return basis;
  throw new AppError(422, 'insufficient_history', `No forecast for "${productId}": ${basis.reasons.join('; ')}`, {
    product_id: productId,
    basis,
  });
}

/** The value, or the domain error that computing it threw (anything else still throws). */
function attempt<T>(compute: () => T): T | AppError {
  try {
    return compute();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundMoney = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** The forecasts with the store's active overrides applied; the same array when none changes any of them. */
function withOverrides(forecasts: ProductForecast[], data: StoreData, overrides: ForecastOverride[]): ProductForecast[] {
  if (overrides.length === 0) return forecasts;
  let changed = false;
  const out = forecasts.map((f) => {
    const applicable = overridesFor(overrides, f.productId, data.byProduct.get(f.productId)?.category ?? null);
    const adjusted = applyOverrides(f.values, f.dates, applicable);
    if (!adjusted) return f;
    changed = true;
    return { ...f, values: adjusted.values, unadjusted: f.values, override: adjusted.applied };
  });
  return changed ? out : forecasts;
}

/** What /bulk_predict (and /purchase_plan) ask of a store's plan. */
interface BulkAsk {
  store_id: string;
  prediction_date?: string;
  horizon_days: number;
  horizon_periods?: number;
  granularity?: Granularity;
  lead_time_days?: number;
  lead_time_sd_days?: number;
  review_days?: number;
  service_level?: number;
  service_measure?: 'cycle' | 'fill_rate';
  save?: boolean;
}
