import { randomUUID } from 'node:crypto';
import { startTokenServer, type TokenServer } from '@auth/testing/http';
import { startRedis, type TestRedis } from '@auth/testing/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from './fleet.js';
import { expectOneTokenFleetWide } from './fleet-contract.js';

// Token timing, on the workers' controlled clock: lifetime 1 h, expiry skew 30 s (the
// manager's default) → usable until issue + 3570 s; refresh ahead 10 min → each worker's
// background refresh point is drawn from [issue + 2970 s, issue + 3270 s].
const LIFETIME_S = 3600;
const REFRESH_AHEAD_MS = 600_000;
/** From an issue time to a point inside every worker's refresh window, before expiry. */
const INTO_REFRESH_WINDOW_MS = 3300_000;
const WORKERS = 8;
const CALLS_EACH = 50;

let redis: TestRedis;
let tokenServer: TokenServer;
let fleet: Fleet;

beforeAll(async () => {
  redis = await startRedis();
  tokenServer = await startTokenServer({ lifetimeSeconds: LIFETIME_S, issueRefreshTokens: false });
  fleet = await Fleet.start({
    size: WORKERS,
    redisUrl: redis.url,
    tokenUrl: tokenServer.tokenUrl,
    keyPrefix: `fleet-${randomUUID()}:`,
    refreshAheadMs: REFRESH_AHEAD_MS,
  });
});

afterAll(async () => {
  await fleet?.stop();
  await tokenServer?.close();
  await redis?.close();
});

describe(`a fleet of ${WORKERS} processes sharing one RedisTokenStore`, () => {
  let firstToken: string;

  it(`makes exactly 1 token request when all start cold at once with ${CALLS_EACH} concurrent callers each`, async () => {
    const served = await fleet.burst(CALLS_EACH);
    expect(tokenServer.requestCount).toBe(1);
    firstToken = expectOneTokenFleetWide(served);
    for (const worker of fleet.workers) {
      expect(worker.log.events.filter((event) => event.type === 'store-error')).toEqual([]);
    }
    const fetched = fleet.workers.flatMap((worker) =>
      worker.log.events.filter((event) => event.type === 'token-fetched'),
    );
    expect(fetched).toHaveLength(1);
  });

  it('makes exactly 1 token request again once that token has expired', async () => {
    await fleet.advance(LIFETIME_S * 1000 + 60_000);
    const served = await fleet.burst(CALLS_EACH);
    expect(tokenServer.requestCount).toBe(2);
    expect(expectOneTokenFleetWide(served)).not.toBe(firstToken);
  });

  it('refreshes ahead in steady state with exactly 1 token request per token lifetime, no caller waiting', async () => {
    for (let lifetime = 1; lifetime <= 3; lifetime++) {
      const before = tokenServer.requestCount;
      const marks = fleet.workers.map((worker) => worker.log.events.length);
      await fleet.advance(INTO_REFRESH_WINDOW_MS);
      // Served at once from memory: the current token, while refreshes start in the background.
      const current = expectOneTokenFleetWide(await fleet.burst(CALLS_EACH));
      await Promise.all(
        fleet.workers.map((worker, index) =>
          worker.log.next(
            (event) => event.background === true && event.type.startsWith('token-'),
            marks[index],
          ),
        ),
      );
      expect(tokenServer.requestCount - before).toBe(1);
      const renewed = expectOneTokenFleetWide(await fleet.burst(CALLS_EACH));
      expect(renewed).not.toBe(current);
      expect(tokenServer.requestCount - before).toBe(1);
    }
    for (const worker of fleet.workers) {
      expect(worker.log.events.filter((event) => event.type === 'store-error')).toEqual([]);
      expect(worker.log.events.filter((event) => event.type === 'refresh-failed')).toEqual([]);
    }
  });
});
