// Child-process entry for training (forked by trainer.ts). Reads the matrix from the job's temp file,
// trains synchronously with the requested engine, yields to the event loop after every round so
// progress messages flow, sends the saved model back and exits.
import { readFileSync } from 'node:fs';
import type { TrainJob, WorkerMessage } from './trainer';
import type { Dataset } from './types';

function send(msg: WorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('train-worker must be started with an IPC channel'));
    process.send(msg, undefined, {}, (err) => (err ? reject(err) : resolve()));
  });
}

function f32(buf: Buffer, offsetFloats: number, length: number): Float32Array {
  const byteOffset = buf.byteOffset + offsetFloats * 4;
  if (byteOffset % 4 === 0) return new Float32Array(buf.buffer, byteOffset, length);
  return new Float32Array(buf.buffer.slice(byteOffset, byteOffset + length * 4));
}

function readDataset(job: TrainJob): Dataset {
  const buf = readFileSync(job.file);
  const { rows, cols } = job;
  const expected = (rows * cols + rows + (job.hasWeights ? rows : 0)) * 4;
  if (buf.length !== expected) throw new Error(`dataset file has ${buf.length} bytes, expected ${expected}`);
  return {
    rows,
    cols,
    features: f32(buf, 0, rows * cols),
    labels: f32(buf, rows * cols, rows),
    weights: job.hasWeights ? f32(buf, rows * cols + rows, rows) : undefined,
  };
}

async function run(job: TrainJob): Promise<void> {
  const crash = job.crashForTest;
  const maybeCrash = (round: number) => {
    if (crash && crash.afterRound === round) process.kill(process.pid, crash.signal);
  };
  const data = readDataset(job);
  maybeCrash(0);
  const onRound = async (round: number) => {
    await send({ type: 'progress', round });
    maybeCrash(round);
    await new Promise<void>((r) => setImmediate(r));
  };
  let bytes: Uint8Array;
  if (job.engine === 'native') {
    const { trainNativeSync } = await import('./native');
    bytes = await trainNativeSync(data, job.params, job.rounds, job.nthread, onRound);
  } else {
    const { trainWasmSync } = await import('./wasm');
    bytes = await trainWasmSync(data, job.params, job.rounds, onRound);
  }
  await send({ type: 'done', bytes });
}

// If the parent goes away, there is nobody to deliver the model to.
process.on('disconnect', () => process.exit(0));

process.once('message', (job: TrainJob) => {
  run(job).then(
    () => process.exit(0),
    async (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err));
      try {
        await send({ type: 'error', message: e.message, stack: e.stack });
      } finally {
        process.exit(1);
      }
    },
  );
});
