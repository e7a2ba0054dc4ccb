// Coalesces the cell functions' queries into few POST /batch requests and caches answers per store version.
//
// Excel recalculates thousands of cells at once, each one a function call. Queries arriving within a short window
// are sent together (split into requests of at most BATCH_MAX_QUERIES), identical ones once. Answers are kept under
// the version key the service reports for their store (active model + last upload): a recalculation without a new
// model or new data is answered from memory. A store's key counts as current for `revalidateMs`; after that the
// next recalculation costs one small request (the queries still missing plus the stores to re-check), and a changed
// key drops that store's answers.
import {
  BATCH_MAX_QUERIES,
  type BatchAnswer,
  type BatchError,
  type BatchQueryInput,
  type BatchRequest,
  type BatchResponse,
} from '../../../shared/schemas';

export interface BatchConnection {
  /** Identifies the service and credentials: answers cached for one are never served for another. */
  key: string;
  send(request: BatchRequest): Promise<BatchResponse>;
}

export interface BatcherOptions {
  /** Called once per flush, so the current settings (URL, API key) are always used. */
  connect: () => Promise<BatchConnection>;
  windowMs?: number;
  maxQueriesPerRequest?: number;
  maxConcurrentRequests?: number;
  revalidateMs?: number;
  now?: () => number;
}

/** A query the service answered with an error of its own (unknown product, date out of range, ...). */
export class QueryFailed extends Error {
  constructor(readonly failure: BatchError['error']) {
    super(failure.message);
    this.name = 'QueryFailed';
  }
}

interface BatcherStats {
  requests: number;
  queriesSent: number;
  cacheHits: number;
}

interface Waiting {
  key: string;
  query: BatchQueryInput;
  resolve: (answer: BatchAnswer) => void;
  reject: (err: unknown) => void;
}

interface StoreCache {
  version: string;
  checkedAt: number;
  answers: Map<string, BatchAnswer | BatchError>;
}

/** Stable text of a query: the same question asked by two cells gives the same key. */
function queryKey(query: BatchQueryInput): string {
  const sorted = Object.fromEntries(
    Object.entries(query)
      .filter(([k, v]) => v !== undefined && k !== 'id')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  return JSON.stringify(sorted);
}

/** Service errors that depend only on the store's version: worth remembering (5xx and transport errors are not). */
const cacheable = (result: BatchAnswer | BatchError) => result.ok || result.error.status < 500;

export class QueryBatcher {
  readonly stats: BatcherStats = { requests: 0, queriesSent: 0, cacheHits: 0 };
  private pending: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Queries waiting or on their way, by key: a second identical call shares the first one's answer. */
  private inflight = new Map<string, Promise<BatchAnswer>>();
  private stores = new Map<string, StoreCache>();
  private connectionKey: string | null = null;
  private readonly windowMs: number;
  private readonly maxQueries: number;
  private readonly maxConcurrent: number;
  private readonly revalidateMs: number;
  private readonly now: () => number;

  constructor(private readonly options: BatcherOptions) {
    this.windowMs = options.windowMs ?? 25;
    this.maxQueries = Math.min(options.maxQueriesPerRequest ?? BATCH_MAX_QUERIES, BATCH_MAX_QUERIES);
    this.maxConcurrent = options.maxConcurrentRequests ?? 2;
    this.revalidateMs = options.revalidateMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** Resolves with the service's answer; rejects with QueryFailed (the service's error) or the transport error. */
  ask(query: BatchQueryInput): Promise<BatchAnswer> {
    const key = queryKey(query);
    const shared = this.inflight.get(key);
    if (shared) return shared;
    const promise = new Promise<BatchAnswer>((resolve, reject) => {
      this.pending.push({ key, query, resolve, reject });
    });
    this.inflight.set(key, promise);
    const forget = () => this.inflight.delete(key);
    promise.then(forget, forget);
    if (this.pending.length >= this.maxQueries * this.maxConcurrent) this.flushSoon(0);
    else this.flushSoon(this.windowMs);
    return promise;
  }

  /** Forgets every cached answer (for example after the pane trained a model or uploaded data). */
  invalidate(): void {
    this.stores.clear();
  }

  private flushSoon(delay: number) {
    if (this.timer !== null && delay > 0) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let connection: BatchConnection;
    try {
      connection = await this.options.connect();
    } catch (err) {
      batch.forEach((w) => w.reject(err));
      return;
    }
    if (connection.key !== this.connectionKey) {
      this.stores.clear();
      this.connectionKey = connection.key;
    }

    const now = this.now();
    const toSend: Waiting[] = [];
    const toRecheck: Waiting[] = [];
    for (const w of batch) {
      const store = this.stores.get(w.query.store_id);
      const cached = store?.answers.get(w.key);
      if (!store || !cached) toSend.push(w);
      else if (now - store.checkedAt <= this.revalidateMs) this.settle(w, cached, true);
      else toRecheck.push(w);
    }
    const recheckStores = [...new Set(toRecheck.map((w) => w.query.store_id))];
    await this.send(connection, toSend, recheckStores);

    // Answers of re-checked stores whose version did not change are still good; the others are asked again.
    const stale: Waiting[] = [];
    for (const w of toRecheck) {
      const cached = this.stores.get(w.query.store_id)?.answers.get(w.key);
      if (cached) this.settle(w, cached, true);
      else stale.push(w);
    }
    if (stale.length) await this.send(connection, stale, []);
  }

  /** Sends queries in requests of at most maxQueries, a few at a time; `recheck` rides along with the first. */
  private async send(connection: BatchConnection, queries: Waiting[], recheck: string[]): Promise<void> {
    const chunks: Waiting[][] = [];
    for (let i = 0; i < queries.length; i += this.maxQueries) chunks.push(queries.slice(i, i + this.maxQueries));
    if (chunks.length === 0 && recheck.length === 0) return;
    if (chunks.length === 0) chunks.push([]);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const index = next++;
        await this.sendChunk(connection, chunks[index], index === 0 ? recheck : []);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrent, chunks.length) }, worker));
  }

  private async sendChunk(connection: BatchConnection, chunk: Waiting[], recheck: string[]): Promise<void> {
    const askedAt = this.now();
    let response: BatchResponse;
    try {
      this.stats.requests++;
      this.stats.queriesSent += chunk.length;
      response = await connection.send({ queries: chunk.map((w) => w.query), ...(recheck.length ? { stores: recheck } : {}) });
      if (response.results.length !== chunk.length)
        throw new Error(`The service answered ${response.results.length} of ${chunk.length} queries`);
    } catch (err) {
      chunk.forEach((w) => w.reject(err));
      return;
    }
    if (connection.key !== this.connectionKey) {
      // Settings changed while this request was out: answer the cells, remember nothing.
      chunk.forEach((w, i) => this.settle(w, response.results[i], false));
      return;
    }
    for (const [storeId, version] of Object.entries(response.versions)) {
      const store = this.stores.get(storeId);
      if (store && store.version === version) store.checkedAt = Math.max(store.checkedAt, askedAt);
      else this.stores.set(storeId, { version, checkedAt: askedAt, answers: new Map() });
    }
    chunk.forEach((w, i) => {
      const result = response.results[i];
      const store = this.stores.get(w.query.store_id);
      if (store && store.version === response.versions[w.query.store_id] && cacheable(result)) store.answers.set(w.key, result);
      this.settle(w, result, false);
    });
  }

  private settle(w: Waiting, result: BatchAnswer | BatchError, fromCache: boolean) {
    if (fromCache) this.stats.cacheHits++;
    if (result.ok) w.resolve(result);
    else w.reject(new QueryFailed(result.error));
  }
}
