import { randomUUID } from 'node:crypto';
import { TokenManager, TokenSet } from '@auth/core';
import { startTokenServer, type TokenServer, testClientProvider } from '@auth/testing/http';
import { startRedisCluster, type TestRedisCluster } from '@auth/testing/redis';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '../../src/index.js';

let cluster: TestRedisCluster;
let tokenServer: TokenServer;
const clients: Cluster[] = [];
const stores: RedisTokenStore[] = [];

beforeAll(async () => {
  // Three masters on loopback; fails with redis-cli's output if the cluster cannot form.
  cluster = await startRedisCluster({ masters: 3 });
  tokenServer = await startTokenServer({ lifetimeSeconds: 3600, issueRefreshTokens: false });
});

afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  for (const client of clients) client.disconnect();
  await tokenServer?.close();
  await cluster?.close();
});

async function connect(): Promise<Cluster> {
  const client = new Cluster([...cluster.nodes]);
  client.on('error', () => {});
  clients.push(client);
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

async function newStore(keyPrefix: string): Promise<{ client: Cluster; store: RedisTokenStore }> {
  const client = await connect();
  const store = new RedisTokenStore({ redis: client, keyPrefix });
  stores.push(store);
  return { client, store };
}

/** Subscribers of `channel` over every master (a Cluster subscription lives on one node). */
async function subscribers(client: Cluster, channel: string): Promise<number> {
  const counts = await Promise.all(
    client.nodes('master').map(async (node) => {
      const [, count] = (await node.pubsub('NUMSUB', channel)) as [string, number];
      return count;
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

async function untilSubscribed(client: Cluster, channel: string): Promise<void> {
  for (let attempt = 0; attempt < 1_000; attempt++) {
    if ((await subscribers(client, channel)) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`nothing subscribed to ${channel} within 10 s`);
}

const KEYS = Array.from({ length: 24 }, (_, index) => `svc-${index}:{odd}%key`);

describe('RedisTokenStore on a 3-master Redis Cluster', () => {
  it('puts the tokens key, the lock key and the channel of each token on one slot (CLUSTER KEYSLOT)', async () => {
    const { client, store } = await newStore('auth:');
    const slotsUsed = new Set<number>();
    for (const key of KEYS) {
      const names = store.keysFor(key);
      const [tokens, lock, channel] = await Promise.all(
        [names.tokens, names.lock, names.channel].map(
          (name) => client.cluster('KEYSLOT', name) as Promise<number>,
        ),
      );
      expect(lock).toBe(tokens);
      expect(channel).toBe(tokens);
      slotsUsed.add(tokens!);
    }
    expect(slotsUsed.size).toBeGreaterThan(1);
  });

  it('stores, reads, deletes and locks tokens whose keys live on different nodes', async () => {
    const { store } = await newStore(`c-${randomUUID()}:`);
    for (const key of KEYS) {
      const tokens = new TokenSet({
        accessToken: `at-${randomUUID()}`,
        expiresAt: Date.now() + 60_000,
      });
      await store.set(key, tokens);
      expect((await store.get(key))?.accessToken).toBe(tokens.accessToken);
      const lock = await store.acquireLock(key, 30_000);
      expect(lock).toBeDefined();
      expect(await store.acquireLock(key, 30_000)).toBeUndefined();
      await lock?.release();
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
    }
  });

  it('wakes a waiter on another Cluster client when a token lands', async () => {
    const keyPrefix = `c-${randomUUID()}:`;
    const { store: waiter } = await newStore(keyPrefix);
    const { client, store: writer } = await newStore(keyPrefix);
    const woken = waiter.waitForUpdate('svc', { timeoutMs: 120_000 });
    await untilSubscribed(client, waiter.keysFor('svc').channel);
    await writer.set('svc', new TokenSet({ accessToken: 'at-cluster' }));
    await woken;
    expect((await waiter.get('svc'))?.accessToken).toBe('at-cluster');
  });

  it('gives two managers on two Cluster clients one token with one request', async () => {
    const keyPrefix = `c-${randomUUID()}:`;
    const managers = await Promise.all(
      [0, 1].map(async () => {
        const { store } = await newStore(keyPrefix);
        return new TokenManager({
          provider: testClientProvider(tokenServer.tokenUrl),
          store,
        });
      }),
    );
    const before = tokenServer.requestCount;
    const served = await Promise.all(
      managers.flatMap((manager) => Array.from({ length: 20 }, () => manager.getToken())),
    );
    expect(new Set(served.map((tokens) => tokens.accessToken)).size).toBe(1);
    expect(tokenServer.requestCount - before).toBe(1);
    await Promise.all(managers.map((manager) => manager.close()));
  });
});
