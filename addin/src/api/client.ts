// The service client: fetch plus the contract's zod schemas. Requests are checked before they leave, responses are
// parsed, and every failure becomes an ApiError carrying the service's own error.message; describeError and
// errorMessage put any of them in a buyer's words, with what to do next. The client also carries the buyer's
// defaults from Settings, for the pages' empty planning fields.
// Long file: one method per endpoint of the contract (about 40), each a few lines, beside the one transport they share.
import type { z } from 'zod';
import { endpoints } from '../../../shared/api';
import {
  AccuracyResponse,
  SupplierAttributes,
  SupplierAttributesRequest,
  PurchasePlanRequest,
  PurchasePlanResponse,
  ForecastOverride,
  OverrideRequest,
  OverridesResponse,
  ActivateModelRequest,
  BatchRequest,
  BatchResponse,
  BulkPredictRequest,
  BulkPredictResponse,
  CalendarSummary,
  CalendarUploadForm,
  CalendarUploadResponse,
  DemoRemovalResponse,
  ErrorBody,
  ForecastRequest,
  ForecastResponse,
  HealthResponse,
  HistoryResponse,
  ModelSummary,
  PredictRequest,
  PredictResponse,
  PredictWithContextRequest,
  PredictWithContextResponse,
  ProductRemovalResponse,
  ProductsResponse,
  StoreRemovalResponse,
  StoresResponse,
  TrainingJob,
  TrainingStatusResponse,
  TrainModelRequest,
  TrainModelResponse,
  UploadForm,
  UploadProgressResponse,
  UploadResponse,
  UploadUndoResponse,
} from '../../../shared/schemas';
import { normaliseServiceUrl, type BuyerDefaults, type Settings } from '../settings/settings';

/** GET /models answers the `models` list of /training_status; its schema is the one shared/api.ts declares. */
type ModelsResponse = Pick<TrainingStatusResponse, 'models'>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What went wrong in a buyer's words, and what to do about it (null when the sentence says it). */
export interface ErrorWords {
  message: string;
  next: string | null;
}

/** Request fields by their names in the contract, as the pane's forms label them. */
const FIELD_LABELS: Record<string, string> = {
  store_id: 'Store',
  product_id: 'Product',
  date: 'Planning day',
  prediction_date: 'Planning day',
  start_date: 'First day',
  horizon_days: 'Horizon',
  horizon_periods: 'Horizon',
  lead_time_days: 'Lead time',
  review_days: 'Review period',
  service_level: 'Service level',
  current_stock: 'Stock on hand',
  on_order: 'On order',
  unit_cost: 'Unit cost',
  price: 'Price',
  price_change_pct: 'Price change',
  discount: 'Discount',
  promotion: 'Promotion',
  levels: 'Interval levels',
  granularity: 'Periods',
  rounds: 'Rounds',
  objective: 'Objective',
  mapping: 'Column mapping',
  version: 'Model version',
};

/** A schema checker's complaint about a field, as a sentence: "Horizon must be at most 180." */
function ruleInWords(label: string, message: string): string {
  const bound = /expected \w+ to (?:be|have) ([<>]=?)\s*([\d.e+-]+)/i.exec(message);
  if (bound) {
    const [, op, n] = bound;
    const rule = op === '<=' ? 'at most' : op === '>=' ? 'at least' : op === '<' ? 'less than' : 'more than';
    return `${label} must be ${rule} ${n}.`;
  }
  if (/expected (number|int)/i.test(message)) return `${label} must be a number.`;
  if (/expected (string|nonoptional)|required/i.test(message)) return `${label} is needed.`;
  if (/unrecognized key/i.test(message)) return `${label}: the service does not know this field.`;
  return `${label}: ${message.replace(/^Invalid input:\s*/i, '').replace(/\.$/, '')}.`;
}

/** "horizon_days: Too big: expected number to be <=180; ..." as "Horizon must be at most 180." sentences. */
function issuesInWords(issues: { path: string; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map(({ path, message }) => {
      const parts = path.split('.').filter(Boolean);
      const named = [...parts].reverse().find((p) => FIELD_LABELS[p]);
      return ruleInWords(named ? FIELD_LABELS[named] : parts.length ? 'A field' : 'The request', message);
    })
    .join(' ');
}

/** The issues an invalid_request error lists, from its details or else its message ("Invalid query: a: x; b: y"). */
function issuesOf(err: ApiError): { path: string; message: string }[] {
  const listed = (err.details as { issues?: unknown } | undefined)?.issues;
  if (Array.isArray(listed) && listed.every((i) => typeof i?.path === 'string' && typeof i?.message === 'string')) return listed;
  const body = err.message.replace(/^(Check the form|Invalid [\w ]+?):\s*/, '');
  return body.split('; ').map((part) => {
    const m = /^([\w.]+): (.*)$/.exec(part);
    return m ? { path: m[1], message: m[2] } : { path: '', message: part };
  });
}

/** Method-and-path requests ("POST /train_model") have no place in a buyer's sentence. */
const withoutHttpPaths = (text: string) =>
  text
    .replace(/\bPOST \/train_model first\b/g, 'train it on the Data & Training page first')
    .replace(/,? ?\b(?:GET|POST|PUT|DELETE) \/[^\s:;,)]*/g, '')
    .replace(/\bask \/predict_with_context with current_stock\b/g, 'enter the stock on hand on the Smart page')
    .replace(/\s{2,}/g, ' ')
    .trim();

const ASK_ADMIN = 'Try again in a moment; if it goes on, ask whoever runs the service.';

/**
 * Anything a call threw, in a buyer's words: the service's own message where it is one (most are), a sentence with
 * what to do next for the errors a buyer can act on, and never a schema path or an HTTP path.
 */
export function describeError(err: unknown): ErrorWords {
  if (!(err instanceof ApiError)) return { message: err instanceof Error ? err.message : String(err), next: null };
  const store = (err.details as { store_id?: unknown } | undefined)?.store_id;
  switch (err.code) {
    case 'network':
      return { message: err.message, next: 'Check the service URL in Settings, and that the service is running.' };
    case 'no_model':
      return {
        message: `No forecast yet: go to Data & Training and train this store${typeof store === 'string' ? ` (${store})` : ''}.`,
        next: null,
      };
    case 'no_data':
      return { message: 'There are no sales to train on yet.', next: 'Upload sales on the Data & Training page first.' };
    case 'unauthorized':
      return {
        message: /not valid|revoked/i.test(err.message)
          ? 'The service refused the API key: it is not valid or was revoked.'
          : 'The service needs an API key.',
        next: 'Enter a valid key in Settings (whoever runs the service creates them).',
      };
    case 'invalid_request':
      return { message: issuesInWords(issuesOf(err)), next: 'Correct it and try again.' };
    case 'insufficient_history':
      return {
        message: withoutHttpPaths(err.message),
        next: 'What to do: upload more sales history of this product (Data & Training page), then ask again.',
      };
    case 'not_enough_history':
      return {
        message: withoutHttpPaths(err.message),
        next: 'What to do: upload more sales history of this store (Data & Training page), then train again.',
      };
    case 'granularity_too_fine':
      return { message: withoutHttpPaths(err.message), next: 'What to do: choose Weeks or Months (or Auto) under Periods.' };
    case 'beyond_horizon':
      return { message: withoutHttpPaths(err.message), next: 'Choose a shorter horizon or an earlier planning day.' };
    case 'payload_too_large':
      return { message: withoutHttpPaths(err.message), next: 'Send a smaller file: split it by store or by year.' };
    case 'request_timeout':
      return { message: 'The service took too long to answer.', next: 'Try again; fewer products or a shorter horizon answer faster.' };
    case 'bad_response':
      return {
        message: "The service's answer could not be read: the pane and the service may be different versions.",
        next: 'Reload the pane; if it goes on, update the service.',
      };
    case 'internal_error':
      return { message: withoutHttpPaths(err.message) || 'Something went wrong in the service.', next: ASK_ADMIN };
    case 'not_ready':
    case 'engine_unavailable':
      return { message: withoutHttpPaths(err.message), next: ASK_ADMIN };
    case 'http_error':
      return {
        message:
          err.status === 404
            ? 'The service does not know this request: the service URL may point elsewhere, or the service is an older version.'
            : `The service did not answer properly (error ${err.status}).`,
        next: err.status === 404 ? 'Check the service URL in Settings.' : ASK_ADMIN,
      };
    case 'not_found':
      if (/^No endpoint\b/.test(err.message))
        return {
          message: 'The service does not offer this: it may be an older version.',
          next: 'Update the service, or check the service URL in Settings.',
        };
      return { message: withoutHttpPaths(err.message), next: null };
    default:
      return { message: withoutHttpPaths(err.message), next: null };
  }
}

/** The message to show for anything a call threw: the sentence and what to do next. */
export function errorMessage(err: unknown): string {
  const { message, next } = describeError(err);
  return next ? `${message} ${next}` : message;
}

export interface BulkExportQuery {
  prediction_date?: string;
  horizon_days?: number;
  lead_time_days?: number;
  review_days?: number;
  service_level?: number;
}

export interface ApiClient {
  readonly baseUrl: string;
  /** The buyer's defaults from Settings, for the pages' empty planning fields (absent: none set). */
  readonly defaults?: BuyerDefaults;
  health(): Promise<HealthResponse>;
  stores(): Promise<StoresResponse>;
  products(storeId: string): Promise<ProductsResponse>;
  history(storeId: string, productId: string, range?: { from?: string; to?: string }): Promise<HistoryResponse>;
  /** How the store's saved plans turned out against the sales uploaded since. */
  accuracy(storeId: string, query?: { from?: string; to?: string; top?: number }): Promise<AccuracyResponse>;
  /**
   * `onProgress`: bytes sent; `onServerProgress`: once they are, how far the service has got (rows read, records
   * written), asked every second (not told when another instance answers the question).
   */
  upload(
    file: Blob,
    fileName: string,
    form: UploadForm,
    onProgress?: (sent: number, total: number) => void,
    onServerProgress?: (progress: UploadProgressResponse) => void,
  ): Promise<UploadResponse>;
  uploadProgress(progressId: string): Promise<UploadProgressResponse>;
  /** An events calendar file (.csv, .csv.gz): holidays, events and SNAP days that models use from their next training. */
  uploadCalendar(file: Blob, fileName: string, form?: CalendarUploadForm): Promise<CalendarUploadResponse>;
  calendar(): Promise<CalendarSummary>;
  /** Undoes an upload (its upload_id): a 409 ApiError names the later uploads that replaced days it wrote. */
  undoUpload(uploadId: number): Promise<UploadUndoResponse>;
  /** Removes a store's sales, products, models and training jobs. */
  /** A product's supplier attributes (left out: kept; null: cleared). */
  setSupplier(storeId: string, productId: string, request: SupplierAttributesRequest): Promise<SupplierAttributes>;
  /** The store's order within a budget, most valuable units first. */
  purchasePlan(request: PurchasePlanRequest): Promise<PurchasePlanResponse>;
  /** A buyer's adjustment of a product's (or a category's) forecasts over some days; ended with endOverride. */
  createOverride(request: OverrideRequest): Promise<ForecastOverride>;
  overrides(query?: { store_id?: string; active?: boolean }): Promise<OverridesResponse>;
  endOverride(overrideId: number): Promise<ForecastOverride>;
  removeStore(storeId: string): Promise<StoreRemovalResponse>;
  /** Removes one product's sales and catalog row. */
  removeProduct(storeId: string, productId: string): Promise<ProductRemovalResponse>;
  /** Removes the generated demo data (stores marked `demo` in stores()). */
  removeDemo(): Promise<DemoRemovalResponse>;
  train(request: TrainModelRequest): Promise<TrainModelResponse>;
  trainingStatus(): Promise<TrainingStatusResponse>;
  job(jobId: number): Promise<TrainingJob>;
  models(): Promise<ModelsResponse>;
  activate(scope: string, version: number): Promise<ModelSummary>;
  predict(request: PredictRequest): Promise<PredictResponse>;
  forecast(request: ForecastRequest): Promise<ForecastResponse>;
  predictWithContext(request: PredictWithContextRequest): Promise<PredictWithContextResponse>;
  bulkPredict(request: BulkPredictRequest): Promise<BulkPredictResponse>;
  /** Many cell-function queries at once (at most BATCH_MAX_QUERIES); each result is ok or its own error. */
  batch(request: BatchRequest): Promise<BatchResponse>;
  /** The store plan as the service renders it, with the file name it suggests. */
  bulkExport(storeId: string, format: 'csv' | 'xlsx', query?: BulkExportQuery): Promise<{ data: Blob; fileName: string }>;
}

export interface ClientOptions {
  fetch?: typeof fetch;
  /** Used for uploads so the pane can show bytes sent; fetch has no upload progress. */
  XMLHttpRequest?: typeof XMLHttpRequest;
}

function responseSchema(method: string, path: string, status: number): z.ZodType {
  const schema = endpoints.find((e) => e.method === method && e.path === path)?.responses[status]?.schema;
  if (!schema) throw new Error(`shared/api.ts declares no ${status} body for ${method.toUpperCase()} ${path}`);
  return schema;
}
const ModelsResponseSchema = responseSchema('get', '/models', 200) as z.ZodType<ModelsResponse>;

const describeIssues = (issues: readonly z.core.$ZodIssue[]) =>
  issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');

function checkRequest<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(0, 'invalid_request', `Check the form: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** Turns a non-2xx answer into an ApiError with the service's message (or the best text there is). */
function errorFrom(status: number, statusText: string, text: string, what: string): ApiError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const body = ErrorBody.safeParse(json);
  if (body.success) return new ApiError(status, body.data.error.code, body.data.error.message, body.data.error.details);
  const snippet = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return new ApiError(
    status,
    'http_error',
    `${what} failed: HTTP ${status}${statusText ? ` ${statusText}` : ''}${snippet ? `: ${snippet}` : ''}`,
  );
}

/** Parses a 2xx answer's text with the contract's schema; anything else is a bad_response ApiError. */
function parseAnswer<S extends z.ZodType>(schema: S, status: number, text: string, what: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(status, 'bad_response', `The service answered ${what} with something that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new ApiError(
      status,
      'bad_response',
      `The service answered ${what} with an unexpected body: ${describeIssues(parsed.error.issues)}`,
    );
  return parsed.data;
}

export function createApiClient(settings: Settings, options: ClientOptions = {}): ApiClient {
  const baseUrl = normaliseServiceUrl(settings.serviceUrl);
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  const where = baseUrl || "this page's origin";
  const url = (path: string) => `${baseUrl}${path}`;
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    Accept: 'application/json',
    ...(settings.apiKey ? { Authorization: `Bearer ${settings.apiKey}` } : {}),
    ...extra,
  });

  /** A FormData body goes as multipart (the browser sets its boundary); any other body as JSON. */
  async function send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Response> {
    const multipart = body instanceof FormData;
    let res: Response;
    try {
      res = await doFetch(url(path), {
        method,
        headers: headers(body === undefined || multipart ? {} : { 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
      });
    } catch (err) {
      throw new ApiError(0, 'network', `Cannot reach the service at ${where}: ${errorMessage(err)}`);
    }
    if (!res.ok) throw errorFrom(res.status, res.statusText, await res.text().catch(() => ''), `${method} ${path}`);
    return res;
  }

  async function call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const res = await send(method, path, body);
    return parseAnswer(schema, res.status, await res.text(), `${method} ${path}`);
  }

  const enc = encodeURIComponent;

  /**
   * A multipart POST through XMLHttpRequest, for its upload progress; answers and errors as `call` gives them. With
   * `serverProgress`, once every byte is sent the service's own progress is asked every second until it answers.
   */
  function postWithProgress<S extends z.ZodType>(
    path: string,
    schema: S,
    form: FormData,
    onProgress: (sent: number, total: number) => void,
    XHR: typeof XMLHttpRequest,
    serverProgress?: { id: string; told: (progress: UploadProgressResponse) => void },
  ) {
    const what = `POST ${path}`;
    let polling: ReturnType<typeof setInterval> | null = null;
    const poll = () => {
      if (polling || !serverProgress) return;
      const ask = () =>
        call('GET', `/upload_progress/${enc(serverProgress.id)}`, UploadProgressResponse).then(
          (p) => polling && serverProgress.told(p),
          () => {},
        );
      polling = setInterval(ask, 1000);
      void ask();
    };
    const stopPolling = () => {
      if (polling) clearInterval(polling);
      polling = null;
    };
    const target = serverProgress ? `${path}?progress_id=${enc(serverProgress.id)}` : path;
    return new Promise<z.output<S>>((resolve, reject) => {
      const xhr = new XHR();
      xhr.open('POST', url(target));
      for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
      xhr.upload.onprogress = (e) => {
        onProgress(e.loaded, e.lengthComputable ? e.total : 0);
        if (e.lengthComputable && e.loaded >= e.total) poll();
      };
      xhr.onerror = () => {
        stopPolling();
        reject(new ApiError(0, 'network', `Cannot reach the service at ${where}: the upload was interrupted`));
      };
      xhr.onload = () => {
        stopPolling();
        if (xhr.status < 200 || xhr.status >= 300) return reject(errorFrom(xhr.status, xhr.statusText, xhr.responseText, what));
        try {
          resolve(parseAnswer(schema, xhr.status, xhr.responseText, what));
        } catch (err) {
          reject(err);
        }
      };
      xhr.send(form);
    });
  }

  return {
    baseUrl,
    defaults: settings.defaults ?? {},
    health: () => call('GET', '/health', HealthResponse),
    stores: () => call('GET', '/stores', StoresResponse),
    products: (storeId) => call('GET', `/products/${enc(storeId)}`, ProductsResponse),
    history: (storeId, productId, range = {}) => {
      const q = new URLSearchParams();
      if (range.from) q.set('from', range.from);
      if (range.to) q.set('to', range.to);
      const qs = q.toString();
      return call('GET', `/history/${enc(storeId)}/${enc(productId)}${qs ? `?${qs}` : ''}`, HistoryResponse);
    },
    accuracy: (storeId, query = {}) => {
      const q = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined) q.set(key, String(value));
      const qs = q.toString();
      return call('GET', `/accuracy/${enc(storeId)}${qs ? `?${qs}` : ''}`, AccuracyResponse);
    },
    uploadProgress: (progressId) => call('GET', `/upload_progress/${enc(progressId)}`, UploadProgressResponse),
    async upload(file, fileName, form, onProgress, onServerProgress) {
      const fields = checkRequest(UploadForm, form);
      const data = new FormData();
      data.append('file', file, fileName);
      if (fields.mapping && Object.keys(fields.mapping).length) data.append('mapping', JSON.stringify(fields.mapping));
      if (fields.sheet) data.append('sheet', fields.sheet);
      if (fields.date_format) data.append('date_format', fields.date_format);
      if (fields.store_id) data.append('store_id', fields.store_id);
      if (fields.week_dates) data.append('week_dates', fields.week_dates);
      if (fields.units_from) data.append('units_from', fields.units_from);
      if (fields.allow_future !== undefined) data.append('allow_future', String(fields.allow_future));
      const XHR = options.XMLHttpRequest ?? (options.fetch ? undefined : globalThis.XMLHttpRequest);
      const serverProgress = onServerProgress ? { id: progressId(), told: onServerProgress } : undefined;
      if (onProgress && XHR) return postWithProgress('/upload_data', UploadResponse, data, onProgress, XHR, serverProgress);
      return call('POST', '/upload_data', UploadResponse, data);
    },
    async uploadCalendar(file, fileName, form = {}) {
      const fields = checkRequest(CalendarUploadForm, form);
      const data = new FormData();
      data.append('file', file, fileName);
      if (fields.date_format) data.append('date_format', fields.date_format);
      return call('POST', '/upload_calendar', CalendarUploadResponse, data);
    },
    calendar: () => call('GET', '/calendar', CalendarSummary),
    undoUpload: (uploadId) => call('DELETE', `/uploads/${enc(String(uploadId))}`, UploadUndoResponse),
    setSupplier: async (storeId, productId, request) =>
      call('PUT', `/products/${enc(storeId)}/${enc(productId)}`, SupplierAttributes, checkRequest(SupplierAttributesRequest, request)),
    purchasePlan: async (request) => call('POST', '/purchase_plan', PurchasePlanResponse, checkRequest(PurchasePlanRequest, request)),
    createOverride: async (request) => call('POST', '/overrides', ForecastOverride, checkRequest(OverrideRequest, request)),
    overrides: (query = {}) => {
      const q = new URLSearchParams();
      if (query.store_id) q.set('store_id', query.store_id);
      if (query.active === false) q.set('active', 'false');
      const qs = q.toString();
      return call('GET', `/overrides${qs ? `?${qs}` : ''}`, OverridesResponse);
    },
    endOverride: (overrideId) => call('DELETE', `/overrides/${enc(String(overrideId))}`, ForecastOverride),
    removeStore: (storeId) => call('DELETE', `/stores/${enc(storeId)}`, StoreRemovalResponse),
    removeProduct: (storeId, productId) => call('DELETE', `/products/${enc(storeId)}/${enc(productId)}`, ProductRemovalResponse),
    removeDemo: () => call('DELETE', '/demo', DemoRemovalResponse),
    train: async (request) => call('POST', '/train_model', TrainModelResponse, checkRequest(TrainModelRequest, request)),
    trainingStatus: () => call('GET', '/training_status', TrainingStatusResponse),
    job: (jobId) => call('GET', `/training_status/${enc(String(jobId))}`, TrainingJob),
    models: () => call('GET', '/models', ModelsResponseSchema),
    activate: async (scope, version) =>
      call('POST', `/models/${enc(scope)}/activate`, ModelSummary, checkRequest(ActivateModelRequest, { version })),
    predict: async (request) => call('POST', '/predict', PredictResponse, checkRequest(PredictRequest, request)),
    forecast: async (request) => call('POST', '/forecast', ForecastResponse, checkRequest(ForecastRequest, request)),
    predictWithContext: async (request) =>
      call('POST', '/predict_with_context', PredictWithContextResponse, checkRequest(PredictWithContextRequest, request)),
    bulkPredict: async (request) => call('POST', '/bulk_predict', BulkPredictResponse, checkRequest(BulkPredictRequest, request)),
    // Not re-validated here: the cell functions build valid queries, and the service checks each one on its own.
    batch: (request) => call('POST', '/batch', BatchResponse, request),
    async bulkExport(storeId, format, query = {}) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
      const qs = q.toString();
      const res = await send('GET', `/bulk_predict/${enc(storeId)}.${format}${qs ? `?${qs}` : ''}`);
      const disposition = res.headers.get('content-disposition') ?? '';
      const named = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1] ?? /filename="?([^";]+)"?/i.exec(disposition)?.[1];
      const fileName = named ? decodeURIComponent(named).replace(/[\\/]/g, '_') : `bulk_predictions_${storeId}.${format}`;
      return { data: await res.blob(), fileName };
    },
  };
}

interface PollOptions {
  intervalMs?: number;
  signal?: AbortSignal;
  onUpdate?: (job: TrainingJob) => void;
  /** Told about each failed poll that will be retried (server errors and lost connections). */
  onRetry?: (error: ApiError, attempt: number) => void;
  /** Consecutive failed polls tolerated before giving up (default 3). */
  retries?: number;
}

const transient = (err: unknown): err is ApiError =>
  err instanceof ApiError && (err.status >= 500 || (err.status === 0 && err.code === 'network'));

/**
 * Polls /training_status/{job_id} until the job ends; resolves with the final job (failed ones included). A poll
 * that fails with a server error or a lost connection is retried a few times (the job goes on regardless) and
 * reported through onRetry; a client error, or too many failures in a row, ends the polling with that error.
 */
export async function pollTrainingJob(api: Pick<ApiClient, 'job'>, jobId: number, options: PollOptions = {}): Promise<TrainingJob> {
  const interval = options.intervalMs ?? 1000;
  const retries = options.retries ?? 3;
  let failures = 0;
  for (;;) {
    if (options.signal?.aborted) throw new ApiError(0, 'aborted', 'Stopped following the training job');
    let job: TrainingJob | null = null;
    try {
      job = await api.job(jobId);
      failures = 0;
    } catch (err) {
      if (!transient(err) || ++failures > retries) throw err;
      options.onRetry?.(err, failures);
    }
    if (job) {
      options.onUpdate?.(job);
      if (job.status !== 'queued' && job.status !== 'running') return job;
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** A random id for one upload's progress (getRandomValues: also where randomUUID is not, on plain-http pages). */
function progressId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
