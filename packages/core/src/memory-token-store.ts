import { UpdateSignal } from './internal/update-signal.js';
import type { TokenSet } from './token-set.js';
import {
  keepUntil,
  type TokenLock,
  type TokenStore,
  type WaitForUpdateOptions,
} from './token-store.js';

/** Options of {@link MemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** The clock, for expiring entries and locks. Default `Date.now`. */
  now?: () => number;
}

/**
 * A {@link TokenStore} in the memory of one process: the default of `TokenManager`.
 * Entries lapse at {@link keepUntil}. Its lock and wake-ups let several
 * managers in one process share a token with a single request.
 *
 * @example
 * ```ts
 * import { MemoryTokenStore, TokenManager, staticToken } from '@auth/core';
 *
 * const provider = staticToken(process.env.API_TOKEN!);
 * const store = new MemoryTokenStore();
 * const a = new TokenManager({ provider, store });
 * const b = new TokenManager({ provider, store }); // shares a's token, one request between them
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #entries = new Map<string, TokenSet>();
  readonly #locks = new Map<string, { owner: symbol; until: number }>();
  readonly #updates = new UpdateSignal();
  readonly #now: () => number;

  /**
   * Creates an empty store.
   *
   * @param options - `now`: the clock.
   */
  constructor(options: MemoryTokenStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** @inheritDoc */
  async get(key: string): Promise<TokenSet | undefined> {
    const tokens = this.#entries.get(key);
    if (tokens && !isKept(tokens, this.#now())) {
      this.#entries.delete(key);
      return undefined;
    }
    return tokens;
  }

  /** @inheritDoc */
  async set(key: string, tokens: TokenSet): Promise<void> {
    this.#entries.set(key, tokens);
    this.#updates.notify(key);
  }

  /** @inheritDoc */
  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
    this.#updates.notify(key);
  }

  /** @inheritDoc */
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const now = this.#now();
    const held = this.#locks.get(key);
    if (held && held.until > now) return undefined;
    const owner = Symbol(key);
    this.#locks.set(key, { owner, until: now + ttlMs });
    return {
      release: async () => {
        if (this.#locks.get(key)?.owner !== owner) return;
        this.#locks.delete(key);
        this.#updates.notify(key);
      },
    };
  }

  /** @inheritDoc */
  waitForUpdate(key: string, options: WaitForUpdateOptions): Promise<void> {
    return this.#updates.wait(key, options);
  }

  /** A summary without tokens: how many entries it holds. */
  toJSON(): {
    /** Which kind of store this is: `memory`. */
    type: 'memory';
    /** How many entries it holds, lapsed ones included until they are read. */
    entries: number;
  } {
    return { type: 'memory', entries: this.#entries.size };
  }
}

function isKept(tokens: TokenSet, now: number): boolean {
  const until = keepUntil(tokens);
  return until === undefined || now < until;
}
