import { AuthError, SessionExpiredError, TokenResponseError } from '../../errors.js';
import type { TokenProvider } from '../../token-provider.js';
import type { TokenSet } from '../../token-set.js';
import { abortableDelay } from '../abortable-delay.js';
import { isoTime } from '../encoding/iso-time.js';
import { asError, type Emit } from './events.js';
import { refreshRefused } from './refresh-refusal.js';
import { classifyFailure, type RetryPolicy, retryDelayMs } from './retry-policy.js';
import { scheduleFor, type TimingPolicy } from './token-timing.js';

/** A token a renewal produced, and how. */
export interface Obtained {
  tokens: TokenSet;
  source: 'fetched' | 'refreshed' | 'store';
  durationMs: number;
}

/** A token adopted from the store (no request). */
export function fromStore(tokens: TokenSet): Obtained {
  return { tokens, source: 'store', durationMs: 0 };
}

/** What a renewal needs from the manager that runs it. */
export interface Renewal {
  provider: TokenProvider;
  retry: RetryPolicy;
  now: () => number;
  /** The store's tokens, read now. */
  stored: () => Promise<TokenSet | undefined>;
  /** Whether a stored token may be served instead of requesting one. */
  acceptsStored: (tokens: TokenSet | undefined) => tokens is TokenSet;
  /** Forgets the tokens, in memory and in the store. */
  clear: () => Promise<void>;
  emit: Emit;
}

/** Rule: renew with the refresh token first while it is valid (when the provider can refresh at all). */
function shouldRefresh(base: TokenSet | undefined, now: number): base is TokenSet {
  return base?.isRefreshValid(0, now) === true;
}

/** Rule: a provider may sign in again on its own unless it says it cannot (`canReauthenticate: false`). */
function mayReauthenticate(provider: TokenProvider): boolean {
  return provider.canReauthenticate !== false;
}

/** Rule: another process rotated the refresh token: the store holds a different one than ours. */
function rotatedElsewhere(stored: TokenSet | undefined, base: TokenSet): stored is TokenSet {
  return stored?.refreshToken ? stored.refreshToken !== base.refreshToken : false;
}

/**
 * Rule: a sign-in that needs a person is not repeated on its own after a transient failure
 * (the person has acted: opened the browser, typed the code; asking again would surprise them).
 */
function endsInteractiveSignIn(
  provider: TokenProvider,
  error: unknown,
  signal: AbortSignal,
): boolean {
  return Boolean(provider.interactive) && !signal.aborted && classifyFailure(error).retryable;
}

/** What {@link adoptsStored} weighs a stored token against. */
export interface StoredTokenCheck {
  /** The token the API rejected, never adopted. */
  rejectedToken: string | undefined;
  /** The manager's current token. */
  current: TokenSet | undefined;
  timing: TimingPolicy;
  now: () => number;
  /** Refreshing ahead (a token is still served). */
  background: boolean;
}

/**
 * Rule: a token from the store is served instead of requesting one when it is not the rejected
 * one and is usable; when refreshing ahead, only a newer token than ours saves the request.
 */
export function adoptsStored(
  tokens: TokenSet | undefined,
  check: StoredTokenCheck,
): tokens is TokenSet {
  if (!tokens || tokens.accessToken === check.rejectedToken) return false;
  if (check.now() >= scheduleFor(tokens, check.timing, 0).usableUntil) return false;
  return (
    !check.background ||
    !check.current ||
    (tokens.expiresAt ?? Number.POSITIVE_INFINITY) >
      (check.current.expiresAt ?? Number.POSITIVE_INFINITY)
  );
}

/** The token set to refresh from: the store's (it may hold a rotation) unless only memory has a refresh token. */
export function newestWithRefreshToken(
  stored: TokenSet | undefined,
  inMemory: TokenSet | undefined,
): TokenSet | undefined {
  if (stored?.refreshToken) return stored;
  return inMemory?.refreshToken ? inMemory : (stored ?? inMemory);
}

/**
 * One renewal: refresh token first; when it is refused (see {@link refreshRefused}), adopt a
 * rotation by another process, else sign in again or end the session.
 */
async function renew(
  renewal: Renewal,
  base: TokenSet | undefined,
  signal: AbortSignal,
): Promise<Obtained> {
  const { provider } = renewal;
  const startedAt = renewal.now();
  if (provider.refreshToken && shouldRefresh(base, startedAt)) {
    try {
      const refreshed = await provider.refreshToken(base, { signal });
      const tokens = refreshed.refreshToken
        ? refreshed
        : refreshed.with({
            refreshToken: base.refreshToken,
            refreshExpiresAt: base.refreshExpiresAt,
          });
      return arrived(renewal, tokens, 'refreshed', startedAt);
    } catch (error) {
      if (!refreshRefused(error)) throw error;
      const stored = await renewal.stored();
      if (rotatedElsewhere(stored, base)) {
        // Another process rotated the refresh token: use its result, or refresh from it.
        if (renewal.acceptsStored(stored)) return fromStore(stored);
        return renew(renewal, stored, signal);
      }
      if (!mayReauthenticate(provider)) return endSession(renewal, error);
    }
  } else if (base?.refreshToken && !mayReauthenticate(provider)) {
    return endSession(renewal, undefined);
  }
  try {
    return arrived(renewal, await provider.fetchToken({ signal }), 'fetched', startedAt);
  } catch (error) {
    if (!mayReauthenticate(provider) && refreshRefused(error)) return endSession(renewal, error);
    if (endsInteractiveSignIn(provider, error, signal)) {
      throw new AuthError(
        'a sign-in that needs a person failed; it is not retried on its own (call forceRefresh() to start over)',
        'interaction_failed',
        { cause: error },
      );
    }
    throw error;
  }
}

/** How a flight's renewal is retried. */
export interface RetrySettings {
  background: boolean;
  /** One attempt only: in the background, or with a token to fall back on. */
  oneAttempt: boolean;
  signal: AbortSignal;
}

/**
 * {@link renew} with retries of transient failures (event `refresh-failed` for each failure);
 * with `oneAttempt`, further attempts are left to background renewal.
 */
export async function renewWithRetry(
  renewal: Renewal,
  base: TokenSet | undefined,
  { background, oneAttempt, signal }: RetrySettings,
): Promise<Obtained> {
  const { retry } = renewal;
  const maxAttempts = oneAttempt ? 1 : retry.maxAttempts;
  for (let attempt = 1; ; attempt++) {
    try {
      return await renew(renewal, base, signal);
    } catch (error) {
      if (SessionExpiredError.isInstance(error) || signal.aborted) throw error;
      const failure = classifyFailure(error);
      const retryInMs = retryDelayMs(retry, attempt, failure, Math.random());
      const willRetry = failure.retryable && attempt < maxAttempts && retryInMs <= retry.maxDelayMs;
      renewal.emit({
        type: 'refresh-failed',
        error: asError(error),
        attempt,
        background,
        willRetry,
        retryInMs: willRetry ? retryInMs : undefined,
      });
      if (!willRetry) throw error;
      await abortableDelay(retryInMs, signal);
    }
  }
}

/** A token from the provider, checked on arrival (see {@link checkedOnArrival}). */
function arrived(
  renewal: Renewal,
  tokens: TokenSet,
  source: 'fetched' | 'refreshed',
  startedAt: number,
): Obtained {
  return {
    tokens: checkedOnArrival(tokens, startedAt, renewal.now()),
    source,
    durationMs: renewal.now() - startedAt,
  };
}

/**
 * A token from the provider, with `issuedAt` set when it had none; one that had expired by
 * the time it arrived is refused, never served.
 *
 * @throws {TokenResponseError} With code `token_expired`.
 */
function checkedOnArrival(tokens: TokenSet, requestedAt: number, now: number): TokenSet {
  if (!tokens.isAccessValid(0, now)) {
    throw new TokenResponseError(
      `the token from the provider expired at ${isoTime(tokens.expiresAt ?? now)}, before it arrived`,
      { code: 'token_expired' },
    );
  }
  return tokens.issuedAt === undefined ? tokens.with({ issuedAt: requestedAt }) : tokens;
}

/** Ends the session: forgets the tokens, raises `session-expired` and throws {@link SessionExpiredError}. */
async function endSession(renewal: Renewal, cause: unknown): Promise<never> {
  const error = new SessionExpiredError(undefined, { cause });
  await renewal.clear();
  renewal.emit({ type: 'session-expired', error });
  throw error;
}
