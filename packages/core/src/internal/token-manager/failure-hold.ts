/** How long a permanent failure is shared before the next token request (ms). */
export interface FailureHoldPolicy {
  /** The first hold. */
  firstHoldMs: number;
  /** The longest hold; each failure in a row doubles the hold up to this. */
  longestHoldMs: number;
}

/** The manager's default: 1 s, then 2 s, 4 s, … at most 30 s. */
export const DEFAULT_FAILURE_HOLD: FailureHoldPolicy = {
  firstHoldMs: 1_000,
  longestHoldMs: 30_000,
};

/**
 * Shares a permanent token-request failure (`invalid_client`, an HTML page instead of a
 * token, a token that expired on arrival) for a short, growing, capped period, so waves
 * of callers get the same error without sending a request each: the storm protection
 * golang/oauth2 and Azure's token cycler leave to the caller.
 */
export class FailureHold {
  readonly #policy: FailureHoldPolicy;
  #failuresInARow = 0;
  #error: unknown;
  #until = Number.NEGATIVE_INFINITY;

  constructor(policy: FailureHoldPolicy = DEFAULT_FAILURE_HOLD) {
    this.#policy = policy;
  }

  /**
   * The failure to share at `now`, if one is held.
   *
   * @returns `{ error }` while the hold lasts, else `undefined`.
   */
  held(now: number): { error: unknown } | undefined {
    return now < this.#until ? { error: this.#error } : undefined;
  }

  /**
   * Holds `error` from `now`: the first hold lasts `firstHoldMs`, each one after it in a
   * row twice as long, up to `longestHoldMs`.
   */
  hold(error: unknown, now: number): void {
    const { firstHoldMs, longestHoldMs } = this.#policy;
    const holdMs = Math.min(longestHoldMs, firstHoldMs * 2 ** this.#failuresInARow);
    this.#failuresInARow += 1;
    this.#error = error;
    this.#until = now + holdMs;
  }

  /** Ends the hold and the run of failures (a token arrived, or the caller forced a refresh). */
  reset(): void {
    this.#failuresInARow = 0;
    this.#error = undefined;
    this.#until = Number.NEGATIVE_INFINITY;
  }
}
