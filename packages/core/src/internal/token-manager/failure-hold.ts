import { type Backoff, backoffMs } from '../backoff.js';

/** How long a permanent failure is shared before the next token request: 1 s, doubling to 30 s. */
const HOLDS: Backoff = { firstMs: 1_000, maxMs: 30_000 };

/**
 * Shares a permanent token-request failure (`invalid_client`, an HTML page instead of a
 * token, a token that expired on arrival) for a short, growing, capped period, so waves
 * of callers get the same error without sending a request each: the storm protection
 * golang/oauth2 and Azure's token cycler leave to the caller.
 */
export class FailureHold {
  #failuresInARow = 0;
  #error: unknown;
  #until = Number.NEGATIVE_INFINITY;

  /**
   * The failure to share at `now`, if one is held.
   *
   * @returns `{ error }` while the hold lasts, else `undefined`.
   */
  held(now: number): { error: unknown } | undefined {
    return now < this.#until ? { error: this.#error } : undefined;
  }

  /** Holds `error` from `now`: the first hold lasts 1 s, each one after it in a row twice as long, up to 30 s. */
  hold(error: unknown, now: number): void {
    this.#failuresInARow += 1;
    this.#error = error;
    this.#until = now + backoffMs(this.#failuresInARow, HOLDS);
  }

  /** Ends the hold and the run of failures (a token arrived, or the caller forced a refresh). */
  reset(): void {
    this.#failuresInARow = 0;
    this.#error = undefined;
    this.#until = Number.NEGATIVE_INFINITY;
  }
}
