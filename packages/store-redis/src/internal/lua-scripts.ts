import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A Lua script run by `EVALSHA`, loaded with `EVAL` the first time a node lacks it. */
export interface LuaScript {
  source: string;
  sha1: string;
  numberOfKeys: number;
}

function luaScript(source: string, numberOfKeys: number): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex'), numberOfKeys };
}

/**
 * Stores the entry (with `PX` when ARGV[2] is not empty) and announces it.
 * KEYS[1]: tokens key. ARGV: value, px or '', channel.
 */
export const SET_AND_ANNOUNCE = luaScript(
  `if ARGV[2] == '' then
  redis.call('SET', KEYS[1], ARGV[1])
else
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
redis.call('PUBLISH', ARGV[3], 'set')
return 1`,
  1,
);

/** Deletes the entry and announces it. KEYS[1]: tokens key. ARGV: channel. */
export const DELETE_AND_ANNOUNCE = luaScript(
  `redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], 'delete')
return 1`,
  1,
);

/**
 * Compare-and-delete: frees the lock only while it still holds this owner's value (a lock
 * that lapsed and was taken by another holder is left alone), then announces it.
 * KEYS[1]: lock key. ARGV: owner, channel. Returns 1 when freed, else 0.
 */
export const RELEASE_LOCK = luaScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], 'unlock')
  return 1
end
return 0`,
  1,
);

/**
 * Runs `script` with `EVALSHA`, falling back to `EVAL` (which caches it on that node) when
 * the node answers `NOSCRIPT`. Works the same on a `Redis` and a `Cluster` (routed by the
 * first key). Does not touch the client's own command table.
 */
export async function runScript(
  redis: Redis | Cluster,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha1, script.numberOfKeys, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script.source, script.numberOfKeys, ...keys, ...args);
  }
}
