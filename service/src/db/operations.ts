// SQL for the operational endpoints: readiness (/ready) and model accuracy gauges (/metrics).
import type { Sql } from './connection';

/** Versions recorded in schema_migrations; null when the table does not exist yet (nothing applied). */
export async function appliedMigrationVersions(sql: Sql): Promise<number[] | null> {
  const [{ present }] = await sql<{ present: boolean }[]>`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`;
  if (!present) return null;
  return (await sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`).map((r) => r.version);
}

export interface ActiveModelAccuracy {
  scope: string;
  version: number;
  wape: number | null;
  accuracy: number | null;
  baseline_wape: number | null;
}

/** Holdout figures of the active models: one small row per scope, the model bytes are not read. */
export async function activeModelAccuracy(sql: Sql): Promise<ActiveModelAccuracy[]> {
  return sql<ActiveModelAccuracy[]>`
    SELECT scope, version,
           (metrics->>'wape')::float8 AS wape,
           (metrics->>'accuracy')::float8 AS accuracy,
           (metrics->'baseline'->>'wape')::float8 AS baseline_wape
    FROM models WHERE active ORDER BY scope`;
}
