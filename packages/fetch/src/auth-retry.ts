import type { AuthRequest } from '@auth/core';
import { backoffMs } from '@auth/core/internal';

/**
 * What a retry policy sees when a request with credentials came back 401.
 *
 * @example
 * ```ts
 * import { type AuthRetryState, authRetry } from '@auth/fetch';
 *
 * const onlyInvalidTokens = async ({ response }: AuthRetryState) => {
 *   if ((response.headers.get('www-authenticate') ?? '').includes('invalid_token')) return true;
 *   const body = (await response.json().catch(() => ({}))) as { error?: string };
 *   return body.error === 'invalid_token';
 * };
 * const retry = authRetry.when(onlyInvalidTokens);
 * ```
 */
export interface AuthRetryState {
  /** Which retry this would be: 1 for the first. */
  attempt: number;
  /** The request as it was sent, credentials included. */
  request: AuthRequest;
  /**
   * The 401 response: status, headers, and a body the policy may read (`await
   * response.json()`). It is a copy: reading it leaves the body of the 401 that is returned
   * when no retry follows intact.
   */
  response: Response;
}

/**
 * Options of {@link authRetry | `authRetry.once`}.
 *
 * @example
 * ```ts
 * import { authRetry } from '@auth/fetch';
 *
 * const retry = authRetry.once({ delayMs: 500 });
 * ```
 */
export interface OnceAuthRetryOptions {
  /** The wait before the retry, in ms. Default 0: at once. */
  delayMs?: number;
}

/**
 * How `createAuthFetch` and `authInterceptor` retry a request that came back 401. Build
 * one with {@link authRetry}; any object of this shape works.
 *
 * @example
 * ```ts
 * import type { AuthRetryPolicy } from '@auth/fetch';
 *
 * // Two retries, one second apart.
 * const retry: AuthRetryPolicy = { maxRetries: 2, delayMs: () => 1_000 };
 * ```
 */
export interface AuthRetryPolicy {
  /** How many times one request is retried at most after a 401. `0` never retries. */
  readonly maxRetries: number;
  /** Whether this 401 is worth a retry (before the strategy renews its credentials). Default: always. */
  shouldRetry?(state: AuthRetryState): boolean | Promise<boolean>;
  /** How long to wait before this retry, in ms. Default 0. */
  delayMs?(state: AuthRetryState): number;
}

/**
 * Options of {@link authRetry | `authRetry.exponential`}. Durations in ms.
 *
 * @example
 * ```ts
 * import { authRetry } from '@auth/fetch';
 *
 * const retry = authRetry.exponential({ maxRetries: 4, baseDelayMs: 250, jitter: true });
 * ```
 */
export interface ExponentialAuthRetryOptions {
  /** Retries per request. Default 3. */
  maxRetries?: number;
  /** The wait before the first retry. Default 100. */
  baseDelayMs?: number;
  /** The longest wait. Default 5 000. */
  maxDelayMs?: number;
  /** Each wait is the previous one times this. Default 2. */
  multiplier?: number;
  /** Randomise each wait between half and all of it, so clients do not retry in lockstep. Default true. */
  jitter?: boolean;
}

/**
 * Options of {@link authRetry | `authRetry.when`}.
 *
 * @example
 * ```ts
 * import { authRetry } from '@auth/fetch';
 *
 * const retry = authRetry.when(({ attempt }) => attempt <= 2, { maxRetries: 2 });
 * ```
 */
export interface ConditionalAuthRetryOptions {
  /** Retries per request. Default 1. */
  maxRetries?: number;
}

/**
 * The retry policies for 401 responses: after a 401 the strategy's `onUnauthorized`
 * renews the credentials (for `tokenAuth`, one `forceRefresh({ rejected })`) and the
 * request is sent again, as the policy allows. A request whose body cannot be replayed is
 * never retried.
 *
 * @example
 * ```ts
 * import { type TokenManager, tokenAuth } from '@auth/core';
 * import { authRetry, createAuthFetch } from '@auth/fetch';
 *
 * declare const manager: TokenManager;
 * const api = createAuthFetch({
 *   auth: tokenAuth(manager),
 *   baseUrl: 'https://api.example.com',
 *   retry: authRetry.exponential({ maxRetries: 3, baseDelayMs: 200 }),
 * });
 * ```
 */
export const authRetry = Object.freeze({
  /**
   * One retry after the strategy renewed its credentials, at once or `delayMs` later. The
   * default (at once).
   *
   * @param options - `delayMs` (default 0).
   * @returns The policy.
   * @throws {TypeError} A negative or non-finite `delayMs`.
   * @example
   * ```ts
   * import { apiKeyAuth } from '@auth/core';
   * import { authRetry, createAuthFetch } from '@auth/fetch';
   *
   * const auth = apiKeyAuth(process.env.API_KEY!, { header: 'X-Api-Key' });
   * const baseUrl = 'https://api.example.com';
   * const api = createAuthFetch({ auth, baseUrl, retry: authRetry.once({ delayMs: 500 }) });
   * ```
   */
  once(options: OnceAuthRetryOptions = {}): AuthRetryPolicy {
    const delayMs = nonNegative('delayMs', options.delayMs, 0);
    if (delayMs === 0) return Object.freeze({ maxRetries: 1 });
    return Object.freeze({ maxRetries: 1, delayMs: () => delayMs });
  },

  /**
   * Up to `maxRetries` retries, waiting `baseDelayMs × multiplier^(attempt − 1)` (at most
   * `maxDelayMs`, with jitter between half and all of it) before each.
   *
   * @param options - See {@link ExponentialAuthRetryOptions}.
   * @returns The policy.
   * @throws {TypeError} A negative or non-integer `maxRetries`, a negative or non-finite
   *   delay, or a `multiplier` below 1.
   * @example
   * ```ts
   * import { authRetry } from '@auth/fetch';
   *
   * const retry = authRetry.exponential({ maxRetries: 4, baseDelayMs: 250, maxDelayMs: 4_000 });
   * ```
   */
  exponential(options: ExponentialAuthRetryOptions = {}): AuthRetryPolicy {
    const maxRetries = retryCount(options.maxRetries, 3);
    const baseDelayMs = nonNegative('baseDelayMs', options.baseDelayMs, 100);
    const maxDelayMs = nonNegative('maxDelayMs', options.maxDelayMs, 5_000);
    const multiplier = options.multiplier ?? 2;
    if (!Number.isFinite(multiplier) || multiplier < 1)
      throw new TypeError('authRetry.exponential multiplier must be a finite number of at least 1');
    const jitter = options.jitter ?? true;
    const schedule = { firstMs: baseDelayMs, maxMs: maxDelayMs, multiplier };
    return Object.freeze({
      maxRetries,
      delayMs: ({ attempt }: AuthRetryState): number =>
        backoffMs(attempt, schedule, jitter ? Math.random() : undefined),
    });
  },

  /**
   * Retries only the 401s `predicate` accepts, e.g. those whose `WWW-Authenticate` says
   * the token is invalid (RFC 6750 §3.1) rather than lacking scope, or whose JSON body says
   * so (`(await response.json()).error`): the predicate reads a copy of the 401, so the body
   * of a 401 that is returned stays intact.
   *
   * @param predicate - Decides from the request, the response (body included) and the attempt number.
   * @param options - `maxRetries` (default 1).
   * @returns The policy.
   * @throws {TypeError} A predicate that is not a function, or a bad `maxRetries`.
   * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
   * @example
   * ```ts
   * import { authRetry } from '@auth/fetch';
   *
   * const retry = authRetry.when(({ response }) =>
   *   (response.headers.get('www-authenticate') ?? '').includes('invalid_token'),
   * );
   * ```
   */
  when(
    predicate: (state: AuthRetryState) => boolean | Promise<boolean>,
    options: ConditionalAuthRetryOptions = {},
  ): AuthRetryPolicy {
    if (typeof predicate !== 'function')
      throw new TypeError('authRetry.when needs a predicate function');
    return Object.freeze({ maxRetries: retryCount(options.maxRetries, 1), shouldRetry: predicate });
  },
});

function retryCount(value: number | undefined, fallback: number): number {
  const count = value ?? fallback;
  if (!Number.isInteger(count) || count < 0)
    throw new TypeError('authRetry maxRetries must be a non-negative integer');
  return count;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const ms = value ?? fallback;
  if (!Number.isFinite(ms) || ms < 0)
    throw new TypeError(`authRetry ${name} must be a finite, non-negative number of ms`);
  return ms;
}
