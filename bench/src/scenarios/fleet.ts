import { fork } from 'node:child_process';
import { startRedisServer } from '@auth/testing/redis';
import { nextMessage } from '../child-message.js';
import { eachContender, failuresCell, type Scenario } from '../scenario.js';
import type { WorkerMessage } from './fleet-worker.js';

/** Settings of {@link fleetScenario}. */
export interface FleetOptions {
  /** Worker processes. */
  workers: number;
  /** Requests each worker starts at once, all workers together. */
  requestsPerWorker: number;
}

/**
 * Fleet: `workers` processes with cold clients start a burst at the same moment, sharing a
 * `RedisTokenStore` where the library has one (the peers keep tokens per process), on a
 * throwaway `redis-server` bound to 127.0.0.1. Goal: one token request for the fleet.
 */
export function fleetScenario({ workers, requestsPerWorker }: FleetOptions): Scenario {
  return {
    id: 'fleet',
    rows: [
      `fleet of ${workers} processes, ${requestsPerWorker} requests each at once: token requests (goal 1)`,
    ],
    async run(contenders, log) {
      const redis = await startRedisServer();
      try {
        return await eachContender(
          contenders,
          1,
          { lifetimeSeconds: 3600 },
          60_000,
          log,
          async (_client, lab, { id }) => {
            const setup = JSON.stringify({ ...lab.setup, redisUrl: redis.url });
            const children = Array.from({ length: workers }, () =>
              fork(new URL('./fleet-worker.js', import.meta.url), [
                id,
                setup,
                String(requestsPerWorker),
              ]),
            );
            try {
              await Promise.all(children.map((child) => nextMessage<WorkerMessage>(child)));
              const done = children.map((child) => nextMessage<WorkerMessage>(child));
              for (const child of children) child.send('go');
              const reports = await Promise.all(done);
              const failures = reports.reduce(
                (sum, report) => sum + (report.type === 'done' ? report.failures : 0),
                0,
              );
              const first = reports.find((report) => report.type === 'done' && report.firstFailure);
              const failed = failuresCell(
                failures,
                first?.type === 'done' ? first.firstFailure : undefined,
                `${id} fleet`,
                log,
              );
              return [
                failures > 0
                  ? `${lab.tokens.requestCount} (${failed} failed)`
                  : String(lab.tokens.requestCount),
              ];
            } finally {
              for (const child of children) child.kill();
            }
          },
        );
      } finally {
        await redis.close();
      }
    },
  };
}
