import type { TokenSet } from './token-set.js';

/** A lock taken with {@link TokenStore.acquireLock}. */
export interface TokenLock {
  /** Frees the lock, if this holder still owns it. Never frees a lock taken over by another holder. */
  release(): Promise<void>;
}

/** Options of {@link TokenStore.waitForUpdate}. */
export interface WaitForUpdateOptions {
  /** Give up waiting after this long, in ms. */
  timeoutMs: number;
  /** Stops waiting early. */
  signal?: AbortSignal;
}

/**
 * An opaque record a wrapping store (such as `encryptedStore`) keeps in a {@link TokenStore}
 * through `setSealed`, instead of a `TokenSet`: the store holds `data` as it is and drops the
 * record after `keepUntil`, as it would drop tokens. JSON-safe; store it with `JSON.stringify`.
 *
 * @example
 * ```ts
 * import { keepUntil, MemoryTokenStore, type SealedRecord, type TokenSet } from '@auth/core';
 *
 * declare const tokens: TokenSet;
 * declare function encrypt(tokens: TokenSet): Promise<string>;
 * const record: SealedRecord = { data: await encrypt(tokens), keepUntil: keepUntil(tokens) };
 * await new MemoryTokenStore().setSealed('svc', record);
 * ```
 */
export interface SealedRecord {
  /** The wrapper's payload (e.g. ciphertext), kept byte for byte. */
  readonly data: string;
  /** When the record may be dropped (epoch ms), as `keepUntil(tokens)` of the tokens inside; absent: never. */
  readonly keepUntil?: number;
}

/**
 * Where tokens are kept between requests, processes or hosts. Keys come from providers'
 * `cacheKey`s; values are {@link TokenSet}s, persisted with `serialize()`.
 *
 * @example
 * ```ts
 * import { MemoryTokenStore, TokenManager, staticToken } from '@auth/core';
 *
 * const provider = staticToken(process.env.API_TOKEN!);
 * const manager = new TokenManager({ provider, store: new MemoryTokenStore() });
 * ```
 */
export interface TokenStore {
  /**
   * Reads the tokens stored under `key`.
   *
   * @returns The tokens, or `undefined` when none (or they have lapsed).
   * @throws {TokenStoreError} The backend failed or held unreadable data.
   */
  get(key: string): Promise<TokenSet | undefined>;
  /**
   * Stores `tokens` under `key`, keeping them until `refreshExpiresAt ?? expiresAt`.
   *
   * @throws {TokenStoreError} The backend failed.
   */
  set(key: string, tokens: TokenSet): Promise<void>;
  /**
   * Removes the tokens stored under `key`.
   *
   * @throws {TokenStoreError} The backend failed.
   */
  delete(key: string): Promise<void>;
  /**
   * Takes the lock for `key` for at most `ttlMs`, so only one holder (across every process
   * sharing the store) requests a token at a time.
   *
   * @returns The lock, or `undefined` when another holder has it.
   */
  acquireLock?(key: string, ttlMs: number): Promise<TokenLock | undefined>;
  /**
   * Waits until the entry or the lock for `key` changes (a token lands, a lock is freed),
   * or `timeoutMs` passes. Stores that can be woken (Redis pub/sub, in-process events)
   * implement it so waiters need not poll; without it the manager polls with backoff.
   */
  waitForUpdate?(key: string, options: WaitForUpdateOptions): Promise<void>;
  /**
   * Reads the {@link SealedRecord} stored under `key` with `setSealed`. Stores implement both
   * sealed methods so wrappers such as `encryptedStore` can keep an opaque record; a key holds
   * either tokens or a record, and `delete` removes either.
   *
   * @returns The record, or `undefined` when none (or it has lapsed).
   * @throws {TokenStoreError} The backend failed, held unreadable data, or the key holds a
   *   `TokenSet` (`found: 'tokens'`).
   */
  getSealed?(key: string): Promise<SealedRecord | undefined>;
  /**
   * Stores `record` under `key` (replacing tokens or a record there), keeping it until
   * `record.keepUntil`, and wakes waiters as `set` does.
   *
   * @throws {TypeError} `record` is not a {@link SealedRecord}.
   * @throws {TokenStoreError} The backend failed.
   */
  setSealed?(key: string, record: SealedRecord): Promise<void>;
}

/**
 * Until when a store keeps `tokens` (epoch ms): `refreshExpiresAt ?? expiresAt`, except
 * that a refresh token of unknown lifetime is kept with no deadline, so it is not lost
 * when the access token lapses. Every store uses this one rule.
 *
 * @param tokens - The tokens being stored.
 * @returns The instant after which the entry may be dropped, or `undefined` for never.
 * @example
 * ```ts
 * import { type TokenSet, keepUntil } from '@auth/core';
 * import type { Redis } from 'ioredis';
 *
 * declare const redis: Redis;
 * declare const tokens: TokenSet;
 * declare const key: string;
 * declare const value: string;
 * const until = keepUntil(tokens);
 * if (until !== undefined) await redis.set(key, value, 'PX', Math.max(1, until - Date.now()));
 * ```
 */
export function keepUntil(tokens: TokenSet): number | undefined {
  if (tokens.refreshToken !== undefined) return tokens.refreshExpiresAt;
  return tokens.expiresAt;
}
