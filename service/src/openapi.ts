// OpenAPI 3 document generated from the shared contract, so the API is readable without reading code.
import { z } from 'zod';
import { endpoints, type EndpointDoc } from '../../shared/api';
import { ErrorBody } from '../../shared/schemas';

const COMPONENTS = '#/components/schemas/';

/**
 * Gives every request and response schema a component name (keeping the shared contract's own ids and
 * descriptions), so the document refers to each once.
 */
function nameSchemas(): void {
  const name = (schema: z.ZodType | undefined, fallback: string) => {
    if (!schema) return;
    const meta = z.globalRegistry.get(schema);
    if (meta?.id) return;
    z.globalRegistry.add(schema, { ...meta, id: fallback });
  };
  for (const e of endpoints) {
    const base = e.path
      .replace(/[{}]/g, '')
      .split(/[/_]/)
      .filter(Boolean)
      .map((p) => p[0].toUpperCase() + p.slice(1))
      .join('');
    name(e.json, `${base}Request`);
    name(e.multipart?.fields, `${base}Form`);
    for (const [status, r] of Object.entries(e.responses)) if (Number(status) < 300) name(r.schema, `${base}Response`);
  }
}

function components(io: 'input' | 'output'): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    target: 'openapi-3.0',
    io,
    unrepresentable: 'any',
    uri: (id) => COMPONENTS + id,
  }) as { schemas: Record<string, Record<string, unknown>> };
  for (const s of Object.values(schemas)) delete s.$id;
  return schemas;
}

const ref = (schema: z.ZodType) => ({ $ref: COMPONENTS + String(z.globalRegistry.get(schema)?.id) });

export function buildOpenApiDocument(version: string): Record<string, unknown> {
  nameSchemas();
  const schemas = components('output');
  // What a client sends is the input side: a field with a default (horizon_days, levels) is optional there. Request
  // bodies and every component they refer to take their input form.
  const inputs = components('input');
  const pending = endpoints.map((e) => (e.json ? z.globalRegistry.get(e.json)?.id : undefined)).filter((id): id is string => !!id);
  const done = new Set<string>();
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (done.has(id) || !inputs[id]) continue;
    done.add(id);
    schemas[id] = inputs[id];
    for (const [, ref] of JSON.stringify(inputs[id]).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) pending.push(ref);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const parameters: unknown[] = (e.pathParams ?? []).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    if (e.query) {
      const q = z.toJSONSchema(e.query, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as {
        properties?: Record<string, unknown>;
        required?: string[];
      };
      for (const [name, schema] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
    }
    let requestBody: unknown;
    if (e.json) requestBody = { required: true, content: { 'application/json': { schema: ref(e.json) } } };
    if (e.multipart) {
      const fields = schemas[String(z.globalRegistry.get(e.multipart.fields)?.id)] as { properties?: Record<string, unknown> };
      requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              description: 'Object fields (mapping) travel as JSON text inside the form.',
              required: [e.multipart.fileField],
              properties: {
                [e.multipart.fileField]: { type: 'string', format: 'binary' },
                ...fields.properties,
              },
            },
          },
        },
      };
    }
    // Every endpoint behind the key can also answer these (auth/middleware.ts, limits/).
    const guarded: EndpointDoc['responses'] = e.open
      ? {}
      : {
          401: { description: 'No API key, or one not in force (WWW-Authenticate: Bearer)', schema: ErrorBody },
          408: { description: 'Took longer than REQUEST_TIMEOUT_MS', schema: ErrorBody },
          429: { description: 'Rate limit reached; Retry-After says when to try again', schema: ErrorBody },
        };
    const responses = Object.fromEntries(
      Object.entries({ ...guarded, ...e.responses }).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: ref(r.schema) } } } : {}),
        },
      ]),
    );
    paths[e.path] ??= {};
    paths[e.path][e.method] = {
      summary: e.summary,
      tags: e.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      ...(e.open ? { security: [] } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Demand forecasting and replenishment API',
      version,
      description: 'Sales history in, forecasts, stock status and reorder quantities out. Errors: { error: { code, message, details? } }.',
    },
    paths,
    // Needed once any key exists or REQUIRE_API_KEY is set (see the README); X-API-Key is accepted too.
    security: [{ bearer: [] }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'npm run keys -- create <name>' } } },
  };
}
