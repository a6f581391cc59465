import { inspect } from 'node:util';
import { TokenManager, type TokenManagerEvent, TokenStoreError } from '@auth/core';
import { startTokenServer, type TokenServer, testClientProvider } from '@auth/testing/http';
import { startRedisServer, type TestRedis } from '@auth/testing/redis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '../../src/index.js';
import { TestClients } from './clients.js';
import { EventLog } from './event-log.js';

// Lifetime 1 h, skew 30 s, refresh ahead 10 min: 3300 s after issue is inside every
// manager's refresh window and well before the token stops being served.
const LIFETIME_S = 3600;
const INTO_REFRESH_WINDOW_MS = 3300_000;

/** One app process: its own connection, store and manager, and the events it reported. */
interface App {
  client: Redis;
  store: RedisTokenStore;
  manager: TokenManager;
  log: EventLog<TokenManagerEvent>;
}

let redis: TestRedis;
let tokenServer: TokenServer;
const clients = new TestClients();
let offsetMs = 0;
const now = () => Date.now() + offsetMs;
let apps: App[];

beforeAll(async () => {
  // Its own server, never REDIS_URL: this test kills and restarts Redis.
  redis = await startRedisServer();
  tokenServer = await startTokenServer({ lifetimeSeconds: LIFETIME_S, issueRefreshTokens: false });
  apps = [0, 1].map(() => {
    const client = clients.connect(redis.url);
    const store = new RedisTokenStore({ redis: client, operationTimeoutMs: 500, now });
    const log = new EventLog<TokenManagerEvent>();
    const manager = new TokenManager({
      provider: testClientProvider(tokenServer.tokenUrl, { now }),
      store,
      now,
      refreshAheadMs: 600_000,
      onEvent: log.push,
    });
    return { client, store, manager, log };
  });
  await Promise.all(apps.map((app) => TestClients.ready(app.client)));
});

afterAll(async () => {
  for (const app of apps ?? []) {
    await app.manager.close();
    await app.store.close();
  }
  clients.disconnectAll();
  await tokenServer?.close();
  await redis?.close();
});

/** Resolves once `app` reports a background token event after its `from`-th event. */
function backgroundTokenEvent(app: App, from: number): Promise<TokenManagerEvent> {
  return app.log.next(
    (event) => event.type.startsWith('token-') && 'background' in event && event.background,
    from,
  );
}

describe('managers sharing a RedisTokenStore when Redis goes down and comes back', () => {
  let firstToken: string;
  let subscribersBefore: number;

  it('share one token while Redis is up', async () => {
    const served = await Promise.all(apps.map((app) => app.manager.getToken()));
    expect(tokenServer.requestCount).toBe(1);
    expect(served[1]!.accessToken).toBe(served[0]!.accessToken);
    firstToken = served[0]!.accessToken;
    const channel = apps[0]!.store.keysFor(apps[0]!.manager.key).channel;
    const [, count] = (await apps[0]!.client.pubsub('NUMSUB', channel)) as [string, number];
    subscribersBefore = count;
  });

  it('keep serving their valid token from memory while Redis is killed', async () => {
    await redis.stop();
    await Promise.all(apps.map((app) => TestClients.disconnected(app.client)));
    for (const app of apps) expect((await app.manager.getToken()).accessToken).toBe(firstToken);
    expect(tokenServer.requestCount).toBe(1);
  });

  it('renew in the background without Redis, report store-error, and never fail a caller', async () => {
    const marks = apps.map((app) => app.log.events.length);
    offsetMs += INTO_REFRESH_WINDOW_MS;
    // Inside the refresh window the current token is served at once.
    for (const app of apps) expect((await app.manager.getToken()).accessToken).toBe(firstToken);
    await Promise.all(apps.map((app, index) => backgroundTokenEvent(app, marks[index]!)));
    // Without the shared lock each process renews on its own.
    expect(tokenServer.requestCount).toBe(3);
    for (const [index, app] of apps.entries()) {
      const errors = app.log.events
        .slice(marks[index])
        .filter((event) => event.type === 'store-error');
      expect(errors.map((event) => event.operation)).toEqual(
        expect.arrayContaining(['get', 'lock', 'set']),
      );
      for (const event of errors) {
        expect(TokenStoreError.isInstance(event.error)).toBe(true);
        expect((event.error as TokenStoreError).operation).toBe(event.operation);
      }
      const renewed = await app.manager.getToken();
      expect(renewed.accessToken).not.toBe(firstToken);
      expect(inspect(app.log.events, { depth: Number.POSITIVE_INFINITY })).not.toContain(
        renewed.accessToken,
      );
    }
  });

  it('recover when Redis restarts on the same port, without restarting the app', async () => {
    await redis.start();
    await Promise.all(apps.map((app) => TestClients.ready(app.client)));
    const channel = apps[0]!.store.keysFor(apps[0]!.manager.key).channel;
    await TestClients.subscribed(apps[0]!.client, channel, subscribersBefore);
    const marks = apps.map((app) => app.log.events.length);
    const before = tokenServer.requestCount;
    offsetMs += INTO_REFRESH_WINDOW_MS;
    await Promise.all(apps.map((app) => app.manager.getToken()));
    await Promise.all(apps.map((app, index) => backgroundTokenEvent(app, marks[index]!)));
    // Shared again: one request for both, and the token is back in Redis.
    expect(tokenServer.requestCount - before).toBe(1);
    const [a, b] = await Promise.all(apps.map((app) => app.manager.getToken()));
    expect(b!.accessToken).toBe(a!.accessToken);
    expect((await apps[0]!.store.get(apps[0]!.manager.key))?.accessToken).toBe(a!.accessToken);
    for (const [index, app] of apps.entries()) {
      expect(
        app.log.events.slice(marks[index]).filter((event) => event.type === 'store-error'),
      ).toEqual([]);
    }
  });
});
