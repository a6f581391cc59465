import { setTimeout as delay } from 'node:timers/promises';
import { TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { clientCredentials } from '@auth/oauth';
import { RedisTokenStore } from '@auth/store-redis';
import { Redis } from 'ioredis';
import type { CoordinatorMessage, WorkerMessage, WorkerReport, WorkerSetup } from './messages.js';

// One worker of the fleet, run as a forked process: waits for its setup, connects to
// Redis, reports ready, and on `go` makes its API requests through `createAuthFetch`
// with a `TokenManager` over the shared `RedisTokenStore`, then reports and exits.

const send = (message: WorkerMessage) =>
  new Promise<void>((resolve) => process.send!(message, () => resolve()));

const nextMessage = <T extends CoordinatorMessage['type']>(type: T) =>
  new Promise<Extract<CoordinatorMessage, { type: T }>>((resolve) => {
    const onMessage = (message: CoordinatorMessage) => {
      if (message.type !== type) return;
      process.off('message', onMessage);
      resolve(message as Extract<CoordinatorMessage, { type: T }>);
    };
    process.on('message', onMessage);
  });

// The coordinator ends the run; a worker never outlives it.
process.on('disconnect', () => process.exit(1));

const setup = await nextMessage('setup');
const report = await runWorker(setup);
await send(report);
process.disconnect();

async function runWorker(setup: WorkerSetup): Promise<WorkerReport> {
  const redis = new Redis(setup.redisUrl, { maxRetriesPerRequest: 1 });
  const store = new RedisTokenStore({ redis, keyPrefix: setup.keyPrefix });
  const tokenEvents = { fetched: 0, refreshed: 0, adopted: 0, storeErrors: 0 };
  const manager = new TokenManager({
    provider: clientCredentials({
      tokenUrl: setup.tokenUrl,
      clientId: setup.clientId,
      clientSecret: setup.clientSecret,
    }),
    store,
    refreshAheadMs: setup.refreshAheadMs,
    expirySkewMs: setup.expirySkewMs,
    onEvent: (event) => {
      if (event.type === 'token-fetched') tokenEvents.fetched++;
      else if (event.type === 'token-refreshed') tokenEvents.refreshed++;
      else if (event.type === 'token-adopted') tokenEvents.adopted++;
      else if (event.type === 'store-error') tokenEvents.storeErrors++;
    },
  });
  const authFetch = createAuthFetch({ auth: tokenAuth(manager), baseUrl: setup.apiUrl });
  let served = 0;
  let failures = 0;
  const failureSamples: string[] = [];
  const fail = (description: string) => {
    failures++;
    if (failureSamples.length < 5) failureSamples.push(description);
  };
  try {
    await redis.ping();
    await send({ type: 'ready', worker: setup.worker });
    await nextMessage('go');
    const startedAt = Date.now();
    const intervalMs = setup.requests > 1 ? setup.durationMs / (setup.requests - 1) : 0;
    for (let index = 0; index < setup.requests; index++) {
      const waitMs = startedAt + index * intervalMs - Date.now();
      if (waitMs > 0) await delay(waitMs);
      try {
        const response = await authFetch(`/reports/${setup.worker}/${index}`);
        await response.arrayBuffer();
        if (response.ok) served++;
        else fail(`HTTP ${response.status}`);
      } catch (error) {
        fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
  } finally {
    await manager.close();
    await store.close();
    await redis.quit().catch(() => redis.disconnect());
  }
  return { type: 'done', worker: setup.worker, served, failures, failureSamples, tokenEvents };
}
