import { describe, expect, it } from 'vitest';
import { startRedis, startRedisServer } from './redis-server.js';

describe('startRedis with REDIS_URL', () => {
  it('uses the configured Redis and refuses to stop or restart it', async () => {
    const redis = await startRedis({}, { REDIS_URL: 'redis://:pw@redis.internal:6390/2' });
    expect(redis).toMatchObject({
      url: 'redis://:pw@redis.internal:6390/2',
      host: 'redis.internal',
      port: 6390,
      restartable: false,
    });
    await expect(redis.stop()).rejects.toThrow(/startRedisServer\(\)/);
    await expect(redis.start()).rejects.toThrow(/cannot be stopped or restarted/);
    await redis.close();
  });

  it('defaults the port to 6379', async () => {
    const redis = await startRedis({}, { REDIS_URL: 'redis://localhost' });
    expect(redis.port).toBe(6379);
  });
});

describe('startRedisServer without redis-server on PATH', () => {
  it('fails with a message saying how to get Redis', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startRedisServer()).rejects.toThrow(
        /apt-get install -y redis-server.*REDIS_URL/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
