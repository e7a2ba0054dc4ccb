import { describe, expect, it } from 'vitest';
import { endpoints } from '../../shared/api';
import { buildOpenApiDocument } from './openapi';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument('1.2.3') as {
    openapi: string;
    info: { version: string };
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
    components: { schemas: Record<string, unknown> };
  };

  it('lists every endpoint of the shared contract with its method', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.version).toBe('1.2.3');
    for (const e of endpoints) expect(doc.paths[e.path]?.[e.method], `${e.method} ${e.path}`).toBeDefined();
  });

  it('resolves every schema reference to a component', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      const name = ref.split('/').at(-1)!.replace('"', '');
      expect(doc.components.schemas[name], name).toBeDefined();
    }
  });

  it('documents the error shape on failures', () => {
    const upload = doc.paths['/upload_data'].post.responses;
    expect(upload['422'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    expect(doc.components.schemas.Error).toMatchObject({ properties: { error: { type: 'object' } } });
  });
});

describe('OpenAPI request bodies', () => {
  const schemas = (
    buildOpenApiDocument('1') as { components: { schemas: Record<string, { required?: string[]; additionalProperties?: unknown }> } }
  ).components.schemas;

  it('lists as required only what a client must send (fields with defaults are optional)', () => {
    expect(schemas.ForecastRequest.required?.sort()).toEqual(['product_id', 'store_id']);
    expect(schemas.BulkPredictRequest.required).toEqual(['store_id']);
  });

  it('says unknown fields are refused', () => {
    expect(schemas.PredictWithContextRequest.additionalProperties).toBe(false);
  });
});
