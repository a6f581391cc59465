import { AuthError, AuthenticationError, SessionExpiredError } from '../../errors.js';
import type { TokenSet } from '../../token-set.js';
import { asError, type Emit } from './events.js';
import { FailureHold } from './failure-hold.js';
import { classifyFailure, type RetryPolicy, retryDelayMs } from './retry-policy.js';

/**
 * Rule: the token to keep serving after a transient renewal failure: the current one, unless
 * it expired or the API rejected it.
 */
export function fallbackToken(
  tokens: TokenSet | undefined,
  rejectedToken: string | undefined,
  now: number,
): TokenSet | undefined {
  if (tokens === undefined || tokens.accessToken === rejectedToken) return undefined;
  return tokens.isAccessValid(0, now) ? tokens : undefined;
}

/** What an {@link Outage} needs from its manager. */
export interface OutageContext {
  retry: RetryPolicy;
  now: () => number;
  emit: Emit;
  /** The manager's token to keep serving at a time, see {@link fallbackToken}. */
  fallback: (now: number) => TokenSet | undefined;
}

/**
 * A manager's renewal failures: the background backoff, whether a kept token is being served
 * past its skew, and the {@link FailureHold} of permanent failures.
 */
export class Outage {
  readonly #context: OutageContext;
  readonly #hold = new FailureHold();
  #backgroundAttempts = 0;
  #nextBackgroundAttemptAt = Number.NEGATIVE_INFINITY;
  #renewalFailing = false;

  constructor(context: OutageContext) {
    this.#context = context;
  }

  /** Set when renewal failed transiently: the current token is served up to its real expiry. */
  get renewalFailing(): boolean {
    return this.#renewalFailing;
  }

  /** Whether a background renewal may start at `now` (its backoff has passed). */
  backgroundAttemptDue(now: number): boolean {
    return now >= this.#nextBackgroundAttemptAt;
  }

  /** The permanent failure shared at `now`, if one is held. */
  held(now: number): { error: unknown } | undefined {
    return this.#hold.held(now);
  }

  /** Ends a held failure (the caller forced a refresh, or cleared the tokens). */
  releaseHold(): void {
    this.#hold.reset();
  }

  /**
   * Rule: a process without a usable token in memory (a fresh CLI run, a restarted worker)
   * whose renewal failed transiently takes the store's token, even inside the skew, when
   * {@link fallbackToken} would keep it (unexpired, not rejected), to keep it in service as it
   * would its own.
   */
  keepsStoredThrough(
    error: unknown,
    stored: TokenSet | undefined,
    rejectedToken: string | undefined,
  ): stored is TokenSet {
    const now = this.#context.now();
    return (
      !this.#context.fallback(now) &&
      classifyFailure(error).retryable &&
      fallbackToken(stored, rejectedToken, now) !== undefined
    );
  }

  /** A token arrived: the outage is over. */
  recovered(): void {
    this.#backgroundAttempts = 0;
    this.#nextBackgroundAttemptAt = Number.NEGATIVE_INFINITY;
    this.#renewalFailing = false;
    this.#hold.reset();
  }

  /**
   * After a flight failed: on a transient failure with a token that has not expired, keep
   * serving it (event `token-kept`) and retry in the background with backoff; on a
   * permanent failure of a caller's request, share it for a while ({@link FailureHold}).
   * Otherwise the error goes to the callers.
   *
   * @param closed - Whether the manager was closed.
   * @returns The kept token.
   * @throws The flight's error when no token is kept.
   */
  afterFailure(error: unknown, background: boolean, closed: boolean): TokenSet {
    const now = this.#context.now();
    const failure = classifyFailure(error);
    const sessionOver = SessionExpiredError.isInstance(error);
    if (!closed && !sessionOver && failure.retryable) {
      this.#backgroundAttempts += 1;
      const kept = this.#context.fallback(now);
      const retryInMs = this.#backgroundRetryDelayMs(failure, kept, now);
      this.#nextBackgroundAttemptAt = now + retryInMs;
      if (kept) {
        this.#renewalFailing = true;
        this.#context.emit({
          type: 'token-kept',
          fingerprint: kept.fingerprint,
          expiresAt: kept.expiresAt,
          remainingMs: kept.expiresAt === undefined ? undefined : kept.expiresAt - now,
          nextAttemptInMs: retryInMs,
          error: asError(error),
        });
        return kept;
      }
    } else if (background) {
      this.#backgroundAttempts += 1;
      this.#nextBackgroundAttemptAt = Number.POSITIVE_INFINITY;
      this.#renewalFailing = false; // a permanent failure: the skew is a wall again
    } else if (!closed && !sessionOver) {
      this.#hold.hold(error, now);
    }
    throw error;
  }

  /** Backoff for the next background attempt; without a `Retry-After`, at most half of what is left of the kept token, so a retry comes before it expires. */
  #backgroundRetryDelayMs(
    failure: ReturnType<typeof classifyFailure>,
    kept: TokenSet | undefined,
    now: number,
  ): number {
    const delay = retryDelayMs(
      this.#context.retry,
      this.#backgroundAttempts,
      failure,
      Math.random(),
    );
    if (failure.retryAfterMs !== undefined || kept?.expiresAt === undefined) return delay;
    return Math.min(delay, Math.max(0, (kept.expiresAt - now) / 2));
  }
}

/**
 * The caller's view of a flight's failure: session ends, authentication errors and a closed
 * manager as they are, anything else wrapped in an {@link AuthenticationError} naming the service.
 */
export async function forCaller(
  promise: Promise<TokenSet>,
  serviceName: string,
): Promise<TokenSet> {
  try {
    return await promise;
  } catch (error) {
    if (SessionExpiredError.isInstance(error) || AuthenticationError.isInstance(error)) throw error;
    if (AuthError.isInstance(error) && error.code === 'manager_closed') throw error;
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new AuthenticationError(`could not obtain a token for ${serviceName}: ${reason}`, {
      serviceName,
      cause: error,
    });
  }
}
