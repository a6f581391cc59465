import { eachContender, failuresCell, type Scenario } from '../scenario.js';
import { steady } from '../traffic.js';

/** Settings of {@link outageScenario}. */
export interface OutageOptions {
  /** How long the token endpoint fails (503), in ms. */
  outageMs: number;
  /** Lifetime of the tokens, in seconds. */
  tokenLifetimeSeconds: number;
  /** One request every this many ms, for one token lifetime and 2 s more. */
  intervalMs: number;
}

/**
 * Outage: on a warm client with steady traffic, the token endpoint answers 503 for
 * `outageMs` from the client's first attempt to renew its token. A client that renews
 * ahead of expiry meets the outage while its old token is still valid; one that renews
 * only at expiry meets it with none. Goal: no failure reaches the caller.
 */
export function outageScenario(options: OutageOptions): Scenario {
  const { outageMs, tokenLifetimeSeconds, intervalMs } = options;
  const durationMs = tokenLifetimeSeconds * 1000 + 2000;
  return {
    id: 'outage',
    rows: [
      `outage: token endpoint down ${outageMs / 1000} s from the first renewal, ${tokenLifetimeSeconds} s tokens: failures (goal 0)`,
    ],
    run: (contenders, log) =>
      eachContender(
        contenders,
        1,
        { lifetimeSeconds: tokenLifetimeSeconds },
        durationMs + 60_000,
        log,
        async (client, { tokens }, { id }) => {
          await client.get('/items');
          tokens.failFromNextRequestFor(outageMs);
          const traffic = await steady(client, '/items', { intervalMs, durationMs });
          return [failuresCell(traffic.failures, traffic.firstFailure, `${id} outage`, log)];
        },
      ),
  };
}
