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
