/** The schedule of {@link backoffMs}. */
export interface Backoff {
  /** The first delay, in ms. */
  firstMs: number;
  /** The longest delay, in ms. */
  maxMs: number;
  /** How much each delay grows over the one before (2 unless given). */
  multiplier?: number;
}

/**
 * The delay before retry or poll number `attempt` (1 for the first) of an exponential
 * backoff: `firstMs × multiplier^(attempt − 1)`, capped at `maxMs`. With `random` (a number
 * in [0, 1), as `Math.random()` gives), "equal jitter": a delay between half and all of
 * that, so many waiters spread out instead of retrying together. Every wait-and-retry loop
 * of the packages (token requests, lock polls, write-lock pauses, 401 retries) takes its
 * delays from here.
 *
 * @param attempt - Which retry or poll this is, from 1.
 * @param schedule - The first and longest delay and the growth.
 * @param random - Jitter, when wanted.
 * @returns The delay in ms.
 */
export function backoffMs(attempt: number, schedule: Backoff, random?: number): number {
  const grown = schedule.firstMs * (schedule.multiplier ?? 2) ** Math.max(0, attempt - 1);
  const delay = Math.min(schedule.maxMs, grown);
  return random === undefined ? delay : delay / 2 + (random * delay) / 2;
}
