import {
  AuthenticationError,
  type AuthRequest,
  type AuthStrategy,
  type UnauthorizedResponse,
} from '@auth/core';
import { abortableDelay, isHeaderToken, isHeaderValue, raceSignal } from '@auth/core/internal';
import type { AuthScopeOptions } from '../auth-options.js';
import { type AuthRetryPolicy, authRetry } from '../auth-retry.js';
import { droppedHeaderError, headerDropped } from './browser-limits.js';
import { CredentialScope } from './credential-scope.js';
import { discardBody } from './response-body.js';

/**
 * The options both adapters share, checked once at construction: which URLs get
 * credentials, how the strategy's headers are obtained, and whether a 401 is retried.
 */
export class AuthPolicy {
  readonly #strategy: AuthStrategy;
  readonly #scope: CredentialScope;
  readonly #retry: AuthRetryPolicy;
  /** Whether the strategy signs the body: it must see the exact bytes that are sent. */
  readonly signsBody: boolean;

  /**
   * @param options - The shared options.
   * @param baseUrl - The default origin, for `createAuthFetch`.
   * @throws {TypeError} A strategy without `authenticate`, a bad retry policy, or a bad scope.
   */
  constructor(options: AuthScopeOptions, baseUrl?: URL) {
    if (typeof options?.auth?.authenticate !== 'function')
      throw new TypeError('auth must be an AuthStrategy (bearerAuth, tokenAuth, apiKeyAuth, …)');
    const retry = options.retry ?? authRetry.once();
    if (!Number.isInteger(retry?.maxRetries) || retry.maxRetries < 0)
      throw new TypeError('retry must be an AuthRetryPolicy, e.g. authRetry.once()');
    this.#strategy = options.auth;
    this.signsBody = options.auth.signsBody === true;
    this.#retry = retry;
    this.#scope = new CredentialScope({
      origins: options.origins,
      baseUrl,
      exclude: options.exclude,
      excludeCaseInsensitive: options.excludeCaseInsensitive,
      allowInsecureHttp: options.allowInsecureHttp === true,
    });
  }

  /** Whether a request to `origin` and `pathname` gets credentials. */
  covers(origin: string, pathname: string): boolean {
    return this.#scope.covers(origin, pathname);
  }

  /**
   * The strategy's headers for `request`, checked so nothing can inject a header. The
   * strategy is given `request.signal` and ends its wait when it aborts; one that ignores it
   * is left waiting on its own, the request rejects at once. Always a promise: a
   * synchronous path for strategies that answer at once was measured and did not beat the
   * benchmark's noise floor.
   *
   * @throws {AuthenticationError} The strategy failed (`cause`) or returned an unsafe header.
   * @throws The reason of `request.signal` when it aborted (as `fetch` rejects).
   */
  async credentials(request: AuthRequest): Promise<Record<string, string>> {
    let headers: Record<string, string>;
    try {
      // Raced as well: a strategy that ignores the signal is still left when it aborts.
      headers = await raceSignal(
        Promise.resolve(this.#strategy.authenticate(request)),
        request.signal,
      );
    } catch (error) {
      throw failure(error, request);
    }
    return this.#checked(headers, request);
  }

  #checked(headers: Record<string, string>, request: AuthRequest): Record<string, string> {
    for (const name in headers) {
      const value = headers[name];
      if (!isHeaderToken(name) || typeof value !== 'string' || !isHeaderValue(value)) {
        throw new AuthenticationError(
          `the strategy returned an unsafe "${safeName(name)}" header: names are tokens, and values may hold only visible ASCII, spaces, tabs and Latin-1 letters (no CR, LF, control characters, DEL or characters beyond Latin-1); nothing was sent`,
          { serviceName: request.url.origin },
        );
      }
      if (headerDropped(name)) throw droppedHeaderError(name, request.url.origin);
    }
    return headers;
  }

  /** Whether a 401 on attempt `attempt` (1 for the first retry) may be retried at all. */
  mayRetry(attempt: number): boolean {
    return attempt <= this.#retry.maxRetries && typeof this.#strategy.onUnauthorized === 'function';
  }

  /**
   * Asks the retry policy and the strategy whether to retry after a 401, then waits the
   * policy's delay. The policy's predicate reads a copy of `response`, so its body stays
   * intact for the caller when no retry follows.
   *
   * @param attempt - Which retry this would be: 1 for the first.
   * @param request - The request as it was sent: the object the strategy authenticated. Its
   *   `signal` ends the strategy's renewal wait and the policy's delay.
   * @param response - The 401, with a body that can be read.
   * @returns `true` to send the request again with fresh credentials.
   * @throws {AuthenticationError} The strategy could not renew its credentials.
   * @throws The reason of `request.signal` when it aborted.
   */
  async retryAfterUnauthorized(
    attempt: number,
    request: AuthRequest,
    response: Response,
  ): Promise<boolean> {
    if (this.#retry.shouldRetry && !(await this.#askPolicy(attempt, request, response))) {
      return false;
    }
    const unauthorized: UnauthorizedResponse = {
      status: response.status,
      headers: response.headers,
    };
    let renewed: boolean;
    try {
      renewed =
        (await this.#strategy.onUnauthorized?.({ request, response: unauthorized })) === true;
    } catch (error) {
      throw failure(error, request);
    }
    if (!renewed) return false;
    const delayMs = this.#retry.delayMs?.({ attempt, request, response }) ?? 0;
    if (delayMs > 0) await abortableDelay(delayMs, request.signal);
    return true;
  }

  /** The policy's `shouldRetry`, given a copy of the 401 whose body it may read. */
  async #askPolicy(attempt: number, request: AuthRequest, response: Response): Promise<boolean> {
    const copy = typeof response.clone === 'function' ? response.clone() : response;
    try {
      return await this.#retry.shouldRetry!({ attempt, request, response: copy });
    } finally {
      // Lets go of what the copy did not read; the original keeps its own body.
      if (copy !== response && !copy.bodyUsed) void discardBody(copy);
    }
  }
}

/**
 * What a strategy's failure rejects with: the caller's abort reason once its signal aborted
 * (the strategy stopped waiting for it, whatever it wrapped it in), else `error` as an
 * {@link AuthenticationError} for the request's origin: one already is passes through (a
 * `TokenManager` names its own service), anything else becomes the `cause`.
 */
function failure(error: unknown, request: AuthRequest): unknown {
  if (request.signal?.aborted) return request.signal.reason;
  if (AuthenticationError.isInstance(error)) return error;
  const origin = request.url.origin;
  return new AuthenticationError(`could not obtain credentials for ${origin}`, {
    serviceName: origin,
    cause: error,
  });
}

/**
 * The refusal of a body a signing strategy cannot sign: a one-shot stream is only read while
 * it is sent, so any signature made before would cover other bytes than those that go out.
 *
 * @param origin - The request's origin, the `serviceName`.
 * @param detail - What kind of body it is and what to pass instead.
 */
export function unsignableBodyError(origin: string, detail: string): AuthenticationError {
  return new AuthenticationError(
    `the strategy signs the request body, but ${detail}; nothing was sent to ${origin}`,
    { serviceName: origin },
  );
}

function safeName(name: string): string {
  return isHeaderToken(name) ? name : '(invalid name)';
}
