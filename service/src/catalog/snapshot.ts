// The catalog's last answers, for the time a transaction of this process holds the embedded database. PGlite has one
// session: while an upload's transaction is open (tens of seconds for M5), every other statement waits for its end,
// so /stores would wait with it. Meanwhile the catalog answers what was committed before the transaction began: the
// answers read from the database since the last transaction ended, refreshed as each one ends (committed or not).
// The database stays the system of record: with no transaction of ours open, and always on PostgreSQL (its readers
// never wait for an upload, and other instances write to it too), every read goes to it.
import type { TransactionActivity } from '../db/connection';

interface Entry {
  /** `TransactionActivity.ended` when the read began: the answer holds until another transaction ends. */
  ended: number;
  value: unknown;
  /** Read again as each transaction ends, so that the next upload finds the answer current. */
  load: () => Promise<unknown>;
  keepIf?: (value: unknown) => boolean;
}

/** Answers kept at most (the stores, and the product lists of the stores asked about); the oldest read goes first. */
const MAX_ENTRIES = 200;

export interface ReadOptions<T> {
  /** Which answers to keep (e.g. not the empty product list of an unknown store). */
  keepIf?: (value: T) => boolean;
}

export class CatalogSnapshot {
  private readonly entries = new Map<string, Entry>();

  /** Without `transactions` (a PostgreSQL server) it keeps nothing and every read goes to the database. */
  constructor(private readonly transactions?: TransactionActivity) {
    transactions?.onEnd(() => {
      for (const [key, entry] of this.entries) void this.read(key, entry.load, entry).catch(() => {});
    });
  }

  /** Reads now, so that an upload starting before the first catalog request still finds the catalog here. */
  prime<T>(key: string, load: () => Promise<T>, options: ReadOptions<T> = {}): void {
    if (this.transactions) void this.read(key, load, options).catch(() => {});
  }

  /** `load()`'s answer: from the database, or, while a transaction of ours holds it, as it was before. */
  async read<T>(key: string, load: () => Promise<T>, options: ReadOptions<T> = {}): Promise<T> {
    const tx = this.transactions;
    if (!tx) return load();
    const kept = this.entries.get(key);
    if (tx.open > 0 && kept && kept.ended === tx.ended) return kept.value as T;
    const ended = tx.ended;
    const free = tx.open === 0;
    const reading = load();
    // A transaction of ours that begins before the read reaches the database makes it wait; the answer kept from
    // before that transaction is as good, and at hand.
    const before = free && kept?.ended === ended ? (kept.value as T) : undefined;
    if (before !== undefined) {
      const first = await Promise.race([reading.then((value) => ({ value })), tx.opened(reading)]);
      if (first === null && tx.ended === ended) return before;
    }
    const value = await reading;
    // Valid only when nothing could have changed the data while it was read: no transaction of ours was open when
    // the read began (it ran before any that began later: PGlite runs statements in order) and none ended since.
    // Otherwise the entry stays, not valid, to be read again when the next transaction ends.
    const keep = options.keepIf?.(value) ?? true;
    this.entries.delete(key);
    if (keep) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      const valid = free && tx.ended === ended;
      this.entries.set(key, { ended: valid ? ended : -1, value, load, keepIf: options.keepIf as Entry['keepIf'] });
    }
    return value;
  }
}
