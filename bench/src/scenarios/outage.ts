import type { Contender } from '../contender.js';
import { thisProject } from '../contenders/this-project.js';
import { type Cells, eachContender, failuresCell, type Scenario } from '../scenario.js';
import { steady } from '../traffic.js';

/** Settings of {@link outageScenario}. */
export interface OutageOptions {
  /** How long the token endpoint fails (503), in ms. */
  outageMs: number;
  /** Lifetimes of the tokens, in seconds: one row each. */
  tokenLifetimesSeconds: readonly number[];
  /** Runs per lifetime of this project; the peers, whose outcome does not vary, run once. */
  runs: number;
  /** One request every this many ms, for one token lifetime and 2 s more. */
  intervalMs: number;
}

/**
 * Outage: on a warm client with steady traffic, the token endpoint answers 503 for
 * `outageMs` from the client's first attempt to renew its token, at each token lifetime.
 * A client that renews ahead of expiry meets the outage while its old token is still
 * valid; one that renews only at expiry meets it with none. Goal: no failure reaches the
 * caller in any run.
 *
 * Every run has a lab of its own (token server and API), so runs go side by side: at each
 * lifetime, first this project's runs together, then the peers' together. The outage thus
 * takes about twice the sum of the lifetimes, not eight times it.
 */
export function outageScenario(options: OutageOptions): Scenario {
  const { outageMs, tokenLifetimesSeconds, runs, intervalMs } = options;
  return {
    id: 'outage',
    rows: tokenLifetimesSeconds.map(
      (seconds) =>
        `outage: token endpoint down ${outageMs / 1000} s from the first renewal, ${seconds} s tokens: failures in each run (goal 0)`,
    ),
    async run(contenders, log) {
      const perLifetime: Map<string, string>[] = [];
      for (const seconds of tokenLifetimesSeconds) {
        const durationMs = seconds * 1000 + 2000;
        const runsOf = (id: string) => (id === thisProject.id ? runs : 1);
        const measureRuns = (contender: Contender) =>
          Promise.all(
            Array.from({ length: runsOf(contender.id) }, async (_, run) => {
              const what = `${contender.id} outage, ${seconds} s tokens${runsOf(contender.id) > 1 ? `, run ${run + 1}` : ''}`;
              const results = await eachContender(
                [contender],
                1,
                { lifetimeSeconds: seconds },
                durationMs + 60_000,
                log,
                async (client, { tokens }) => {
                  await client.get('/items');
                  tokens.failFromNextRequestFor(outageMs);
                  const traffic = await steady(client, '/items', { intervalMs, durationMs });
                  return [failuresCell(traffic.failures, traffic.firstFailure, what, log)];
                },
              );
              return results.get(contender.id)?.[0] ?? 'n/a';
            }),
          ).then((cells) => [contender.id, cells.join(', ')] as const);
        const ours = contenders.filter((contender) => contender.id === thisProject.id);
        const peers = contenders.filter((contender) => contender.id !== thisProject.id);
        const measured = [
          ...(await Promise.all(ours.map(measureRuns))),
          ...(await Promise.all(peers.map(measureRuns))),
        ];
        perLifetime.push(new Map(measured));
      }
      return new Map(
        contenders.map((contender): [string, Cells] => [
          contender.id,
          perLifetime.map((cells) => cells.get(contender.id) ?? 'n/a'),
        ]),
      );
    },
  };
}
