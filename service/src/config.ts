import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: z.string().url().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  SEED_DEMO: flag.default(true),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(100),
  MAX_UPLOAD_ROWS: z.coerce.number().int().positive().default(5_000_000),
  LEAD_TIME_DAYS: z.coerce.number().min(0).max(365).default(7),
  REVIEW_DAYS: z.coerce.number().min(0).max(365).default(7),
  SERVICE_LEVEL: z.coerce.number().gt(0).lt(100).default(0.95),
  EXCESS_COVER_MULTIPLE: z.coerce.number().positive().default(3),
  CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'a 3-letter currency code such as USD').default('USD'),
  CORS_ORIGINS: z
    .string()
    .default('https://localhost:3000')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean)),
  /** Built task pane served at / (standalone mode) and /taskpane.html. */
  PANE_DIR: z.string().min(1).default('./addin/dist'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

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
  return parsed.data;
}
