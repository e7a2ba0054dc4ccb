// The HTTP surface: every endpoint with its request and response schemas. The service serves an OpenAPI document
// built from this list, and the add-in's client is typed by it.
import { z } from 'zod';
import {
  ALL_STORES_ID,
  ErrorBody,
  HealthResponse,
  ReadyResponse,
  HistoryQuery,
  HistoryResponse,
  ProductsResponse,
  StoresResponse,
  TrainModelRequest,
  TrainModelResponse,
  TrainingJob,
  TrainingStatusResponse,
  ModelSummary,
  ActivateModelRequest,
  UploadForm,
  PredictRequest,
  PredictResponse,
  ForecastRequest,
  ForecastResponse,
  PredictWithContextRequest,
  PredictWithContextResponse,
  BulkPredictRequest,
  BulkPredictResponse,
  AccuracyQuery,
  AccuracyResponse,
  PurchasePlanRequest,
  PurchasePlanResponse,
  SupplierAttributes,
  SupplierAttributesRequest,
  ForecastOverride,
  OverrideRequest,
  OverridesQuery,
  OverridesResponse,
  UploadResponse,
  UploadQuery,
  UploadProgressResponse,
  CalendarSummary,
  CalendarUploadForm,
  CalendarUploadResponse,
  BatchRequest,
  BatchResponse,
  StoreRemovalResponse,
  ProductRemovalResponse,
  UploadUndoResponse,
  DemoRemovalResponse,
} from './schemas';

export interface EndpointDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path, parameters in braces. */
  path: string;
  summary: string;
  tags: string[];
  pathParams?: string[];
  query?: z.ZodType;
  json?: z.ZodType;
  /** Multipart form: the file field plus these other fields. */
  multipart?: { fileField: string; fields: z.ZodType };
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Answers without an API key (probes); every other endpoint needs one once keys exist. */
  open?: true;
}

const errors = (...codes: number[]): EndpointDoc['responses'] =>
  Object.fromEntries(codes.map((code) => [code, { description: ERROR_TEXT[code] ?? 'Error', schema: ErrorBody }]));

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request',
  404: 'Unknown store or product',
  409: 'Conflicts with the stored state: the message says with what',
  413: 'Too large',
  415: 'Unsupported file type',
  422: 'Invalid content: the message names the field, column or rows',
  503: 'Not ready',
};

export const endpoints: EndpointDoc[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Liveness: answers without touching the database',
    tags: ['operations'],
    responses: { 200: { description: 'Alive', schema: HealthResponse } },
    open: true,
  },
  {
    method: 'get',
    path: '/ready',
    summary: 'Readiness: the database answers and every migration is applied; 503 while not, or while shutting down',
    tags: ['operations'],
    responses: { 200: { description: 'Ready for traffic', schema: ReadyResponse }, ...errors(503) },
    open: true,
  },
  {
    method: 'get',
    path: '/metrics',
    summary:
      'Prometheus metrics of this instance: requests by route and status, latency, training durations, model accuracy per store, database pool use',
    tags: ['operations'],
    responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain; version=0.0.4' } },
  },
  {
    method: 'get',
    path: '/stores',
    summary: 'Stores with their product count, record count and date range',
    tags: ['catalog'],
    responses: { 200: { description: 'Stores', schema: StoresResponse } },
  },
  {
    method: 'get',
    path: '/products/{store_id}',
    summary: "A store's products",
    tags: ['catalog'],
    pathParams: ['store_id'],
    responses: { 200: { description: 'Products', schema: ProductsResponse }, ...errors(404) },
  },
  {
    method: 'put',
    path: '/products/{store_id}/{product_id}',
    summary:
      "A product's supplier: lead time and its spread, pack size, minimum order, unit cost, supplier id (left out: kept; null: cleared); plans use them unless a request says otherwise",
    tags: ['catalog'],
    pathParams: ['store_id', 'product_id'],
    json: SupplierAttributesRequest,
    responses: { 200: { description: "The product's supplier attributes", schema: SupplierAttributes }, ...errors(404, 422) },
  },
  {
    method: 'get',
    path: '/history/{store_id}/{product_id}',
    summary: 'Daily sales of one product in one store, in date order',
    tags: ['catalog'],
    pathParams: ['store_id', 'product_id'],
    query: HistoryQuery,
    responses: { 200: { description: 'History', schema: HistoryResponse }, ...errors(404, 422) },
  },
  {
    method: 'post',
    path: '/upload_data',
    summary: 'Upload sales history (.csv, .csv.gz, .xlsx); one transaction: all of it is stored or none',
    tags: ['data'],
    query: UploadQuery,
    multipart: { fileField: 'file', fields: UploadForm },
    responses: { 200: { description: 'Stored', schema: UploadResponse }, ...errors(400, 409, 413, 415, 422) },
  },
  {
    method: 'get',
    path: '/upload_progress/{progress_id}',
    summary:
      'How far an upload sent with ?progress_id= has got: rows read, records written. Kept by the instance that takes the upload, ' +
      'for 10 minutes after it answers; 404 on another instance or for an unknown id',
    tags: ['data'],
    pathParams: ['progress_id'],
    responses: { 200: { description: 'Progress', schema: UploadProgressResponse }, ...errors(404, 422) },
  },
  {
    method: 'delete',
    path: '/uploads/{upload_id}',
    summary:
      'Undo an upload: the days it inserted are deleted and the days it replaced get their previous values back, in one transaction. ' +
      '409 when a later upload replaced days this one wrote (the message names those uploads: undo them first), or when it was undone already',
    tags: ['data'],
    pathParams: ['upload_id'],
    responses: { 200: { description: 'Undone', schema: UploadUndoResponse }, ...errors(404, 409, 422) },
  },
  {
    method: 'delete',
    path: '/stores/{store_id}',
    summary:
      "Remove a store: its sales, products, models and training jobs, in one transaction. 409 while a training job over the store's data is running",
    tags: ['data'],
    pathParams: ['store_id'],
    responses: { 200: { description: 'Removed', schema: StoreRemovalResponse }, ...errors(404, 409, 422) },
  },
  {
    method: 'delete',
    path: '/products/{store_id}/{product_id}',
    summary: "Remove one product of a store: its sales and catalog row (the store's last product takes the store's models and jobs along)",
    tags: ['data'],
    pathParams: ['store_id', 'product_id'],
    responses: { 200: { description: 'Removed', schema: ProductRemovalResponse }, ...errors(404, 409, 422) },
  },
  {
    method: 'delete',
    path: '/demo',
    summary:
      'Remove the generated demo data: the demo rows (rows uploaded into a demo store stay), products left without sales, the ' +
      "demo stores' models and jobs, and global models trained on demo data alone. Nothing to remove answers zeros",
    tags: ['data'],
    responses: { 200: { description: 'Removed', schema: DemoRemovalResponse }, ...errors(409) },
  },
  {
    method: 'post',
    path: '/upload_calendar',
    summary:
      'Upload an events calendar (.csv, .csv.gz): holidays and events by date, optionally per region, and SNAP / benefit days; ' +
      "M5's calendar.csv as it is. Rows replace what was stored for their date and region; models use it from the next training",
    tags: ['data'],
    multipart: { fileField: 'file', fields: CalendarUploadForm },
    responses: { 200: { description: 'Stored', schema: CalendarUploadResponse }, ...errors(400, 413, 415, 422) },
  },
  {
    method: 'get',
    path: '/calendar',
    summary: 'What the stored events calendar covers',
    tags: ['data'],
    responses: { 200: { description: 'Summary', schema: CalendarSummary } },
  },
  {
    method: 'post',
    path: '/train_model',
    summary: `Queue training of a store's model ("${ALL_STORES_ID}": every store plus a global model); a scope already queued or running returns its job`,
    tags: ['training'],
    json: TrainModelRequest,
    responses: { 202: { description: 'Queued', schema: TrainModelResponse }, ...errors(404, 422) },
  },
  {
    method: 'get',
    path: '/training_status',
    summary: 'Active models with their holdout metrics, and recent training jobs',
    tags: ['training'],
    responses: { 200: { description: 'Models and jobs', schema: TrainingStatusResponse } },
  },
  {
    method: 'get',
    path: '/training_status/{job_id}',
    summary: 'One training job: status, progress (0..1), error, models produced',
    tags: ['training'],
    pathParams: ['job_id'],
    responses: { 200: { description: 'Job', schema: TrainingJob }, ...errors(404, 422) },
  },
  {
    method: 'get',
    path: '/models',
    summary: 'Every stored model version (the last few per scope are kept)',
    tags: ['training'],
    responses: { 200: { description: 'Models', schema: z.object({ models: z.array(ModelSummary) }).meta({ id: 'ModelsResponse' }) } },
  },
  {
    method: 'post',
    path: '/models/{store_id}/activate',
    summary: 'Make a stored version the active model of a store (or of "global")',
    tags: ['training'],
    pathParams: ['store_id'],
    json: ActivateModelRequest,
    responses: { 200: { description: 'Now active', schema: ModelSummary }, ...errors(404, 422) },
  },
  {
    method: 'post',
    path: '/predict',
    summary: 'Expected units of one product on one future day',
    tags: ['predictions'],
    json: PredictRequest,
    responses: { 200: { description: 'Prediction', schema: PredictResponse }, ...errors(404, 422) },
  },
  {
    method: 'post',
    path: '/forecast',
    summary: 'Daily forecast with calibrated prediction intervals; what-if scenarios of price, discount, promotion',
    tags: ['predictions'],
    json: ForecastRequest,
    responses: { 200: { description: 'Forecast', schema: ForecastResponse }, ...errors(404, 422) },
  },
  {
    method: 'post',
    path: '/predict_with_context',
    summary: 'One product: demand, stock status, reorder quantity, money at stake, interval and explanation',
    tags: ['predictions'],
    json: PredictWithContextRequest,
    responses: { 200: { description: 'Recommendation', schema: PredictWithContextResponse }, ...errors(404, 422) },
  },
  {
    method: 'post',
    path: '/bulk_predict',
    summary: 'Every product of a store: demand, status, order quantity, value; sorted by priority then revenue at risk',
    tags: ['predictions'],
    json: BulkPredictRequest,
    responses: { 200: { description: 'Store plan', schema: BulkPredictResponse }, ...errors(404, 422) },
  },
  {
    method: 'post',
    path: '/purchase_plan',
    summary:
      "A store's order within a budget (and a capacity in units): every unit the plan would order ranked by the margin it is expected to save per money spent, bought in that order in whole packs; without limits, the plan's own orders",
    tags: ['predictions'],
    json: PurchasePlanRequest,
    responses: { 200: { description: 'The ranked order', schema: PurchasePlanResponse }, ...errors(404, 422) },
  },
  {
    method: 'get',
    path: '/bulk_predict/{file}',
    summary:
      'The store plan as a file: {store_id}.csv or {store_id}.xlsx (query: prediction_date, horizon_days, lead_time_days, service_level)',
    tags: ['predictions'],
    pathParams: ['file'],
    responses: {
      200: { description: 'CSV or XLSX file; cells that could run as formulas are neutralised' },
      ...errors(404, 422),
    },
  },
  {
    method: 'get',
    path: '/accuracy/{store_id}',
    summary:
      "How the store's saved plans turned out: error, bias and interval coverage against the sales uploaded since, week by week, next to the simple method; the products with the largest error and bias",
    tags: ['predictions'],
    pathParams: ['store_id'],
    query: AccuracyQuery,
    responses: { 200: { description: 'Tracked accuracy', schema: AccuracyResponse }, ...errors(404, 422) },
  },
  {
    method: 'post',
    path: '/overrides',
    summary:
      "A buyer's adjustment of the forecasts of a product (or a category) of a store over a date range: a multiplier or a quantity per period, with a reason; every answer it changes says so (basis.override)",
    tags: ['predictions'],
    json: OverrideRequest,
    responses: { 201: { description: 'The override, active', schema: ForecastOverride }, ...errors(404, 422) },
  },
  {
    method: 'get',
    path: '/overrides',
    summary: 'Overrides, newest first (query: store_id; active=false for the ended ones too)',
    tags: ['predictions'],
    query: OverridesQuery,
    responses: { 200: { description: 'Overrides', schema: OverridesResponse }, ...errors(422) },
  },
  {
    method: 'delete',
    path: '/overrides/{override_id}',
    summary: 'Ends an override: forecasts are no longer changed by it (it stays listed, with who ended it)',
    tags: ['predictions'],
    pathParams: ['override_id'],
    responses: { 200: { description: 'The override, ended', schema: ForecastOverride }, ...errors(404, 409, 422) },
  },
  {
    method: 'post',
    path: '/batch',
    summary:
      'Many forecast, replenishment, history and accuracy queries in one request (the Excel cell functions); each result is ok or its own error, ' +
      'and each store asked about comes with a version key to cache answers under',
    tags: ['predictions'],
    json: BatchRequest,
    responses: {
      200: { description: 'One result per query, in order, and the version of each store', schema: BatchResponse },
      ...errors(413, 422),
    },
  },
];
