// The rows of an upload between its two passes, as the column readers' typed arrays, one batch at a time: in memory
// while small, in a temporary file beyond, so a file of any size is read in bounded memory.
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Typed } from './columns';
import { uploadTempDir } from './temp-files';

type Kind = 'i32' | 'f64' | 'i8';
const kindOf = (a: Typed): Kind => (a instanceof Int32Array ? 'i32' : a instanceof Float64Array ? 'f64' : 'i8');
const make = (kind: Kind, n: number): Typed =>
  kind === 'i32' ? new Int32Array(n) : kind === 'f64' ? new Float64Array(n) : new Int8Array(n);

/** Bytes kept in memory before the spool moves to a temporary file. */
const MEMORY_LIMIT = 64 * 1024 * 1024;

export class RowSpool {
  private kinds: Kind[] | null = null;
  private readonly sizes: number[] = [];
  private memory: Typed[][] | null = [];
  private bytes = 0;
  private dir: string | null = null;
  private fd: number | null = null;

  constructor(private readonly memoryLimit = MEMORY_LIMIT) {}

  /** Rows kept so far. */
  get rows(): number {
    let n = 0;
    for (const s of this.sizes) n += s;
    return n;
  }

  /** Whether the rows went to a temporary file. */
  get onDisk(): boolean {
    return this.fd !== null;
  }

  /** One batch: equal-length columns, always in the same order and types. The arrays may be reused by the caller. */
  append(columns: Typed[]): void {
    const n = columns[0]?.length ?? 0;
    if (n === 0) return;
    this.kinds ??= columns.map(kindOf);
    this.sizes.push(n);
    if (this.memory !== null) {
      this.memory.push(columns.map((c) => c.slice()));
      for (const c of columns) this.bytes += c.byteLength;
      if (this.bytes > this.memoryLimit) this.moveToDisk();
      return;
    }
    for (const c of columns) this.write(c);
  }

  private moveToDisk(): void {
    this.dir = uploadTempDir();
    this.fd = openSync(join(this.dir, 'rows'), 'w+');
    for (const batch of this.memory!) for (const c of batch) this.write(c);
    this.memory = null;
  }

  private write(c: Typed): void {
    const bytes = new Uint8Array(c.buffer, c.byteOffset, c.byteLength);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd!, bytes, done);
  }

  /** The batches in the order they were appended; each batch's arrays are fresh and may be kept. */
  *batches(): Generator<Typed[]> {
    if (this.kinds === null) return;
    if (this.memory !== null) {
      yield* this.memory;
      return;
    }
    let position = 0;
    for (const n of this.sizes) {
      const batch = this.kinds.map((kind) => {
        const a = make(kind, n);
        const bytes = new Uint8Array(a.buffer);
        let done = 0;
        while (done < bytes.length) {
          const read = readSync(this.fd!, bytes, done, bytes.length - done, position + done);
          if (read === 0) throw new Error('upload spool ended early');
          done += read;
        }
        position += bytes.length;
        return a;
      });
      yield batch;
    }
  }

  /** Frees the memory and removes the temporary file; safe to call twice. */
  close(): void {
    this.memory = [];
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
