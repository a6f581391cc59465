import { setTimeout as sleep } from 'node:timers/promises';
import { eachContender, failuresCell, type Scenario } from '../scenario.js';
import { burst } from '../traffic.js';

/** Settings of {@link burstScenario}. */
export interface BurstOptions {
  /** Requests started at once in each burst. */
  count: number;
  /** Lifetime of the tokens, in seconds: the wait between the two bursts. */
  tokenLifetimeSeconds: number;
}

/**
 * Cold burst and expiry burst: `count` concurrent requests on a client that has no token
 * yet, then the same once every token issued so far has expired. Goal: one token request
 * each, no failures.
 */
export function burstScenario({ count, tokenLifetimeSeconds }: BurstOptions): Scenario {
  return {
    id: 'bursts',
    rows: [
      `cold burst of ${count}: token requests (goal 1)`,
      `cold burst of ${count}: failures (goal 0)`,
      `expiry burst of ${count}: token requests (goal 1)`,
      `expiry burst of ${count}: failures (goal 0)`,
    ],
    run: (contenders, log) =>
      eachContender(
        contenders,
        4,
        { lifetimeSeconds: tokenLifetimeSeconds },
        120_000,
        log,
        async (client, { tokens }, { id }) => {
          const cold = await burst(client, '/items', count);
          const coldRequests = tokens.requestCount;
          await sleep(tokenLifetimeSeconds * 1000 + 250);
          tokens.resetCount();
          const expired = await burst(client, '/items', count);
          return [
            String(coldRequests),
            failuresCell(cold.failures, cold.firstFailure, `${id} cold burst`, log),
            String(tokens.requestCount),
            failuresCell(expired.failures, expired.firstFailure, `${id} expiry burst`, log),
          ];
        },
      ),
  };
}
