import { randomUUID } from 'node:crypto';
import { startTokenServer, type TokenServer } from '@auth/testing/http';
import { startRedisCluster, type TestRedisCluster } from '@auth/testing/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fleet } from './fleet.js';

// As fleet.test.ts, on a 3-master Redis Cluster: each worker has its own ioredis `Cluster`
// client. The workers' clocks are moved forward instead of waiting for a real expiry.
const LIFETIME_S = 3600;
const REFRESH_AHEAD_MS = 600_000;
const WORKERS = 4;
const CALLS_EACH = 50;

let cluster: TestRedisCluster;
let tokenServer: TokenServer;
let fleet: Fleet;

beforeAll(async () => {
  // Three masters on loopback; fails with redis-cli's output if the cluster cannot form.
  cluster = await startRedisCluster({ masters: 3 });
  tokenServer = await startTokenServer({ lifetimeSeconds: LIFETIME_S, issueRefreshTokens: false });
  fleet = await Fleet.start({
    size: WORKERS,
    clusterNodes: cluster.nodes,
    tokenUrl: tokenServer.tokenUrl,
    keyPrefix: `cluster-fleet-${randomUUID()}:`,
    refreshAheadMs: REFRESH_AHEAD_MS,
  });
});

afterAll(async () => {
  await fleet?.stop();
  await tokenServer?.close();
  await cluster?.close();
});

/** Every worker served one and the same token to all of its callers. */
function expectOneTokenFleetWide(fingerprints: string[][]): string {
  for (const served of fingerprints) expect(served).toHaveLength(1);
  const distinct = new Set(fingerprints.flat());
  expect(distinct.size).toBe(1);
  return [...distinct][0]!;
}

/** Prints how long the slowest caller of each worker took (measured, not asserted). */
function report(phase: string, bursts: { durationsMs: number[] }[]): void {
  const slowest = bursts.map((burst) => Math.round(Math.max(...burst.durationsMs)));
  console.info(`Cluster fleet, ${phase}: slowest caller per worker ${slowest.join(', ')} ms`);
}

function storeErrors(): { operation?: string; errorName?: string }[] {
  return fleet.workers.flatMap((worker) =>
    worker.log.events.filter((event) => event.type === 'store-error'),
  );
}

describe(`a fleet of ${WORKERS} processes sharing one RedisTokenStore on a 3-master Redis Cluster`, () => {
  let firstToken: string;

  it(`makes exactly 1 token request when all start cold at once with ${CALLS_EACH} concurrent callers each`, async () => {
    const bursts = await fleet.timedBurst(CALLS_EACH);
    report('cold start', bursts);
    const served = bursts.map((burst) => burst.fingerprints);
    expect(tokenServer.requestCount).toBe(1);
    firstToken = expectOneTokenFleetWide(served);
    expect(storeErrors()).toEqual([]);
    const fetched = fleet.workers.flatMap((worker) =>
      worker.log.events.filter((event) => event.type === 'token-fetched'),
    );
    expect(fetched).toHaveLength(1);
  });

  it('makes exactly 1 token request again once that token has expired', async () => {
    await fleet.advance(LIFETIME_S * 1000 + 60_000);
    const bursts = await fleet.timedBurst(CALLS_EACH);
    report('after expiry', bursts);
    const served = bursts.map((burst) => burst.fingerprints);
    expect(tokenServer.requestCount).toBe(2);
    expect(expectOneTokenFleetWide(served)).not.toBe(firstToken);
    expect(storeErrors()).toEqual([]);
  });

  it('closes every store and Cluster client cleanly (each worker exits with code 0)', async () => {
    const exits = await fleet.stop();
    expect(exits.map(({ exit }) => exit)).toEqual(Array(WORKERS).fill(0));
  });
});
