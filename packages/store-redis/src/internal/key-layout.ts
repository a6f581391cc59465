/**
 * The Redis names that belong to one token: all share one hash tag, hence one Cluster slot.
 *
 * @example
 * ```ts
 * import type { TokenManager } from '@auth/core';
 * import type { RedisTokenStore } from '@auth/store-redis';
 *
 * declare const store: RedisTokenStore;
 * declare const manager: TokenManager;
 * const { tokens } = store.keysFor(manager.key); // e.g. 'auth:{svc}:tokens', for redis-cli GET
 * ```
 */
export interface RedisKeys {
  /** Holds the JSON of `TokenSet.serialize()` (or of a sealed record), expiring with the token. */
  tokens: string;
  /** Holds the random owner value of the lock holder, expiring with the lock TTL. */
  lock: string;
  /** The pub/sub channel that announces a stored, deleted or unlocked entry. */
  channel: string;
}

/**
 * The key layout of one token: `<prefix>{<key>}:tokens`, `<prefix>{<key>}:lock` and the
 * channel `<prefix>{<key>}:updates`. The braces make `<key>` the Redis Cluster hash tag, so
 * both keys live on one slot (a Lua script may touch them together). Braces and `%` inside
 * `key` are percent-encoded, so a key holding `{` or `}` cannot move the tag.
 *
 * @param keyPrefix - The store's prefix, e.g. `auth:`.
 * @param key - The manager's key (a provider's `cacheKey`).
 * @throws {TypeError} An empty key.
 */
export function redisKeys(keyPrefix: string, key: string): RedisKeys {
  // An empty `{}` is no hash tag: Cluster would hash each whole name to its own slot.
  if (typeof key !== 'string' || key === '')
    throw new TypeError('a token key must be a non-empty string');
  const base = `${keyPrefix}{${hashTagOf(key)}}`;
  return { tokens: `${base}:tokens`, lock: `${base}:lock`, channel: `${base}:updates` };
}

/** `key` with `%`, `{` and `}` percent-encoded: a non-empty tag that cannot close early. */
function hashTagOf(key: string): string {
  return key.replace(/[%{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
