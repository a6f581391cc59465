import type { WaitForUpdateOptions } from '../token-store.js';

/**
 * Per-key wake-ups for waiters in one process: `notify(key)` resolves every pending
 * `wait(key)`. Stores use it to implement `waitForUpdate` without polling.
 */
export class UpdateSignal {
  readonly #waiters = new Map<string, Set<() => void>>();

  /** Resolves on the next `notify(key)`, after `timeoutMs`, or when `signal` aborts. */
  wait(key: string, { timeoutMs, signal }: WaitForUpdateOptions): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(key) ?? new Set<() => void>();
      this.#waiters.set(key, waiters);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      if (signal?.aborted) return done();
      waiters.add(done);
    });
  }

  /** Wakes every waiter of `key`. */
  notify(key: string): void {
    for (const wake of [...(this.#waiters.get(key) ?? [])]) wake();
  }
}
