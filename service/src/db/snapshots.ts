// SQL for forecast snapshots: forecasts saved as issued, scored against the sales uploaded later. No business rules:
// which snapshot counts for a period and what the figures mean live in accuracy/.
import { ARRAY_BATCH_ROWS, DATE, FLOAT8, INT8, TEXT } from './arrays';
import type { Sql } from './connection';

export interface SnapshotHeader {
  source: string;
  storeId: string;
  grain: string;
  granularity: string;
  predictionDate: string;
  horizonDays: number;
  modelVersion: string;
  intervalLevel: number;
  parameters: Record<string, unknown>;
  products: number;
}

export interface SnapshotPeriod {
  productId: string;
  periodStart: string;
  periodEnd: string;
  expected: number;
  lower: number | null;
  upper: number | null;
  reference: string | null;
  referenceValue: number | null;
  method: string;
  confidence: string;
  /** The override that changed this period's forecast, and the forecast before it. */
  overrideId: number | null;
  unadjusted: number | null;
}

/** Saves a snapshot and its periods in one transaction (a plan starts after the last stored day: nothing to score yet). */
export async function saveSnapshot(sql: Sql, header: SnapshotHeader, periods: SnapshotPeriod[]): Promise<number> {
  return (await sql.begin(async (tx) => {
    const t = tx as unknown as Sql;
    const [{ id }] = await t<{ id: string }[]>`
      INSERT INTO forecast_snapshots (source, store_id, grain, granularity, prediction_date, horizon_days, model_version,
                                      interval_level, parameters, products)
      VALUES (${header.source}, ${header.storeId}, ${header.grain}, ${header.granularity}, ${header.predictionDate},
              ${header.horizonDays}, ${header.modelVersion}, ${header.intervalLevel}, ${t.json(header.parameters as never)},
              ${header.products})
      RETURNING id`;
    for (let start = 0; start < periods.length; start += ARRAY_BATCH_ROWS) {
      const batch = periods.slice(start, start + ARRAY_BATCH_ROWS);
      // A column null in the whole batch travels as an empty array: multi-argument unnest pads it with NULLs.
      const col = (oid: number, pick: (p: SnapshotPeriod) => string | number | null) => {
        const values = batch.map(pick);
        return t.array((values.every((v) => v === null) ? [] : values) as never[], oid);
      };
      await t`
        INSERT INTO forecast_snapshot_periods (snapshot_id, store_id, product_id, period_start, period_end, expected, lower,
                                               upper, reference, reference_value, method, confidence, override_id, unadjusted)
        SELECT ${id}::bigint, ${header.storeId}, * FROM unnest(
          ${col(TEXT, (p) => p.productId)}::text[], ${col(DATE, (p) => p.periodStart)}::date[],
          ${col(DATE, (p) => p.periodEnd)}::date[], ${col(FLOAT8, (p) => p.expected)}::float8[],
          ${col(FLOAT8, (p) => p.lower)}::float8[], ${col(FLOAT8, (p) => p.upper)}::float8[],
          ${col(TEXT, (p) => p.reference)}::text[], ${col(FLOAT8, (p) => p.referenceValue)}::float8[],
          ${col(TEXT, (p) => p.method)}::text[], ${col(TEXT, (p) => p.confidence)}::text[],
          ${col(INT8, (p) => p.overrideId)}::int8[], ${col(FLOAT8, (p) => p.unadjusted)}::float8[])`;
    }
    return Number(id);
  })) as number;
}

/**
 * Scores the snapshot periods of `stores` not yet scored and those that overlap [from, to] (null: open): a period whose last day the store's
 * sales reach gets the units stored for its product and days (none stored: 0, the product sold nothing); one they no
 * longer reach (an upload undone) goes back to unscored. Run in the transaction that changed the sales, after the
 * product master's figures (whose last days it reads).
 */
export async function scoreSnapshots(sql: Sql, stores: string[], from: string | null, to: string | null): Promise<number> {
  if (stores.length === 0) return 0;
  const result = await sql`
    WITH reach AS (
      -- The last day the store's sales cover: its last stored day, or the end of its last stored week or month (a
      -- weekly or monthly store's rows are dated by their period's first day).
      SELECT s.store_id,
             CASE g.grain WHEN 'weekly' THEN m.last + 6
                          WHEN 'monthly' THEN (date_trunc('month', m.last) + interval '1 month' - interval '1 day')::date
                          ELSE m.last END AS last_date
      FROM unnest(${stores}::text[]) AS s(store_id)
      LEFT JOIN store_grains AS g ON g.store_id = s.store_id
      CROSS JOIN LATERAL (SELECT max(last_date) AS last FROM products WHERE store_id = s.store_id AND records > 0) AS m),
    scored AS (
      SELECT p.snapshot_id, p.product_id, p.period_start,
             CASE WHEN r.last_date >= p.period_end THEN
               (SELECT coalesce(sum(units_sold), 0) FROM sales AS x
                WHERE x.store_id = p.store_id AND x.product_id = p.product_id AND x.date BETWEEN p.period_start AND p.period_end)
             END AS actual
      FROM forecast_snapshot_periods AS p JOIN reach AS r ON r.store_id = p.store_id
      WHERE (p.actual IS NULL
             OR ((${from}::date IS NULL OR p.period_end >= ${from}::date) AND (${to}::date IS NULL OR p.period_start <= ${to}::date))))
    UPDATE forecast_snapshot_periods AS p
    SET actual = scored.actual, scored_at = CASE WHEN scored.actual IS NULL THEN NULL ELSE now() END
    FROM scored
    WHERE p.snapshot_id = scored.snapshot_id AND p.product_id = scored.product_id AND p.period_start = scored.period_start
      AND p.actual IS DISTINCT FROM scored.actual`;
  return result.count;
}

export interface TrackedPeriod {
  product_id: string;
  period_start: string;
  period_end: string;
  expected: number;
  lower: number | null;
  upper: number | null;
  reference: string | null;
  reference_value: number | null;
  actual: number | null;
  method: string;
  snapshot_id: number;
  prediction_date: string;
  interval_level: number;
  /** The store's grain when the plan was made. */
  grain: string;
  override_id: number | null;
  unadjusted: number | null;
}

/**
 * For each product and period of the store at `granularity`, the forecast made closest before it (the latest
 * planning day, then the latest issued): the one a buyer ordered on last. Periods within [from, to] when given.
 */
export async function trackedPeriods(
  sql: Sql,
  storeId: string,
  granularity: string,
  range: { from?: string; to?: string },
): Promise<TrackedPeriod[]> {
  return sql<TrackedPeriod[]>`
    SELECT DISTINCT ON (p.product_id, p.period_start, p.period_end)
           p.product_id, p.period_start::text, p.period_end::text, p.expected, p.lower, p.upper, p.reference,
           p.reference_value, p.actual, p.method, p.snapshot_id::int, s.prediction_date::text, s.interval_level, s.grain,
           p.override_id::int, p.unadjusted
    FROM forecast_snapshot_periods AS p JOIN forecast_snapshots AS s ON s.id = p.snapshot_id
    WHERE p.store_id = ${storeId} AND s.granularity = ${granularity}
      AND (${range.from ?? null}::date IS NULL OR p.period_end >= ${range.from ?? null}::date)
      AND (${range.to ?? null}::date IS NULL OR p.period_start <= ${range.to ?? null}::date)
    ORDER BY p.product_id, p.period_start, p.period_end, s.prediction_date DESC, s.issued_at DESC, s.id DESC`;
}

/** The granularities the store's snapshots were saved at, most recent first. */
export async function snapshotGranularities(sql: Sql, storeId: string): Promise<string[]> {
  const rows = await sql<{ granularity: string }[]>`
    SELECT granularity FROM forecast_snapshots WHERE store_id = ${storeId}
    GROUP BY granularity ORDER BY max(issued_at) DESC, max(id) DESC`;
  return rows.map((r) => r.granularity);
}

export interface ModelTracking {
  model_version: string;
  periods: number;
  absolute_error: number;
  actual: number;
}

/**
 * How the active models' saved forecasts did on what sold, at each store's own periods (days for a daily store: the
 * backtest's periods, so the two errors compare): for each product and period the latest forecast of an active model.
 */
export async function activeModelTracking(sql: Sql): Promise<ModelTracking[]> {
  return sql<ModelTracking[]>`
    WITH latest AS (
      SELECT DISTINCT ON (p.store_id, p.product_id, p.period_start, p.period_end) s.model_version, p.expected, p.actual
      FROM forecast_snapshot_periods AS p JOIN forecast_snapshots AS s ON s.id = p.snapshot_id
      WHERE p.actual IS NOT NULL
        AND s.granularity = CASE s.grain WHEN 'daily' THEN 'day' WHEN 'weekly' THEN 'week' ELSE 'month' END
        AND s.model_version IN (SELECT scope || '@' || version FROM models WHERE active)
      ORDER BY p.store_id, p.product_id, p.period_start, p.period_end, s.prediction_date DESC, s.issued_at DESC, s.id DESC)
    SELECT model_version, count(*)::int AS periods, sum(abs(expected - actual))::float8 AS absolute_error,
           sum(actual)::float8 AS actual
    FROM latest GROUP BY model_version ORDER BY model_version`;
}
