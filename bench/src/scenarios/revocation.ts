import { eachContender, failuresCell, type Scenario } from '../scenario.js';
import { pooled } from '../traffic.js';

/** Settings of {@link revocationScenario}. */
export interface RevocationOptions {
  /** Requests after the revocation. */
  count: number;
  /** Of them in flight at a time. */
  concurrency: number;
}

/**
 * Revocation: the server revokes the client's current (long-lived) token, so the API
 * answers 401 to it; then `count` requests, `concurrency` at a time. Goal: no failure
 * reaches the caller, and one token request.
 */
export function revocationScenario({ count, concurrency }: RevocationOptions): Scenario {
  return {
    id: 'revocation',
    rows: [
      `revocation, then ${count} requests ${concurrency} at a time: failures (goal 0) / token requests (goal 1)`,
    ],
    run: (contenders, log) =>
      eachContender(
        contenders,
        1,
        { lifetimeSeconds: 3600 },
        60_000,
        log,
        async (client, lab, { id }) => {
          await client.get('/items');
          lab.revokeCurrentToken();
          lab.tokens.resetCount();
          const traffic = await pooled(client, '/items', count, concurrency);
          const failed = failuresCell(
            traffic.failures,
            traffic.firstFailure,
            `${id} revocation`,
            log,
          );
          return [`${failed} / ${lab.tokens.requestCount}`];
        },
      ),
  };
}
