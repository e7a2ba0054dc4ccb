import { z } from 'zod';

const flag = z.enum(['0', '1', 'true', 'false', 'yes', 'no', '']).transform((v) => v === '1' || v === 'true' || v === 'yes');

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /** Bind address once API keys are in force; without any key the service binds 127.0.0.1 only (see server.ts). */
  HOST: z.string().min(1).optional(),
  /** Demand a key even while none exists yet (a fresh shared deployment), instead of serving openly on 127.0.0.1. */
  REQUIRE_API_KEY: flag.default(false),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().url().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  SEED_DEMO: flag.default(true),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(2048),
  MAX_UPLOAD_ROWS: z.coerce.number().int().positive().default(50_000_000),
  MAX_UPLOAD_COLUMNS: z.coerce.number().int().positive().max(1024).default(200),
  /** Zip/gzip bomb guard: what an .xlsx or .csv.gz may expand to. */
  MAX_UPLOAD_UNPACKED_MB: z.coerce.number().positive().default(8192),
  /** Every other request body (JSON). */
  MAX_JSON_BODY_KB: z.coerce.number().int().positive().default(2048),
  /** Requests other than uploads answer 408 after this long; 0 turns the limit off. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  /** Requests per minute per API key (per client address without keys), per instance; 0 turns the limit off. */
  RATE_LIMIT_PER_MIN: z.coerce.number().int().min(0).default(600),
  /** Queue training of a store after an upload adds days to it (its saved plans are scored at the same time). */
  RETRAIN_AFTER_UPLOAD: flag.default(false),
  /** Training jobs one instance runs at once, each in its own thread (each holds a store's series in memory). */
  TRAINING_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** How long shutdown waits for in-flight requests and the training thread before closing anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  LEAD_TIME_DAYS: z.coerce.number().min(0).max(365).default(7),
  REVIEW_DAYS: z.coerce.number().min(0).max(365).default(7),
  SERVICE_LEVEL: z.coerce.number().gt(0).lt(100).default(0.95),
  EXCESS_COVER_MULTIPLE: z.coerce.number().positive().default(3),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a 3-letter currency code such as USD')
    .default('USD'),
  CORS_ORIGINS: z
    .string()
    .default('https://localhost:3000')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .refine((origins) => origins.every(isOrigin), {
      message: 'comma-separated origins such as https://localhost:3000 (scheme, host and port; no path, no *)',
    }),
  /** Built task pane served at / (standalone mode) and /taskpane.html. */
  PANE_DIR: z.string().min(1).default('./addin/dist'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** PEM certificate (chain) and private key: set both and the service serves HTTPS itself (tls.ts), for no proxy. */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

/** Half a TLS setup would otherwise serve plain HTTP to people who asked for HTTPS. */
function halfTlsSetup(c: Pick<Config, 'TLS_CERT_FILE' | 'TLS_KEY_FILE'>): string | null {
  if (Boolean(c.TLS_CERT_FILE) === Boolean(c.TLS_KEY_FILE)) return null;
  const [missing, given] = c.TLS_CERT_FILE ? ['TLS_KEY_FILE', 'TLS_CERT_FILE'] : ['TLS_CERT_FILE', 'TLS_KEY_FILE'];
  return `${missing}: not set while ${given} is: set both (the certificate and its private key) to serve HTTPS, or neither for plain HTTP`;
}

function isOrigin(text: string): boolean {
  try {
    return new URL(text).origin === text;
  } catch {
    return false;
  }
}

/** Reads configuration from the environment; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked = Object.fromEntries(
    Object.keys(ConfigSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = ConfigSchema.safeParse(picked);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const tls = halfTlsSetup(parsed.data);
  if (tls) throw new Error(`Invalid configuration: ${tls}`);
  return parsed.data;
}
