// Parent side of out-of-process training: the matrix goes to a temp file, a child process (train-worker)
// trains on it and sends progress and the saved model back over IPC. The event loop here stays free,
// an AbortSignal kills the child, and a crashing child (even a segfault in native code) only rejects.
import { fork, type ChildProcess } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TrainingAbortedError, TrainingProcessError, type Dataset, type EngineName, type TrainOptions } from './types';

/** Message sent to the child. */
export interface TrainJob {
  type: 'train';
  engine: EngineName;
  file: string;
  rows: number;
  cols: number;
  hasWeights: boolean;
  params: Array<[string, string]>;
  rounds: number;
  nthread: number;
  crashForTest?: { afterRound: number; signal: NodeJS.Signals };
}

/** Messages sent by the child. */
export type WorkerMessage =
  { type: 'progress'; round: number } | { type: 'done'; bytes: Uint8Array } | { type: 'error'; message: string; stack?: string };

const STDERR_TAIL = 8192;

let bundledWorker: string | undefined;

function workerCommand(): { script: string; execArgv: string[] } {
  // The service always runs from its TypeScript sources (tsx / vitest): bundle the worker to plain JS once per
  // process, so that each training process starts without a TypeScript loader (that start-up cost ~0.4 CPU-s per fit,
  // and a job makes many fits). If bundling fails, the child loads the sources through tsx.
  bundledWorker ??= bundleWorker();
  if (bundledWorker) return { script: bundledWorker, execArgv: [] };
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return { script: fileURLToPath(new URL('./train-worker.ts', import.meta.url)), execArgv: ['--import', pathToFileURL(tsx).href] };
}

/** The bundled worker's path, or '' when bundling is not possible (then tsx's loader is used). */
function bundleWorker(): string {
  try {
    // Inside node_modules so that its package imports (koffi, ml-xgboost) resolve from there.
    const dir = fileURLToPath(new URL('../../../../node_modules/.cache/demand-forecasting/', import.meta.url));
    mkdirSync(dir, { recursive: true });
    const outfile = join(dir, `train-worker-${process.pid}.mjs`);
    buildSync({
      entryPoints: [fileURLToPath(new URL('./train-worker.ts', import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    return outfile;
  } catch {
    return '';
  }
}

async function writeMatrix(dir: string, data: Dataset): Promise<string> {
  const file = join(dir, 'dataset.f32');
  const fh = await open(file, 'w', 0o600);
  try {
    const parts = [data.features, data.labels, ...(data.weights ? [data.weights] : [])].map((a) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
    );
    await fh.writev(parts);
  } finally {
    await fh.close();
  }
  return file;
}

/**
 * Trains `rounds` rounds with the given XGBoost params in a child process; resolves with the saved
 * model bytes (0.7 binary for wasm, UBJ for native).
 */
export async function trainInChildProcess(
  engine: EngineName,
  data: Dataset,
  params: Array<[string, string]>,
  rounds: number,
  nthread: number,
  opts: TrainOptions = {},
): Promise<Uint8Array> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw new TrainingAbortedError(signal.reason);
  const dir = await mkdtemp(join(tmpdir(), 'xgb-train-'));
  let child: ChildProcess | null = null;
  try {
    const file = await writeMatrix(dir, data);
    if (signal?.aborted) throw new TrainingAbortedError(signal.reason);
    const { script, execArgv } = workerCommand();
    const env = { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' }; // see native.ts
    const proc = fork(script, [], { execArgv, env, serialization: 'advanced', stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    child = proc;
    let stderr = '';
    const keep = (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);

    const job: TrainJob = {
      type: 'train',
      engine,
      file,
      rows: data.rows,
      cols: data.cols,
      hasWeights: !!data.weights,
      params,
      rounds,
      nthread,
      crashForTest: opts.crashForTest,
    };

    return await new Promise<Uint8Array>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => {
        proc.kill('SIGKILL');
        settle(() => reject(new TrainingAbortedError(signal?.reason)));
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      proc.on('message', (msg: WorkerMessage) => {
        if (settled) return;
        if (msg.type === 'progress') {
          try {
            onProgress?.(msg.round, rounds);
          } catch {
            /* a failing progress callback must not break training */
          }
        } else if (msg.type === 'done') {
          settle(() => resolve(msg.bytes));
        } else if (msg.type === 'error') {
          proc.kill('SIGKILL');
          settle(() => reject(new Error(`training failed: ${msg.message}`)));
        }
      });
      proc.on('error', (err) => settle(() => reject(new Error(`training process failed: ${err.message}`, { cause: err }))));
      // 'close' (not 'exit'): fires after the IPC channel and stdio are drained, so a 'done' sent just
      // before a normal exit is never mistaken for a crash.
      proc.on('close', (code: number | null, sig: NodeJS.Signals | null) => {
        const tail = stderr.trim();
        const how = sig ? `signal ${sig}` : `code ${code}`;
        settle(() =>
          reject(new TrainingProcessError(`training process exited with ${how}${tail ? `: ${tail.slice(-500)}` : ''}`, code, sig, tail)),
        );
      });
      proc.send(job, (err) => {
        if (err) settle(() => reject(new Error(`could not send the job to the training process: ${err.message}`)));
      });
    });
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) {
      // Done or failed: let it exit on its own (it exits after 'done'), but never leave it behind.
      const c = child;
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      t.unref();
      c.once('exit', () => clearTimeout(t));
    }
    await rm(dir, { recursive: true, force: true });
  }
}
