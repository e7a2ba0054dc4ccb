import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('configuration', () => {
  it('has defaults for a fresh local start', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8000, DATA_DIR: './.data', SEED_DEMO: true, MAX_UPLOAD_MB: 2048 });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('honours PORT, DATA_DIR, DATABASE_URL and SEED_DEMO=0', () => {
    const c = loadConfig({ PORT: '9123', DATA_DIR: '/tmp/x', DATABASE_URL: 'postgres://u@h:5432/db', SEED_DEMO: '0' });
    expect(c).toMatchObject({ PORT: 9123, DATA_DIR: '/tmp/x', DATABASE_URL: 'postgres://u@h:5432/db', SEED_DEMO: false });
  });

  it('has secure, bounded defaults for the limits and keys', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      REQUIRE_API_KEY: false,
      MAX_UPLOAD_COLUMNS: 200,
      MAX_UPLOAD_UNPACKED_MB: 8192,
      MAX_JSON_BODY_KB: 2048,
      REQUEST_TIMEOUT_MS: 60_000,
      RATE_LIMIT_PER_MIN: 600,
      SHUTDOWN_TIMEOUT_MS: 10_000,
      CORS_ORIGINS: ['https://localhost:3000'],
    });
    // No default bind address: server.ts picks 127.0.0.1 until keys are in force.
    expect(c.HOST).toBeUndefined();
  });

  it('reads the limits, REQUIRE_API_KEY and a list of CORS origins', () => {
    const c = loadConfig({
      REQUIRE_API_KEY: 'true',
      HOST: '10.0.0.5',
      RATE_LIMIT_PER_MIN: '0',
      REQUEST_TIMEOUT_MS: '1500',
      CORS_ORIGINS: 'https://a.example, https://b.example:8443',
    });
    expect(c).toMatchObject({
      REQUIRE_API_KEY: true,
      HOST: '10.0.0.5',
      RATE_LIMIT_PER_MIN: 0,
      REQUEST_TIMEOUT_MS: 1500,
      CORS_ORIGINS: ['https://a.example', 'https://b.example:8443'],
    });
  });

  it('names the variable when a value is bad', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example/pane' })).toThrow(/CORS_ORIGINS: comma-separated origins/);
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MIN: '-5' })).toThrow(/RATE_LIMIT_PER_MIN/);
    expect(() => loadConfig({ REQUIRE_API_KEY: 'sure' })).toThrow(/REQUIRE_API_KEY/);
    expect(() => loadConfig({ MAX_UPLOAD_COLUMNS: '5000' })).toThrow(/MAX_UPLOAD_COLUMNS/);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '1.5' })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MAX_UPLOAD_MB: '-1' })).toThrow(/MAX_UPLOAD_MB/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
  });
});
