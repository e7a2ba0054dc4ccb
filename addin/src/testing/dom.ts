// Test support for component tests (jsdom): what the browser has and jsdom lacks, and cleanup between tests.
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
if (typeof globalThis.ResizeObserver === 'undefined') vi.stubGlobal('ResizeObserver', ResizeObserverStub);
if (typeof window !== 'undefined' && !window.matchMedia) {
  vi.stubGlobal('matchMedia', (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }));
}

// First renders of Fluent UI are slow on a busy 2-core machine running test files in parallel.
configure({ asyncUtilTimeout: 10_000 });
afterEach(() => cleanup());

/** A promise the test settles itself, to hold a page in its loading state. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
