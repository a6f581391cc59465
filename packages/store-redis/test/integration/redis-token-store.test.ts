import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { inspect, promisify } from 'node:util';
import {
  encryptedStore,
  TokenManager,
  type TokenManagerEvent,
  TokenSet,
  TokenStoreError,
} from '@auth/core';
import { startRedisServer, type TestRedis } from '@auth/testing/redis';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '../../src/index.js';
import { TestClients } from './clients.js';

const run = promisify(execFile);

// A password on the server, to check it never shows in errors or summaries.
const REDIS_PASSWORD = 'redis-password-do-not-print';
let redis: TestRedis;
const clients = new TestClients();
const stores: RedisTokenStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer({ password: REDIS_PASSWORD });
});
afterAll(async () => {
  await redis?.close();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  clients.disconnectAll();
});

/** A store on its own connection, under a prefix of its own (one per test). */
function newStore(
  keyPrefix: string,
  options: { operationTimeoutMs?: number; now?: () => number } = {},
) {
  const client = clients.connect(redis.url);
  const store = new RedisTokenStore({ redis: client, keyPrefix, ...options });
  stores.push(store);
  return { client, store };
}

function prefix(): string {
  return `t-${randomUUID()}:`;
}

function tokens(fields: Partial<ConstructorParameters<typeof TokenSet>[0]> = {}): TokenSet {
  return new TokenSet({ accessToken: `at-${randomUUID()}`, ...fields });
}

/** A promise that fails the test if it settles: for waits that must only end by a wake-up. */
const NEVER_MS = 120_000; // longer than the test timeout

describe('RedisTokenStore get, set and delete', () => {
  it('round-trips tokens and stores the JSON of serialize() under <prefix>{key}:tokens', async () => {
    const keyPrefix = prefix();
    const { client, store } = newStore(keyPrefix);
    const stored = tokens({ refreshToken: 'rt-1', scope: 'read', expiresAt: Date.now() + 60_000 });
    await store.set('svc', stored);
    expect((await store.get('svc'))?.serialize()).toEqual(stored.serialize());
    expect(JSON.parse((await client.get(`${keyPrefix}{svc}:tokens`)) ?? '')).toEqual(
      stored.serialize(),
    );
    expect(await store.get('other')).toBeUndefined();
  });

  it('lets the entry expire with the token (PX until expiresAt)', async () => {
    const now = Date.now();
    const { client, store } = newStore(prefix(), { now: () => now });
    await store.set('svc', tokens({ expiresAt: now + 5_000 }));
    const ttl = await client.pttl(store.keysFor('svc').tokens);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('keeps a refresh token until refreshExpiresAt, and one of unknown lifetime without expiry', async () => {
    const now = Date.now();
    const { client, store } = newStore(prefix(), { now: () => now });
    await store.set(
      'bounded',
      tokens({ expiresAt: now + 1_000, refreshToken: 'rt', refreshExpiresAt: now + 600_000 }),
    );
    const ttl = await client.pttl(store.keysFor('bounded').tokens);
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(600_000);
    await store.set('forever', tokens({ expiresAt: now + 1_000, refreshToken: 'rt' }));
    expect(await client.pttl(store.keysFor('forever').tokens)).toBe(-1);
    await store.set('no-expiry', tokens());
    expect(await client.pttl(store.keysFor('no-expiry').tokens)).toBe(-1);
  });

  it('does not keep tokens already past their retention, and drops the older entry', async () => {
    const now = Date.now();
    const { client, store } = newStore(prefix(), { now: () => now });
    await store.set('svc', tokens({ expiresAt: now + 60_000 }));
    await store.set('svc', tokens({ expiresAt: now - 1 }));
    expect(await client.exists(store.keysFor('svc').tokens)).toBe(0);
  });

  it('deletes the entry', async () => {
    const { store } = newStore(prefix());
    await store.set('svc', tokens());
    await store.delete('svc');
    expect(await store.get('svc')).toBeUndefined();
  });
});

describe('RedisTokenStore sealed records', () => {
  it('round-trips a sealed record as its JSON with PX until keepUntil, and none without', async () => {
    const now = Date.now();
    const { client, store } = newStore(prefix(), { now: () => now });
    await store.setSealed('svc', { data: 'opaque-1', keepUntil: now + 5_000 });
    expect(await store.getSealed('svc')).toEqual({ data: 'opaque-1', keepUntil: now + 5_000 });
    const names = store.keysFor('svc');
    expect(JSON.parse((await client.get(names.tokens)) ?? '')).toEqual({
      data: 'opaque-1',
      keepUntil: now + 5_000,
    });
    const ttl = await client.pttl(names.tokens);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    await store.setSealed('forever', { data: 'opaque-2' });
    expect(await client.pttl(store.keysFor('forever').tokens)).toBe(-1);
    expect(await store.getSealed('other')).toBeUndefined();
    await store.delete('forever');
    expect(await store.getSealed('forever')).toBeUndefined();
  });

  it('does not keep a record already past its keepUntil, and drops the older entry', async () => {
    const now = Date.now();
    const { client, store } = newStore(prefix(), { now: () => now });
    await store.setSealed('svc', { data: 'opaque', keepUntil: now + 60_000 });
    await store.setSealed('svc', { data: 'opaque', keepUntil: now - 1 });
    expect(await client.exists(store.keysFor('svc').tokens)).toBe(0);
  });

  it('tells tokens and sealed records apart with a typed TokenStoreError', async () => {
    const { store } = newStore(prefix());
    await store.setSealed('sealed', { data: 'opaque' });
    const stored = tokens();
    await store.set('tokens', stored);
    const onGet = await store.get('sealed').catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(onGet)).toBe(true);
    expect(onGet).toMatchObject({ operation: 'get', found: 'sealed' });
    const onGetSealed = await store.getSealed('tokens').catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(onGetSealed)).toBe(true);
    expect(onGetSealed).toMatchObject({ operation: 'get', found: 'tokens' });
    expect(inspect(onGetSealed, { depth: Number.POSITIVE_INFINITY })).not.toContain(
      stored.accessToken,
    );
    await expect(store.setSealed('svc', { data: 1 } as never)).rejects.toThrow(TypeError);
  });

  it('wakes a waiter in another process (connection) when a sealed record lands', async () => {
    const keyPrefix = prefix();
    const { store: waiter } = newStore(keyPrefix);
    const { client, store: writer } = newStore(keyPrefix);
    const woken = waiter.waitForUpdate('svc', { timeoutMs: NEVER_MS });
    await TestClients.subscribed(client, waiter.keysFor('svc').channel);
    await writer.setSealed('svc', { data: 'opaque' });
    await woken;
    expect(await waiter.getSealed('svc')).toEqual({ data: 'opaque' });
  });
});

describe('RedisTokenStore values that are not serialized TokenSets', () => {
  it.each([
    ['plain text', 'garbage-in-redis-value'],
    ['JSON of another shape', JSON.stringify({ access: 'garbage-in-redis-value' })],
  ])('reports %s as a TokenStoreError from get, and a manager replaces it', async (_, value) => {
    const { client, store } = newStore(prefix());
    const key = 'svc';
    await client.set(store.keysFor(key).tokens, value);
    const error = await store.get(key).catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect((error as TokenStoreError).operation).toBe('get');
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain('garbage-in');

    const events: TokenManagerEvent[] = [];
    let fetches = 0;
    const manager = new TokenManager({
      key,
      store,
      onEvent: (event) => events.push(event),
      provider: {
        cacheKey: key,
        fetchToken: async () => {
          fetches += 1;
          return tokens({ expiresAt: Date.now() + 600_000 });
        },
      },
    });
    const served = await manager.getToken();
    expect(fetches).toBe(1);
    expect(served.accessToken).not.toContain('garbage');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'store-error', operation: 'get' }),
    );
    expect((await store.get(key))?.accessToken).toBe(served.accessToken);
    await manager.close();
  });
});

describe('RedisTokenStore lock', () => {
  it('is held by one holder at a time and can be taken again once released', async () => {
    const { store } = newStore(prefix());
    const { store: other } = newStore((store.toJSON() as { keyPrefix: string }).keyPrefix);
    const lock = await store.acquireLock('svc', 30_000);
    expect(lock).toBeDefined();
    expect(await other.acquireLock('svc', 30_000)).toBeUndefined();
    expect(await store.acquireLock('svc', 30_000)).toBeUndefined();
    await lock?.release();
    const next = await other.acquireLock('svc', 30_000);
    expect(next).toBeDefined();
    await next?.release();
  });

  it('sets the lock with a random owner and the TTL as PX', async () => {
    const { client, store } = newStore(prefix());
    const lock = await store.acquireLock('svc', 30_000);
    const lockKey = store.keysFor('svc').lock;
    expect(await client.get(lockKey)).toMatch(/^[0-9a-f]{32}$/);
    const ttl = await client.pttl(lockKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await lock?.release();
    expect(await client.exists(lockKey)).toBe(0);
  });

  it('never frees a lock another holder took over after the TTL lapsed', async () => {
    const { client, store } = newStore(prefix());
    const { store: other } = newStore((store.toJSON() as { keyPrefix: string }).keyPrefix);
    const lockKey = store.keysFor('svc').lock;
    const first = await store.acquireLock('svc', 30_000);
    // The TTL lapses (made to lapse now, rather than waited for).
    await client.del(lockKey);
    const second = await other.acquireLock('svc', 30_000);
    expect(second).toBeDefined();
    const secondOwner = await client.get(lockKey);
    await first?.release();
    expect(await client.get(lockKey)).toBe(secondOwner);
    expect(await store.acquireLock('svc', 30_000)).toBeUndefined();
    await second?.release();
    expect(await client.exists(lockKey)).toBe(0);
  });
});

describe('RedisTokenStore wake-ups', () => {
  it('wakes a waiter in another process (connection) when a token lands', async () => {
    const keyPrefix = prefix();
    const { store: waiter } = newStore(keyPrefix);
    const { client, store: writer } = newStore(keyPrefix);
    const lock = await writer.acquireLock('svc', 30_000);
    const woken = waiter.waitForUpdate('svc', { timeoutMs: NEVER_MS });
    await TestClients.subscribed(client, waiter.keysFor('svc').channel);
    const landed = tokens();
    await writer.set('svc', landed);
    await woken;
    expect((await waiter.get('svc'))?.accessToken).toBe(landed.accessToken);
    await lock?.release();
  });

  it.each(['release', 'delete'] as const)('wakes a waiter on %s', async (change) => {
    const keyPrefix = prefix();
    const { store: waiter } = newStore(keyPrefix);
    const { client, store: writer } = newStore(keyPrefix);
    const lock = await writer.acquireLock('svc', 30_000);
    const woken = waiter.waitForUpdate('svc', { timeoutMs: NEVER_MS });
    await TestClients.subscribed(client, waiter.keysFor('svc').channel);
    if (change === 'release') await lock?.release();
    else await writer.delete('svc');
    await woken;
    await lock?.release();
  });

  it('does not wake waiters of another key', async () => {
    const keyPrefix = prefix();
    const { store: waiter } = newStore(keyPrefix);
    const { client, store: writer } = newStore(keyPrefix);
    let svcWoken = false;
    const svcWait = waiter.waitForUpdate('svc', { timeoutMs: NEVER_MS }).then(() => {
      svcWoken = true;
    });
    const otherWait = waiter.waitForUpdate('other', { timeoutMs: NEVER_MS });
    await TestClients.subscribed(client, waiter.keysFor('svc').channel);
    await TestClients.subscribed(client, waiter.keysFor('other').channel);
    await writer.set('other', tokens());
    await otherWait;
    expect(svcWoken).toBe(false);
    await writer.set('svc', tokens());
    await svcWait;
    expect(svcWoken).toBe(true);
  });

  it('ends a wait when the signal aborts or the timeout passes', async () => {
    const { store } = newStore(prefix());
    const controller = new AbortController();
    const aborted = store.waitForUpdate('svc', { timeoutMs: NEVER_MS, signal: controller.signal });
    controller.abort();
    await aborted;
    await store.waitForUpdate('svc', { timeoutMs: 5 });
  });

  it('rejects waits after close() with a TokenStoreError, and leaves the client open', async () => {
    const { client, store } = newStore(prefix());
    await store.waitForUpdate('svc', { timeoutMs: 1 });
    const pending = store.waitForUpdate('svc', { timeoutMs: NEVER_MS });
    await store.close();
    await pending;
    const error = await store.waitForUpdate('svc', { timeoutMs: 1 }).catch((caught) => caught);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect((error as TokenStoreError).operation).toBe('wait');
    expect(client.status).not.toBe('end');
    await store.set('svc', tokens());
    expect(await store.get('svc')).toBeDefined();
  });
});

describe('RedisTokenStore with encryptedStore', () => {
  it('keeps no token in clear in Redis (redis-cli GET shows a sealed record)', async () => {
    const { store } = newStore(prefix());
    const key = crypto.getRandomValues(new Uint8Array(32));
    const sealed = encryptedStore(store, { key });
    const secret = tokens({ refreshToken: `rt-${randomUUID()}`, expiresAt: Date.now() + 600_000 });
    await sealed.set('svc', secret);
    const { stdout } = await run('redis-cli', [
      '-p',
      String(redis.port),
      '--no-auth-warning',
      '-a',
      REDIS_PASSWORD,
      'GET',
      store.keysFor('svc').tokens,
    ]);
    // A refresh token of unknown lifetime: kept with no deadline, so no keepUntil.
    expect(Object.keys(JSON.parse(stdout))).toEqual(['data']);
    expect(JSON.parse(stdout).data).toMatch(/^v1\./);
    expect(stdout).not.toContain(secret.accessToken);
    expect(stdout).not.toContain(secret.refreshToken);
    expect((await sealed.get('svc'))?.accessToken).toBe(secret.accessToken);
    // Locks and wake-ups pass through the wrapper.
    const lock = await sealed.acquireLock?.('svc', 30_000);
    expect(lock).toBeDefined();
    await lock?.release();
  });

  it('expires the sealed record with the tokens inside (PX from keepUntil)', async () => {
    const now = Date.now();
    const { client, store } = newStore(prefix(), { now: () => now });
    const key = crypto.getRandomValues(new Uint8Array(32));
    await encryptedStore(store, { key }).set('svc', tokens({ expiresAt: now + 5_000 }));
    const ttl = await client.pttl(store.keysFor('svc').tokens);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
    expect((await store.getSealed('svc'))?.keepUntil).toBe(now + 5_000);
  });

  it('fails with a TokenStoreError under the wrong key, on tampered data, and for the inner get', async () => {
    const { store } = newStore(prefix());
    const key = crypto.getRandomValues(new Uint8Array(32));
    const secret = tokens();
    await encryptedStore(store, { key }).set('svc', secret);
    const wrongKey = await encryptedStore(store, { key: new Uint8Array(32) })
      .get('svc')
      .catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(wrongKey)).toBe(true);
    expect((wrongKey as Error).message).toMatch(/wrong key/);
    await expect(store.get('svc')).rejects.toMatchObject({ found: 'sealed' });
    const { data } = (await store.getSealed('svc'))!;
    const flipped = data.at(-2) === 'A' ? 'B' : 'A';
    await store.setSealed('svc', { data: `${data.slice(0, -2)}${flipped}${data.at(-1)}` });
    const tampered = await encryptedStore(store, { key })
      .get('svc')
      .catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(tampered)).toBe(true);
    expect(inspect(tampered, { depth: Number.POSITIVE_INFINITY })).not.toContain(
      secret.accessToken,
    );
  });

  it('wakes a waiter through the wrapper when a sealed token lands', async () => {
    const keyPrefix = prefix();
    const key = crypto.getRandomValues(new Uint8Array(32));
    const { store: waiterStore } = newStore(keyPrefix);
    const { client, store: writerStore } = newStore(keyPrefix);
    const waiter = encryptedStore(waiterStore, { key });
    const woken = waiter.waitForUpdate?.('svc', { timeoutMs: NEVER_MS });
    await TestClients.subscribed(client, waiterStore.keysFor('svc').channel);
    const landed = tokens();
    await encryptedStore(writerStore, { key }).set('svc', landed);
    await woken;
    expect((await waiter.get('svc'))?.accessToken).toBe(landed.accessToken);
  });
});

describe('RedisTokenStore failures', () => {
  it('maps a Redis error to a TokenStoreError without the token the command carried', async () => {
    const { client, store } = newStore(prefix());
    const secret = tokens();
    await client.config('SET', 'maxmemory', '1');
    try {
      const error = await store.set('svc', secret).catch((caught: unknown) => caught);
      expect(TokenStoreError.isInstance(error)).toBe(true);
      expect((error as TokenStoreError).operation).toBe('set');
      expect((error as Error).message).toMatch(/OOM/);
      const shown = inspect(error, { depth: Number.POSITIVE_INFINITY });
      expect(shown).not.toContain(secret.accessToken);
      expect(shown).not.toContain(REDIS_PASSWORD);
    } finally {
      await client.config('SET', 'maxmemory', '0');
    }
  });

  it('fails every call with a TokenStoreError within the operation timeout when Redis is gone', async () => {
    const own = await startRedisServer();
    try {
      const client = clients.connect(own.url);
      await TestClients.ready(client);
      const store = new RedisTokenStore({ redis: client, operationTimeoutMs: 200 });
      stores.push(store);
      const lock = await store.acquireLock('svc', 30_000);
      await own.stop();
      const calls = {
        get: store.get('svc'),
        set: store.set('svc', tokens()),
        delete: store.delete('svc'),
        lock: store.acquireLock('svc', 30_000),
        unlock: lock!.release(),
        wait: store.waitForUpdate('svc', { timeoutMs: NEVER_MS }),
      };
      // Every outcome is caught at once: the calls time out together, and one awaited
      // after another would leave a rejection unhandled for a moment.
      const outcomes = await Promise.all(
        Object.entries(calls).map(([operation, call]) =>
          call.then(
            () => [operation, undefined] as const,
            (caught: unknown) => [operation, caught] as const,
          ),
        ),
      );
      for (const [operation, error] of outcomes) {
        expect(TokenStoreError.isInstance(error), operation).toBe(true);
        expect((error as TokenStoreError).operation).toBe(operation);
        expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain(REDIS_PASSWORD);
      }
    } finally {
      await own.close();
    }
  });

  it('never lets a write or lock it gave up on during an outage land once Redis is back', async () => {
    const own = await startRedisServer();
    try {
      await own.stop();
      // A lazy client would queue its first commands until it connects.
      const client = new Redis(own.url, { lazyConnect: true });
      client.on('error', () => {});
      const store = new RedisTokenStore({ redis: client, operationTimeoutMs: 200 });
      stores.push(store);
      const failed = await Promise.all([
        store.set('svc', tokens()).catch((caught: unknown) => caught),
        store.acquireLock('svc', 30_000).catch((caught: unknown) => caught),
      ]);
      for (const error of failed) expect(TokenStoreError.isInstance(error)).toBe(true);
      await own.start();
      await TestClients.ready(client);
      // One connection runs commands in order: anything left queued would have run by now.
      expect(await client.exists(store.keysFor('svc').tokens, store.keysFor('svc').lock)).toBe(0);
      client.disconnect();
    } finally {
      await own.close();
    }
  });
});
