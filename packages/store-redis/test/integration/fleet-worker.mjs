// One process of the fleet: its own ioredis connection, RedisTokenStore and TokenManager,
// driven by the parent over IPC. Its clock is Date.now() plus an offset the parent moves
// ('advance'), so token lifetimes can be an hour while the test takes seconds. It talks to
// one Redis (`redisUrl`), a Redis Cluster (`clusterNodes`) or a proxy (`proxyOptions`:
// ioredis options for a plain client to it).
import { TokenManager } from '@auth/core';
import { testClientProvider } from '@auth/testing/http';
import { Cluster, Redis } from 'ioredis';
import { RedisTokenStore } from '../../dist/index.js';

const { redisUrl, clusterNodes, proxyOptions, tokenUrl, keyPrefix, refreshAheadMs } = JSON.parse(
  process.argv[2],
);
let offsetMs = 0;
const now = () => Date.now() + offsetMs;

const provider = testClientProvider(tokenUrl, {
  now,
  cacheKey: 'fleet:client_credentials:test-client',
});

const redis = clusterNodes
  ? new Cluster(clusterNodes)
  : proxyOptions
    ? new Redis(proxyOptions)
    : new Redis(redisUrl);
redis.on('error', () => {});
const store = new RedisTokenStore({ redis, keyPrefix, now });
const manager = new TokenManager({
  provider,
  store,
  now,
  refreshAheadMs,
  onEvent(event) {
    process.send({
      type: 'event',
      event: {
        type: event.type,
        background: event.background,
        fingerprint: event.fingerprint,
        operation: event.operation,
        errorName: event.error?.name,
        errorMessage: event.error?.message,
      },
    });
  },
});

const handlers = {
  async advance({ ms }) {
    offsetMs += ms;
    return { type: 'advanced' };
  },
  async burst({ calls }) {
    const started = performance.now();
    const durationsMs = [];
    const tokens = await Promise.all(
      Array.from({ length: calls }, () =>
        manager.getToken().then((token) => {
          durationsMs.push(performance.now() - started);
          return token;
        }),
      ),
    );
    return {
      type: 'burst-done',
      fingerprints: [...new Set(tokens.map((t) => t.fingerprint))],
      durationsMs,
    };
  },
  async exit() {
    await manager.close();
    await store.close();
    // twemproxy closes the connection on QUIT without answering, so quit() would reject.
    if (proxyOptions) redis.disconnect();
    else await redis.quit();
    process.disconnect();
    return undefined;
  },
};

process.on('message', (message) => {
  handlers[message.type](message).then(
    (reply) => reply && process.send(reply),
    (error) => process.send({ type: 'failed', message: String(error?.message ?? error) }),
  );
});

if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
await redis.ping();
process.send({ type: 'ready' });
