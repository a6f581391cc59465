import { randomUUID } from 'node:crypto';
import { startTokenServer, type TokenServer } from '@auth/testing/http';
import { startRedisCluster, type TestRedisCluster } from '@auth/testing/redis';
import { afterAll, beforeAll } from 'vitest';
import { Fleet } from './fleet.js';
import { describeFleetContract } from './fleet-contract.js';

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

describeFleetContract({
  setup: 'on a 3-master Redis Cluster',
  fleet: () => fleet,
  tokenServer: () => tokenServer,
  workers: WORKERS,
  callsEach: CALLS_EACH,
  lifetimeMs: LIFETIME_S * 1000,
  unexpectedStoreErrors: storeErrors,
  report,
});
