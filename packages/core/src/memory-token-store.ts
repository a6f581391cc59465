import { UpdateSignal } from './internal/update-signal.js';
import { entryKindError, sealedRecord } from './sealed-record.js';
import type { TokenSet } from './token-set.js';
import {
  keepUntil,
  type SealedRecord,
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
 * Entries lapse at {@link keepUntil} (sealed records at their own `keepUntil`). Its lock
 * and wake-ups let several managers in one process share a token with a single request.
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
  readonly #entries = new Map<string, Entry>();
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
    const entry = this.#read(key);
    if (entry?.kind === 'sealed') throw entryKindError('sealed');
    return entry?.tokens;
  }

  /** @inheritDoc */
  async set(key: string, tokens: TokenSet): Promise<void> {
    this.#write(key, { kind: 'tokens', tokens, until: keepUntil(tokens) });
  }

  /**
   * Reads the record stored with {@link MemoryTokenStore.setSealed}.
   *
   * @param key - The store key.
   * @returns The record, or `undefined` when none or past its `keepUntil`.
   * @throws {TokenStoreError} The key holds tokens (`found: 'tokens'`).
   * @example
   * ```ts
   * import { MemoryTokenStore } from '@auth/core';
   *
   * const store = new MemoryTokenStore();
   * await store.setSealed('svc', { data: 'opaque', keepUntil: Date.now() + 60_000 });
   * const record = await store.getSealed('svc'); // { data: 'opaque', keepUntil: … }
   * ```
   */
  async getSealed(key: string): Promise<SealedRecord | undefined> {
    const entry = this.#read(key);
    if (entry?.kind === 'tokens') throw entryKindError('tokens');
    return entry?.record;
  }

  /**
   * Stores an opaque record under `key` until its `keepUntil`, and wakes waiters.
   *
   * @param key - The store key.
   * @param record - The record; a copy is kept.
   * @throws {TypeError} `record` is not a {@link SealedRecord}.
   * @example
   * ```ts
   * import { MemoryTokenStore } from '@auth/core';
   *
   * await new MemoryTokenStore().setSealed('svc', { data: 'opaque' }); // kept with no deadline
   * ```
   */
  async setSealed(key: string, record: SealedRecord): Promise<void> {
    const copy = Object.freeze(sealedRecord(record));
    this.#write(key, { kind: 'sealed', record: copy, until: copy.keepUntil });
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

  /** The live entry of `key`; a lapsed one is dropped. */
  #read(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry?.until !== undefined && this.#now() >= entry.until) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #write(key: string, entry: Entry): void {
    this.#entries.set(key, entry);
    this.#updates.notify(key);
  }
}

/** A stored value and when it lapses (epoch ms; `undefined`: never). */
type Entry =
  | { kind: 'tokens'; tokens: TokenSet; until: number | undefined }
  | { kind: 'sealed'; record: SealedRecord; until: number | undefined };
