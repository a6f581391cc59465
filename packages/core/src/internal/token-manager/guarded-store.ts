import type { StoreErrorEvent } from '../../token-manager-events.js';
import type { TokenSet } from '../../token-set.js';
import type { TokenLock, TokenStore } from '../../token-store.js';
import { abortableDelay } from '../abortable-delay.js';
import { type Backoff, backoffMs } from '../backoff.js';

type StoreOperation = StoreErrorEvent['operation'];

/** The outcome of {@link GuardedStore.lockOrWait}. */
export type LockOutcome =
  | { kind: 'locked'; lock: TokenLock }
  | { kind: 'adopted'; tokens: TokenSet }
  /** No lock: the store has none or failed. Go on unlocked. */
  | { kind: 'unlocked' }
  /** Another holder kept the lock longer than `lockTtlMs` of waiting. Go on unlocked. */
  | { kind: 'gave-up' };

/** How often a waiter without `waitForUpdate` looks again: 25 ms, doubling up to 1 s. */
const LOCK_POLL: Backoff = { firstMs: 25, maxMs: 1_000 };
/** Lock faults a waiter rides out (polling the store) before going on unlocked. */
const LOCK_FAULTS_TOLERATED = 2;

/**
 * A manager's view of its store for one key: every call is guarded so a store fault
 * (Redis down, disk full, unreadable data) is reported and treated as "nothing there"
 * rather than failing the caller.
 */
export class GuardedStore {
  readonly #store: TokenStore;
  readonly #key: string;
  readonly #reportError: (operation: StoreOperation, error: unknown) => void;

  constructor(
    store: TokenStore,
    key: string,
    reportError: (operation: StoreOperation, error: unknown) => void,
  ) {
    this.#store = store;
    this.#key = key;
    this.#reportError = reportError;
  }

  /** Reads the entry; `undefined` when absent or when the store failed. */
  async get(): Promise<TokenSet | undefined> {
    return this.#guard('get', () => this.#store.get(this.#key));
  }

  /** Writes the entry; a failure is reported and otherwise ignored. */
  async set(tokens: TokenSet): Promise<void> {
    await this.#guard('set', () => this.#store.set(this.#key, tokens));
  }

  /** Deletes the entry; a failure is reported and otherwise ignored. */
  async delete(): Promise<void> {
    await this.#guard('delete', () => this.#store.delete(this.#key));
  }

  /** Frees a lock; a failure is reported (the lock then lapses with its TTL). */
  async release(lock: TokenLock): Promise<void> {
    await this.#guard('unlock', () => lock.release());
  }

  /**
   * Takes the lock, or waits for whoever holds it and adopts their token once `accept`
   * takes it. Waits are woken by the store's `waitForUpdate` when it has one, else they
   * poll with backoff; after `lockTtlMs` of waiting without a result it gives up
   * (`gave-up`) rather than leave callers hanging on a stuck holder.
   */
  async lockOrWait(
    lockTtlMs: number,
    accept: (tokens: TokenSet | undefined) => tokens is TokenSet,
    signal: AbortSignal,
  ): Promise<LockOutcome> {
    const store = this.#store;
    if (!store.acquireLock) return { kind: 'unlocked' };
    // Real elapsed time, not the manager's clock: the waits below are real timers, and a
    // store that wakes waiters early must not use up the budget faster than time passes.
    const giveUpAt = performance.now() + lockTtlMs;
    let polls = 0;
    let lockFaults = 0;
    for (;;) {
      const lock = await this.#guard('lock', () => store.acquireLock!(this.#key, lockTtlMs), null);
      if (lock) return { kind: 'locked', lock };
      // A fault (a timeout under load, a dropped connection) says nothing about who holds the
      // lock: poll the store a little before going on without it, so a slow store does not
      // cost a token request per process. A store that is down fails fast and soon goes unlocked.
      if (lock === null && ++lockFaults > LOCK_FAULTS_TOLERATED) return { kind: 'unlocked' };
      const waitBudgetMs = giveUpAt - performance.now();
      if (waitBudgetMs <= 0) return { kind: 'gave-up' };
      const waitMs = Math.min(backoffMs(++polls, LOCK_POLL), waitBudgetMs);
      if (lock === null) {
        await abortableDelay(waitMs, signal);
      } else if (store.waitForUpdate) {
        const woken = await this.#guard(
          'wait',
          () => store.waitForUpdate!(this.#key, { timeoutMs: waitMs, signal }),
          null,
        );
        if (woken === null) await abortableDelay(waitMs, signal);
      } else {
        await abortableDelay(waitMs, signal);
      }
      signal.throwIfAborted();
      const stored = await this.get();
      if (accept(stored)) return { kind: 'adopted', tokens: stored };
    }
  }

  async #guard<T, F = undefined>(
    operation: StoreOperation,
    call: () => Promise<T>,
    fallback?: F,
  ): Promise<T | F> {
    try {
      return await call();
    } catch (error) {
      this.#reportError(operation, error);
      return fallback as F;
    }
  }
}
