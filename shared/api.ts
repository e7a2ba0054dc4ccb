// The HTTP surface: every endpoint with its request and response schemas. The service serves an OpenAPI document
// built from this list, and the add-in's client is typed by it.
import type { z } from 'zod';
import {
  ErrorBody,
  HealthResponse,
  HistoryQuery,
  HistoryResponse,
  ProductsResponse,
  StoresResponse,
  UploadForm,
  UploadResponse,
} from './schemas';

export interface EndpointDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI-style path, parameters in braces. */
  path: string;
  summary: string;
  tags: string[];
  pathParams?: string[];
  query?: z.ZodType;
  json?: z.ZodType;
  /** Multipart form: the file field plus these other fields. */
  multipart?: { fileField: string; fields: z.ZodType };
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

const errors = (...codes: number[]): EndpointDoc['responses'] =>
  Object.fromEntries(codes.map((code) => [code, { description: ERROR_TEXT[code] ?? 'Error', schema: ErrorBody }]));

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request',
  404: 'Unknown store or product',
  413: 'Too large',
  415: 'Unsupported file type',
  422: 'Invalid content: the message names the field, column or rows',
};

export const endpoints: EndpointDoc[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'Liveness: answers without touching the database',
    tags: ['operations'],
    responses: { 200: { description: 'Alive', schema: HealthResponse } },
  },
  {
    method: 'get',
    path: '/stores',
    summary: 'Stores with their product count, record count and date range',
    tags: ['catalog'],
    responses: { 200: { description: 'Stores', schema: StoresResponse } },
  },
  {
    method: 'get',
    path: '/products/{store_id}',
    summary: "A store's products",
    tags: ['catalog'],
    pathParams: ['store_id'],
    responses: { 200: { description: 'Products', schema: ProductsResponse }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/history/{store_id}/{product_id}',
    summary: 'Daily sales of one product in one store, in date order',
    tags: ['catalog'],
    pathParams: ['store_id', 'product_id'],
    query: HistoryQuery,
    responses: { 200: { description: 'History', schema: HistoryResponse }, ...errors(404, 422) },
  },
  {
    method: 'post',
    path: '/upload_data',
    summary: 'Upload sales history (.csv, .csv.gz, .xlsx); one transaction: all of it is stored or none',
    tags: ['data'],
    multipart: { fileField: 'file', fields: UploadForm },
    responses: { 200: { description: 'Stored', schema: UploadResponse }, ...errors(400, 413, 415, 422) },
  },
];
