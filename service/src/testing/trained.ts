// Test support: demo sales stored in a test server's database and small models trained through the real
// /train_model endpoint and job runner (the server must be started with `training: true`).
import type { TrainingParams } from '../../../shared/schemas';
import { storeUpload } from '../db/sales';
import { generateDemoSales, type DemoOptions } from '../demo/generate';
import type { TestServer } from './server';

export async function storeDemoSales(server: Pick<TestServer, 'db'>, options: DemoOptions, name = 'demo'): Promise<void> {
  const records = generateDemoSales(options);
  await storeUpload(
    server.db,
    { filename: name, checksum: name, format: 'demo', grain: 'daily', rowsRead: records.length, columns: {}, warnings: [] },
    records,
  );
}

/** Queues training of a store (or "all") and waits for the job to succeed; a failed job throws its error. */
export async function trainAndWait(
  server: Pick<TestServer, 'url'>,
  storeId: string,
  params: TrainingParams = {},
  timeoutMs = 120_000,
): Promise<void> {
  const res = await fetch(`${server.url}/train_model`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ store_id: storeId, params }),
  });
  const job = (await res.json()) as { job_id?: number; error?: { message: string } };
  if (!res.ok || job.job_id === undefined) throw new Error(`train_model ${storeId}: ${job.error?.message ?? res.status}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await (await fetch(`${server.url}/training_status/${job.job_id}`)).json()) as { status: string; error?: string };
    if (status.status === 'succeeded') return;
    if (status.status === 'failed' || status.status === 'cancelled')
      throw new Error(`training ${storeId} ${status.status}: ${status.error ?? ''}`);
    if (Date.now() > deadline) throw new Error(`training ${storeId} did not finish within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
