import { setTimeout as sleep } from 'node:timers/promises';
import { eachContender, type Scenario } from '../scenario.js';
import { polling } from '../traffic.js';

/** Settings of {@link permanentFailureScenario}. */
export interface PermanentFailureOptions {
  /** Lifetime of the first token, in seconds: the wait before the callers start. */
  tokenLifetimeSeconds: number;
  /** Callers polling at once. */
  callers: number;
  /** Each caller waits this long after a request ends before the next, in ms. */
  intervalMs: number;
  /** How long the callers poll, in ms. */
  durationMs: number;
}

/** The longest a permanent failure is shared before the first new attempt, in ms. */
const FIRST_BACKOFF_MS = 1000;

/**
 * Token requests a client that shares a permanent failure for a growing period (1 s,
 * doubling) makes in `durationMs`: one per backoff step.
 *
 * @param durationMs - The polling time.
 * @returns Attempts at 0, 1 s, 3 s, 7 s, … that fall inside it.
 */
export function backoffSteps(durationMs: number): number {
  let steps = 0;
  for (let at = 0, wait = FIRST_BACKOFF_MS; at < durationMs; at += wait, wait *= 2) steps++;
  return steps;
}

/**
 * Permanent failure: once the client's first token has lapsed, the token endpoint answers
 * `invalid_client` (400) to every request, and `callers` callers poll the API every
 * `intervalMs` for `durationMs`. Every call fails, as it must; what counts is how hard the
 * client hits the token endpoint meanwhile. Goal: at most one token request per backoff
 * step (first 1 s, doubling).
 */
export function permanentFailureScenario(options: PermanentFailureOptions): Scenario {
  const { tokenLifetimeSeconds, callers, intervalMs, durationMs } = options;
  const seconds = durationMs / 1000;
  const goal = backoffSteps(durationMs);
  return {
    id: 'permanent-failure',
    rows: [
      `permanent failure (invalid_client), ${callers} callers polling every ${intervalMs} ms for ${seconds} s: token requests per second (total) (goal ≤ ${(goal / seconds).toFixed(1)}/s: ${goal}, one per backoff step)`,
    ],
    run: (contenders, log) =>
      eachContender(
        contenders,
        1,
        { lifetimeSeconds: tokenLifetimeSeconds },
        tokenLifetimeSeconds * 1000 + durationMs + 60_000,
        log,
        async (client, { tokens }, { id }) => {
          await client.get('/items');
          tokens.failFromNextRequestFor(Number.POSITIVE_INFINITY, {
            kind: 'oauth-error',
            error: 'invalid_client',
            status: 400,
          });
          await sleep(tokenLifetimeSeconds * 1000 + 250);
          tokens.resetCount();
          const traffic = await polling(client, '/items', { callers, intervalMs, durationMs });
          const total = tokens.requestCount;
          log(
            `${id} permanent failure: ${total} token requests, ${traffic.failures} of ${traffic.latenciesMs.length} calls failed; first: ${traffic.firstFailure}`,
          );
          return [`${(total / seconds).toFixed(1)}/s (${total})`];
        },
      ),
  };
}
