// Test support for the reliability tests: generated sales files, raw multipart bodies, table counts, job polling.
import { request as httpRequest } from 'node:http';
import type { TrainingJob } from '../../../shared/schemas';
import { generateDemoSales, type DemoOptions } from '../demo/generate';

/**
 * A sales CSV of `rows` distinct store x product x day records (200 days per product), so an upload of it stores
 * exactly `rows` sales rows.
 */
export function salesCsv(rows: number, storeId: string): Buffer {
  const days = 200;
  const start = Date.UTC(2023, 0, 1);
  const lines = ['date,store_id,product_id,units_sold,price'];
  for (let i = 0; i < rows; i++) {
    const day = new Date(start + (i % days) * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${day},${storeId},P${Math.floor(i / days)},${(i * 7) % 13},${(1 + (i % 5)).toFixed(2)}`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** Generated demo sales as a CSV file, for uploads to a service running in another process. */
export function demoCsv(options: DemoOptions): Buffer {
  const cell = (v: string | number | boolean | null) => (v === null ? '' : String(v));
  const lines = ['date,store_id,product_id,units_sold,price,discount,promotion,inventory_level,category'];
  for (const r of generateDemoSales(options)) {
    lines.push(
      [r.date, r.storeId, r.productId, r.unitsSold, r.price, r.discount, r.promotion, r.inventoryLevel, r.category].map(cell).join(','),
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** A multipart/form-data body with the file in field "file"; built by hand so a test can send part of it. */
export function multipartBody(filename: string, file: Buffer, fields: Record<string, string> = {}) {
  const boundary = `----reliability${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`),
  );
  parts.push(file, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface PartialUpload {
  /** Resolves once `bytes` bytes of the body have been handed to the socket. */
  sent: Promise<void>;
  /** The response, or an error if the connection was cut first. */
  response: Promise<{ status: number; body: string }>;
  /** Cuts the connection. */
  destroy(): void;
}

/** POSTs the first `bytes` bytes of a multipart body (all of it by default); the rest is never sent. */
export function sendUpload(url: string, multipart: { body: Buffer; contentType: string }, bytes = multipart.body.length): PartialUpload {
  const target = new URL('/upload_data', url);
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const req = httpRequest({
    host: target.hostname,
    port: target.port,
    path: target.pathname,
    method: 'POST',
    headers: { 'content-type': multipart.contentType, 'content-length': multipart.body.length },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  response.catch(() => {});
  // Chunks of 64 KiB with back-pressure, so "sent" means the bytes left this process.
  void (async () => {
    const chunk = 64 * 1024;
    for (let offset = 0; offset < bytes && !req.destroyed; offset += chunk) {
      const part = multipart.body.subarray(offset, Math.min(bytes, offset + chunk));
      if (!req.write(part)) await new Promise((r) => req.once('drain', r));
    }
    if (bytes >= multipart.body.length) req.end();
    markSent();
  })();
  return { sent, response, destroy: () => req.destroy() };
}

/** Polls /training_status/{id} until the job succeeded or failed. */
export async function waitForJob(url: string, jobId: number, timeoutMs = 120_000): Promise<TrainingJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await fetch(`${url}/training_status/${jobId}`)).json()) as TrainingJob;
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export async function postJson<T = unknown>(url: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

/** Small, quick training settings: the point of these tests is the job's fate, not the model's accuracy. */
export const QUICK_TRAINING = { rounds: 15, objective: 'tweedie' as const, max_depth: 4 };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 25 ms until it gives a value; throws naming `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
