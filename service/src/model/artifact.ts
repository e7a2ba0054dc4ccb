// The saved form of a trained ForecastModel: everything serving needs to forecast exactly as the backtest scored it.
// Versioned and described by one zod schema; loading refuses an artifact this code cannot serve (ModelLoadError).
import { z } from 'zod';
import { ModelMetrics } from '../../../shared/schemas';
import { checkFeatureSpec, type Encodings, type FeatureSpec } from '../features/index';
import { INTERVAL_MODEL_VERSION, type IntervalModel } from '../forecast/index';
import { ModelSettings } from './settings';

/** Bump when the artifact's layout changes in a way older code cannot read. */
export const MODEL_ARTIFACT_VERSION = 1;

const Count = z.number().int().min(0);
const Codes = z.record(z.string(), z.number().int());

const FeatureSpecSchema = z.object({
  version: z.string(),
  lags: z.array(z.number().int()),
  windows: z.array(z.number().int()),
  weekdayWeeks: z.array(z.number().int()),
  priceWindow: z.number().int(),
  eventCap: z.number().int(),
  unknownCode: z.number().int(),
  exclude: z.array(z.string()).optional(),
  names: z.array(z.string()),
  grain: z.enum(['weekly', 'monthly']).optional(),
}) satisfies z.ZodType<FeatureSpec>;

const EncodingsSchema = z.object({ store: Codes, product: Codes, category: Codes, eventName: Codes, eventType: Codes });

const IntervalModelSchema = z.object({
  version: z.literal(INTERVAL_MODEL_VERSION),
  horizon: Count,
  scale: z.object({ offset: z.number(), dispersion: z.number() }),
  bins: z.array(z.number()),
  probs: z.array(z.number()),
  groups: z.array(
    z.object({
      from: Count,
      to: Count,
      cells: z.array(
        z.object({
          n: Count,
          zero_share: z.number(),
          mean: z.number(),
          sd: z.number(),
          q: z.array(z.number()),
          pooled: z.boolean().optional(),
        }),
      ),
    }),
  ),
  growth: z.number(),
  correlation: z.number(),
  correlation_source: z.enum(['backtest', 'fixed', 'default']),
  points: Count,
  series: Count,
  notes: z.array(z.string()),
}) satisfies z.ZodType<IntervalModel>;

const Matrix = z.array(z.array(z.number()));
const ResidualsSchema = z.object({ horizon: Count, predicted: Matrix, actual: Matrix, stockout: Matrix.optional() });

const Objective = z.enum(['squared', 'poisson', 'tweedie']);
const TrainParamsSchema = z.object({
  objective: Objective,
  rounds: z.number().int(),
  learningRate: z.number(),
  maxDepth: z.number().int(),
  minChildWeight: z.number(),
  subsample: z.number(),
  colsampleByTree: z.number(),
  lambda: z.number(),
  tweedieVariancePower: z.number().optional(),
  seed: z.number().int().optional(),
  monotone: z.array(z.number().int()).optional(),
});

export const ModelArtifact = z.object({
  artifact_version: z.number().int(),
  engine: z.enum(['native', 'wasm']),
  format: z.enum(['xgboost-0.7-binary', 'xgboost-ubj', 'xgboost-json']),
  settings: ModelSettings,
  /** What the final fit was trained with (the settings' objective resolved, as the engine got them). */
  train_params: TrainParamsSchema,
  /** How labels were transformed for training: predictions are decoded with it. */
  target: z.enum(['raw', 'log1p']),
  spec: FeatureSpecSchema,
  encodings: EncodingsSchema,
  intervals: IntervalModelSchema,
  /** The backtest errors the intervals were calibrated on. */
  residuals: ResidualsSchema,
  metrics: ModelMetrics,
  data_window: z.object({ first_date: z.string(), last_date: z.string(), holdout_from: z.string(), holdout_to: z.string() }),
  /** Training rows of the final fit. */
  records: Count,
  /** The model this one is served blended with ((1 - weight) x this + weight x partner), by registry id. */
  ensemble: z.object({ model_id: z.number().int(), scope: z.string(), weight: z.number().min(0).max(1) }).nullable(),
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'model bytes'),
  /** The period it was trained and forecasts in (absent in models saved before: daily). */
  grain: z.enum(['daily', 'weekly', 'monthly']).optional(),
  /** What serves each kind of series, chosen on the backtest (absent in models saved before: the model for all). */
  selection: z
    .object({
      grain: z.enum(['daily', 'weekly', 'monthly']),
      fastFrom: z.number(),
      methods: z.object({ fast: z.string(), slow: z.string(), intermittent: z.string() }),
    })
    .optional(),
});
export type ModelArtifact = z.infer<typeof ModelArtifact>;

/** A stored model this code cannot serve: the message says why and what to do. */
export class ModelLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

/**
 * Checks an artifact read from storage: its layout, its artifact version, its feature layout (the features it was
 * trained on are the ones this code computes) and its interval calibration version.
 */
export function checkArtifact(raw: unknown): ModelArtifact {
  // Versions first: a stale artifact is told as such, not as whichever field changed shape.
  const versions = raw as { artifact_version?: unknown; intervals?: { version?: unknown } } | null;
  if (versions?.artifact_version !== MODEL_ARTIFACT_VERSION) {
    throw new ModelLoadError(
      `the saved model has artifact version ${String(versions?.artifact_version)}, this service reads version ${MODEL_ARTIFACT_VERSION}; retrain it`,
    );
  }
  if (versions.intervals?.version !== INTERVAL_MODEL_VERSION) {
    throw new ModelLoadError(
      `the saved model's intervals are calibrated as ${String(versions.intervals?.version)}, this service reads ${INTERVAL_MODEL_VERSION}; retrain it`,
    );
  }
  const parsed = ModelArtifact.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelLoadError(`the saved model is not readable (${issue.path.join('.') || 'artifact'}: ${issue.message}); retrain it`);
  }
  const artifact = parsed.data;
  try {
    checkFeatureSpec(artifact.spec);
  } catch (err) {
    throw new ModelLoadError(`the saved model was trained on other features (${(err as Error).message}); retrain it`);
  }
  if (artifact.train_params.monotone && artifact.train_params.monotone.length !== artifact.spec.names.length) {
    throw new ModelLoadError('the saved model has constraints for another number of features; retrain it');
  }
  return artifact;
}

/** A stored model's category codes when they are readable (retraining keeps them stable), else undefined. */
export function storedEncodings(encodings: unknown): Encodings | undefined {
  const parsed = EncodingsSchema.safeParse(encodings);
  return parsed.success ? parsed.data : undefined;
}
