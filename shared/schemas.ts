// The contract between the service and the add-in: every request and response body is one of these schemas.
// Nothing else defines a payload shape; types are inferred from the schemas.
import { z } from 'zod';

/** ISO calendar day, the unit of sales. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'not a real calendar day',
  })
  .meta({ description: 'Calendar day, YYYY-MM-DD', example: '2016-03-27' });

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
] as const;
export const CanonicalField = z.enum(CANONICAL_FIELDS);
export type CanonicalField = z.infer<typeof CanonicalField>;

export const ColumnMapping = z
  .partialRecord(CanonicalField, z.string().min(1))
  .meta({
    id: 'ColumnMapping',
    description: "From our canonical names to the file's column headers, e.g. {\"units_sold\": \"Qty\"}",
    example: { date: 'Day', store_id: 'Shop', product_id: 'SKU', units_sold: 'Qty' },
  });
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const DateOrder = z.enum(['YMD', 'DMY', 'MDY']);
export type DateOrder = z.infer<typeof DateOrder>;

// ---------------------------------------------------------------- upload
/** The non-file fields of the multipart upload form. */
export const UploadForm = z.object({
  mapping: ColumnMapping.optional(),
  sheet: z.string().min(1).optional(),
  date_format: DateOrder.optional().meta({
    description: 'Day order of numeric dates when the column alone cannot tell (e.g. only 01-02-2022)',
  }),
  store_id: z.string().min(1).max(100).optional().meta({
    description: 'Store for files that have no store column (default "default")',
  }),
});
export type UploadForm = z.infer<typeof UploadForm>;

export const UploadResponse = z
  .object({
    upload_id: z.number().int(),
    filename: z.string(),
    checksum: z.string().meta({ description: 'sha256 of the uploaded bytes' }),
    format: z.string().meta({ description: 'Recognised layout, e.g. kaggle, m5, dominicks, transactions, generic' }),
    grain: z.enum(['daily', 'weekly']),
    rows_read: z.number().int(),
    records: z.number().int().meta({ description: 'Store x product x day records after aggregation' }),
    inserted: z.number().int(),
    updated: z.number().int(),
    skipped: z.number().int().meta({ description: 'Records identical to what was already stored' }),
    stores: z.array(z.string()),
    date_range: z.object({ first: IsoDate, last: IsoDate }),
    columns: ColumnMapping.meta({ description: 'Which file column fed each canonical field' }),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'UploadResponse' });
export type UploadResponse = z.infer<typeof UploadResponse>;

// ---------------------------------------------------------------- catalog
export const StoreSummary = z.object({
  store_id: z.string(),
  products: z.number().int(),
  records: z.number().int(),
  first_date: IsoDate,
  last_date: IsoDate,
});
export const StoresResponse = z.object({ stores: z.array(StoreSummary) }).meta({ id: 'StoresResponse' });
export type StoresResponse = z.infer<typeof StoresResponse>;

export const ProductSummary = z.object({
  product_id: z.string(),
  category: z.string().nullable(),
  records: z.number().int(),
  first_date: IsoDate,
  last_date: IsoDate,
});
export const ProductsResponse = z
  .object({ store_id: z.string(), products: z.array(ProductSummary) })
  .meta({ id: 'ProductsResponse' });
export type ProductsResponse = z.infer<typeof ProductsResponse>;

export const HistoryQuery = z
  .object({ from: IsoDate.optional(), to: IsoDate.optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] });

export const HistoryPoint = z.object({
  date: IsoDate,
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
  .object({ store_id: z.string(), product_id: z.string(), history: z.array(HistoryPoint) })
  .meta({ id: 'HistoryResponse' });
export type HistoryResponse = z.infer<typeof HistoryResponse>;

export const HealthResponse = z.object({ status: z.literal('ok'), version: z.string() });
export type HealthResponse = z.infer<typeof HealthResponse>;

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
    holdout_days: z.number().int().min(7).max(180).optional().meta({ description: 'Last days of each store held out for the backtest (default 28)' }),
    engine: z.enum(['auto', 'native', 'wasm']).optional(),
  })
  .strict()
  .meta({ id: 'TrainingParams' });
export type TrainingParams = z.infer<typeof TrainingParams>;

export const TrainModelRequest = z
  .object({
    store_id: z.string().min(1).meta({ description: 'A store id, or "all" for one model per store plus a global model', example: 'CA_1' }),
    params: TrainingParams.optional(),
  })
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
  accuracy: z.number().nullable().meta({ description: '100 x (1 - WAPE) on the holdout' }),
  baseline: AccuracyFigures.meta({ description: 'Seasonal naive (period 7) on the same holdout' }),
})
  .loose()
  .meta({ id: 'ModelMetrics', description: 'Measured on the last days of each store, which the backtest model never saw' });

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
  })
  .meta({ id: 'ModelSummary' });
export type ModelSummary = z.infer<typeof ModelSummary>;

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

export const ActivateModelRequest = z.object({ version: z.number().int().min(1) }).meta({ id: 'ActivateModelRequest' });
