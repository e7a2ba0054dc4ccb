// SQL for removing data: a store, a product, one upload (undone), the generated demo data. Each removal is one
// transaction that holds the lock uploads take on sales (db/sales.ts), so it never interleaves with an upload, and
// leaves the product master's figures as the remaining sales say.
import type { Database, Sql } from './connection';
import { scoreSnapshots } from './snapshots';

export interface RemovedCounts {
  sales_rows: number;
  products: number;
  models: number;
  jobs: number;
}

/** How training scopes are named (training/scopes.ts): handed in, the database layer knows no training rules. */
export interface ScopeNames {
  store(storeId: string): string;
  /** A job over every store. */
  all: string;
  global: string;
}

/** A training job over the data is running: removing the data under it would leave it training on rows that are gone. */
export class TrainingRunning extends Error {
  constructor(
    readonly jobIds: number[],
    readonly storeIds: string[],
  ) {
    super(`training job${jobIds.length > 1 ? 's' : ''} ${jobIds.join(', ')} running`);
    this.name = 'TrainingRunning';
  }
}

type Tx = Sql;
const inTransaction = <T>(db: Pick<Database, 'sql'>, work: (tx: Tx) => Promise<T>): Promise<T> =>
  db.sql.begin((tx) => work(tx as unknown as Tx)) as Promise<T>;

/** The lock uploads take before merging into sales: uploads and removals then run one after the other. */
const lockSales = (tx: Tx) => tx`LOCK TABLE sales IN SHARE ROW EXCLUSIVE MODE`;

/** Removes a store's sales, products, models and training jobs; null when the store has no products. */
export async function removeStore(db: Pick<Database, 'sql'>, storeId: string, scopes: ScopeNames): Promise<RemovedCounts | null> {
  return inTransaction(db, async (tx) => {
    await lockSales(tx);
    const [{ n }] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM products WHERE store_id = ${storeId} AND records > 0`;
    if (n === 0) return null;
    await refuseWhileTraining(tx, [storeId], scopes);
    const sales = await tx`DELETE FROM sales WHERE store_id = ${storeId}`;
    const products = await tx`DELETE FROM products WHERE store_id = ${storeId}`;
    const dropped = await dropStoreModels(tx, [storeId], scopes);
    await tx`DELETE FROM upload_changes WHERE store_id = ${storeId}`;
    await tx`DELETE FROM forecast_snapshots WHERE store_id = ${storeId}`;
    await tx`DELETE FROM demo_stores WHERE store_id = ${storeId}`;
    // A store uploaded again under this id starts afresh, at whatever grain its new data has.
    await tx`DELETE FROM store_grains WHERE store_id = ${storeId}`;
    const removed = { sales_rows: sales.count, products: products.count, ...dropped };
    await logRemoval(tx, { kind: 'store', storeIds: [storeId], removed });
    return removed;
  });
}

/**
 * Removes one product's sales and product row; null when the store has no such product. The store's last product
 * takes the store's models and jobs with it (a store without products does not exist).
 */
export async function removeProduct(
  db: Pick<Database, 'sql'>,
  storeId: string,
  productId: string,
  scopes: ScopeNames,
): Promise<RemovedCounts | null> {
  return inTransaction(db, async (tx) => {
    await lockSales(tx);
    const found = await tx`SELECT 1 FROM products WHERE store_id = ${storeId} AND product_id = ${productId} AND records > 0`;
    if (found.length === 0) return null;
    const sales = await tx`DELETE FROM sales WHERE store_id = ${storeId} AND product_id = ${productId}`;
    const products = await tx`DELETE FROM products WHERE store_id = ${storeId} AND product_id = ${productId}`;
    await tx`DELETE FROM upload_changes WHERE store_id = ${storeId} AND product_id = ${productId}`;
    await tx`DELETE FROM forecast_snapshot_periods WHERE store_id = ${storeId} AND product_id = ${productId}`;
    const dropped = await dropEmptyStores(tx, [storeId], scopes);
    const removed = { sales_rows: sales.count, products: products.count, ...dropped };
    await logRemoval(tx, { kind: 'product', storeIds: [storeId], productId, removed });
    return removed;
  });
}

export type UndoOutcome =
  | { status: 'not_found' }
  | { status: 'already_undone'; undoneAt: string }
  | { status: 'conflict'; laterUploads: number[] }
  | { status: 'undone'; stores: string[]; restored: number; removed: RemovedCounts };

/**
 * Undoes an upload: deletes the days it inserted and writes back the values of the days it replaced (upload_changes).
 * A conflict when a later upload replaced days this one wrote: undoing it would throw that upload's data away.
 */
export async function undoUpload(db: Pick<Database, 'sql'>, uploadId: number, scopes: ScopeNames): Promise<UndoOutcome> {
  return inTransaction(db, async (tx) => {
    await lockSales(tx);
    const [upload] = await tx<{ store_ids: string[]; undone_at: string | null; first_date: string | null; last_date: string | null }[]>`
      SELECT store_ids, undone_at, first_date::text, last_date::text FROM uploads WHERE id = ${uploadId}`;
    if (!upload) return { status: 'not_found' };
    if (upload.undone_at !== null) return { status: 'already_undone', undoneAt: new Date(upload.undone_at).toISOString() };
    const later = await tx<{ id: number }[]>`
      SELECT DISTINCT upload_id::int AS id FROM upload_changes WHERE previous_upload_id = ${uploadId} ORDER BY 1`;
    if (later.length > 0) return { status: 'conflict', laterUploads: later.map((r) => r.id) };

    const stores = upload.store_ids;
    // Replaced days first: what is left with this upload's id afterwards is exactly what it inserted.
    const restored = await tx`
      UPDATE sales AS s SET
        units_sold = c.units_sold, inventory_level = c.inventory_level, units_ordered = c.units_ordered, price = c.price,
        discount = c.discount, promotion = c.promotion, category = c.category, region = c.region, extra = c.extra,
        closed = c.closed, upload_id = c.previous_upload_id
      FROM upload_changes AS c
      WHERE c.upload_id = ${uploadId} AND s.upload_id = ${uploadId}
        AND s.store_id = c.store_id AND s.product_id = c.product_id AND s.date = c.date`;
    const inserted = await tx`DELETE FROM sales WHERE store_id = ANY(${stores}::text[]) AND upload_id = ${uploadId}`;
    await tx`DELETE FROM upload_changes WHERE upload_id = ${uploadId}`;
    const products = await refreshProductFigures(tx, stores);
    // Forecasts scored on the days undone are scored again on what is left (or wait again for their sales).
    await scoreSnapshots(tx, stores, upload.first_date, upload.last_date);
    const dropped = await dropEmptyStores(tx, stores, scopes);
    await tx`UPDATE uploads SET undone_at = now() WHERE id = ${uploadId}`;
    await tx`DELETE FROM demo_stores WHERE upload_id = ${uploadId}`;
    const removed = { sales_rows: inserted.count, products, ...dropped };
    await logRemoval(tx, { kind: 'upload', storeIds: stores, uploadId, removed: { ...removed, restored_rows: restored.count } });
    return { status: 'undone', stores, restored: restored.count, removed };
  });
}

/**
 * Removes the generated demo data: the days the demo upload stored that no later upload replaced (a buyer's own rows
 * in a demo store stay), products left without sales, every model of the demo stores (each was trained on demo data),
 * global models trained before any other data arrived, and the demo stores' training jobs.
 */
export async function removeDemoData(db: Pick<Database, 'sql'>, scopes: ScopeNames): Promise<{ stores: string[]; removed: RemovedCounts }> {
  return inTransaction(db, async (tx) => {
    await lockSales(tx);
    const demo = await tx<{ store_id: string; upload_id: number }[]>`
      SELECT store_id, upload_id::int AS upload_id FROM demo_stores ORDER BY store_id`;
    if (demo.length === 0) return { stores: [], removed: { sales_rows: 0, products: 0, models: 0, jobs: 0 } };
    const stores = demo.map((d) => d.store_id);
    const uploads = [...new Set(demo.map((d) => d.upload_id))];
    await refuseWhileTraining(tx, stores, scopes);
    const sales = await tx`DELETE FROM sales WHERE store_id = ANY(${stores}::text[]) AND upload_id = ANY(${uploads}::bigint[])`;
    // A later upload's undo must not bring demo values back: the days it replaced become days it inserted.
    await tx`DELETE FROM upload_changes WHERE upload_id = ANY(${uploads}::bigint[]) OR previous_upload_id = ANY(${uploads}::bigint[])`;
    const products = await refreshProductFigures(tx, stores);
    const dropped = await dropStoreModels(tx, stores, scopes);
    await tx`DELETE FROM store_grains AS g WHERE g.store_id = ANY(${stores}::text[])
               AND NOT EXISTS (SELECT 1 FROM products AS p WHERE p.store_id = g.store_id)`;
    const globals = await dropDemoOnlyGlobalModels(tx, uploads, scopes);
    // Forecasts of the demo stores were made from demo data.
    await tx`DELETE FROM forecast_snapshots WHERE store_id = ANY(${stores}::text[])`;
    await tx`UPDATE uploads SET undone_at = now() WHERE id = ANY(${uploads}::bigint[]) AND undone_at IS NULL`;
    await tx`DELETE FROM demo_stores WHERE store_id = ANY(${stores}::text[])`;
    const removed = { sales_rows: sales.count, products, models: dropped.models + globals, jobs: dropped.jobs };
    await logRemoval(tx, { kind: 'demo', storeIds: stores, removed });
    return { stores, removed };
  });
}

/** Marks the stores of an upload as demo stores (in the upload's transaction: demo/seed.ts through storeUpload). */
export async function markDemoStores(tx: Sql, uploadId: number, storeIds: string[]): Promise<void> {
  if (storeIds.length === 0) return;
  await tx`
    INSERT INTO demo_stores (store_id, upload_id) SELECT s, ${uploadId} FROM unnest(${storeIds}::text[]) AS s
    ON CONFLICT (store_id) DO NOTHING`;
}

/** The demo stores among these (all of them when none are given). */
export async function demoStoreIds(sql: Sql, among?: string[]): Promise<Set<string>> {
  const rows = among
    ? await sql<{ store_id: string }[]>`SELECT store_id FROM demo_stores WHERE store_id = ANY(${among}::text[])`
    : await sql<{ store_id: string }[]>`SELECT store_id FROM demo_stores`;
  return new Set(rows.map((r) => r.store_id));
}

// ---------------------------------------------------------------- helpers (inside a removal's transaction)

async function refuseWhileTraining(tx: Tx, storeIds: string[], scopes: ScopeNames): Promise<void> {
  const names = [...storeIds.map((id) => scopes.store(id)), scopes.all];
  const running = await tx<{ id: number }[]>`
    SELECT id::int FROM training_jobs WHERE status = 'running' AND scope = ANY(${names}::text[]) ORDER BY id`;
  if (running.length > 0)
    throw new TrainingRunning(
      running.map((r) => r.id),
      storeIds,
    );
}

/** Deletes the stores' models and training jobs; jobs of other scopes that point at those models are detached. */
async function dropStoreModels(tx: Tx, storeIds: string[], scopes: ScopeNames): Promise<{ models: number; jobs: number }> {
  const names = storeIds.map((id) => scopes.store(id));
  const jobs = await tx`DELETE FROM training_jobs WHERE scope = ANY(${names}::text[])`;
  await tx`UPDATE training_jobs SET model_id = NULL
           WHERE model_id IN (SELECT id FROM models WHERE scope = ANY(${names}::text[]))`;
  const models = await tx`DELETE FROM models WHERE scope = ANY(${names}::text[])`;
  return { models: models.count, jobs: jobs.count };
}

/** The stores among these left without products lose their models and jobs too. */
async function dropEmptyStores(tx: Tx, storeIds: string[], scopes: ScopeNames): Promise<{ models: number; jobs: number }> {
  const empty = (
    await tx<{ store_id: string }[]>`
      SELECT s AS store_id FROM unnest(${storeIds}::text[]) AS s
      WHERE NOT EXISTS (SELECT 1 FROM products WHERE store_id = s)`
  ).map((r) => r.store_id);
  if (empty.length === 0) return { models: 0, jobs: 0 };
  await refuseWhileTraining(tx, empty, scopes);
  await tx`DELETE FROM store_grains WHERE store_id = ANY(${empty}::text[])`;
  await tx`DELETE FROM demo_stores WHERE store_id = ANY(${empty}::text[])`;
  await tx`DELETE FROM forecast_snapshots WHERE store_id = ANY(${empty}::text[])`;
  return dropStoreModels(tx, empty, scopes);
}

/**
 * Global models trained before any upload other than the demo's: they learnt from demo data only. One a kept model
 * is blended with stays (it is that model's partner).
 */
async function dropDemoOnlyGlobalModels(tx: Tx, demoUploads: number[], scopes: ScopeNames): Promise<number> {
  const doomed = tx`
    SELECT id FROM models
    WHERE scope = ${scopes.global}
      AND trained_at < coalesce((SELECT min(uploaded_at) FROM uploads WHERE NOT (id = ANY(${demoUploads}::bigint[]))), 'infinity')
      AND id NOT IN (SELECT (params->'ensemble'->>'model_id')::bigint FROM models
                     WHERE params->'ensemble'->>'model_id' IS NOT NULL)`;
  await tx`UPDATE training_jobs SET model_id = NULL WHERE model_id IN (${doomed})`;
  const deleted = await tx`DELETE FROM models WHERE id IN (${doomed})`;
  return deleted.count;
}

/** Recomputes the catalog figures of the stores' products from their sales; deletes products left without sales. */
async function refreshProductFigures(tx: Tx, storeIds: string[]): Promise<number> {
  await tx`
    UPDATE products AS p SET
      records = f.records, first_date = f.first_date, last_date = f.last_date,
      category = coalesce(f.category, p.category), region = coalesce(f.region, p.region), updated_at = now()
    FROM (SELECT store_id, product_id, count(*)::int AS records, min(date) AS first_date, max(date) AS last_date,
                 (array_agg(category ORDER BY date DESC) FILTER (WHERE category IS NOT NULL))[1] AS category,
                 (array_agg(region ORDER BY date DESC) FILTER (WHERE region IS NOT NULL))[1] AS region
          FROM sales WHERE store_id = ANY(${storeIds}::text[])
          GROUP BY store_id, product_id) AS f
    WHERE p.store_id = f.store_id AND p.product_id = f.product_id`;
  const deleted = await tx`
    DELETE FROM products AS p WHERE p.store_id = ANY(${storeIds}::text[])
      AND NOT EXISTS (SELECT 1 FROM sales AS s WHERE s.store_id = p.store_id AND s.product_id = p.product_id)`;
  return deleted.count;
}

async function logRemoval(
  tx: Tx,
  entry: { kind: 'store' | 'product' | 'upload' | 'demo'; storeIds: string[]; productId?: string; uploadId?: number; removed: object },
): Promise<void> {
  await tx`
    INSERT INTO data_removals (kind, store_ids, product_id, upload_id, removed)
    VALUES (${entry.kind}, ${entry.storeIds}::text[], ${entry.productId ?? null}, ${entry.uploadId ?? null},
            ${tx.json(entry.removed as never)})`;
}
