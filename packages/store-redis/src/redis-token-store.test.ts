import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisTokenStore } from './redis-token-store.js';

// Clients with lazyConnect never open a connection unless a command is sent.
const clients: Redis[] = [];
function lazyClient(options: { password?: string } = {}): Redis {
  const client = new Redis({ lazyConnect: true, port: 1, ...options });
  clients.push(client);
  return client;
}

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

describe('RedisTokenStore construction', () => {
  it.each([
    ['no options', undefined],
    ['no client', {}],
    ['something that is not an ioredis client', { redis: { get() {} } }],
  ])('rejects %s with a TypeError', (_, options) => {
    expect(() => new RedisTokenStore(options as never)).toThrow(TypeError);
  });

  it('rejects a keyPrefix that is not a string', () => {
    expect(() => new RedisTokenStore({ redis: lazyClient(), keyPrefix: 1 as never })).toThrow(
      /keyPrefix/,
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects operationTimeoutMs %s with a TypeError',
    (operationTimeoutMs) => {
      expect(() => new RedisTokenStore({ redis: lazyClient(), operationTimeoutMs })).toThrow(
        /operationTimeoutMs/,
      );
    },
  );
});

describe('RedisTokenStore key layout', () => {
  it('uses the prefix auth: by default and the given one otherwise', () => {
    expect(new RedisTokenStore({ redis: lazyClient() }).keysFor('svc')).toEqual({
      tokens: 'auth:{svc}:tokens',
      lock: 'auth:{svc}:lock',
      channel: 'auth:{svc}:updates',
    });
    expect(
      new RedisTokenStore({ redis: lazyClient(), keyPrefix: 'billing:' }).keysFor('svc').tokens,
    ).toBe('billing:{svc}:tokens');
  });
});

describe('RedisTokenStore argument checks', () => {
  it('refuses an empty key (an empty hash tag would scatter the keys over Cluster slots)', async () => {
    const store = new RedisTokenStore({ redis: lazyClient() });
    expect(() => store.keysFor('')).toThrow(TypeError);
    await expect(store.get('')).rejects.toThrow(TypeError);
  });

  it('refuses a lock TTL that is not a positive number', async () => {
    const store = new RedisTokenStore({ redis: lazyClient() });
    for (const ttlMs of [Number.NaN, 0, -5])
      await expect(store.acquireLock('svc', ttlMs)).rejects.toThrow(TypeError);
  });
});

describe('RedisTokenStore redaction', () => {
  it('shows its settings but not the client (whose options may hold a password)', () => {
    const store = new RedisTokenStore({
      redis: lazyClient({ password: 'redis-password-123' }),
      keyPrefix: 'app:',
    });
    const shown = [
      inspect(store, { depth: Number.POSITIVE_INFINITY }),
      String(store),
      JSON.stringify(store),
    ];
    for (const text of shown) {
      expect(text).toContain('app:');
      expect(text).not.toContain('redis-password-123');
    }
    expect(JSON.parse(JSON.stringify(store))).toEqual({
      type: 'redis',
      keyPrefix: 'app:',
      operationTimeoutMs: 1000,
      status: 'wait',
    });
  });
});
