// Requests per minute per API key (per client address when keys are not in force), counted in this instance's memory:
// behind a load balancer each instance counts its own share, so the cluster-wide allowance is up to N times this.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import type { ErrorBody } from '../../../shared/schemas';
import type { KeyIdentity } from '../auth/middleware';

interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * A token bucket per client: up to `perMinute` requests at once, refilled at `perMinute` per minute. Idle full
 * buckets are dropped, so memory follows the number of recently active clients.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private lastSweep = 0;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one token; when there is none, says how many seconds until there is. */
  take(client: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, updated: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updated) * this.perMs);
    bucket.updated = now;
    this.buckets.set(client, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  get clients(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const fullAfterMs = this.perMinute / this.perMs;
    for (const [client, b] of this.buckets) if (now - b.updated >= fullAfterMs) this.buckets.delete(client);
  }
}

export function rateLimit(limiter: RateLimiter): MiddlewareHandler<{ Variables: { apiKey?: KeyIdentity } }> {
  return async (c, next) => {
    const key = c.get('apiKey');
    const client = key ? `key:${key.id}` : `addr:${remoteAddress(c)}`;
    const taken = limiter.take(client);
    if (taken.ok) return next();
    const body: ErrorBody = {
      error: {
        code: 'rate_limited',
        message: `Too many requests: at most ${limiter.perMinute} a minute ${key ? 'per API key' : 'per client'}. Try again in ${taken.retryAfterSeconds} s.`,
        details: { limit_per_minute: limiter.perMinute, retry_after_seconds: taken.retryAfterSeconds },
      },
    };
    if (c.req.raw.body) c.header('Connection', 'close');
    return c.json(body, 429, { 'Retry-After': String(taken.retryAfterSeconds) });
  };
}

function remoteAddress(c: Parameters<MiddlewareHandler>[0]): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
