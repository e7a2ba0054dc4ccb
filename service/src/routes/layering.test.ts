// Route modules parse a request, call one use-case and shape its answer: they never reach the database themselves.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const routeModules = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('route modules', () => {
  it.each(routeModules)('%s imports nothing from db/', (file) => {
    const imports = [...readFileSync(resolve(here, file), 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((spec) => /(^|\/)db(\/|$)/.test(spec))).toEqual([]);
  });
});
