import { type ChildProcess, fork } from 'node:child_process';
import { startRedisServer } from '@auth/testing/redis';
import { Redis } from 'ioredis';
import { nextMessage } from '../child-message.js';
import { thisProject } from '../contenders/this-project.js';
import {
  callsBetween,
  describeCalls,
  meanMemoryUsage,
  readRedisStats,
  totalCalls,
} from '../redis-stats.js';
import { eachContender, failuresCell, type Scenario } from '../scenario.js';
import type {
  TenantWorkerCommand,
  TenantWorkerMessage,
  TenantWorkerSetup,
} from './tenant-fleet-worker.js';
import { tenantClients } from './tenants.js';

/** Settings of {@link tenantFleetScenario}. */
export interface TenantFleetOptions {
  /** Worker processes. */
  workers: number;
  /** Tenant keys per process (the same keys in every process). */
  keys: number;
  /** Lifetime of the tokens, in seconds; the steady phase lasts two of them. */
  tokenLifetimeSeconds: number;
  /** Every key is asked for its token once every this many ms. */
  pollMs: number;
}

/** Which message a phase ends with. */
type Report<T extends TenantWorkerMessage['type']> = Extract<TenantWorkerMessage, { type: T }>;

/**
 * Multi-tenant fleet: `workers` processes, each with a `TokenManager` per tenant key
 * (`keys` client-credentials clients of the lab's token server) over one
 * `RedisTokenStore` on a shared throwaway `redis-server`. Cold, every process asks for
 * every key's token at once; then every key is polled every `pollMs` for two token
 * lifetimes. Goals: one token request per key for the cold start and per lifetime, and
 * no call after the cold start without a token at hand. Also reported: Redis commands per
 * key per process per lifetime (`INFO commandstats`) and Redis memory per key.
 *
 * The expiry skew and refresh-ahead window are a tenth and a fifth of the lifetime (2 s
 * and 4 s for 20 s tokens), so a token is renewed once per lifetime, as the defaults
 * (30 s and 60 s) renew hour-long tokens; with the defaults, short tokens renew
 * several times per lifetime. This project only: the peers have no shared store.
 */
export function tenantFleetScenario(options: TenantFleetOptions): Scenario {
  const { workers, keys, tokenLifetimeSeconds, pollMs } = options;
  const lifetimeMs = tokenLifetimeSeconds * 1000;
  const rows = [
    `multi-tenant fleet, ${workers} processes × ${keys.toLocaleString('en-US')} keys on one Redis, ${tokenLifetimeSeconds} s tokens: token requests cold / 1st lifetime / 2nd lifetime (goal ${keys} each)`,
    `multi-tenant fleet: calls after the cold start that found no token at hand and waited (goal 0)`,
    `multi-tenant fleet: Redis commands per key per process per lifetime (cold start)`,
    `multi-tenant fleet: Redis memory per key: used_memory growth (tokens entry)`,
  ];
  return {
    id: 'tenant-fleet',
    rows,
    async run(contenders, log) {
      if (!contenders.some((contender) => contender.id === thisProject.id)) return new Map();
      const redis = await startRedisServer();
      const admin = new Redis(redis.url);
      try {
        const results = await eachContender(
          [thisProject],
          rows.length,
          { lifetimeSeconds: tokenLifetimeSeconds, clients: tenantClients(keys) },
          2 * lifetimeMs + 300_000,
          log,
          async (_client, lab) => {
            const setup: TenantWorkerSetup = {
              tokenUrl: lab.tokens.tokenUrl,
              redisUrl: redis.url,
              keys,
              expirySkewMs: lifetimeMs / 10,
              refreshAheadMs: lifetimeMs / 5,
              pollMs,
              steadyMs: 2 * lifetimeMs,
            };
            const children = Array.from({ length: workers }, () =>
              fork(new URL('./tenant-fleet-worker.js', import.meta.url), [JSON.stringify(setup)]),
            );
            try {
              await Promise.all(children.map((child) => nextMessage<TenantWorkerMessage>(child)));
              const atStart = await readRedisStats(admin);

              lab.tokens.resetCount();
              const coldStarted = performance.now();
              const cold = await phase<Report<'cold-done'>>(children, 'cold');
              const coldRequests = lab.tokens.requestCount;
              const coldSeconds = ((performance.now() - coldStarted) / 1000).toFixed(1);
              const afterCold = await readRedisStats(admin);
              const tokensEntry = await meanMemoryUsage(admin, 'auth:*:tokens', 50);

              lab.tokens.resetCount();
              let firstLifetime = Number.NaN;
              const lifetimeMark = setTimeout(() => {
                firstLifetime = lab.tokens.requestCount;
              }, lifetimeMs);
              const steady = await phase<Report<'steady-done'>>(children, 'steady');
              clearTimeout(lifetimeMark);
              const secondLifetime = lab.tokens.requestCount - firstLifetime;
              const afterSteady = await readRedisStats(admin);
              await phase<Report<'closed'>>(children, 'close');

              const coldCalls = callsBetween(atStart.calls, afterCold.calls);
              const steadyCalls = callsBetween(afterCold.calls, afterSteady.calls);
              log(
                `auth tenant fleet, cold start (${coldSeconds} s): Redis ${describeCalls(coldCalls)}; managers: ${describeTrouble(cold)}`,
              );
              log(
                `auth tenant fleet, two lifetimes: Redis ${describeCalls(steadyCalls)}; managers: ${describeTrouble(steady)}`,
              );
              const perKeyAndProcess = (calls: number, lifetimes: number) =>
                (calls / (keys * workers * lifetimes)).toFixed(2);
              const failures = [...cold, ...steady].reduce(
                (sum, report) => sum + report.failures,
                0,
              );
              const firstFailure = [...cold, ...steady].find((report) => report.firstFailure);
              const failed = failuresCell(
                failures,
                firstFailure?.firstFailure,
                'auth tenant fleet',
                log,
              );
              const calls = steady.reduce((sum, report) => sum + report.calls, 0);
              const waited = steady.reduce((sum, report) => sum + report.waited, 0);
              const bytes = (value: number) => `${Math.round(value).toLocaleString('en-US')} B`;
              return [
                `${coldRequests} / ${firstLifetime} / ${secondLifetime}`,
                `${waited} of ${calls.toLocaleString('en-US')}${failures > 0 ? ` (${failed} failed)` : ''}`,
                `${perKeyAndProcess(totalCalls(steadyCalls), 2)} (${perKeyAndProcess(totalCalls(coldCalls), 1)})`,
                `${bytes((afterCold.usedMemory - atStart.usedMemory) / keys)} (${tokensEntry === undefined ? 'none' : bytes(tokensEntry)})`,
              ];
            } finally {
              await Promise.all(children.map(stop));
            }
          },
        );
        return results;
      } finally {
        admin.disconnect();
        await redis.close();
      }
    },
  };
}

/** The store trouble the workers' managers reported in a phase, summed over the workers. */
function describeTrouble(reports: readonly { storeTrouble: Record<string, number> }[]): string {
  const sums = new Map<string, number>();
  for (const { storeTrouble } of reports)
    for (const [what, count] of Object.entries(storeTrouble))
      sums.set(what, (sums.get(what) ?? 0) + count);
  return sums.size === 0 ? 'no store errors' : describeCalls(sums);
}

/** Kills a worker (if it has not exited) and waits for it to be gone, before Redis stops. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}

/** Sends `command` to every worker and waits for all their reports. */
function phase<T extends TenantWorkerMessage>(
  children: readonly ChildProcess[],
  command: TenantWorkerCommand,
): Promise<T[]> {
  const reports = children.map((child) => nextMessage<T>(child));
  for (const child of children) child.send(command);
  return Promise.all(reports);
}
