// Fuzzes every endpoint of shared/api.ts (new endpoints are fuzzed without touching this file) with generated
// paths, queries and bodies: random JSON, schema-shaped bodies with mutated fields, malformed bodies, random
// multipart uploads. Every answer must be below 500; every non-2xx answer must be the error shape; every 2xx body
// must parse with the endpoint's response schema from the contract.
// Long file: one property-based harness; the arbitraries (paths, queries, shaped and malformed bodies, multipart) and
// the judge of the answers are only meaningful together, so they stay in one file.
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { endpoints, type EndpointDoc } from '../../../shared/api';
import { CANONICAL_FIELDS, ErrorBody } from '../../../shared/schemas';
import { storeUpload } from '../db/sales';
import { testBackends } from '../db/testing';
import { generateDemoSales } from '../demo/generate';
import { startTestServer, type TestServer } from '../testing/server';
import { postJson, QUICK_TRAINING, waitForJob } from './fixtures';

/**
 * Cases per endpoint and backend. One property per endpoint of shared/api.ts plus one for unknown routes (26 with
 * today's 25 endpoints), uploads at 60% of the runs: about 4,000 requests over both backends at the default 80
 * (FUZZ_RUNS=1000 for a long run).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 80);
const UPLOAD_RUNS = Math.round(RUNS * 0.6);
const LAST_DAY = '2025-06-30';
const STORES = ['F1', 'F2'];
const PRODUCTS = ['P0001', 'P0002', 'P0003', 'P0004', 'P0005'];

// ---------------------------------------------------------------- value arbitraries

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Text that breaks naive code; `longest` bounds the very long strings (URLs must stay under node's 16 KiB header cap). */
const nasty = (longest: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer({ min: 201, max: longest }).map((n) => 'x'.repeat(n)),
    fc.constantFrom(
      '',
      ' ',
      '../../etc/passwd',
      '..',
      '.',
      '%00',
      '\u0000',
      'a\u0000b',
      '\uD800',
      '\uFEFF',
      'null',
      'undefined',
      'NaN',
      'Infinity',
      '-1',
      '1e309',
      '__proto__',
      'constructor',
      'prototype',
      "Robert'); DROP TABLE sales;--",
      '=HYPERLINK("x")',
      '٣٤',
      '🛒🛒',
      'ＦＵＬＬ',
      '\u202Eevil',
      'a\r\nb',
      'F1 ',
      ' F1',
      'f1',
      'all',
      'global',
      'P0001\t',
    ),
  );
const nastyString = nasty(70_000);
/** For paths and query strings, which node's HTTP parser caps at 16 KiB (it answers 431 itself beyond that). */
const pathText = nasty(2_000);

/** The likely value most of the time, so requests get past validation; the others now and then. */
const mostly = <T>(likely: fc.Arbitrary<T>, ...others: fc.Arbitrary<T>[]) =>
  fc.oneof({ weight: 8, arbitrary: likely }, ...others.map((arbitrary) => ({ weight: 1, arbitrary })));

const dateString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 200 }).map((n) => addDays(LAST_DAY, n)) },
  fc.integer({ min: -400, max: 0 }).map((n) => addDays(LAST_DAY, n)),
  fc
    .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom(
    '0000-00-00',
    '0001-01-01',
    '9999-12-31',
    '2024-02-30',
    '2023-02-29',
    '2024-13-01',
    '2024-00-10',
    '20240101',
    '2025-7-1',
    '2025-07-01T00:00:00Z',
    ' 2025-07-01',
    '2025/07/01',
    '01-07-2025',
    '+012025-07-01',
    '2025-07-01\u0000',
  ),
  pathText,
);

const numberValue: fc.Arbitrary<number> = mostly(
  fc.integer({ min: 2, max: 30 }),
  fc.integer({ min: -10, max: 400 }),
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, 0.5, 1, 1.5, 99.99, 100, 2 ** 31, 2 ** 53 + 2, 1e21, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER),
);

/** Anything at all where a field's value goes. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  numberValue,
  fc.constantFrom(null, true, false, [], {}, [null], { $gt: '' }, '7', '0.95', 'NaN'),
  fc.jsonValue({ maxDepth: 2 }),
);

type AnyDef = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  entries?: Record<string, string>;
  options?: z.ZodType[];
  values?: unknown[];
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: AnyDef } })._zod.def;

/** A value of roughly the schema's type, drawn from pools that reach both the happy path and its edges. */
function shaped(schema: z.ZodType, field: string, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return shaped(def.innerType!, field, depth);
    case 'pipe':
      return shaped(def.in!, field, depth);
    case 'object':
      return depth > 3 ? fc.constant({}) : shapedObject(def.shape!, depth + 1);
    case 'array':
      return fc.oneof(
        { weight: 4, arbitrary: fc.array(mutated(def.element!, field, depth + 1), { maxLength: 3 }) },
        fc.array(mutated(def.element!, field, depth + 1), { maxLength: 8 }),
      );
    case 'record':
      return fc.dictionary(
        fc.oneof(fc.constantFrom(...CANONICAL_FIELDS), nastyString),
        fc.oneof(fc.constantFrom('date', 'store_id', 'units_sold', 'Qty'), nastyString),
        { maxKeys: 4 },
      );
    case 'union':
      return fc.oneof(...def.options!.map((option) => shaped(option, field, depth)));
    case 'literal':
      return fc.constantFrom(...def.values!);
    case 'enum':
      return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...Object.values(def.entries!)) }, { weight: 1, arbitrary: nastyString });
    case 'boolean':
      return fc.boolean();
    case 'number':
    case 'int':
      // The one stored model version is 1.
      return field === 'version' ? mostly(fc.constant(1), numberValue) : numberValue;
    case 'string':
      if (field === 'store_id') return mostly(fc.constant(STORES[0]), fc.constantFrom(...STORES, 'all', 'global', 'NOPE'), nastyString);
      if (field === 'product_id') return mostly(fc.constantFrom(...PRODUCTS), fc.constant('P9999'), nastyString);
      // An end mostly after most starts, so ranges get past their order check.
      if (field === 'to')
        return mostly(
          fc.integer({ min: 150, max: 200 }).map((n) => addDays(LAST_DAY, n)),
          dateString,
        );
      if (/date|^from$/.test(field)) return dateString;
      if (field === 'reason') return mostly(fc.constant('Promotion in the leaflet'), nastyString);
      return nastyString;
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Mostly a value of the right shape, sometimes a value of the wrong type. */
const mutated = (schema: z.ZodType, field: string, depth = 0) =>
  fc.oneof({ weight: 12, arbitrary: shaped(schema, field, depth) }, { weight: 1, arbitrary: wrongValue });

function shapedObject(shape: Record<string, z.ZodType>, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const required = Object.keys(shape).filter((k) => !['optional', 'default', 'prefault'].includes(defOf(shape[k]).type));
  // Required fields always, optional ones now and then (JSON drops the undefined ones), so a good share of cases
  // gets past validation and reaches the domain code.
  const fields = Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [
      key,
      required.includes(key)
        ? mutated(schema, key, depth)
        : fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, mutated(schema, key, depth)),
    ]),
  );
  return fc.record(fields).chain((obj) =>
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(obj) },
      ...(required.length
        ? [
            {
              weight: 1,
              arbitrary: fc.constantFrom(...required).map((k) => Object.fromEntries(Object.entries(obj).filter(([key]) => key !== k))),
            },
          ]
        : []),
      { weight: 1, arbitrary: fc.dictionary(nastyString, wrongValue, { maxKeys: 3 }).map((extra) => ({ ...extra, ...obj })) },
    ),
  );
}

// ---------------------------------------------------------------- requests

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** JSON requests keep their text, so a failure report shows it readably. */
  body?: string | Buffer;
}

/** encodeURIComponent throws on lone surrogates; those become U+FFFD first, as a UTF-8 client would send them. */
const encode = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', 'APPLICATION/JSON'];
const OTHER_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zzz', 'application/xml', ''];

/** JSON text that cannot be written with JSON.stringify: keys the parser treats specially, or text that is not JSON. */
const rawJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '[',
    '{"store_id":',
    'null',
    'nul',
    '"F1"',
    '1e999',
    '-',
    '{"a":1,}',
    '\uFEFF{}',
    '\u0000',
    '{"store_id":"F1","store_id":7}',
    '{"__proto__":{"store_id":"F1"}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '['.repeat(20_000) + ']'.repeat(20_000),
    '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
    `"${'x'.repeat(600_000)}"`,
  ),
  // A schema-less object with a __proto__ key that JSON.parse keeps as an own property.
  fc.jsonValue({ maxDepth: 2 }).map((v) => `{"__proto__":${JSON.stringify(v)}}`),
);

function jsonBody(schema: z.ZodType | undefined): fc.Arbitrary<{ contentType: string; text: string }> {
  const asJson = (value: unknown) =>
    fc.constantFrom(...JSON_TYPES).map((contentType) => ({ contentType, text: JSON.stringify(value) ?? '' }));
  const shape = schema ? defOf(schema).shape : undefined;
  return fc.oneof(
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).chain(asJson) },
    ...(shape ? [{ weight: 10, arbitrary: shapedObject(shape).chain(asJson) }] : []),
    { weight: 1, arbitrary: fc.record({ contentType: fc.constantFrom(...JSON_TYPES), text: rawJsonText }) },
    {
      weight: 1,
      arbitrary: fc.record({
        contentType: fc.constantFrom(...OTHER_TYPES),
        text: shape ? shapedObject(shape).map((v) => JSON.stringify(v)) : fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
      }),
    },
  );
}

/**
 * What a DELETE endpoint may remove: a store of its own (seeded like F1, with PRODUCTS) and the upload that stored it.
 * Removing F1, F2 or their upload would take the trained data from every endpoint fuzzed alongside.
 */
interface Expendable {
  storeId: string;
  uploadId: number;
}
const expendables = new Map<string, Expendable>();

/** Text a DELETE endpoint's segment must not be: the shared stores, another endpoint's store, any upload but its own. */
function removesOthers(name: string, text: string, own: Expendable): boolean {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // Malformed escapes stay as they are: the service refuses them before any removal.
  }
  if (name === 'upload_id') return /^\d+$/.test(decoded) && decoded !== String(own.uploadId);
  return STORES.includes(decoded) || [...expendables.values()].some((e) => e.storeId === decoded && e !== own);
}

/**
 * A path segment: a known id, random text percent-encoded, or raw text with dot segments and bad escapes. For a
 * DELETE endpoint (`own`), the known ids are its own store and upload.
 */
/** The progress id of an upload made before fuzzing. */
const KNOWN_PROGRESS_ID = 'fuzz-known-progress';
/** An override set before fuzzing (on F2: F1's answers are checked by the cases found by fuzzing). */
let knownOverrideId = 0;

function segment(name: string, own?: Expendable): fc.Arbitrary<string> {
  const known =
    own && name === 'store_id'
      ? mostly(fc.constant(own.storeId), fc.constant('NOPE'))
      : own && name === 'upload_id'
        ? mostly(fc.constant(String(own.uploadId)), fc.constantFrom('0', '-1', '1.5', '1e3', '0x1', '00001', '%201', '99999999', 'x'))
        : name === 'store_id'
          ? mostly(fc.constant(STORES[0]), fc.constantFrom(STORES[1], 'NOPE', 'global'))
          : name === 'product_id'
            ? mostly(fc.constantFrom(...PRODUCTS), fc.constant('P9999'))
            : name === 'override_id'
              ? mostly(fc.constant(String(knownOverrideId)), fc.constantFrom('0', '-1', '1.5', '01', 'x', '99999999'))
              : name === 'progress_id'
                ? mostly(fc.constant(KNOWN_PROGRESS_ID), fc.constantFrom('never-started-1', 'bad!', 'x', '%2F..%2Fetc'))
                : name === 'job_id'
                  ? mostly(
                      fc.constant('1'),
                      fc.constantFrom('2', '0', '-1', '2147483648', '1.5', '1e3', '0x1', '00001', '%201'),
                      fc.nat().map(String),
                    )
                  : name === 'file'
                    ? mostly(
                        fc.constantFrom(`${STORES[0]}.csv`, `${STORES[0]}.xlsx`),
                        fc
                          .tuple(fc.constantFrom(...STORES, 'NOPE', ''), fc.constantFrom('csv', 'xlsx', 'xls', 'json', 'csv.gz', ''))
                          .map(([s, e]) => `${s}.${e}`),
                      )
                    : fc.constant('x');
  // Characters node's HTTP client refuses in a path are escaped; '%', '.', '/' stay raw.
  const raw = (s: string) => s.replace(/[^\x21-\x7e]|[?#]/gu, (c) => encode(c));
  const any = fc.oneof(
    { weight: 8, arbitrary: known },
    { weight: 2, arbitrary: pathText.map(encode) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          pathText,
          fc.constantFrom('..', '../..', '../stores', '%2e%2e', '%2F', '%zz', '%E0%A4%A', '%', '%%', '%C0%AF', '%00', 'a/b', '/', '//'),
        )
        .map(raw),
    },
    { weight: 1, arbitrary: fc.tuple(known, fc.constantFrom('.csv', '.xlsx', '%20', '/', '..', '%2F..')).map(([k, s]) => k + s) },
  );
  return own ? any.filter((text) => !removesOthers(name, text, own)) : any;
}

const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('from', 'to', 'prediction_date', 'horizon_days', 'lead_time_days', 'review_days', 'service_level', '__proto__'),
        nasty(300),
      ),
      fc.oneof(dateString, numberValue.map(String), pathText),
    ),
    { maxLength: 3 },
  )
  .map((pairs) => (pairs.length ? '?' + pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&') : ''));

function endpointRequest(endpoint: EndpointDoc): fc.Arbitrary<FuzzRequest> {
  const params = endpoint.pathParams ?? [];
  const own = endpoint.method === 'delete' ? expendables.get(endpoint.path) : undefined;
  if (endpoint.method === 'delete' && params.length > 0 && !own) throw new Error(`no expendable data for DELETE ${endpoint.path}`);
  const path = fc
    .tuple(...params.map((name) => segment(name, own)), endpoint.method === 'get' ? mostly(fc.constant(''), queryString) : fc.constant(''))
    .map((values) => {
      let p = endpoint.path;
      params.forEach((name, i) => (p = p.replace(`{${name}}`, values[i])));
      return p + values[params.length];
    });
  const method = endpoint.method.toUpperCase();
  if (endpoint.multipart)
    return fc
      .tuple(path, uploadBody(endpoint.multipart))
      .map(([p, b]) => ({ method, path: p, headers: { 'content-type': b.contentType }, body: b.body }));
  if (endpoint.method === 'get' || endpoint.method === 'delete') return path.map((p) => ({ method, path: p, headers: {} }));
  // Supplier attributes change plans: those fuzzed are F2's, whose answers no exact case checks.
  const pathOf = (p: string) => (endpoint.method === 'put' ? p.replace(/^\/products\/F1\//, '/products/F2/') : p);
  return fc.tuple(path, jsonBody(endpoint.json), fc.integer({ min: 0, max: 3 })).map(([p, b, tidy]) => ({
    method,
    path: pathOf(p),
    headers: (b.contentType ? { 'content-type': b.contentType } : {}) as Record<string, string>,
    body:
      endpoint.path === '/overrides'
        ? overrideBody(b.text, tidy > 0)
        : endpoint.path === '/purchase_plan'
          ? purchaseBody(b.text, tidy > 0)
          : b.text,
  }));
}

/**
 * A JSON object body with `fix` applied (when `tidy`); any other text, or an object nested too deep to write back
 * (JSON.parse reads deeper than JSON.stringify writes), as it came.
 */
function tidyObject(text: string, tidy: boolean, fix: (o: Record<string, unknown>) => void): string {
  if (!tidy) return text;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return text;
  fix(body as Record<string, unknown>);
  try {
    return JSON.stringify(body);
  } catch {
    return text;
  }
}

/** A purchase plan body as fuzzed: mostly (`tidy`) with exactly one of store_id and store_ids, so it gets past them. */
const purchaseBody = (text: string, tidy: boolean) =>
  tidyObject(text, tidy, (o) => {
    if (o.store_id === undefined && o.store_ids === undefined) o.store_id = STORES[0];
    else if (o.store_id !== undefined && o.store_ids !== undefined) delete o.store_ids;
  });

/**
 * An override body as fuzzed: on F2 (overrides change forecasts, and F1's answers are checked exactly by the cases
 * found by fuzzing), and mostly (`tidy`) with exactly one of product/category and of multiplier/quantity, so that
 * the happy path is reached; the route test covers those refusals.
 */
const overrideBody = (text: string, tidy: boolean) =>
  tidyObject(text.replaceAll('"F1"', '"F2"'), tidy, (o) => {
    if (o.product_id === undefined && o.category === undefined) o.product_id = PRODUCTS[0];
    else if (o.product_id !== undefined && o.category !== undefined) delete o.category;
    if (o.multiplier === undefined && o.quantity === undefined) o.multiplier = 1.5;
    else if (o.multiplier !== undefined && o.quantity !== undefined) delete o.quantity;
  });

// ---------------------------------------------------------------- multipart uploads

const CSV_HEADERS = [
  'date',
  'Date',
  'store_id',
  'Store ID',
  'product_id',
  'item_id',
  'SKU',
  'units_sold',
  'Units',
  'qty',
  'price',
  'discount',
  'promotion',
  'inventory_level',
  'category',
  'unit_cost',
];
const cell = fc.oneof(
  dateString,
  fc.constantFrom('U1', 'U4', ...PRODUCTS),
  numberValue.map(String),
  nastyString,
  fc.constantFrom('', '"', '""', '"a,b"', '"\n"', '=1+2', '-', '1,5', '1.234,56', 'TRUE', 'yes', '12%', '$3.50'),
);
const csvText = fc
  .tuple(
    fc.uniqueArray(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CSV_HEADERS) }, { weight: 1, arbitrary: nastyString }), {
      minLength: 1,
      maxLength: 7,
    }),
    fc.integer({ min: 0, max: 12 }),
    fc.constantFrom(',', ';', '\t'),
    fc.constantFrom('\n', '\r\n'),
  )
  .chain(([headers, rows, sep, eol]) =>
    fc
      .array(fc.array(cell, { minLength: headers.length - 1, maxLength: headers.length + 1 }), { minLength: rows, maxLength: rows })
      .map((body) => [headers, ...body].map((r) => r.join(sep)).join(eol)),
  );
/** A well-formed sales file, so some uploads get stored. Stores and products are new ones: the trained data stays. */
const goodCsv = fc
  .array(fc.tuple(fc.integer({ min: -300, max: 0 }), fc.constantFrom('U1', 'U2'), fc.constantFrom('A', 'B', 'C'), fc.nat(50)), {
    minLength: 1,
    maxLength: 20,
  })
  .map((rows) =>
    ['date,store_id,product_id,units_sold', ...rows.map(([d, s, p, u]) => `${addDays(LAST_DAY, d)},${s},${p},${u}`)].join('\n'),
  );

/** A well-formed events calendar, with the odd nasty event name. */
const goodCalendar = fc
  .array(
    fc.tuple(
      fc.integer({ min: -400, max: 200 }),
      mostly(
        fc.constantFrom('NewYear', 'Easter', 'Fair'),
        nastyString.map((s) => s.replace(/[,"\r\n]/g, ' ')),
      ),
      fc.constantFrom('National', 'Local', ''),
    ),
    { minLength: 1, maxLength: 10 },
  )
  .map((rows) => ['Date,Holiday,Type', ...rows.map(([d, name, type]) => `${addDays(LAST_DAY, d)},${name},${type}`)].join('\n'));

/** Files for any upload endpoint: well-formed ones of each kind the service takes, and broken ones. */
const fileBytes: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 3, arbitrary: csvText.map((t) => Buffer.from(t)) },
  { weight: 5, arbitrary: goodCsv.map((t) => Buffer.from(t)) },
  { weight: 5, arbitrary: goodCalendar.map((t) => Buffer.from(t)) },
  { weight: 1, arbitrary: csvText.map((t) => gzipSync(t)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(a)])),
  },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from(a)])),
  },
);
const filename = mostly(
  fc.constant('sales.csv'),
  fc.constantFrom(
    'sales.csv',
    'sales.CSV',
    'sales.csv.gz',
    'book.xlsx',
    'old.xls',
    'notes.txt',
    'noext',
    '',
    '../../etc/passwd.csv',
    '.csv',
    'a"b.csv',
  ),
  nastyString.map((s) => `${s}.csv`),
);
/**
 * The form's other fields, from the endpoint's form schema in the contract; most uploads send none. Uploads go to
 * stores of their own (U*), so the trained store F1 keeps its data and the prediction endpoints their happy path.
 */
const formFields = (schema: z.ZodType): fc.Arbitrary<Record<string, string>> =>
  mostly(
    fc.constant({}),
    shapedObject(defOf(schema).shape!).map((fields) =>
      Object.fromEntries(
        Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, k === 'store_id' && STORES.includes(v as string) ? 'U3' : typeof v === 'string' ? v : JSON.stringify(v)]),
      ),
    ),
    fc.dictionary(fc.constantFrom('mapping', 'sheet', 'date_format', 'store_id'), rawJsonText, { maxKeys: 2 }),
  );

const uploadBody = (multipart: NonNullable<EndpointDoc['multipart']>): fc.Arbitrary<{ contentType: string; body: Buffer }> =>
  fc
    .record({
      file: fileBytes,
      filename,
      fields: formFields(multipart.fields),
      fileField: mostly(fc.constant(multipart.fileField), fc.constantFrom('File', 'upload', '')),
      shape: mostly(fc.constant('ok'), fc.constantFrom('truncated', 'no-boundary', 'wrong-boundary', 'file-as-text', 'two-files')),
    })
    .map(({ file, filename: name, fields, fileField, shape }) => {
      const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries(fields))
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
      const disposition =
        shape === 'file-as-text' ? `name="${fileField}"` : `name="${fileField}"; filename="${name.replace(/[\r\n"]/g, '_')}"`;
      const filePart = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: application/octet-stream\r\n\r\n`),
        file,
        Buffer.from('\r\n'),
      ]);
      parts.push(filePart);
      if (shape === 'two-files') parts.push(filePart);
      parts.push(Buffer.from(`--${boundary}--\r\n`));
      let body = Buffer.concat(parts);
      if (shape === 'truncated') body = body.subarray(0, Math.floor(body.length / 2));
      const contentType =
        shape === 'no-boundary'
          ? 'multipart/form-data'
          : shape === 'wrong-boundary'
            ? 'multipart/form-data; boundary=other'
            : `multipart/form-data; boundary=${boundary}`;
      return { contentType, body };
    });

// ---------------------------------------------------------------- sending and judging

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

interface FuzzResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * Sends one request. A kept-alive socket the server closed for idleness just as it was reused fails with a reset
 * before the server saw anything; node's documentation advises retrying exactly that case, once.
 */
async function send(base: string, req: FuzzRequest): Promise<FuzzResponse> {
  try {
    return await sendOnce(base, req);
  } catch (err) {
    if ((err as { reusedSocket?: boolean }).reusedSocket) return sendOnce(base, req);
    throw err;
  }
}

function sendOnce(base: string, req: FuzzRequest): Promise<FuzzResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const r = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path,
        agent,
        headers: { ...req.headers, ...(req.body !== undefined ? { 'content-length': Buffer.byteLength(req.body) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', (err: NodeJS.ErrnoException) =>
      reject(Object.assign(err, { reusedSocket: r.reusedSocket && (err.code === 'ECONNRESET' || err.message === 'socket hang up') })),
    );
    r.end(req.body);
  });
}

/** Paths outside the contract that answer 2xx: the service's index (or the pane), the OpenAPI document. */
const OUTSIDE_CONTRACT = new Set(['/', '/openapi.json', '/taskpane.html']);

/**
 * The endpoint the server routes a path to: same segment count, same literal segments, non-empty parameters. The
 * server reads the path as a URL, so dot segments are resolved first ("/a/../stores" is "/stores").
 */
function routeOf(method: string, path: string): EndpointDoc | 'outside' | undefined {
  const resolved = new URL(path, 'http://127.0.0.1').pathname;
  const segments = resolved.split('/');
  const endpoint = endpoints.find((e) => {
    if (e.method.toUpperCase() !== method) return false;
    const pattern = e.path.split('/');
    return pattern.length === segments.length && pattern.every((p, i) => (p.startsWith('{') ? segments[i] !== '' : p === segments[i]));
  });
  return endpoint ?? (OUTSIDE_CONTRACT.has(resolved) ? 'outside' : undefined);
}

/** Why the answer breaks the contract, or null when it keeps it. */
function judge(req: FuzzRequest, res: FuzzResponse): string | null {
  if (res.status >= 500) return `server error ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`;
  if (res.status >= 200 && res.status < 300) {
    const endpoint = routeOf(req.method, req.path);
    if (!endpoint) return `${res.status} for a path no endpoint has`;
    if (endpoint === 'outside') return null;
    const doc = endpoint.responses[res.status];
    if (!doc) return `status ${res.status} is not documented for ${endpoint.method} ${endpoint.path}`;
    if (!doc.schema) {
      // Not JSON: the documented media type, else one of the plan's file types.
      const expected = doc.contentType
        ? res.contentType.startsWith(doc.contentType.split(';')[0])
        : /text\/csv|spreadsheetml/.test(res.contentType);
      return res.body.length > 0 && expected ? null : `empty body or unexpected type ${res.contentType}`;
    }
    const parsed = doc.schema.safeParse(parseJson(res));
    return parsed.success ? null : `2xx body does not match the response schema: ${parsed.error.message.slice(0, 400)}`;
  }
  if (!res.contentType.includes('application/json')) return `${res.status} answered as ${res.contentType || 'no content type'}`;
  const error = ErrorBody.safeParse(parseJson(res));
  if (!error.success) return `${res.status} body is not the error shape: ${res.body.toString('utf8').slice(0, 300)}`;
  if (!error.data.error.message || !error.data.error.code) return `${res.status} error without code or message`;
  return null;
}

function parseJson(res: FuzzResponse): unknown {
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

const describeRequest = (req: FuzzRequest) =>
  `${req.method} ${req.path.slice(0, 300)} [${req.headers['content-type'] ?? ''}] ${req.body === undefined ? '' : JSON.stringify(req.body.toString().slice(0, 300))}`;

// ---------------------------------------------------------------- the tests

describe.each(testBackends)('fuzzing every endpoint on %s', (kind) => {
  let server: TestServer;
  const counts = new Map<string, Map<number, number>>();

  beforeAll(async () => {
    // No rate limit: thousands of requests from one address are the point here, not abuse.
    server = await startTestServer(kind, { training: true, MAX_UPLOAD_MB: 2, env: { RATE_LIMIT_PER_MIN: '0' } });
    const demo = generateDemoSales({ stores: STORES, productsPerStore: PRODUCTS.length, days: 120, endDate: LAST_DAY, seed: 5 });
    await storeUpload(
      server.db,
      { filename: 'demo', checksum: 'demo', format: 'demo', grain: 'daily', rowsRead: demo.length, columns: {}, warnings: [] },
      demo,
    );
    // Each DELETE endpoint with a path removes a store of its own, stored by an upload of its own.
    for (const [i, endpoint] of endpoints.filter((e) => e.method === 'delete' && e.pathParams?.length).entries()) {
      const storeId = `D${i + 1}`;
      const records = generateDemoSales({ stores: [storeId], productsPerStore: PRODUCTS.length, days: 30, endDate: LAST_DAY, seed: 6 + i });
      const meta = { filename: storeId, checksum: storeId, format: 'demo', grain: 'daily' as const, rowsRead: records.length };
      const stored = await storeUpload(server.db, { ...meta, columns: {}, warnings: [] }, records);
      expendables.set(endpoint.path, { storeId, uploadId: stored.uploadId });
    }
    // An upload whose progress the progress endpoint can tell.
    const form = new FormData();
    form.append('file', new Blob([`date,store_id,product_id,units_sold\n${LAST_DAY},PG1,P1,3\n`]), 'progress.csv');
    const tracked = await fetch(`${server.url}/upload_data?progress_id=${KNOWN_PROGRESS_ID}`, { method: 'POST', body: form });
    expect(tracked.status).toBe(200);
    const queued = await postJson<{ job_id: number }>(server.url, '/train_model', { store_id: 'F1', params: QUICK_TRAINING });
    const job = await waitForJob(server.url, queued.body.job_id);
    expect(job.status, job.error).toBe('succeeded');
    const override = await postJson<{ id: number }>(server.url, '/overrides', {
      store_id: 'F2',
      product_id: PRODUCTS[0],
      from: addDays(LAST_DAY, 1),
      to: addDays(LAST_DAY, 7),
      multiplier: 1.2,
      reason: 'fuzz setup',
    });
    knownOverrideId = override.body.id;
    // Jobs the fuzzer queues stay queued: training them would only burn the CPU the fuzzing needs.
    await server.runner?.stop();
  });
  afterAll(async () => {
    const rows = [...counts].map(
      ([name, statuses]) =>
        `${name}: ${[...statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    );
    console.log(`fuzz answers on ${kind}\n  ${rows.join('\n  ')}`);
    await server?.close();
  });

  const fuzz = async (name: string, arbitrary: fc.Arbitrary<FuzzRequest>, numRuns: number) => {
    const statuses = new Map<number, number>();
    counts.set(name, statuses);
    try {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (req) => {
          const res = await send(server.url, req);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const problem = judge(req, res);
          if (problem) throw new Error(`${problem}\n  request: ${describeRequest(req)}`);
        }),
        { numRuns },
      );
    } catch (err) {
      // fast-check prints the whole counterexample, which can be megabytes: keep the seed, its start and the cause.
      const message = (err as Error).message;
      const cause = (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : '';
      throw new Error(`${message.slice(0, 1500)}${message.length > 1500 ? '…' : ''}\ncaused by: ${cause.slice(0, 1500)}`);
    }
    return statuses;
  };

  it.concurrent.for(endpoints.map((e) => ({ name: `${e.method.toUpperCase()} ${e.path}`, endpoint: e })))(
    '$name',
    async ({ name, endpoint }, { expect }) => {
      const statuses = await fuzz(name, endpointRequest(endpoint), endpoint.multipart ? UPLOAD_RUNS : RUNS);
      // The generators must reach the happy path too, not only the validation errors.
      const succeeded = [...statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, c]) => n + c, 0);
      expect(succeeded, `no 2xx answer among ${[...statuses.keys()].join(', ')}`).toBeGreaterThan(0);
    },
  );

  // Requests the fuzzer found breaking the contract (500s, a bare 400, a 2xx with a null number), kept as fixed cases.
  const json = (path: string, body: unknown): FuzzRequest => ({
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  it.concurrent.for([
    ['NUL in a path id', { method: 'GET', path: '/products/%00', headers: {} }, 422],
    ['NUL in a product id', { method: 'GET', path: '/history/F1/a%00b', headers: {} }, 422],
    ['NUL in the store of an activation', json('/models/a%00b/activate', { version: 1 }), 422],
    ['a version beyond int4', json('/models/F1/activate', { version: Number.MAX_SAFE_INTEGER }), 422],
    ['NUL in a JSON store id', json('/forecast', { store_id: 'a\u0000b', product_id: 'P0001' }), 422],
    ['NUL in a batch store list', json('/batch', { queries: [], stores: ['\u0000'] }), 422],
    [
      "NUL in an override's reason",
      json('/overrides', { store_id: 'F2', product_id: 'P0001', from: '2025-07-01', to: '2025-07-02', multiplier: 2, reason: 'a\u0000b' }),
      422,
    ],
    ['a backslash in the path', { method: 'GET', path: '/products/a\\b', headers: {} }, 400],
    [
      'a pack of 5e-324 units',
      json('/predict_with_context', { store_id: 'F1', product_id: 'P0001', current_stock: 0, pack_size: 5e-324 }),
      200,
    ],
    [
      'a pack of a billion units, the most accepted',
      json('/predict_with_context', { store_id: 'F1', product_id: 'P0001', current_stock: 0, pack_size: 1e9 }),
      200,
    ],
    [
      'a pack of 1e307 units (beyond the accepted range)',
      json('/predict_with_context', { store_id: 'F1', product_id: 'P0001', current_stock: 0, pack_size: 1e307 }),
      422,
    ],
  ] as const)('found by fuzzing: %s', async ([, req, status], { expect }) => {
    const res = await send(server.url, req as FuzzRequest);
    expect(judge(req as FuzzRequest, res)).toBeNull();
    expect(res.status).toBe(status);
    if (req.path === '/predict_with_context' && status === 200) {
      // Out of stock, the product sells: whatever the pack, the order is a positive number of units.
      const order = (parseJson(res) as { stock_recommendation: { order_quantity: number } }).stock_recommendation.order_quantity;
      expect(order).toBeGreaterThan(0);
    }
  });

  it.concurrent.for([
    ['a request line over 16 KiB', `GET /stores?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: h\r\n\r\n`, 431],
    ['headers over 16 KiB', `GET /stores HTTP/1.1\r\nHost: h\r\nX-Big: ${'x'.repeat(20_000)}\r\n\r\n`, 431],
    ['not HTTP at all', 'GARBAGE\r\n\r\n', 400],
    ['a bad Content-Length', 'POST /predict HTTP/1.1\r\nHost: h\r\nContent-Length: abc\r\n\r\n', 400],
    [
      'a broken chunked body',
      'POST /predict HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      400,
    ],
    ['a backslash in the path', 'GET /products/a\\b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n', 400],
  ] as const)('the HTTP layer refuses %s in the error shape too', async ([, raw, status], { expect }) => {
    const url = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => socket.end(raw));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('close', () => resolve(text));
      socket.on('error', (err) => (text ? resolve(text) : reject(err)));
      socket.setTimeout(5000, () => socket.destroy());
    });
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head.toLowerCase()).toContain('content-type: application/json');
    expect(ErrorBody.safeParse(JSON.parse(body)).success, body).toBe(true);
  });

  it.concurrent('unknown paths and methods', async () => {
    const anyPath = fc.array(segment('x'), { minLength: 1, maxLength: 4 }).map((s) => '/' + s.join('/'));
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
      path: fc.oneof(
        anyPath,
        fc
          // Never DELETE /stores/F1: the other properties run alongside on F1's data.
          .constantFrom(...endpoints.map((e) => e.path.replace(/\{\w+\}/g, e.method === 'delete' ? 'NOPE' : 'F1')))
          .chain((p) => fc.constantFrom(p, `${p}/`, `${p}/x`, `/x${p}`, p.toUpperCase())),
      ),
      headers: fc.constant({}),
    });
    await fuzz('unknown routes', request, RUNS);
  });
});
