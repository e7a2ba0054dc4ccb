/** Rejects when `promise` has not settled within `ms` (probes and scrapes must answer even when the database hangs). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      // A timer that fires late found this thread busy (a large upload being parsed), and so was the answer, which may
      // be waiting to be read: the time this thread was busy is granted again (up to 3 times) before giving up.
      const arm = (delay: number, grants: number) => {
        const due = performance.now() + delay;
        timer = setTimeout(() => {
          const late = performance.now() - due;
          if (late > 50 && grants > 0) arm(Math.min(late, ms), grants - 1);
          else reject(new Error(`no answer within ${ms} ms`));
        }, delay);
      };
      arm(ms, 3);
    }),
  ]).finally(() => clearTimeout(timer));
}
