import { RedisStartError, startRedis, type TestRedis } from '@auth/testing/redis';
import { Redis } from 'ioredis';

/**
 * The Redis the fleet shares its token through: `REDIS_URL` when it is set (checked with a
 * PING first, so a Redis that does not answer is reported before any worker starts), else
 * a throwaway `redis-server` from `PATH`.
 *
 * @param env - Where `REDIS_URL` is read.
 * @returns The Redis; `close()` it after the run.
 * @throws {Error} No Redis: the message says which and how to get one (never the URL's password).
 * @example
 * ```ts
 * const redis = await openFleetRedis(process.env);
 * ```
 */
export async function openFleetRedis(env: Record<string, string | undefined>): Promise<TestRedis> {
  let redis: TestRedis;
  try {
    redis = await startRedis({}, env);
  } catch (error) {
    if (error instanceof RedisStartError && error.reason === 'not-installed') {
      throw new Error(
        'redis-server was not found on PATH and REDIS_URL is not set, and the fleet shares its token through Redis. ' +
          'Install Redis (`apt-get install redis-server`, `brew install redis`) or point REDIS_URL at one ' +
          '(REDIS_URL=redis://127.0.0.1:6379 pnpm cluster)',
        { cause: error },
      );
    }
    throw new Error(`could not start redis-server: ${(error as Error).message}`, { cause: error });
  }
  if (env.REDIS_URL) await expectAnswer(redis);
  return redis;
}

async function expectAnswer(redis: TestRedis): Promise<void> {
  const client = new Redis(redis.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 5000,
  });
  // The connection error arrives here; connect() only says the connection closed.
  let connectionError: Error | undefined;
  client.on('error', (error: Error) => {
    connectionError = error;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const cause = (connectionError ?? error) as NodeJS.ErrnoException;
    throw new Error(
      `the Redis at REDIS_URL (${redis.host}:${redis.port}) does not answer (${cause.code ?? cause.message}): ` +
        'start it, fix REDIS_URL, or unset REDIS_URL to use a throwaway redis-server',
      { cause: error },
    );
  } finally {
    client.disconnect();
  }
}
