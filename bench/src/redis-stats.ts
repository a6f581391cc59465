import type { Redis } from 'ioredis';

/** Commands the benchmark itself sends to read the server, left out of every count (`memory|usage` counts as `memory`). */
const OBSERVER_COMMANDS = new Set(['info', 'memory', 'scan', 'dbsize']);

/** What a Redis server has done so far: calls per command, and memory in use. */
export interface RedisStats {
  /** Calls per command name (lower case), from `INFO commandstats`, without the observer's own. */
  calls: ReadonlyMap<string, number>;
  /** `used_memory` from `INFO memory`, in bytes. */
  usedMemory: number;
}

/**
 * Reads the calls per command from the text of `INFO commandstats`
 * (`cmdstat_get:calls=12,usec=…`; Redis 7 names subcommands `memory|usage`), leaving out
 * the commands an observer sends (`info`, `memory`, `scan`, `dbsize`). Commands that Lua
 * scripts run count as well as the `evalsha` that ran them.
 *
 * @param info - The reply of `INFO commandstats`.
 * @returns Calls per command name.
 * @example
 * ```ts
 * commandCalls('cmdstat_get:calls=12,usec=40\r\n'); // Map { 'get' => 12 }
 * ```
 */
export function commandCalls(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const name = match[1]!.toLowerCase();
    if (!OBSERVER_COMMANDS.has(name.split('|')[0]!)) calls.set(name, Number(match[2]));
  }
  return calls;
}

/**
 * The calls made between two readings, per command, the busiest first.
 *
 * @param before - The earlier reading.
 * @param after - The later one.
 * @returns Command name → calls in between, without commands that had none.
 * @example
 * ```ts
 * callsBetween(new Map([['get', 2]]), new Map([['get', 5], ['set', 1]])); // get 3, set 1
 * ```
 */
export function callsBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Map<string, number> {
  const delta = [...after]
    .map(([name, calls]): [string, number] => [name, calls - (before.get(name) ?? 0)])
    .filter(([, calls]) => calls > 0)
    .sort((a, b) => b[1] - a[1]);
  return new Map(delta);
}

/**
 * The sum of calls over every command.
 *
 * @param calls - Calls per command.
 * @returns The total.
 */
export function totalCalls(calls: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const count of calls.values()) total += count;
  return total;
}

/**
 * Reads a server's command counts and memory.
 *
 * @param redis - A client of the server (its own `INFO` calls are not counted).
 * @returns The reading.
 */
export async function readRedisStats(redis: Redis): Promise<RedisStats> {
  const [commandstats, memory] = await Promise.all([
    redis.info('commandstats'),
    redis.info('memory'),
  ]);
  const usedMemory = /^used_memory:(\d+)/m.exec(memory)?.[1];
  if (usedMemory === undefined) throw new Error('INFO memory has no used_memory');
  return { calls: commandCalls(commandstats), usedMemory: Number(usedMemory) };
}

/**
 * The mean `MEMORY USAGE` of up to `sample` keys matching `pattern`.
 *
 * @param redis - A client of the server.
 * @param pattern - A `SCAN MATCH` pattern, e.g. `auth:*:tokens`.
 * @param sample - How many keys to measure at most.
 * @returns Bytes per key, or `undefined` when no key matches.
 */
export async function meanMemoryUsage(
  redis: Redis,
  pattern: string,
  sample: number,
): Promise<number | undefined> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0' && keys.length < sample);
  const measured = keys.slice(0, sample);
  if (measured.length === 0) return undefined;
  const sizes = await Promise.all(measured.map((key) => redis.memory('USAGE', key)));
  return sizes.reduce<number>((sum, size) => sum + Number(size ?? 0), 0) / measured.length;
}

/**
 * A human summary of calls per command, e.g. `get 9000, evalsha 2000`.
 *
 * @param calls - Calls per command.
 * @returns The summary, or `none`.
 */
export function describeCalls(calls: ReadonlyMap<string, number>): string {
  return calls.size === 0
    ? 'none'
    : [...calls].map(([name, count]) => `${name} ${count.toLocaleString('en-US')}`).join(', ');
}
