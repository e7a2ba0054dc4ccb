// API keys: made here, shown once, stored as a SHA-256 hash (db/api-keys.ts), listed by name and last characters.
import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/connection';
import { type ApiKeyRow, insertApiKey, listApiKeys, revokeApiKey } from '../db/api-keys';
import { AppError } from '../errors';

/** Recognisable in logs, config files and secret scanners. */
export const KEY_PREFIX = 'dfk_';
const SUFFIX_LENGTH = 4;
const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$/;

/**
 * A plain SHA-256 is enough: keys are 256 random bits, so there is nothing to guess, and a fast hash lets a request
 * look its key up by hash (unlike a salted password hash, which would need a scan).
 */
export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

function generateApiKey(): { key: string; hash: string; suffix: string } {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, hash: hashApiKey(key), suffix: key.slice(-SUFFIX_LENGTH) };
}

function checkKeyName(name: string): string {
  const trimmed = name.trim();
  if (!NAME.test(trimmed) || /^\d+$/.test(trimmed)) {
    throw new AppError(
      422,
      'invalid_name',
      `"${name}" is not a usable key name: use 1-64 letters, digits, spaces or . _ @ -, starting with a letter or digit, and not only digits (those are ids).`,
    );
  }
  return trimmed;
}

export interface CreatedKey {
  /** The key itself: only here, never stored. */
  key: string;
  row: ApiKeyRow;
}

export async function createApiKey(sql: Sql, name: string): Promise<CreatedKey> {
  const checked = checkKeyName(name);
  const made = generateApiKey();
  const row = await insertApiKey(sql, { name: checked, hash: made.hash, suffix: made.suffix });
  if (!row) throw new AppError(409, 'name_taken', `A key named "${checked}" is already in force; revoke it first or pick another name.`);
  return { key: made.key, row };
}

/** Revokes by id (digits) or by name. */
export async function revokeKey(sql: Sql, nameOrId: string): Promise<ApiKeyRow> {
  const text = nameOrId.trim();
  const row = /^\d+$/.test(text) ? await revokeApiKey(sql, { id: Number(text) }) : await revokeApiKey(sql, { name: text });
  if (!row) throw new AppError(404, 'not_found', `No key in force with ${/^\d+$/.test(text) ? 'id' : 'name'} "${text}".`);
  return row;
}

export const listKeys = (sql: Sql) => listApiKeys(sql);
