import { randomBytes } from 'node:crypto';
import {
  keepUntil,
  type SealedRecord,
  sealedRecord,
  type TokenLock,
  type TokenSet,
  type TokenStore,
  type WaitForUpdateOptions,
} from '@auth/core';
import { inspectSymbol } from '@auth/core/internal';
import type { Cluster, Redis } from 'ioredis';
import { BoundedClient } from './internal/bounded-client.js';
import { type RedisKeys, redisKeys } from './internal/key-layout.js';
import {
  DELETE_AND_ANNOUNCE,
  RELEASE_LOCK,
  runScript,
  SET_AND_ANNOUNCE,
} from './internal/lua-scripts.js';
import { decodeSealed, decodeTokens, encodeSealed, encodeTokens } from './internal/token-codec.js';
import { UpdateChannel } from './internal/update-channel.js';

export type { RedisKeys } from './internal/key-layout.js';

/**
 * Options of {@link RedisTokenStore}. Durations in ms.
 *
 * @example
 * ```ts
 * import type { RedisTokenStoreOptions } from '@auth/store-redis';
 * import { Redis } from 'ioredis';
 *
 * const url = process.env.REDIS_URL!;
 * const options: RedisTokenStoreOptions = { redis: new Redis(url), keyPrefix: 'app:', operationTimeoutMs: 500 };
 * ```
 */
export interface RedisTokenStoreOptions {
  /** Your ioredis `Redis` or `Cluster` client. The store never quits it. */
  redis: Redis | Cluster;
  /** Prepended to every key and channel. Default `'auth:'`. */
  keyPrefix?: string;
  /** The longest any Redis call may take before it fails with a `TokenStoreError`. Default 1 000. */
  operationTimeoutMs?: number;
  /** The clock, for turning expiry instants into `PX` durations. Default `Date.now`. */
  now?: () => number;
}

/**
 * A {@link TokenStore} on Redis (ioredis `Redis` or `Cluster`): one token for every
 * process of a deployment, on one host or many. Entries expire with the token (`PX` from
 * `keepUntil`); `acquireLock` is `SET NX PX` with a random owner, freed by a
 * compare-and-delete script; waiters are woken over pub/sub when a token lands or a lock
 * is freed. Every call is bounded by `operationTimeoutMs` and fails with a
 * `TokenStoreError`, so a `TokenManager` keeps serving from memory while Redis is down.
 * `getSealed`/`setSealed` keep a wrapper's opaque record (e.g. `encryptedStore`'s ciphertext)
 * in the same key, with the same expiry, wake-ups and locks.
 *
 * Key layout for a manager key `K` (see {@link RedisTokenStore.keysFor}):
 * `<keyPrefix>{K}:tokens`, `<keyPrefix>{K}:lock`, channel `<keyPrefix>{K}:updates`.
 *
 * @example
 * ```ts
 * import { TokenManager, type TokenProvider } from '@auth/core';
 * import { RedisTokenStore } from '@auth/store-redis';
 * import { Redis } from 'ioredis';
 *
 * declare const provider: TokenProvider; // e.g. clientCredentials(…) from @auth/oauth
 * const redis = new Redis(process.env.REDIS_URL!);
 * const store = new RedisTokenStore({ redis, keyPrefix: 'billing:auth:' });
 * const manager = new TokenManager({ provider, store });
 * // at shutdown
 * await store.close();
 * await redis.quit();
 * ```
 */
export class RedisTokenStore implements TokenStore {
  readonly #redis: BoundedClient;
  readonly #keyPrefix: string;
  readonly #now: () => number;
  readonly #updates: UpdateChannel;

  /**
   * @param options - See {@link RedisTokenStoreOptions}.
   * @throws {TypeError} No ioredis client, a non-string `keyPrefix`, or an
   *   `operationTimeoutMs` that is not a positive number.
   */
  constructor(options: RedisTokenStoreOptions) {
    const redis = options?.redis;
    if (typeof redis?.evalsha !== 'function' || typeof redis.duplicate !== 'function')
      throw new TypeError('RedisTokenStore needs an ioredis Redis or Cluster client as `redis`');
    const keyPrefix = options.keyPrefix ?? 'auth:';
    if (typeof keyPrefix !== 'string') throw new TypeError('keyPrefix must be a string');
    const operationTimeoutMs = options.operationTimeoutMs ?? 1_000;
    if (!Number.isFinite(operationTimeoutMs) || operationTimeoutMs <= 0)
      throw new TypeError('operationTimeoutMs must be a positive number of milliseconds');
    this.#redis = new BoundedClient(redis, operationTimeoutMs);
    this.#keyPrefix = keyPrefix;
    this.#now = options.now ?? Date.now;
    this.#updates = new UpdateChannel(redis, operationTimeoutMs);
  }

  /**
   * The Redis names used for a manager key: where its tokens, its lock and its wake-up
   * channel live. They share the hash tag `{key}` (braces and `%` in `key` are
   * percent-encoded), so Redis Cluster keeps them on one slot.
   *
   * @param key - The manager's key (by default the provider's `cacheKey`).
   * @returns The tokens key, lock key and channel.
   * @example
   * ```ts
   * import type { RedisTokenStore } from '@auth/store-redis';
   *
   * declare const store: RedisTokenStore;
   * store.keysFor('cc:https://idp/token:svc'); // { tokens: 'auth:{cc:https://idp/token:svc}:tokens', … }
   * ```
   */
  keysFor(key: string): RedisKeys {
    return redisKeys(this.#keyPrefix, key);
  }

  /**
   * Reads the tokens under `key`.
   *
   * @param key - The manager's key.
   * @returns The tokens, or `undefined` when none are stored (or they expired).
   * @throws {TokenStoreError} Redis failed or did not answer in time, or the entry is not
   *   a serialized TokenSet (`operation: 'get'`; the entry is not trusted).
   * @example
   * ```ts
   * import type { TokenManager } from '@auth/core';
   * import type { RedisTokenStore } from '@auth/store-redis';
   *
   * declare const store: RedisTokenStore;
   * declare const manager: TokenManager;
   * const tokens = await store.get(manager.key);
   * ```
   */
  async get(key: string): Promise<TokenSet | undefined> {
    const value = await this.#read(key);
    return value === null ? undefined : decodeTokens(value, key);
  }

  /**
   * Reads the record stored under `key` with {@link RedisTokenStore.setSealed}.
   *
   * @param key - The manager's key.
   * @returns The record, or `undefined` when none is stored (or it expired).
   * @throws {TokenStoreError} As `get`; and when the key holds tokens (`found: 'tokens'`).
   * @example
   * ```ts
   * import type { RedisTokenStore } from '@auth/store-redis';
   *
   * declare const store: RedisTokenStore;
   * const record = await store.getSealed('svc'); // { data, keepUntil } or undefined
   * ```
   */
  async getSealed(key: string): Promise<SealedRecord | undefined> {
    const value = await this.#read(key);
    return value === null ? undefined : decodeSealed(value, key);
  }

  /**
   * Stores `tokens` under `key` with `PX` until `keepUntil(tokens)` (no expiry when that
   * is undefined) and wakes every waiter. Tokens already past it are deleted instead.
   *
   * @param key - The manager's key.
   * @param tokens - The tokens to keep.
   * @throws {TokenStoreError} Redis failed or did not answer in time (`operation: 'set'`).
   * @example
   * ```ts
   * import { TokenSet } from '@auth/core';
   * import type { RedisTokenStore } from '@auth/store-redis';
   *
   * declare const store: RedisTokenStore;
   * declare const body: unknown; // a token endpoint's JSON response
   * await store.set('svc', TokenSet.fromResponse(body)); // PX until it expires
   * ```
   */
  async set(key: string, tokens: TokenSet): Promise<void> {
    await this.#put(key, encodeTokens(tokens), keepUntil(tokens));
  }

  /**
   * Stores an opaque record under `key` (its JSON, in the tokens key) with `PX` until
   * `record.keepUntil` (no expiry without one) and wakes every waiter, as `set` does.
   *
   * @param key - The manager's key.
   * @param record - The record, e.g. what `encryptedStore` seals.
   * @throws {TypeError} `record` is not a `SealedRecord`.
   * @throws {TokenStoreError} Redis failed or did not answer in time (`operation: 'set'`).
   * @example
   * ```ts
   * import type { RedisTokenStore } from '@auth/store-redis';
   *
   * declare const store: RedisTokenStore;
   * await store.setSealed('svc', { data: 'opaque', keepUntil: Date.now() + 60_000 });
   * ```
   */
  async setSealed(key: string, record: SealedRecord): Promise<void> {
    const copy = sealedRecord(record);
    await this.#put(key, encodeSealed(copy), copy.keepUntil);
  }

  /**
   * Removes the tokens under `key` and wakes every waiter.
   *
   * @param key - The manager's key.
   * @throws {TokenStoreError} Redis failed or did not answer in time (`operation: 'delete'`).
   * @example
   * ```ts
   * import type { TokenManager } from '@auth/core';
   * import type { RedisTokenStore } from '@auth/store-redis';
   *
   * declare const store: RedisTokenStore;
   * declare const manager: TokenManager;
   * await store.delete(manager.key); // what manager.clear() does
   * ```
   */
  async delete(key: string): Promise<void> {
    await this.#delete(key, 'delete');
  }

  /**
   * Takes the lock for `key` with `SET <lock> <random owner> NX PX <ttlMs>`. The lock
   * frees itself after `ttlMs`; `release()` frees it earlier, only while this holder still
   * owns it (compare-and-delete), and wakes every waiter. A lock Redis grants after this
   * call gave up waiting is freed again at once.
   *
   * @param key - The manager's key.
   * @param ttlMs - The longest the lock is held.
   * @returns The lock, or `undefined` when another holder has it.
   * @throws {TokenStoreError} Redis failed or did not answer in time (`operation: 'lock'`;
   *   `release()` throws with `operation: 'unlock'`).
   * @example
   * ```ts
   * import type { TokenProvider } from '@auth/core';
   * import type { RedisTokenStore } from '@auth/store-redis';
   *
   * declare const store: RedisTokenStore;
   * declare const provider: TokenProvider;
   * const lock = await store.acquireLock('svc', 30_000);
   * if (lock) {
   *   try {
   *     await store.set('svc', await provider.fetchToken());
   *   } finally {
   *     await lock.release();
   *   }
   * }
   * ```
   */
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new TypeError('ttlMs must be a positive number of milliseconds');
    }
    const names = this.keysFor(key);
    const owner = randomBytes(16).toString('hex');
    const lock: TokenLock = {
      release: async () => {
        await this.#script('unlock', names, (client) =>
          runScript(client, RELEASE_LOCK, [names.lock], [owner, names.channel]),
        );
      },
    };
    const px = Math.max(1, Math.ceil(ttlMs));
    const reply = await this.#redis.call(
      'lock',
      (client) => client.set(names.lock, owner, 'PX', px, 'NX'),
      (late) => {
        if (late === 'OK') lock.release().catch(() => {});
      },
    );
    return reply === 'OK' ? lock : undefined;
  }

  /**
   * Waits until the tokens or the lock for `key` change in any process (a token is
   * stored or deleted, a lock is freed), `timeoutMs` passes or `signal` aborts. Uses
   * pub/sub on a connection of its own, opened on first use.
   *
   * @param key - The manager's key.
   * @param options - `timeoutMs` and `signal`.
   * @throws {TokenStoreError} The subscription failed or the store was closed
   *   (`operation: 'wait'`); the manager then polls instead.
   * @example
   * ```ts
   * import type { RedisTokenStore } from '@auth/store-redis';
   *
   * declare const store: RedisTokenStore;
   * await store.waitForUpdate('svc', { timeoutMs: 1_000 }); // then read the store again
   * ```
   */
  waitForUpdate(key: string, options: WaitForUpdateOptions): Promise<void> {
    return this.#updates.wait(this.keysFor(key).channel, options);
  }

  /**
   * Quits the store's own subscriber connection and wakes its waiters. The client you
   * passed stays open (quit it yourself); `get`, `set`, `delete` and locks keep working
   * through it, `waitForUpdate` rejects.
   * @example
   * ```ts
   * import type { RedisTokenStore } from '@auth/store-redis';
   * import type { Redis } from 'ioredis';
   *
   * declare const store: RedisTokenStore;
   * declare const redis: Redis;
   * await store.close();
   * await redis.quit();
   * ```
   */
  async close(): Promise<void> {
    await this.#updates.close();
  }

  /** A summary without secrets (no client options, no tokens). */
  toJSON(): {
    /** Which kind of store this is: `redis`. */
    type: 'redis';
    /** The prefix of every Redis key the store uses. */
    keyPrefix: string;
    /** The deadline of each Redis operation, in ms. */
    operationTimeoutMs: number;
    /** The ioredis client's connection status, e.g. `ready` or `reconnecting`. */
    status: string;
  } {
    return {
      type: 'redis',
      keyPrefix: this.#keyPrefix,
      operationTimeoutMs: this.#redis.timeoutMs,
      status: this.#redis.client.status,
    };
  }

  /** What `String(store)` shows: the redacted summary. */
  toString(): string {
    return `RedisTokenStore ${JSON.stringify(this.toJSON())}`;
  }

  /** What `util.inspect` shows: the redacted summary. */
  [inspectSymbol](): string {
    return this.toString();
  }

  #read(key: string): Promise<string | null> {
    const { tokens } = this.keysFor(key);
    return this.#redis.call('get', (client) => client.get(tokens));
  }

  /** Stores `value` with `PX` until `until` and announces it; a value already past it is deleted. */
  async #put(key: string, value: string, until: number | undefined): Promise<void> {
    const ttlMs = until === undefined ? undefined : Math.ceil(until - this.#now());
    if (ttlMs !== undefined && ttlMs <= 0) return this.#delete(key, 'set');
    const names = this.keysFor(key);
    await this.#script('set', names, (client) =>
      runScript(
        client,
        SET_AND_ANNOUNCE,
        [names.tokens],
        [value, ttlMs === undefined ? '' : ttlMs, names.channel],
      ),
    );
  }

  async #delete(key: string, operation: 'set' | 'delete'): Promise<void> {
    const names = this.keysFor(key);
    await this.#script(operation, names, (client) =>
      runScript(client, DELETE_AND_ANNOUNCE, [names.tokens], [names.channel]),
    );
  }

  /** Runs a script that announces a change, then wakes this process's waiters at once. */
  async #script(
    operation: 'set' | 'delete' | 'unlock',
    names: RedisKeys,
    command: (client: Redis | Cluster) => Promise<unknown>,
  ): Promise<void> {
    await this.#redis.call(operation, command);
    this.#updates.wakeLocal(names.channel);
  }
}
