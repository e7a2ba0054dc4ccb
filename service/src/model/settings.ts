// The model's settings: one type for every hyperparameter, its default, its API name and what the engine gets. A new
// boosting hyperparameter is added here (and, if the engine has not got it yet, to TrainParams and xgboostParams in
// engine/, the one place that maps to each XGBoost version's parameter names).
import { z } from 'zod';
import type { TrainingParams } from '../../../shared/schemas';
import type { Objective, TrainParams } from './engine/index';
import { priceMonotonicity, type FeatureSpec } from '../features/index';

export type ObjectiveChoice = Objective | 'auto';

export const ModelSettings = z.object({
  objective: z.enum(['auto', 'squared', 'poisson', 'tweedie']),
  rounds: z.number().int().min(1),
  learningRate: z.number().gt(0).max(1),
  maxDepth: z.number().int().min(1),
  minChildWeight: z.number().min(0),
  subsample: z.number().gt(0).max(1),
  colsampleByTree: z.number().gt(0).max(1),
  lambda: z.number().min(0),
  tweedieVariancePower: z.number().gt(1).lt(2),
  seed: z.number().int().min(0),
  /** Last days of each store held out for the backtest. */
  holdoutDays: z.number().int().min(1),
  /**
   * At most this many training rows per fit: when a scope has more listed days, only its most recent days are rows
   * (lags and windows still read the whole history). Bounds the cost of the global model; null = every listed day.
   */
  maxTrainingRows: z.number().int().min(1).nullable(),
  /** Price, discount and promotion may move a forecast one way only (features/spec.ts priceMonotonicity). */
  monotonePrice: z.boolean(),
});
export type ModelSettings = z.infer<typeof ModelSettings>;

// Chosen on validation backtests before the M5 holdout (model/README.md): tweedie won the objective comparison,
// so it is the fixed default ('auto' still compares all three, at 4 fits instead of 2).
export const DEFAULT_SETTINGS: ModelSettings = {
  objective: 'tweedie',
  rounds: 30,
  learningRate: 0.2,
  maxDepth: 5,
  minChildWeight: 5,
  subsample: 0.8,
  colsampleByTree: 0.8,
  lambda: 1,
  tweedieVariancePower: 1.3,
  seed: 0,
  holdoutDays: 28,
  // Measured (npm run bench:rows, 2026-12-07): on M5 the global model on all its 447k rows beats 200k (MASE 0.972 vs
  // 0.988) at 1.8x the time; on the 7.3M-row chain 200k / 500k / 1M / all came to WAPE 0.307 / 0.312 / 0.311 / 0.318
  // at 18 / 22 / 33 / 104 s and 2.7 / 3.5 / 5.1 / 18.7 GiB. 500k keeps real data's gain and bounds the cost.
  maxTrainingRows: 500_000,
  monotonePrice: true,
};

/** The settings a training request may set, by their API name (shared/schemas.ts TrainingParams). */
const API_NAMES = {
  objective: 'objective',
  rounds: 'rounds',
  learningRate: 'learning_rate',
  maxDepth: 'max_depth',
  minChildWeight: 'min_child_weight',
  subsample: 'subsample',
  colsampleByTree: 'colsample_bytree',
  lambda: 'lambda',
  holdoutDays: 'holdout_days',
} as const satisfies Partial<Record<keyof ModelSettings, keyof TrainingParams>>;

/** A training request's parameters as settings (only those it sets). */
export function settingsFromParams(params: TrainingParams = {}): Partial<ModelSettings> {
  const settings: Partial<Record<keyof ModelSettings, unknown>> = {};
  for (const [key, api] of Object.entries(API_NAMES) as [keyof typeof API_NAMES, keyof TrainingParams][]) {
    if (params[api] !== undefined) settings[key] = params[api];
  }
  return settings as Partial<ModelSettings>;
}

/** Defaults overridden by `overrides`, checked: a bad value fails here, before any fit starts. */
export function resolveSettings(overrides: Partial<ModelSettings> = {}): ModelSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return ModelSettings.parse({ ...DEFAULT_SETTINGS, ...defined });
}

/** What the engine trains with for one objective: the boosting settings, plus the price constraints of the layout. */
export function trainParamsFor(settings: ModelSettings, objective: Objective, spec: FeatureSpec): TrainParams {
  const { rounds, learningRate, maxDepth, minChildWeight, subsample, colsampleByTree, lambda, tweedieVariancePower, seed } = settings;
  return {
    ...(settings.monotonePrice ? { monotone: priceMonotonicity(spec) } : {}),
    objective,
    rounds,
    learningRate,
    maxDepth,
    minChildWeight,
    subsample,
    colsampleByTree,
    lambda,
    tweedieVariancePower,
    seed,
  };
}
