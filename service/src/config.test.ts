import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('configuration', () => {
  it('has defaults for a fresh local start', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8000, DATA_DIR: './.data', SEED_DEMO: true, MAX_UPLOAD_MB: 100 });
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('honours PORT, DATA_DIR, DATABASE_URL and SEED_DEMO=0', () => {
    const c = loadConfig({ PORT: '9123', DATA_DIR: '/tmp/x', DATABASE_URL: 'postgres://u@h:5432/db', SEED_DEMO: '0' });
    expect(c).toMatchObject({ PORT: 9123, DATA_DIR: '/tmp/x', DATABASE_URL: 'postgres://u@h:5432/db', SEED_DEMO: false });
  });

  it('names the variable when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ MAX_UPLOAD_MB: '-1' })).toThrow(/MAX_UPLOAD_MB/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
  });
});
