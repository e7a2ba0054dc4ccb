// Where the service listens: without any API key in force it answers anyone who can reach it, so then only this
// machine may (127.0.0.1), whatever HOST says.
import type { Config } from '../config';

export interface Binding {
  host: string;
  /** API keys are required (some exist, or REQUIRE_API_KEY). */
  keyed: boolean;
  /** A HOST setting not used because no key is in force. */
  ignoredHost?: string;
}

export function chooseBinding(config: Pick<Config, 'HOST' | 'REQUIRE_API_KEY'>, activeKeys: number): Binding {
  const keyed = activeKeys > 0 || config.REQUIRE_API_KEY;
  if (keyed) return { host: config.HOST ?? '0.0.0.0', keyed };
  const host = '127.0.0.1';
  return { host, keyed, ...(config.HOST && config.HOST !== host ? { ignoredHost: config.HOST } : {}) };
}
