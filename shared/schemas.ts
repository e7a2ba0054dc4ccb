// The contract between the service and the add-in: every request and response body is one of these schemas.
// Nothing else defines a payload shape; types are inferred from the schemas.
// Long file: every payload shape the service and the add-in exchange lives here on purpose, so the whole contract
// reads (and is reviewed) as one piece.
import { z } from 'zod';

/** ISO calendar day, the unit of sales. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'not a real calendar day',
  })
  .meta({ description: 'Calendar day, YYYY-MM-DD', example: '2016-03-27' });

/** No stored id holds a NUL (PostgreSQL text cannot), and one in a query would fail in the database, not as a 422. */
const withoutNul = (s: string) => !s.includes('\u0000');
const NUL_MESSAGE = { message: 'must not contain a NUL character' };

/** The longest store or product id: requests naming a longer one are refused, and so is an upload holding one. */
export const MAX_ID_LENGTH = 200;

/** A store or product id as requests name it. */
export const Identifier = z.string().min(1).max(MAX_ID_LENGTH).refine(withoutNul, NUL_MESSAGE);

// ---------------------------------------------------------------- limits and reserved ids
/** How far ahead the service forecasts and plans: at most this many days after a store's last stored sales day. */
export const MAX_HORIZON_DAYS = 180;
/** How far ahead a store can be forecast, in days: 180 for daily data, a year (52 weeks, 12 months) for weekly and monthly data. */
export const MAX_AHEAD_DAYS: Record<'daily' | 'weekly' | 'monthly', number> = { daily: MAX_HORIZON_DAYS, weekly: 364, monthly: 366 };
/**
 * The store id that POST /train_model reads as "every store, plus a global model"; no store may be called so
 * (an upload naming it is refused), since such a store could never be trained alone.
 */
export const ALL_STORES_ID = 'all';

// ---------------------------------------------------------------- errors
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'invalid_file' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

// ---------------------------------------------------------------- sales fields
/** Our canonical column names; an upload's `mapping` maps these to the file's own headers. */
export const CANONICAL_FIELDS = [
  'date',
  'store_id',
  'product_id',
  'units_sold',
  'inventory_level',
  'units_ordered',
  'price',
  'discount',
  'promotion',
  'category',
  'region',
  'unit_cost',
  // Money taken in (revenue); never read as units. Units can be derived from it with units_from: "sales_value".
  'sales_value',
  // Whether the store was open that day (Rossmann's Open: 1 open, 0 closed; or open / closed words).
  'open',
] as const;
export const CanonicalField = z.enum(CANONICAL_FIELDS);
export type CanonicalField = z.infer<typeof CanonicalField>;

export const ColumnMapping = z.partialRecord(CanonicalField, z.string().min(1)).meta({
  id: 'ColumnMapping',
  description: 'From our canonical names to the file\'s column headers, e.g. {"units_sold": "Qty"}',
  example: { date: 'Day', store_id: 'Shop', product_id: 'SKU', units_sold: 'Qty' },
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const DateOrder = z.enum(['YMD', 'DMY', 'MDY']);
export type DateOrder = z.infer<typeof DateOrder>;

// ---------------------------------------------------------------- upload
/** The non-file fields of the multipart upload form. */
/** The period each sales record covers: a day, a week (dated by its first day) or a calendar month (dated the 1st). */
export const Grain = z.enum(['daily', 'weekly', 'monthly']).meta({
  id: 'Grain',
  description: 'The period each record covers: a day, a week (dated by its first day) or a calendar month (dated the 1st)',
});
export type Grain = z.infer<typeof Grain>;

/** Whether a weekly file dates each week by its first day or its last. */
export const WeekDates = z.enum(['start', 'end']);
export type WeekDates = z.infer<typeof WeekDates>;

/** Where units sold come from when the file has no units column. */
export const UnitsFrom = z.enum(['sales_value']);
export type UnitsFrom = z.infer<typeof UnitsFrom>;

export const UploadForm = z.object({
  mapping: ColumnMapping.optional(),
  sheet: z.string().min(1).optional(),
  date_format: DateOrder.optional().meta({
    description: 'Day order of numeric dates when the column alone cannot tell (e.g. only 01-02-2022)',
  }),
  store_id: z.string().min(1).max(MAX_ID_LENGTH).refine(withoutNul, NUL_MESSAGE).optional().meta({
    description: 'Store for files that have no store column (default "default")',
  }),
  allow_future: z.boolean({ error: 'must be true or false' }).optional().meta({
    description:
      'Store sales dated after today (planned or test data) instead of refusing the file; they are still reported in a warning. Default false',
  }),
  units_from: UnitsFrom.optional().meta({
    description:
      'For files with money (sales value) but no units column: "sales_value" derives units sold as sales value / price ' +
      '(the file needs a price column). Without it such a file is refused with the choices',
  }),
  week_dates: WeekDates.optional().meta({
    description:
      'For weekly files: whether each date is the first day of its week ("start") or the last ("end", e.g. "Week Ending" columns). ' +
      'Default: read from the date column\'s header where it says so, else "start" (the answer says which was assumed)',
  }),
});
export type UploadForm = z.infer<typeof UploadForm>;

export const UploadResponse = z
  .object({
    upload_id: z.number().int(),
    filename: z.string(),
    checksum: z.string().meta({ description: 'sha256 of the uploaded bytes' }),
    format: z.string().meta({ description: 'Recognised layout, e.g. kaggle, m5, dominicks, transactions, generic' }),
    grain: Grain,
    week_dates: WeekDates.nullable().meta({
      description: 'For weekly data: how the file dated its weeks (stored dates are always the first day of the week)',
    }),
    rows_read: z.number().int(),
    records: z.number().int().meta({ description: 'Store x product x period records after aggregation (periods of the grain)' }),
    inserted: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int().meta({ description: 'Records identical to what was already stored' }),
    stores: z.array(z.string()),
    date_range: z.object({ first: IsoDate, last: IsoDate }),
    columns: ColumnMapping.meta({ description: 'Which file column fed each canonical field' }),
    warnings: z.array(z.string()),
    retraining: z
      .array(z.object({ store_id: z.string(), job_id: z.number().int() }))
      .optional()
      .meta({
        description:
          'With RETRAIN_AFTER_UPLOAD=1: the training jobs queued for the stores this upload added days to (a store already training keeps its job)',
      }),
  })
  .meta({ id: 'UploadResponse' });
export type UploadResponse = z.infer<typeof UploadResponse>;

/** A token the client chooses for one upload, to ask how far the service has got with it. */
export const ProgressId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, "-" or "_"')
  .meta({ description: 'Chosen by the client (a random UUID, say); GET /upload_progress/{progress_id} tells how far the upload has got' });

export const UploadQuery = z.object({ progress_id: ProgressId.optional() });

export const UploadProgressResponse = z
  .object({
    progress_id: ProgressId,
    phase: z.enum(['receiving', 'reading', 'storing', 'finishing', 'done', 'failed']).meta({
      description:
        'receiving: the file is arriving; reading: its rows are read and checked (nothing is stored yet); storing: its records are ' +
        "written in the upload's transaction; finishing: merged with stored days, product figures, commit; done / failed: the " +
        'answer of POST /upload_data has been given (a failed upload stored nothing)',
    }),
    bytes_received: z.number().int(),
    rows_read: z.number().int().meta({ description: 'Rows of the file read so far' }),
    records: z.number().int().nullable().meta({ description: 'Records the upload stores, known once the file is read' }),
    records_written: z.number().int().meta({ description: 'Records written so far (committed only when the phase is done)' }),
    started_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'UploadProgressResponse' });
export type UploadProgressResponse = z.infer<typeof UploadProgressResponse>;

// ---------------------------------------------------------------- events calendar
export const CalendarSummary = z
  .object({
    days: z.number().int().meta({ description: 'Distinct dates in the calendar' }),
    regions: z.array(z.string()).meta({ description: 'Regions / states with their own rows (SNAP is per region)' }),
    first_date: IsoDate.nullable(),
    last_date: IsoDate.nullable(),
    event_days: z.number().int().meta({ description: 'Dates with at least one event or holiday' }),
    snap_days: z.number().int().meta({ description: 'Dates that are SNAP / benefit days in some region' }),
  })
  .meta({ id: 'CalendarSummary' });
export type CalendarSummary = z.infer<typeof CalendarSummary>;

export const CalendarUploadForm = z.object({ date_format: DateOrder.optional() });
export type CalendarUploadForm = z.infer<typeof CalendarUploadForm>;

export const CalendarUploadResponse = z
  .object({
    filename: z.string(),
    rows_read: z.number().int(),
    inserted: z.number().int().meta({ description: 'New (date, region) rows' }),
    replaced: z.number().int().meta({ description: 'Rows that replaced what was stored for their date and region' }),
    calendar: CalendarSummary.meta({ description: 'The whole stored calendar after this upload' }),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'CalendarUploadResponse' });
export type CalendarUploadResponse = z.infer<typeof CalendarUploadResponse>;

// ---------------------------------------------------------------- catalog
export const StoreSummary = z.object({
  store_id: z.string(),
  grain: Grain,
  products: z.number().int(),
  records: z.number().int(),
  first_date: IsoDate,
  last_date: IsoDate,
  demo: z.boolean().meta({
    description: 'The store holds generated demo data (seeded at start on an empty database); DELETE /demo removes it',
  }),
});
export const StoresResponse = z.object({ stores: z.array(StoreSummary) }).meta({ id: 'StoresResponse' });
export type StoresResponse = z.infer<typeof StoresResponse>;

// ---------------------------------------------------------------- removal
export const RemovedCounts = z
  .object({
    sales_rows: z.number().int().meta({ description: 'Stored sales records (store x product x day) deleted' }),
    products: z.number().int().meta({ description: 'Products taken out of the catalog' }),
    models: z.number().int().meta({ description: 'Model versions deleted' }),
    jobs: z.number().int().meta({ description: 'Training jobs deleted' }),
  })
  .meta({ id: 'RemovedCounts' });
export type RemovedCounts = z.infer<typeof RemovedCounts>;

export const StoreRemovalResponse = z.object({ store_id: z.string(), removed: RemovedCounts }).meta({ id: 'StoreRemovalResponse' });
export type StoreRemovalResponse = z.infer<typeof StoreRemovalResponse>;

export const ProductRemovalResponse = z
  .object({
    store_id: z.string(),
    product_id: z.string(),
    removed: RemovedCounts.meta({
      description: "The product's sales and catalog row; its store's models and jobs too when it was the store's last product",
    }),
  })
  .meta({ id: 'ProductRemovalResponse' });
export type ProductRemovalResponse = z.infer<typeof ProductRemovalResponse>;

export const UploadUndoResponse = z
  .object({
    upload_id: z.number().int(),
    stores: z.array(z.string()).meta({ description: 'The stores the upload touched' }),
    restored_rows: z.number().int().meta({ description: 'Days the upload had replaced, back at their previous values' }),
    removed: RemovedCounts.meta({
      description: 'sales_rows: the days the upload inserted; products left without sales; models and jobs of stores left empty',
    }),
  })
  .meta({ id: 'UploadUndoResponse' });
export type UploadUndoResponse = z.infer<typeof UploadUndoResponse>;

export const DemoRemovalResponse = z
  .object({
    stores: z.array(z.string()).meta({ description: 'The demo stores (empty when there was no demo data)' }),
    removed: RemovedCounts,
  })
  .meta({ id: 'DemoRemovalResponse' });
export type DemoRemovalResponse = z.infer<typeof DemoRemovalResponse>;

export const ProductSummary = z.object({
  product_id: z.string(),
  category: z.string().nullable(),
  description: z.string().nullable().optional().meta({
    description: "The product's name in words from an upload's description column (latest non-empty wins); null when none named it",
  }),
  records: z.number().int(),
  first_date: IsoDate,
  last_date: IsoDate,
});
export const ProductsResponse = z.object({ store_id: z.string(), products: z.array(ProductSummary) }).meta({ id: 'ProductsResponse' });
export type ProductsResponse = z.infer<typeof ProductsResponse>;

export const HistoryQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] });

export const HistoryPoint = z.object({
  date: IsoDate.meta({ description: 'The first day of the period the record covers (the day itself for daily data)' }),
  period_end: IsoDate.meta({ description: 'The last day of the period (the same day for daily data)' }),
  closed: z.boolean().meta({ description: 'The store was closed: its units are not read as demand' }),
  units_sold: z.number(),
  inventory_level: z.number().nullable(),
  units_ordered: z.number().nullable(),
  price: z.number().nullable(),
  discount: z.number().nullable(),
  promotion: z.boolean().nullable(),
  category: z.string().nullable(),
  region: z.string().nullable(),
  extra: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
});
export type HistoryPoint = z.infer<typeof HistoryPoint>;
export const HistoryResponse = z
  .object({ store_id: z.string(), product_id: z.string(), grain: Grain, history: z.array(HistoryPoint) })
  .meta({ id: 'HistoryResponse' });
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  version: z.string(),
  /** The largest sales upload (request body) the service takes, MAX_UPLOAD_MB; the pane checks files against it. */
  max_upload_bytes: z.number().int().positive().optional(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
export const ReadyResponse = z.object({ status: z.literal('ready'), version: z.string() }).meta({ id: 'ReadyResponse' });
export type ReadyResponse = z.infer<typeof ReadyResponse>;

// ---------------------------------------------------------------- training
export const TrainingParams = z
  .object({
    objective: z.enum(['auto', 'squared', 'poisson', 'tweedie']).optional().meta({
      description: '"squared" = squared error on log1p(units); "auto" compares all three on the backtest and keeps the best',
    }),
    rounds: z.number().int().min(1).max(5000).optional(),
    learning_rate: z.number().gt(0).max(1).optional(),
    max_depth: z.number().int().min(1).max(16).optional(),
    min_child_weight: z.number().min(0).optional(),
    subsample: z.number().gt(0).max(1).optional(),
    colsample_bytree: z.number().gt(0).max(1).optional(),
    lambda: z.number().min(0).optional(),
    holdout_days: z
      .number()
      .int()
      .min(7)
      .max(180)
      .optional()
      .meta({ description: 'Last days of each store held out for the backtest (default 28)' }),
    engine: z.enum(['auto', 'native', 'wasm']).optional(),
  })
  .strict()
  .meta({ id: 'TrainingParams' });
export type TrainingParams = z.infer<typeof TrainingParams>;

export const TrainModelRequest = z
  .object({
    store_id: z
      .string()
      .min(1)
      .meta({ description: `A store id, or "${ALL_STORES_ID}" for one model per store plus a global model`, example: 'CA_1' }),
    params: TrainingParams.optional(),
  })
  .strict()
  .meta({ id: 'TrainModelRequest' });
export type TrainModelRequest = z.infer<typeof TrainModelRequest>;

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const AccuracyFigures = z
  .object({
    mae: z.number().nullable(),
    rmse: z.number().nullable(),
    wape: z.number().nullable().meta({ description: 'sum |error| / sum actual' }),
    mase: z.number().nullable().meta({ description: 'MAE scaled by the in-sample seasonal naive (period 7), mean over series' }),
    rmsse: z.number().nullable().optional().meta({ description: "M5's root mean squared scaled error, mean over series" }),
    bias: z.number().nullable().optional().meta({ description: 'sum(forecast - actual) / sum actual' }),
  })
  .loose();

export const ModelMetrics = AccuracyFigures.extend({
  accuracy: z
    .number()
    .nullable()
    .meta({ description: '100 x (1 - WAPE) on the holdout (kept for compatibility; misleading on intermittent data: use wape)' }),
  baseline: AccuracyFigures.meta({
    description: 'Seasonal naive at the grain (same weekday last week, same week / month last year) on the same holdout',
  }),
  moving_average: AccuracyFigures.optional().meta({ description: 'Moving average (28 days, 8 weeks or 6 months) on the same holdout' }),
  holdout: z
    .object({
      from: IsoDate,
      to: IsoDate,
      days: z.number().int(),
      periods: z.number().int().optional().meta({ description: 'Periods of the grain held out' }),
      series: z.number().int(),
      points: z.number().int(),
    })
    .optional()
    .meta({ description: 'The days held out of the backtest fit, and how many series and points were scored on them' }),
  objective: z.enum(['squared', 'poisson', 'tweedie']).optional().meta({ description: 'The training objective kept' }),
  objectives: z
    .array(
      z.object({
        objective: z.enum(['squared', 'poisson', 'tweedie']),
        wape: z.number().nullable(),
        rmsse: z.number().nullable(),
        mase: z.number().nullable(),
      }),
    )
    .optional()
    .meta({ description: 'Backtest figures of every objective tried' }),
  grain: Grain.optional().meta({ description: 'The period the model was trained and scored in' }),
  season: z
    .number()
    .int()
    .optional()
    .meta({ description: 'Periods in the season of the seasonal naive baseline (7 days, 52 weeks, 12 months)' }),
  model: AccuracyFigures.optional().meta({ description: 'The model (or its blend with the global model) alone on the holdout' }),
  baselines: z
    .record(z.string(), AccuracyFigures)
    .optional()
    .meta({ description: 'Every simple method on the same holdout, by name (seasonal_naive, moving_average, ...)' }),
  best_baseline: z
    .object({
      name: z.string(),
      label: z.string().optional().meta({ description: "The method in a buyer's words, e.g. 'average of the last 8 weeks'" }),
      figures: AccuracyFigures,
    })
    .nullable()
    .optional()
    .meta({ description: 'The simple method with the lowest error on the holdout: what "better than the simple method" compares with' }),
  selection_check: z
    .object({
      periods: z.number().int().meta({ description: 'Periods of the second half of the holdout' }),
      served: AccuracyFigures.meta({ description: 'The methods chosen on the first half of the holdout alone, scored on its second half' }),
      model: AccuracyFigures.meta({ description: 'The model on the second half' }),
      best_baseline: z.object({ name: z.string(), figures: AccuracyFigures }).nullable(),
    })
    .optional()
    .meta({
      description:
        'An out-of-sample check of the method choice: the top-level figures are of methods chosen on the same holdout, so slightly optimistic; these are not',
    }),
  selection: z
    .array(
      z.object({
        kind: z.enum(['fast', 'slow', 'intermittent']),
        series: z.number().int(),
        method: z.string().meta({ description: 'What serves this kind of series: model, blend:model+<baseline> or baseline:<name>' }),
        figures: AccuracyFigures,
        candidates: z.array(z.object({ method: z.string(), rmsse: z.number().nullable(), wape: z.number().nullable() })),
      }),
    )
    .optional()
    .meta({
      description:
        "The method chosen on the backtest for each kind of series in the scope; the top-level figures are the chosen methods' together",
    }),
  ensemble: z
    .object({
      partner_scope: z.string(),
      partner_model_id: z.number().int(),
      weight: z.number().meta({ description: "The partner's share of the blend" }),
      own: AccuracyFigures.meta({ description: 'This model alone on the same holdout' }),
      partner: AccuracyFigures.meta({ description: 'The partner alone on the same holdout' }),
    })
    .optional()
    .meta({
      description:
        "Present when a store's model is served blended with the global model of the same training job; the figures above are then the blend's",
    }),
})
  .loose()
  .meta({ id: 'ModelMetrics', description: 'Measured on the last days of each store, which the backtest model never saw' });
export type ModelMetrics = z.infer<typeof ModelMetrics>;

export const ModelSummary = z
  .object({
    scope: z.enum(['store', 'global']),
    store_id: z.string().nullable(),
    version: z.number().int(),
    active: z.boolean(),
    engine: z.string(),
    trained_at: z.string(),
    records: z.number().int(),
    data_window: z.object({ first_date: IsoDate, last_date: IsoDate }).loose(),
    metrics: ModelMetrics,
    rounds: z.number().int().optional().meta({ description: 'Boosting rounds of the final fit (absent for models saved without them)' }),
    tracked: z
      .object({
        periods: z
          .number()
          .int()
          .meta({ description: "Product-periods of its saved forecasts whose sales are in (at the store's own periods)" }),
        wape: z.number().nullable().meta({ description: 'Their error: sum |forecast - sold| / sum sold' }),
        backtest_wape: z.number().nullable().meta({ description: 'Its error on the backtest it was chosen on (metrics.wape)' }),
        drifting: z
          .boolean()
          .meta({ description: 'The error on what sold exceeds the backtest error by more than 25% (on at least 28 product-periods)' }),
        note: z.string().meta({ description: "What it means, in a buyer's words" }),
      })
      .nullable()
      .optional()
      .meta({ description: 'Active models: how its saved forecasts did against what sold since (null: none checked yet)' }),
  })
  .meta({ id: 'ModelSummary' });
export type ModelSummary = z.infer<typeof ModelSummary>;

/** What one model of a training job came to: an "all" job trains what can be trained and says why the rest was not. */
export const TrainingScopeReport = z
  .object({
    scope: z.enum(['store', 'global']),
    store_id: z.string().nullable().meta({ description: 'The store; null for the global model' }),
    outcome: z.enum(['trained', 'skipped', 'failed']).meta({
      description: 'trained: a new active version; skipped: too little or too scattered history to train; failed: training went wrong',
    }),
    reason: z.string().optional().meta({ description: 'Why it was skipped or failed, in plain words' }),
    version: z.number().int().optional().meta({ description: 'The model version trained' }),
  })
  .meta({ id: 'TrainingScopeReport' });
export type TrainingScopeReport = z.infer<typeof TrainingScopeReport>;

export const TrainingStep = z
  .object({
    stage: z.enum(['preparing', 'backtest', 'final_fit', 'saving', 'fitting']).meta({
      description:
        "preparing: loading the scope's sales; backtest: fitting on all but the holdout and scoring the model and the simple methods on it; " +
        'final_fit: the refit on every day (with a fixed objective it starts beside the backtest, and this step waits for it); ' +
        'saving: storing the model. fitting: backtest and final fit together, as services before those two steps said',
    }),
    scope: z.enum(['store', 'global']),
    store_id: z.string().nullable().meta({ description: 'The store being trained; null for the global model' }),
    index: z.number().int().min(1).meta({ description: "Which of the job's models this is, from 1" }),
    count: z.number().int().min(1).meta({ description: 'Models the job trains: 1, or every store plus the global model' }),
  })
  .meta({ id: 'TrainingStep', description: 'What a running job is doing now' });
export type TrainingStep = z.infer<typeof TrainingStep>;

export const TrainingJob = z
  .object({
    job_id: z.number().int(),
    store_id: z.string(),
    status: JobStatus,
    progress: z.number().min(0).max(1),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    error: z.string().optional(),
    models: z.array(ModelSummary).optional(),
    step: TrainingStep.optional().meta({ description: 'While running: the stage and the model being trained' }),
    report: z
      .array(TrainingScopeReport)
      .optional()
      .meta({ description: 'Per model of the job, so far (while running) or in all (once ended): trained, skipped or failed, and why' }),
  })
  .meta({ id: 'TrainingJob' });
export type TrainingJob = z.infer<typeof TrainingJob>;

export const TrainModelResponse = z
  .object({ job_id: z.number().int(), status: JobStatus, store_id: z.string() })
  .meta({ id: 'TrainModelResponse' });
export type TrainModelResponse = z.infer<typeof TrainModelResponse>;

export const TrainingStatusResponse = z
  .object({ models: z.array(ModelSummary), jobs: z.array(TrainingJob) })
  .meta({ id: 'TrainingStatusResponse' });
export type TrainingStatusResponse = z.infer<typeof TrainingStatusResponse>;

export const ActivateModelRequest = z
  .object({ version: z.number().int().min(1).max(2_147_483_647) })
  .strict()
  .meta({ id: 'ActivateModelRequest' });

// ---------------------------------------------------------------- predictions
/** 0.95 or 95 both mean 95%: a value above 1 is a percent. Normalised to a fraction. */
export const Level = z
  .number()
  .gt(0)
  .lt(100)
  .refine((x) => x !== 1, { message: 'a level of 1 (100%) has no finite interval' })
  .transform((x) => (x > 1 ? x / 100 : x))
  .meta({ description: 'Probability as a fraction (0.95) or a percent (95)', example: 95 });

/** Units of stock, orders or packs: beyond a billion a number is a typing slip, and money on it would overflow. */
const Units = z.number().min(0).max(1e9);
/** A price or cost per unit, in the service's currency. */
const UnitMoney = z.number().min(0).max(1e9);

/** The periods a forecast answers in. A daily store answers in days, weeks or months; a weekly store in weeks or months. */
export const Granularity = z.enum(['day', 'week', 'month']).meta({
  id: 'Granularity',
  description:
    "Periods of the answer: day, week (7 days from the first forecast day) or month (calendar months). Default: the store's own period. " +
    'A weekly or monthly store cannot be answered in days (422 granularity_too_fine)',
});
export type Granularity = z.infer<typeof Granularity>;

/** How far a buyer can trust an answer. */
export const Confidence = z.enum(['normal', 'low', 'none']).meta({
  id: 'Confidence',
  description:
    "normal: a method that beat or matched the simple methods on this store's own backtest; low: a rough estimate (short or sparse history, " +
    'or no model trained on this store yet); none: too little data, so no forecast and no order',
});
export type Confidence = z.infer<typeof Confidence>;

export const AppliedOverride = z
  .object({
    id: z.number().int(),
    kind: z.enum(['multiplier', 'quantity']),
    value: z.number().meta({ description: 'The multiplier, or the units per store period (day, week or month)' }),
    from: IsoDate,
    to: IsoDate,
    reason: z.string(),
    by: z.string().nullable().meta({ description: 'The API key that set it (null without keys)' }),
    others: z.array(z.number().int()).optional().meta({ description: 'Other overrides that changed other periods' }),
  })
  .meta({ id: 'AppliedOverride' });
export type AppliedOverride = z.infer<typeof AppliedOverride>;

export const Basis = z
  .object({
    method: z.string().meta({
      description:
        'What answered: "model" (the store\'s model), "global_model" (the model of all stores), "blend:model+<baseline>" or "baseline:<name>" ' +
        '(seasonal_naive, moving_average, exponential_smoothing, croston_sba, tsb, observed_mean)',
      example: 'model',
    }),
    method_label: z.string().meta({ description: "The method in a buyer's words", example: 'forecasting model' }),
    grain: Grain,
    history_periods: z
      .number()
      .int()
      .meta({ description: 'Periods of history the series has at its grain (from its first sale or listing)' }),
    observed_periods: z.number().int().meta({ description: 'Periods with a stored record' }),
    series_kind: z.enum(['fast', 'slow', 'intermittent', 'sparse', 'new']).meta({
      description: 'fast / slow / intermittent (mostly no sales) decide the method; sparse: dates without a row are unknown, not zero',
    }),
    confidence: Confidence,
    reasons: z.array(z.string()).meta({ description: 'Why the confidence is what it is, in plain words (empty when normal)' }),
    override: AppliedOverride.optional().meta({
      description: "A buyer's override changed this forecast (POST /overrides): the one that applies first, and any others",
    }),
  })
  .meta({ id: 'Basis', description: 'Which method answered, on how much history, and how far to trust it' });
export type Basis = z.infer<typeof Basis>;

export const ScenarioDay = z
  .object({
    from: IsoDate.optional().meta({ description: 'First day the override applies (default: start of the horizon)' }),
    to: IsoDate.optional().meta({ description: 'Last day the override applies (default: end of the horizon)' }),
    price: UnitMoney.positive().optional(),
    price_change_pct: z
      .number()
      .gt(-100)
      .max(1000)
      .optional()
      .meta({ description: 'Relative change of the price those days would have, e.g. -10' }),
    discount: z.number().min(0).max(100).optional(),
    promotion: z.boolean().optional(),
  })
  .strict();
export const Scenario = z
  .array(ScenarioDay)
  .max(200)
  .meta({
    id: 'Scenario',
    description:
      'What-if overrides of known-future inputs, applied in order: a later price, discount or promotion replaces an earlier one on the days both cover; ' +
      'price_change_pct changes the price as it stands at that point, so two changes compound (-50 then +100 is the base price)',
  });
export type Scenario = z.infer<typeof Scenario>;

const StoreProduct = {
  store_id: Identifier,
  product_id: Identifier,
};

export const PredictRequest = z
  .object({ ...StoreProduct, date: IsoDate })
  .strict()
  .meta({ id: 'PredictRequest' });
export type PredictRequest = z.infer<typeof PredictRequest>;
export const PredictResponse = z
  .object({
    store_id: z.string(),
    product_id: z.string(),
    date: IsoDate,
    predicted_demand: z.number().min(0),
    model_version: z.string().meta({ description: 'scope and version of the model that answered, e.g. "store:CA_1@3"' }),
    basis: Basis,
  })
  .meta({ id: 'PredictResponse' });
export type PredictResponse = z.infer<typeof PredictResponse>;

export const ForecastRequest = z
  .object({
    ...StoreProduct,
    horizon_days: z.number().int().min(1).max(MAX_HORIZON_DAYS).default(28),
    start_date: IsoDate.optional().meta({ description: 'First forecast day (default: the day after the last stored day)' }),
    levels: z.array(Level).min(1).max(5).prefault([80, 95]),
    scenario: Scenario.optional(),
    granularity: Granularity.optional(),
    horizon_periods: z
      .number()
      .int()
      .min(1)
      .max(MAX_HORIZON_DAYS)
      .optional()
      .meta({ description: 'Periods of the granularity to forecast (default: the periods that cover horizon_days)' }),
  })
  .strict()
  .meta({ id: 'ForecastRequest' });
export type ForecastRequest = z.input<typeof ForecastRequest>;

export const IntervalBound = z.object({
  level: z.number().meta({ description: 'Coverage in percent (80 = an 80% interval), whichever form the request used' }),
  lower: z.number().min(0),
  upper: z.number().min(0),
});
export const ForecastPoint = z.object({
  date: IsoDate.meta({ description: 'First day of the period' }),
  period_end: IsoDate.optional().meta({ description: 'Last day of the period (weeks and months)' }),
  days: z.number().int().optional().meta({ description: 'Days the period covers (a month begun mid-month covers fewer)' }),
  expected_demand: z.number().min(0).meta({ description: 'Expected units over the period' }),
  intervals: z.array(IntervalBound),
});
export type ForecastPoint = z.infer<typeof ForecastPoint>;
export const ForecastResponse = z
  .object({
    store_id: z.string(),
    product_id: z.string(),
    model_version: z.string(),
    last_history_date: IsoDate,
    granularity: Granularity,
    basis: Basis,
    forecast: z.array(ForecastPoint),
  })
  .meta({ id: 'ForecastResponse' });
export type ForecastResponse = z.infer<typeof ForecastResponse>;

export const StockStatus = z.enum(['CRITICAL', 'LOW', 'ADEQUATE', 'EXCESS']);
export type StockStatus = z.infer<typeof StockStatus>;

export const ServiceMeasure = z.enum(['cycle', 'fill_rate']).meta({
  description:
    'What service_level means: cycle = the probability of no stock-out before the next order arrives (default); fill_rate = the share of units sold from the shelf',
});
export const ReplenishmentInputs = {
  lead_time_days: z
    .number()
    .min(0)
    .max(365)
    .optional()
    .meta({ description: "Mean lead time (default: the product's, else the service's)" }),
  lead_time_sd_days: z
    .number()
    .min(0)
    .max(365)
    .optional()
    .meta({ description: "Spread of the lead time, one standard deviation in days (default: the product's, else 0)" }),
  review_days: z.number().min(0).max(365).optional(),
  service_level: Level.optional(),
  service_measure: ServiceMeasure.optional(),
};

export const PredictWithContextRequest = z
  .object({
    ...StoreProduct,
    date: IsoDate.optional().meta({ description: 'Planning day (default: the day after the last stored day)' }),
    current_stock: Units.optional().meta({ description: 'Units on hand (default: the last stored inventory level)' }),
    on_order: Units.optional(),
    ...ReplenishmentInputs,
    unit_cost: UnitMoney.optional(),
    price: UnitMoney.positive().optional(),
    pack_size: Units.positive().optional().meta({ description: 'Orders are rounded up to whole packs' }),
    min_order_qty: Units.positive().optional().meta({ description: 'Smallest order the supplier accepts' }),
    scenario: Scenario.optional(),
    granularity: Granularity.optional().meta({ description: "Periods of demand_estimates.per_period (default: the store's own)" }),
  })
  .strict()
  .meta({ id: 'PredictWithContextRequest' });
export type PredictWithContextRequest = z.input<typeof PredictWithContextRequest>;

export const Contribution = z.object({
  feature: z.string().meta({
    description:
      "The model's own column (e.g. lag_7, roll_mean_28, price_rel_28); without exact contributions (wasm engine), the group's id. Not for display",
  }),
  contribution: z.number().meta({ description: 'Units it adds to (or takes from) the first forecast period, per `unit`' }),
  group: z.string().optional().meta({
    description: 'Id of its buyer-facing group, e.g. recent_sales_28, price, promotion, day_of_week, holiday, store, other',
  }),
  label: z.string().optional().meta({
    description:
      'The group in words, the same for every item of the group: "average daily sales, last 4 weeks", "price vs usual price: -10%", "promotion", "day of week (Saturday)", "holiday or event: Christmas", "this store"',
  }),
  unit: z
    .string()
    .optional()
    .meta({ description: 'Unit of contribution: units per period of the model ("units/day", "units/week", "units/month")' }),
  value: z.number().optional().meta({
    description:
      "The column's value on the explained period (units for lags and windows, a ratio for price_rel_*, periods for days_since_*); absent for codes, missing values and grouped items",
  }),
});
export const PredictWithContextResponse = z
  .object({
    summary: z.string(),
    store_id: z.string(),
    product_id: z.string(),
    date: IsoDate,
    stock_recommendation: z.object({
      status: StockStatus,
      priority: z.number().int().min(1).max(4),
      current_stock: z.number().nullable(),
      order_quantity: z.number().min(0),
      reorder_point: z.number(),
      safety_stock: z.number(),
      order_up_to: z.number(),
      days_of_cover: z.number().nullable(),
      lead_time_days: z.number(),
      review_days: z.number(),
      service_level: z.number(),
      service_measure: ServiceMeasure.optional().meta({ description: 'What service_level is of (always sent by this service)' }),
      lead_time_sd_days: z.number().optional().meta({ description: 'The lead-time spread the safety stock covers (days)' }),
      expected_cycle_service_level: z
        .number()
        .optional()
        .meta({ description: 'At order_up_to: P(no stock-out before the next order arrives)' }),
      expected_fill_rate: z
        .number()
        .nullable()
        .optional()
        .meta({ description: 'At order_up_to: the share of units sold from the shelf (null when nothing sells)' }),
    }),
    demand_estimates: z.object({
      daily: z.number(),
      weekly: z.number(),
      monthly: z.number(),
      over_lead_time: z.number(),
      granularity: Granularity,
      per_period: z
        .array(z.object({ date: IsoDate, period_end: IsoDate, expected_demand: z.number() }))
        .meta({ description: 'Expected units in each period of the granularity over lead time + review' }),
    }),
    financial_impact: z.object({
      currency: z.string(),
      price: z.number().nullable(),
      unit_cost: z.number().nullable(),
      expected_revenue: z.number().nullable(),
      revenue_at_risk: z.number().nullable(),
      order_value: z.number().nullable(),
      excess_stock_value: z.number().nullable(),
    }),
    confidence_interval: z
      .object({
        level: z.number(),
        lower: z.number(),
        upper: z.number(),
        date: IsoDate.optional().meta({ description: 'First day of the period the interval is of' }),
        period_end: IsoDate.optional().meta({ description: 'Last day of that period' }),
      })
      .meta({ description: "Interval of the first forecast day's units (a weekly or monthly store: of its first forecast period)" }),
    performance_context: z.object({
      model_version: z.string(),
      wape: z.number().nullable(),
      mase: z.number().nullable(),
      baseline_wape: z.number().nullable(),
      accuracy: z.number().nullable(),
      best_baseline: z.string().nullable().optional().meta({ description: 'The simple method the model was compared with' }),
      best_baseline_wape: z.number().nullable().optional(),
    }),
    explanation: z.array(Contribution).meta({
      description:
        "Why: every column's contribution to the first forecast period, largest first. To show it to a buyer, sum contribution by group and show the group's label with its unit (biggest first); this service always sends group, label and unit (optional only for services older than them). Empty when a simple method answered",
    }),
    notes: z.array(z.string()),
    basis: Basis,
  })
  .meta({ id: 'PredictWithContextResponse' });
export type PredictWithContextResponse = z.infer<typeof PredictWithContextResponse>;

export const BulkPredictRequest = z
  .object({
    store_id: Identifier,
    prediction_date: IsoDate.optional().meta({ description: 'Planning day (default: the day after the last stored day)' }),
    horizon_days: z.number().int().min(1).max(MAX_HORIZON_DAYS).default(7),
    ...ReplenishmentInputs,
    granularity: Granularity.optional().meta({ description: "Periods of each row's per_period demand (default: the store's own)" }),
    horizon_periods: z
      .number()
      .int()
      .min(1)
      .max(MAX_HORIZON_DAYS)
      .optional()
      .meta({ description: 'Periods of the granularity in the horizon (default: those covering horizon_days); sets horizon_days' }),
    save: z.boolean().optional().meta({
      description:
        'Keep this plan as a snapshot so that the sales uploaded later score it (GET /accuracy/{store_id}); the pane saves every plan it writes to a sheet',
    }),
  })
  .strict()
  .meta({ id: 'BulkPredictRequest' });
export type BulkPredictRequest = z.input<typeof BulkPredictRequest>;

export const BulkStockStatus = z.enum([...StockStatus.options, 'UNKNOWN']).meta({
  description:
    'UNKNOWN: no inventory level is stored for the product, or its data gives no basis for a forecast (basis.confidence "none"), so its status and order are not assessed',
});
export type BulkStockStatus = z.infer<typeof BulkStockStatus>;

export const BulkPrediction = z.object({
  product_id: z.string(),
  product_name: z
    .string()
    .nullable()
    .optional()
    .meta({
      description:
        "The product's name in words, from an upload's description column (as GET /products gives it); null when no upload named it. " +
        'Always sent by this service; optional for services older than it',
    }),
  category: z.string().nullable(),
  current_stock: z.number().nullable(),
  predicted_demand: z.number().nullable().meta({ description: 'Expected units over the horizon; null when basis.confidence is "none"' }),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  per_period: z
    .array(z.object({ date: IsoDate, period_end: IsoDate, expected_demand: z.number() }))
    .meta({ description: 'Expected units in each period of the horizon, at the granularity' }),
  basis: Basis,
  note: z.string().nullable().meta({ description: 'What is missing when no forecast or order could be made' }),
  status: BulkStockStatus,
  priority: z.number().int().meta({ description: '1 CRITICAL, 2 LOW, 3 ADEQUATE, 4 EXCESS, 5 UNKNOWN' }),
  order_quantity: z.number(),
  reorder_point: z.number(),
  safety_stock: z.number(),
  days_of_cover: z.number().nullable(),
  expected_revenue: z.number().nullable(),
  revenue_at_risk: z.number().nullable(),
  order_value: z.number().nullable(),
  last_4_weeks: z.array(z.number()).meta({ description: 'Units sold in each of the last 4 weeks, oldest first' }),
  demand_breakdown: z.object({ daily: z.number(), weekly: z.number(), monthly: z.number(), quarterly: z.number() }),
});
export type BulkPrediction = z.infer<typeof BulkPrediction>;
export const BulkPredictResponse = z
  .object({
    store_id: z.string(),
    prediction_date: IsoDate,
    horizon_days: z.number().int(),
    granularity: Granularity,
    model_version: z.string(),
    summary: z.object({
      total_products: z.number().int(),
      by_method: z.record(z.string(), z.number().int()).meta({ description: 'Rows answered by each method (basis.method)' }),
      by_confidence: z.record(z.string(), z.number().int()).meta({ description: 'Rows at each confidence' }),
      critical: z.number().int(),
      low: z.number().int(),
      adequate: z.number().int(),
      excess: z.number().int(),
      unknown: z.number().int().meta({ description: 'Products without a stored inventory level' }),
      total_order_quantity: z.number(),
      total_order_value: z.number(),
      total_revenue_at_risk: z.number(),
      currency: z.string(),
    }),
    predictions: z.array(BulkPrediction),
    snapshot_id: z
      .number()
      .int()
      .nullable()
      .optional()
      .meta({ description: 'The saved snapshot (save: true), null when the plan was not saved' }),
  })
  .meta({ id: 'BulkPredictResponse' });
export type BulkPredictResponse = z.infer<typeof BulkPredictResponse>;

// ---------------------------------------------------------------- tracked accuracy
export const AccuracyQuery = z
  .object({
    from: IsoDate.optional().meta({ description: 'First day of the periods to score (default: all)' }),
    to: IsoDate.optional().meta({ description: 'Last day of the periods to score (default: all)' }),
    granularity: Granularity.optional().meta({ description: 'Periods of the saved plans to score (default: those of the latest plan)' }),
    top: z.coerce.number().int().min(1).max(100).default(10).meta({ description: 'Products listed by largest error and largest bias' }),
  })
  .strict()
  .meta({ id: 'AccuracyQuery' });
export type AccuracyQuery = z.input<typeof AccuracyQuery>;

// ---------------------------------------------------------------- ordering within a budget
export const PurchasePlanRequest = z
  .object({
    store_id: Identifier.optional().meta({ description: 'The store; or give store_ids' }),
    store_ids: z
      .array(Identifier)
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'Several stores sharing one budget: their units are ranked together' }),
    budget: z.number().min(0).max(1e12).optional().meta({ description: 'Money to spend on this order (default: no limit)' }),
    capacity_units: z.number().min(0).max(1e12).optional().meta({ description: 'Units the order may hold (default: no limit)' }),
    prediction_date: IsoDate.optional().meta({ description: 'Planning day (default: the day after the last stored day)' }),
    horizon_days: z.number().int().min(1).max(MAX_HORIZON_DAYS).default(7),
    ...ReplenishmentInputs,
  })
  .strict()
  .refine((o) => (o.store_id === undefined) !== (o.store_ids === undefined), {
    message: 'give either store_id or store_ids',
    path: ['store_id'],
  })
  .meta({ id: 'PurchasePlanRequest' });
export type PurchasePlanRequest = z.input<typeof PurchasePlanRequest>;

export const PurchasePlanResponse = z
  .object({
    store_ids: z.array(z.string()),
    prediction_date: IsoDate.meta({
      description: "The (first) store's planning day; each store plans from the day after its last stored day",
    }),
    currency: z.string(),
    budget: z.number().nullable(),
    capacity_units: z.number().nullable(),
    spend: z.number().meta({ description: 'What the chosen lines cost' }),
    units: z.number(),
    unconstrained_spend: z.number().meta({ description: "What the store plan's own orders cost (products with a unit cost)" }),
    expected_units_short: z.number().meta({ description: 'Units expected to be short over the protection period with this order' }),
    expected_units_short_unconstrained: z.number().meta({ description: "The same with the store plan's own orders" }),
    lines: z
      .array(
        z.object({
          rank: z.number().int(),
          store_id: z.string(),
          product_id: z.string(),
          product_name: z.string().nullable(),
          units: z.number().meta({ description: 'A pack, or the first block up to the minimum order' }),
          cost: z.number(),
          units_saved: z.number().meta({ description: 'Units it is expected to sell that would otherwise be short' }),
          margin_saved: z.number().meta({ description: 'units_saved x (price - unit cost)' }),
          value_per_money: z.number().nullable().meta({ description: 'margin_saved / cost (null: a free line)' }),
          cumulative_cost: z.number(),
          cumulative_units: z.number(),
        }),
      )
      .meta({ description: 'What to buy, most valuable per money first, each line in whole packs' }),
    orders: z
      .array(
        z.object({
          store_id: z.string(),
          product_id: z.string(),
          product_name: z.string().nullable(),
          order_quantity: z.number(),
          unconstrained_order_quantity: z.number(),
        }),
      )
      .meta({ description: 'Per product with an order in the store plan: what the budget buys of it' }),
    unranked: z
      .array(z.object({ store_id: z.string(), product_id: z.string(), reason: z.string() }))
      .meta({ description: 'Products with an order that cannot be ranked (no unit cost or no price): none bought under a budget' }),
    not_planned: z
      .array(z.object({ store_id: z.string(), product_id: z.string(), reason: z.string() }))
      .meta({ description: 'Products with no order plan at all (no stored stock level, or no basis for a forecast): never bought here' }),
  })
  .meta({ id: 'PurchasePlanResponse' });
export type PurchasePlanResponse = z.infer<typeof PurchasePlanResponse>;

// ---------------------------------------------------------------- supplier attributes
export const SupplierAttributesRequest = z
  .object({
    lead_time_days: z.number().int().min(0).max(365).nullable().optional().meta({ description: 'Mean lead time, whole days' }),
    lead_time_sd_days: z
      .number()
      .min(0)
      .max(365)
      .nullable()
      .optional()
      .meta({ description: 'Spread of the lead time: one standard deviation, days (the safety stock covers it)' }),
    pack_size: z.number().positive().max(1e9).nullable().optional().meta({ description: 'Orders are whole multiples of it' }),
    min_order_qty: z.number().min(0).max(1e9).nullable().optional().meta({ description: 'Smallest order the supplier takes' }),
    unit_cost: z.number().min(0).max(1e9).nullable().optional(),
    supplier_id: Identifier.nullable().optional(),
  })
  .strict()
  .refine((o) => Object.keys(o).length > 0, { message: 'give at least one attribute (null clears one)' })
  .meta({ id: 'SupplierAttributesRequest', description: 'Fields left out stay as they are; null clears one' });
export type SupplierAttributesRequest = z.infer<typeof SupplierAttributesRequest>;

export const SupplierAttributes = z
  .object({
    store_id: z.string(),
    product_id: z.string(),
    lead_time_days: z.number().nullable(),
    lead_time_sd_days: z.number().nullable(),
    pack_size: z.number().nullable(),
    min_order_qty: z.number().nullable(),
    unit_cost: z.number().nullable(),
    supplier_id: z.string().nullable(),
  })
  .meta({ id: 'SupplierAttributes' });
export type SupplierAttributes = z.infer<typeof SupplierAttributes>;

// ---------------------------------------------------------------- buyer overrides
export const OverrideRequest = z
  .object({
    store_id: Identifier,
    product_id: Identifier.optional().meta({ description: 'The product; or give category' }),
    category: Identifier.optional().meta({ description: 'Every product of this category in the store; or give product_id' }),
    from: IsoDate.meta({ description: 'First day of the periods it changes (a period is changed when it starts in the range)' }),
    to: IsoDate,
    multiplier: z.number().min(0).max(100).optional().meta({ description: 'Multiply the forecast: 1.3 = 30% more; or give quantity' }),
    quantity: z
      .number()
      .min(0)
      .max(1e9)
      .optional()
      .meta({ description: 'Units per store period (a day, or a week or month for a weekly or monthly store) instead of the forecast' }),
    reason: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .refine(withoutNul, NUL_MESSAGE)
      .meta({ description: "Why, in the buyer's words (shown with every answer it changes)" }),
  })
  .strict()
  .refine((o) => (o.product_id === undefined) !== (o.category === undefined), {
    message: 'give either product_id or category',
    path: ['product_id'],
  })
  .refine((o) => (o.multiplier === undefined) !== (o.quantity === undefined), {
    message: 'give either multiplier or quantity',
    path: ['multiplier'],
  })
  .refine((o) => o.from <= o.to, { message: '"from" must not be after "to"', path: ['from'] })
  .meta({ id: 'OverrideRequest' });
export type OverrideRequest = z.infer<typeof OverrideRequest>;

export const ForecastOverride = z
  .object({
    id: z.number().int(),
    store_id: z.string(),
    product_id: z.string().nullable(),
    category: z.string().nullable(),
    from: IsoDate,
    to: IsoDate,
    multiplier: z.number().nullable(),
    quantity: z.number().nullable(),
    reason: z.string(),
    created_by: z.string().nullable(),
    created_at: z.string(),
    active: z.boolean(),
    ended_at: z.string().nullable(),
    ended_by: z.string().nullable(),
  })
  .meta({ id: 'ForecastOverride' });
export type ForecastOverride = z.infer<typeof ForecastOverride>;

export const OverridesQuery = z
  .object({
    store_id: Identifier.optional(),
    active: z.enum(['true', 'false']).default('true').meta({ description: 'false: also the ended ones' }),
  })
  .strict()
  .meta({ id: 'OverridesQuery' });
export const OverridesResponse = z.object({ overrides: z.array(ForecastOverride) }).meta({ id: 'OverridesResponse' });
export type OverridesResponse = z.infer<typeof OverridesResponse>;

export const TrackedFigures = z
  .object({
    periods: z.number().int().meta({ description: 'Product-periods scored' }),
    products: z.number().int(),
    actual: z.number().meta({ description: 'Units sold in those periods' }),
    forecast: z.number().meta({ description: 'Units forecast for them' }),
    absolute_error: z.number().meta({ description: 'Sum of |forecast - sold|, units' }),
    wape: z.number().nullable().meta({ description: 'absolute_error / actual; null when nothing sold' }),
    bias: z.number().nullable().meta({ description: '(forecast - actual) / actual: above 0 the forecasts were too high' }),
    coverage: z.number().nullable().meta({ description: "Share of periods whose units fell inside the forecast's interval" }),
    interval_level: z.number().nullable().meta({ description: "The intervals' nominal level (%), to compare coverage with" }),
    reference_forecast: z.number().nullable().meta({ description: 'What the simple method forecast for the same periods' }),
    reference_wape: z.number().nullable(),
    value_added: z.number().nullable().meta({ description: 'reference_wape - wape: above 0 the forecasts beat the simple method' }),
  })
  .meta({ id: 'TrackedFigures' });
export type TrackedFigures = z.infer<typeof TrackedFigures>;

export const AccuracyResponse = z
  .object({
    store_id: z.string(),
    granularity: Granularity.nullable().meta({ description: 'Periods of the plans scored; null when the store has no saved plan' }),
    scored_periods: z.number().int(),
    pending_periods: z.number().int().meta({ description: 'Saved product-periods whose sales are not stored yet' }),
    first_period: IsoDate.nullable(),
    last_period: IsoDate.nullable(),
    reference: z
      .string()
      .nullable()
      .meta({ description: 'The simple method compared with (the best on the model backtest; the method itself when it answered)' }),
    overall: TrackedFigures,
    over_time_unit: z.enum(['week', 'month']),
    over_time: z.array(TrackedFigures.extend({ from: IsoDate, to: IsoDate })),
    largest_error: z.array(TrackedFigures.extend({ product_id: z.string() })),
    largest_bias: z.array(TrackedFigures.extend({ product_id: z.string() })),
    override_effect: z
      .object({
        periods: z.number().int(),
        overrides: z.number().int(),
        wape: z.number().nullable().meta({ description: 'Error of those periods as overridden' }),
        wape_without: z.number().nullable().meta({ description: 'Their error had the forecasts been left alone' }),
        value_added: z.number().nullable().meta({ description: 'wape_without - wape: above 0 the overrides helped' }),
      })
      .nullable()
      .meta({ description: "Over the scored periods a buyer's override changed (forecast value added); null when none did" }),
    notes: z.array(z.string()).meta({ description: "What the figures say, in a buyer's words" }),
  })
  .meta({ id: 'AccuracyResponse' });
export type AccuracyResponse = z.infer<typeof AccuracyResponse>;

// ---------------------------------------------------------------- batch (Excel cell functions)
/** Most queries one POST /batch answers; the add-in splits bigger recalculations into several requests. */
export const BATCH_MAX_QUERIES = 5000;

const QueryId = z
  .string()
  .max(100)
  .optional()
  .meta({ description: 'Echoed in the result, for callers that match by id rather than position' });

export const BatchForecastQuery = z
  .object({
    id: QueryId,
    kind: z.literal('forecast'),
    ...StoreProduct,
    date: IsoDate.optional().meta({ description: 'One forecast day' }),
    horizon_days: z
      .number()
      .int()
      .min(1)
      .max(MAX_HORIZON_DAYS)
      .optional()
      .meta({ description: 'Or this many days from the day after the last stored day' }),
    horizon_periods: z
      .number()
      .int()
      .min(1)
      .max(MAX_HORIZON_DAYS)
      .optional()
      .meta({ description: 'Or this many periods of the granularity from the day after the last stored day' }),
    levels: z.array(Level).max(5).optional().meta({ description: 'Interval levels to include (none by default)' }),
    granularity: Granularity.optional().meta({
      description: "Periods of the answer; with date, the period that starts on that day (default: the store's own period)",
    }),
    save: z.boolean().optional().meta({
      description: 'Keep this forecast as a snapshot, scored against the sales uploaded later (GET /accuracy/{store_id})',
    }),
  })
  .strict()
  .refine((q) => [q.date, q.horizon_days, q.horizon_periods].filter((x) => x !== undefined).length === 1, {
    message: 'give one of date, horizon_days or horizon_periods',
    path: ['date'],
  });

export const BatchReplenishmentQuery = z
  .object({
    id: QueryId,
    kind: z.literal('replenishment'),
    ...StoreProduct,
    date: IsoDate.optional().meta({ description: 'Planning day (default: the day after the last stored day)' }),
    current_stock: Units.optional().meta({ description: 'Units on hand (default: the last stored inventory level)' }),
    on_order: Units.optional(),
    ...ReplenishmentInputs,
  })
  .strict();

export const BatchHistoryQuery = z
  .object({ id: QueryId, kind: z.literal('history'), ...StoreProduct, from: IsoDate.optional(), to: IsoDate.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] });

export const BatchAccuracyQuery = z.object({ id: QueryId, kind: z.literal('accuracy'), store_id: StoreProduct.store_id }).strict();

export const BatchPurchaseQuery = z
  .object({
    id: QueryId,
    kind: z.literal('purchase'),
    ...StoreProduct,
    budget: z.number().min(0).max(1e12).meta({ description: "The store's budget for this order (POST /purchase_plan)" }),
  })
  .strict();

export const BatchTrackedAccuracyQuery = z
  .object({
    id: QueryId,
    kind: z.literal('tracked_accuracy'),
    store_id: StoreProduct.store_id,
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .strict();

export const BatchQuery = z
  .discriminatedUnion('kind', [
    BatchForecastQuery,
    BatchReplenishmentQuery,
    BatchHistoryQuery,
    BatchAccuracyQuery,
    BatchTrackedAccuracyQuery,
    BatchPurchaseQuery,
  ])
  .meta({
    id: 'BatchQuery',
    description:
      'forecast = POST /forecast for one day or the next horizon_days; replenishment = the stock_recommendation of POST /predict_with_context; ' +
      'history = units sold per day; accuracy = holdout metrics of the model that serves the store; ' +
      'tracked_accuracy = the saved plans of the store against the sales uploaded since (GET /accuracy/{store_id}); ' +
      "purchase = a product's order within the store's budget (POST /purchase_plan)",
  });
export type BatchQuery = z.output<typeof BatchQuery>;
export type BatchQueryInput = z.input<typeof BatchQuery>;

export const BatchRequest = z
  .object({
    queries: z.array(BatchQuery).max(BATCH_MAX_QUERIES),
    stores: z.array(StoreProduct.store_id).max(1000).optional().meta({
      description: 'Stores whose version to report even without queries about them: a cheap check that cached answers are still current',
    }),
  })
  .strict()
  .meta({ id: 'BatchRequest' });
export type BatchRequest = z.input<typeof BatchRequest>;

/** What the route checks before looking at single queries: one malformed query fails only its own result. */
export const BatchEnvelope = BatchRequest.extend({ queries: z.array(z.unknown()).max(BATCH_MAX_QUERIES) });

const ResultId = { id: z.string().optional() };
export const BatchError = z
  .object({
    ...ResultId,
    ok: z.literal(false),
    error: z.object({
      code: z.string().meta({ example: 'not_found' }),
      status: z.number().int().meta({ description: 'The HTTP status the single-query endpoint would have answered' }),
      message: z.string(),
    }),
  })
  .meta({ id: 'BatchError' });
export type BatchError = z.infer<typeof BatchError>;

export const BatchForecastResult = z.object({
  ...ResultId,
  ok: z.literal(true),
  kind: z.literal('forecast'),
  model_version: z.string(),
  last_history_date: IsoDate,
  granularity: Granularity,
  basis: Basis,
  forecast: z.array(ForecastPoint),
});
export const BatchReplenishmentResult = z.object({
  ...ResultId,
  ok: z.literal(true),
  kind: z.literal('replenishment'),
  model_version: z.string(),
  date: IsoDate,
  basis: Basis,
  stock_recommendation: PredictWithContextResponse.shape.stock_recommendation,
});
export const BatchHistoryResult = z.object({
  ...ResultId,
  ok: z.literal(true),
  kind: z.literal('history'),
  history: z.array(z.object({ date: IsoDate, units_sold: z.number() })),
});
export const BatchAccuracyResult = z.object({
  ...ResultId,
  ok: z.literal(true),
  kind: z.literal('accuracy'),
  model_version: z.string(),
  metrics: ModelMetrics,
});
export const BatchTrackedAccuracyResult = z.object({
  ...ResultId,
  ok: z.literal(true),
  kind: z.literal('tracked_accuracy'),
  granularity: Granularity.nullable(),
  scored_periods: z.number().int(),
  pending_periods: z.number().int(),
  overall: TrackedFigures,
});
export const BatchPurchaseResult = z.object({
  ...ResultId,
  ok: z.literal(true),
  kind: z.literal('purchase'),
  order_quantity: z.number().meta({ description: 'What the budget buys of the product' }),
  unconstrained_order_quantity: z.number().meta({ description: 'What the store plan would order without a budget' }),
});
export const BatchResult = z.union([
  BatchForecastResult,
  BatchReplenishmentResult,
  BatchHistoryResult,
  BatchAccuracyResult,
  BatchTrackedAccuracyResult,
  BatchPurchaseResult,
  BatchError,
]);
export type BatchResult = z.infer<typeof BatchResult>;
export type BatchAnswer = Exclude<BatchResult, BatchError>;

export const BatchResponse = z
  .object({
    results: z.array(BatchResult).meta({ description: 'One per query, in the order of the queries' }),
    versions: z.record(z.string(), z.string()).meta({
      description:
        'Per store asked about: a key that changes when its active model or its data change ("none" for an unknown store); answers about a store can be cached under it',
      example: { CA_1: 'm12.u4' },
    }),
  })
  .meta({ id: 'BatchResponse' });
export type BatchResponse = z.infer<typeof BatchResponse>;
