// SQL for API keys (hashes only; see auth/keys.ts).
import type { Sql } from './connection';

export interface ApiKeyRow {
  id: number;
  name: string;
  suffix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const COLUMNS = 'id::int, name, suffix, created_at, last_used_at, revoked_at';

/** Stores a new key; null when a key in force already has this name. */
export async function insertApiKey(sql: Sql, key: { name: string; hash: string; suffix: string }): Promise<ApiKeyRow | null> {
  const rows = await sql<ApiKeyRow[]>`
    INSERT INTO api_keys (name, key_hash, suffix) VALUES (${key.name}, ${key.hash}, ${key.suffix})
    ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING
    RETURNING ${sql.unsafe(COLUMNS)}`;
  return rows[0] ?? null;
}

export async function listApiKeys(sql: Sql): Promise<ApiKeyRow[]> {
  return sql<ApiKeyRow[]>`SELECT ${sql.unsafe(COLUMNS)} FROM api_keys ORDER BY id`;
}

/** Revokes the key in force with this id or name; returns it, or null when there is none. */
export async function revokeApiKey(sql: Sql, which: { id: number } | { name: string }): Promise<ApiKeyRow | null> {
  const where = 'id' in which ? sql`id = ${which.id}` : sql`name = ${which.name}`;
  const rows = await sql<ApiKeyRow[]>`
    UPDATE api_keys SET revoked_at = now() WHERE ${where} AND revoked_at IS NULL RETURNING ${sql.unsafe(COLUMNS)}`;
  return rows[0] ?? null;
}

/** Hash -> id and name of every key in force: what the request check compares against. */
export async function activeApiKeyHashes(sql: Sql): Promise<{ id: number; name: string; key_hash: string }[]> {
  return sql<{ id: number; name: string; key_hash: string }[]>`
    SELECT id::int, name, key_hash FROM api_keys WHERE revoked_at IS NULL`;
}

export async function countActiveApiKeys(sql: Sql): Promise<number> {
  const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM api_keys WHERE revoked_at IS NULL`;
  return n;
}

/** Records that these keys were used (batched by the request check, not written per request). */
export async function touchApiKeys(sql: Sql, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`UPDATE api_keys SET last_used_at = now() WHERE id = ANY(${sql.array(ids)}::bigint[])`;
}
