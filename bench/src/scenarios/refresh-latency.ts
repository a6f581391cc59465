import { percentile } from '../measure.js';
import { eachContender, failuresCell, type Scenario } from '../scenario.js';
import { steady } from '../traffic.js';

/** Settings of {@link refreshLatencyScenario}. */
export interface RefreshLatencyOptions {
  /** Lifetime of the tokens, in seconds. */
  tokenLifetimeSeconds: number;
  /** How long the token endpoint takes to answer, in ms. */
  tokenDelayMs: number;
  /** One request every this many ms. */
  intervalMs: number;
  /** How long the traffic lasts, in ms: several token lifetimes. */
  durationMs: number;
}

/**
 * Refresh latency: steady traffic on a warm client while short-lived tokens come from a
 * slow token endpoint. A request that took at least half the endpoint's delay waited on a
 * token request (the API itself answers in about a millisecond). Goal: none waited.
 */
export function refreshLatencyScenario(options: RefreshLatencyOptions): Scenario {
  const { tokenLifetimeSeconds, tokenDelayMs, intervalMs, durationMs } = options;
  const waitedFromMs = tokenDelayMs / 2;
  const count = Math.ceil(durationMs / intervalMs);
  return {
    id: 'refresh-latency',
    rows: [
      `refresh latency, ${tokenLifetimeSeconds} s tokens, ${tokenDelayMs} ms token endpoint: p50 / p99 / max ms`,
      `refresh latency: requests of ${count} that waited on a token request (goal 0)`,
    ],
    run: (contenders, log) =>
      eachContender(
        contenders,
        2,
        { lifetimeSeconds: tokenLifetimeSeconds, delayMs: tokenDelayMs },
        durationMs + 60_000,
        log,
        async (client, _lab, { id }) => {
          await client.get('/items'); // warm: the first token is not what this measures
          const traffic = await steady(client, '/items', { intervalMs, durationMs });
          const ms = (p: number) => percentile(traffic.latenciesMs, p).toFixed(1);
          const waited = traffic.latenciesMs.filter((latency) => latency >= waitedFromMs).length;
          const failed = failuresCell(
            traffic.failures,
            traffic.firstFailure,
            `${id} refresh latency`,
            log,
          );
          return [
            `${ms(50)} / ${ms(99)} / ${ms(100)}`,
            traffic.failures > 0 ? `${waited} (${failed} failed)` : String(waited),
          ];
        },
      ),
  };
}
