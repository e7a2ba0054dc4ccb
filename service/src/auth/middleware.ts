// The API key check: `Authorization: Bearer <key>` (or `X-API-Key: <key>`) against the hashes of the keys in force.
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { ErrorBody } from '../../../shared/schemas';
import { activeApiKeyHashes, touchApiKeys } from '../db/api-keys';
import type { Sql, TransactionActivity } from '../db/connection';
import { hashApiKey } from './keys';

/** How long the keys read from the database are trusted: a new or revoked key takes effect within this time. */
export const KEY_CACHE_MS = 5_000;

export interface KeyIdentity {
  id: number;
  name: string;
}

/**
 * The keys in force, read from the database at most once per `cacheMs` (per instance), so a request costs a hash and
 * a map lookup, not a query. Uses of each key are written back in the same refresh, not per request.
 */
export class ApiKeyRegistry {
  private keys = new Map<string, KeyIdentity>();
  private loadedAt = -Infinity;
  private loading: Promise<Map<string, KeyIdentity>> | null = null;
  private used = new Set<number>();

  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
    private readonly cacheMs = KEY_CACHE_MS,
    /** The embedded database's (db/connection.ts); undefined on PostgreSQL. */
    private readonly transactions?: TransactionActivity,
  ) {}

  /** Hash -> key in force. */
  async current(): Promise<Map<string, KeyIdentity>> {
    if (performance.now() - this.loadedAt < this.cacheMs) return this.keys;
    const loading = (this.loading ??= this.refresh().finally(() => {
      this.loading = null;
    }));
    // The embedded database is this process's alone while it runs, so its keys change only through this process (the
    // keys command refuses while the service holds it): while a transaction of ours holds it (an upload, for tens of
    // seconds), the list loaded before is current, and requests need not queue behind the upload to learn so.
    const tx = this.transactions;
    if (!tx || this.loadedAt === -Infinity) return loading;
    return (await Promise.race([loading, tx.opened(loading)])) ?? this.keys;
  }

  /** The key presented, if it is in force. */
  async find(presented: string): Promise<KeyIdentity | undefined> {
    const key = (await this.current()).get(hashApiKey(presented));
    if (key) this.used.add(key.id);
    return key;
  }

  private async refresh(): Promise<Map<string, KeyIdentity>> {
    try {
      const rows = await activeApiKeyHashes(this.sql);
      this.keys = new Map(rows.map((r) => [r.key_hash, { id: r.id, name: r.name }]));
    } catch (err) {
      // Nothing loaded yet: refuse (fail closed). Otherwise keep the last list until the database answers again.
      if (this.loadedAt === -Infinity) throw err;
      this.logger.warn({ err }, 'could not reload API keys; using the list loaded before');
    }
    this.loadedAt = performance.now();
    const used = [...this.used];
    this.used.clear();
    touchApiKeys(this.sql, used).catch((err) => this.logger.warn({ err }, 'could not record API key use'));
    return this.keys;
  }
}

/** The key the request presents, if any. */
export function presentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (bearer) return bearer[1];
  const plain = apiKeyHeader?.trim();
  return plain ? plain : undefined;
}

/**
 * Lets a request through when it presents a key in force, or when no key exists and none is required (a fresh local
 * start, which server.ts binds to 127.0.0.1). Otherwise 401 in the error shape with `WWW-Authenticate: Bearer`.
 */
export function requireApiKey(
  registry: ApiKeyRegistry,
  options: { required: boolean },
): MiddlewareHandler<{ Variables: { apiKey?: KeyIdentity } }> {
  return async (c, next) => {
    const keys = await registry.current();
    if (keys.size === 0 && !options.required) return next();
    const presented = presentedKey(c.req.header('authorization'), c.req.header('x-api-key'));
    const key = presented === undefined ? undefined : await registry.find(presented);
    if (!key) {
      const body: ErrorBody = {
        error: {
          code: 'unauthorized',
          message:
            presented === undefined
              ? 'This service needs an API key: send "Authorization: Bearer <key>". An administrator creates one with: npm run keys -- create <name>'
              : 'The API key is not valid or was revoked',
        },
      };
      // The body is not wanted: the server drains a bounded part of it so that the client can read this answer
      // (drain.ts), then closes the connection, rather than reading all of it to serve a next request.
      if (c.req.raw.body) c.header('Connection', 'close');
      return c.json(body, 401, {
        'WWW-Authenticate': `Bearer realm="demand-forecasting"${presented === undefined ? '' : ', error="invalid_token"'}`,
      });
    }
    c.set('apiKey', key);
    await next();
  };
}
