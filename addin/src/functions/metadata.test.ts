// functions.json as the build generates it from functions.ts: every DEMAND function with its parameters and result
// shape, ids bound to the right code, and a JSDoc mistake failing the build instead of shipping broken metadata.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from './functions';
import { buildFunctionsMetadata, FUNCTIONS_SOURCE, type FunctionMetadata } from './metadata';

/** name: type, [optional], (scalar) — everything else is a required matrix of any. */
const EXPECTED: Record<string, string[]> = {
  FORECAST: [
    'store: any matrix',
    'product: any matrix',
    'target_date_or_horizon: any matrix',
    'level?: number scalar',
    'granularity?: string scalar',
  ],
  INTERVAL: ['store: any matrix', 'product: any matrix', 'target_date: any matrix', 'level?: number scalar'],
  REORDER: [
    'store: any matrix',
    'product: any matrix',
    'on_hand?: any matrix',
    'lead_time_days?: number scalar',
    'service_level?: number scalar',
  ],
  BUDGETORDER: ['store: any matrix', 'product: any matrix', 'budget: number scalar'],
  STATUS: ['store: any matrix', 'product: any matrix', 'on_hand?: any matrix'],
  HISTORY: ['store: any scalar', 'product: any scalar', 'from?: any scalar', 'to?: any scalar'],
  ACCURACY: ['store: any matrix', 'metric?: string scalar'],
  BASIS: ['store: any matrix', 'product: any matrix', 'part?: string scalar'],
};

const signature = (p: FunctionMetadata['parameters'][number]) =>
  `${p.name}${p.optional ? '?' : ''}: ${p.type} ${p.dimensionality ?? 'scalar'}`;

describe('custom functions metadata (functions.json)', () => {
  it('lists every function with its parameters (name, type, optional, shape) and a matrix result', async () => {
    const { functions } = JSON.parse(await buildFunctionsMetadata()) as { functions: FunctionMetadata[] };
    expect(functions.map((f) => f.id)).toEqual(Object.keys(EXPECTED));
    for (const f of functions) {
      expect(f.name, f.id).toBe(f.id);
      expect(f.parameters.map(signature), f.id).toEqual(EXPECTED[f.id]);
      // Every function can spill (a horizon, [lower, upper], a range of products), so each result is a matrix.
      expect(f.result?.dimensionality, f.id).toBe('matrix');
      for (const text of [f.description, ...f.parameters.map((p) => p.description)]) {
        expect(text, f.id).toBeTruthy();
        expect(text, f.id).not.toMatch(/\n/);
        expect(text!.length, `${f.id}: ${text}`).toBeLessThanOrEqual(255);
      }
    }
  });

  it('binds each id to the function it documents, as CustomFunctions.associate will', async () => {
    const { associate, errors } = await generateCustomFunctionsMetadata(FUNCTIONS_SOURCE);
    expect(errors).toEqual([]);
    expect(Object.keys(FUNCTIONS).sort()).toEqual(associate.map((a) => a.id).sort());
    for (const a of associate) expect((FUNCTIONS as Record<string, { name: string }>)[a.id].name, a.id).toBe(a.functionName);
  });

  it('fails the build on an invalid JSDoc block instead of emitting wrong metadata', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-metadata-'));
    try {
      const source = join(dir, 'bad.ts');
      writeFileSync(
        source,
        '/**\n * Broken.\n * @customfunction BAD\n * @param when A day.\n */\nexport function bad(when: Date): number {\n  return 1;\n}\n',
      );
      await expect(buildFunctionsMetadata(source)).rejects.toThrow(/bad\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
