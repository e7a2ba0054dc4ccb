// Test support: contract-shaped sample answers, a fake ApiClient whose methods are vi.fn()s and a fake PaneHost.
import { vi, type Mock } from 'vitest';
import type {
  Basis,
  BulkPredictResponse,
  CalendarSummary,
  ForecastResponse,
  HistoryPoint,
  ModelSummary,
  PredictWithContextResponse,
  StoresResponse,
} from '../../../shared/schemas';
import { ApiError, type ApiClient } from '../api/client';
import type { PaneHost } from '../pane-host';

type FakeApi = {
  [K in keyof ApiClient]: ApiClient[K] extends (...args: infer A) => infer R ? Mock<(...args: A) => R> : ApiClient[K];
};

export function fakeApi(overrides: Partial<{ [K in keyof ApiClient]: ApiClient[K] }> = {}): FakeApi {
  const missing = (name: string) =>
    vi.fn(async () => {
      throw new ApiError(500, 'not_stubbed', `fake API: ${name} not stubbed`);
    });
  const api: Record<string, unknown> = { baseUrl: '' };
  for (const name of [
    'health',
    'stores',
    'products',
    'history',
    'accuracy',
    'upload',
    'uploadCalendar',
    'calendar',
    'train',
    'trainingStatus',
    'job',
    'models',
    'activate',
    'predict',
    'forecast',
    'predictWithContext',
    'bulkPredict',
    'bulkExport',
    'purchasePlan',
    'setSupplier',
    'createOverride',
    'overrides',
    'endOverride',
  ]) {
    const override = (overrides as Record<string, unknown>)[name];
    api[name] = override ? vi.fn(override as (...args: unknown[]) => unknown) : missing(name);
  }
  return api as FakeApi;
}

export const stores: StoresResponse = {
  stores: [
    { store_id: 'S001', grain: 'daily', products: 6, records: 1200, first_date: '2024-12-13', last_date: '2025-06-30', demo: false },
    { store_id: 'S002', grain: 'daily', products: 4, records: 800, first_date: '2024-12-13', last_date: '2025-06-30', demo: false },
  ],
};

/** GET /calendar: empty unless told otherwise. */
export const calendarSummary = (over: Partial<CalendarSummary> = {}): CalendarSummary => ({
  days: 0,
  regions: [],
  first_date: null,
  last_date: null,
  event_days: 0,
  snap_days: 0,
  ...over,
});

export const products = (storeId: string) => ({
  store_id: storeId,
  products: ['P0001', 'P0002'].map((product_id) => ({
    product_id,
    category: 'Toys',
    records: 200,
    first_date: '2024-12-13',
    last_date: '2025-06-30',
  })),
});

export const historyPoints = (n = 10, last = '2025-06-30'): HistoryPoint[] =>
  Array.from({ length: n }, (_, i) => new Date(Date.parse(`${last}T00:00:00Z`) - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10)).map(
    (date, i) => ({
      date,
      period_end: date,
      closed: false,
      units_sold: 5 + (i % 7),
      inventory_level: 40,
      units_ordered: null,
      price: 3,
      discount: 0,
      promotion: false,
      category: 'Toys',
      region: 'North',
      extra: null,
    }),
  );

/** What answered and how far to trust it: the store's own model on a long daily history, unless told otherwise. */
export const basis = (over: Partial<Basis> = {}): Basis => ({
  method: 'model',
  method_label: 'forecasting model trained on this store',
  grain: 'daily',
  history_periods: 200,
  observed_periods: 200,
  series_kind: 'fast',
  confidence: 'normal',
  reasons: [],
  ...over,
});

/** A store's simple method on a short weekly history: a rough estimate. */
export const lowBasis = (over: Partial<Basis> = {}): Basis =>
  basis({
    method: 'baseline:seasonal_naive',
    method_label: 'same week last year',
    grain: 'weekly',
    history_periods: 5,
    observed_periods: 5,
    series_kind: 'new',
    confidence: 'low',
    reasons: ['"P0001" has 5 weeks of history: a rough estimate from its own recent sales.'],
    ...over,
  });

export const forecastAnswer = (storeId = 'S001', productId = 'P0001', days = 7): ForecastResponse => ({
  store_id: storeId,
  product_id: productId,
  model_version: `store:${storeId}@1`,
  last_history_date: '2025-06-30',
  granularity: 'day',
  basis: basis(),
  forecast: Array.from({ length: days }, (_, i) => ({
    date: new Date(Date.parse('2025-07-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10),
    expected_demand: 6 + i,
    intervals: [
      { level: 0.8, lower: 4 + i, upper: 8 + i },
      { level: 0.95, lower: 3 + i, upper: 10 + i },
    ],
  })),
});

const plusDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A weekly store's records: `n` weeks (Monday to Sunday) up to the week ending 6 Jul 2025, 70 + 7 x i units. */
export const weeklyHistory = (n = 10): HistoryPoint[] =>
  Array.from({ length: n }, (_, i) => {
    const date = plusDays('2025-06-30', -7 * (n - 1 - i));
    return { ...historyPoints(1, date)[0], period_end: plusDays(date, 6), units_sold: 70 + 7 * i };
  });

/** A weekly store's forecast in its own weeks, from 7 Jul 2025, answered by a simple method on a short history. */
export const weeklyForecastAnswer = (weeks = 3): ForecastResponse => ({
  store_id: 'W01',
  product_id: 'P0001',
  model_version: 'baseline:W01',
  last_history_date: '2025-07-06',
  granularity: 'week',
  basis: lowBasis(),
  forecast: Array.from({ length: weeks }, (_, i) => {
    const date = plusDays('2025-07-07', 7 * i);
    return {
      date,
      period_end: plusDays(date, 6),
      days: 7,
      expected_demand: 40 + 5 * i,
      intervals: [{ level: 80, lower: 30 + 5 * i, upper: 52 + 5 * i }],
    };
  }),
});

export const model = (over: Partial<ModelSummary> = {}): ModelSummary => ({
  scope: 'store',
  store_id: 'S001',
  version: 1,
  active: true,
  engine: 'wasm',
  trained_at: '2025-07-01T10:00:00.000Z',
  records: 1200,
  data_window: { first_date: '2024-12-13', last_date: '2025-06-30' },
  metrics: {
    mae: 1.2,
    rmse: 1.8,
    wape: 0.25,
    mase: 0.8,
    accuracy: 75,
    baseline: { mae: 1.6, rmse: 2.2, wape: 0.35, mase: 1 },
    best_baseline: { name: 'moving_average', label: 'average of the last 28 days', figures: { mae: 1.4, rmse: 2, wape: 0.3, mase: 0.9 } },
    holdout: { from: '2025-06-03', to: '2025-06-30', days: 28, series: 10, points: 280 },
  },
  ...over,
});

export const bulkAnswer = (storeId = 'S001'): BulkPredictResponse => ({
  store_id: storeId,
  prediction_date: '2025-07-01',
  horizon_days: 7,
  granularity: 'day',
  model_version: `store:${storeId}@1`,
  summary: {
    total_products: 3,
    by_method: { model: 3 },
    by_confidence: { normal: 3 },
    critical: 1,
    low: 1,
    adequate: 1,
    excess: 0,
    unknown: 0,
    total_order_quantity: 70,
    total_order_value: 210.5,
    total_revenue_at_risk: 88.25,
    currency: 'USD',
  },
  predictions: [
    {
      product_id: 'P0003',
      status: 'CRITICAL',
      priority: 1,
      current_stock: 2,
      predicted_demand: 40,
      order_quantity: 50,
      order_value: 150,
      revenue_at_risk: 80,
      days_of_cover: 0.3,
    },
    {
      product_id: 'P0001',
      product_name: 'Orange juice 1l',
      status: 'LOW',
      priority: 2,
      current_stock: 10,
      predicted_demand: 20,
      order_quantity: 20,
      order_value: 60.5,
      revenue_at_risk: 8.25,
      days_of_cover: 3.5,
    },
    {
      product_id: 'P0002',
      product_name: null,
      status: 'ADEQUATE',
      priority: 3,
      current_stock: 60,
      predicted_demand: 10,
      order_quantity: 0,
      order_value: 0,
      revenue_at_risk: 0,
      days_of_cover: 42,
    },
  ].map((p) => ({
    category: 'Toys',
    lower: p.predicted_demand * 0.7,
    upper: p.predicted_demand * 1.3,
    reorder_point: 12,
    safety_stock: 4,
    expected_revenue: p.predicted_demand * 3,
    last_4_weeks: [11, 12, 13, 14],
    per_period: Array.from({ length: 7 }, (_, i) => {
      const date = new Date(Date.parse('2025-07-01T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10);
      return { date, period_end: date, expected_demand: p.predicted_demand / 7 };
    }),
    basis: basis(),
    note: null,
    demand_breakdown: {
      daily: p.predicted_demand / 7,
      weekly: p.predicted_demand,
      monthly: (p.predicted_demand * 30) / 7,
      quarterly: (p.predicted_demand * 91) / 7,
    },
    ...(p as Omit<
      BulkPredictResponse['predictions'][number],
      | 'category'
      | 'lower'
      | 'upper'
      | 'reorder_point'
      | 'safety_stock'
      | 'expected_revenue'
      | 'last_4_weeks'
      | 'per_period'
      | 'basis'
      | 'note'
      | 'demand_breakdown'
    >),
  })),
});

export const contextAnswer = (over: Partial<PredictWithContextResponse> = {}): PredictWithContextResponse => ({
  summary: 'P0001 in S001: order 20 units now; stock covers 3.5 days.',
  store_id: 'S001',
  product_id: 'P0001',
  date: '2025-07-01',
  stock_recommendation: {
    status: 'LOW',
    priority: 2,
    current_stock: 10,
    order_quantity: 20,
    reorder_point: 12,
    safety_stock: 4,
    order_up_to: 30,
    days_of_cover: 3.5,
    lead_time_days: 7,
    review_days: 7,
    service_level: 0.95,
  },
  demand_estimates: {
    daily: 2.9,
    weekly: 20,
    monthly: 86,
    over_lead_time: 20,
    granularity: 'day',
    per_period: [{ date: '2025-07-01', period_end: '2025-07-01', expected_demand: 2.9 }],
  },
  financial_impact: {
    currency: 'USD',
    price: 3,
    unit_cost: 1.5,
    expected_revenue: 60,
    revenue_at_risk: 8.25,
    order_value: 30,
    excess_stock_value: 0,
  },
  confidence_interval: { level: 0.95, lower: 1.2, upper: 4.8 },
  performance_context: { model_version: 'store:S001@1', wape: 0.25, mase: 0.8, baseline_wape: 0.35, accuracy: 75 },
  explanation: [
    { feature: 'lag_7', contribution: 1.2 },
    { feature: 'price', contribution: -0.4 },
  ],
  notes: ['Stock taken from the last recorded inventory level.'],
  basis: basis(),
  ...over,
});

export function fakeHost(
  mode: 'excel' | 'browser' = 'browser',
  over: Partial<PaneHost> = {},
): PaneHost & { writeSheets: Mock; saveFile: Mock } {
  return {
    mode,
    detail: mode === 'excel' ? 'Excel (PC)' : 'Not inside Office: running as a web app.',
    locale: 'en-US',
    writeSheets: vi.fn(async (specs: { sheetName: string }[]) => `Written ${specs.map((s) => s.sheetName).join(', ')}`),
    saveFile: vi.fn(),
    // The real file adapter, as both hosts use it: the pages' file tests read real .csv/.xlsx bytes.
    previewFile: async (file: File) => (await import('../files/workbookFile')).previewWorkbookFile(await file.arrayBuffer(), file.name),
    ...over,
  } as PaneHost & { writeSheets: Mock; saveFile: Mock };
}
