import { abortableDelay } from './abortable-delay.js';
import {
  AuthError,
  AuthenticationError,
  SessionExpiredError,
  TokenResponseError,
} from './errors.js';
import { FailureHold } from './internal/failure-hold.js';
import { GuardedStore } from './internal/guarded-store.js';
import { isoTime } from './internal/iso-time.js';
import { inspectSymbol } from './internal/redaction.js';
import { refreshRefused } from './internal/refresh-refusal.js';
import {
  classifyFailure,
  type RetryPolicy,
  retryDelayMs,
  retryPolicy,
} from './internal/retry-policy.js';
import { scheduleFor, type TimingPolicy, type TokenSchedule } from './internal/token-timing.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { raceSignal } from './race-signal.js';
import type { TokenManagerEvent } from './token-manager-events.js';
import type { ForceRefreshOptions, TokenManagerOptions } from './token-manager-options.js';
import type { ProviderDescription, TokenProvider } from './token-provider.js';
import type { TokenSet } from './token-set.js';

export type {
  ForceRefreshOptions,
  RetryOptions,
  TokenManagerOptions,
} from './token-manager-options.js';

interface Flight {
  promise: Promise<TokenSet>;
  background: boolean;
  /**
   * Aborts this flight's requests when the manager is closed. Made by the flight, not the
   * manager: an `AbortController` belongs to the request (in a Worker, the request context)
   * that made it, and the manager outlives requests.
   */
  controller: AbortController;
}

type Obtained = { tokens: TokenSet; source: 'fetched' | 'refreshed' | 'store'; durationMs: number };

/**
 * Caches, shares and renews the tokens of one provider: never a stale token, one token
 * request however many callers (and, with a lock-capable store, however many processes),
 * renewal ahead of expiry in the background, and no outage when the token endpoint or
 * the store fails while a valid token remains.
 *
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { clientCredentials } from '@auth/oauth';
 *
 * const manager = new TokenManager({
 *   provider: clientCredentials({
 *     tokenUrl: 'https://login.example.com/oauth/token',
 *     clientId: 'svc',
 *     clientSecret: process.env.CLIENT_SECRET!,
 *   }),
 *   onEvent: (event) => console.log(event.type, event.key),
 * });
 * const headers = { Authorization: await manager.getAuthorizationHeader() };
 * ```
 */
export class TokenManager {
  readonly #provider: TokenProvider;
  readonly #key: string;
  readonly #store: GuardedStore;
  readonly #storeName: string;
  readonly #timing: TimingPolicy;
  readonly #lockTtlMs: number;
  readonly #retry: RetryPolicy;
  readonly #serviceName: string;
  readonly #now: () => number;
  readonly #onEvent: ((event: TokenManagerEvent) => void) | undefined;
  readonly #waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  /** Set by {@link TokenManager.close}. */
  #closedReason: AuthError | undefined;

  #tokens: TokenSet | undefined;
  #schedule: TokenSchedule = {
    usableUntil: Number.NEGATIVE_INFINITY,
    refreshAt: Number.POSITIVE_INFINITY,
  };
  #rejectedToken: string | undefined;
  #flight: Flight | undefined;
  #backgroundAttempts = 0;
  #nextBackgroundAttemptAt = Number.NEGATIVE_INFINITY;
  /** Set when renewal failed transiently: the current token is served up to its real expiry. */
  #renewalFailing = false;
  readonly #failureHold = new FailureHold();

  /**
   * @param options - See {@link TokenManagerOptions}.
   * @throws {TypeError} A missing provider or an invalid duration.
   */
  constructor(options: TokenManagerOptions) {
    const { provider } = options;
    if (typeof provider?.fetchToken !== 'function')
      throw new TypeError('TokenManager needs a provider with fetchToken()');
    this.#provider = provider;
    this.#key = options.key ?? provider.cacheKey;
    if (typeof this.#key !== 'string' || this.#key === '')
      throw new TypeError('TokenManager needs a non-empty key or provider.cacheKey');
    this.#timing = {
      expirySkewMs: duration('expirySkewMs', options.expirySkewMs, 30_000),
      refreshAheadMs: duration('refreshAheadMs', options.refreshAheadMs, 60_000),
    };
    this.#lockTtlMs = duration('lockTtlMs', options.lockTtlMs, 30_000);
    this.#retry = retryPolicy(options.retry);
    this.#serviceName = options.serviceName ?? this.#key;
    this.#now = options.now ?? Date.now;
    this.#onEvent = options.onEvent;
    this.#waitUntil = options.waitUntil;
    const store = options.store ?? new MemoryTokenStore({ now: this.#now });
    this.#storeName = store.constructor?.name ?? 'TokenStore';
    this.#store = new GuardedStore(store, this.#key, (operation, error) =>
      this.#emit({ type: 'store-error', operation, error: asError(error) }),
    );
  }

  /** The store key of this manager's tokens. */
  get key(): string {
    return this.#key;
  }

  /**
   * A token that is valid for at least the expiry skew: from memory when it has one, else
   * from the store, else from the provider (one request, shared by every concurrent caller).
   *
   * @param options - `signal` stops this caller's wait; the shared request goes on.
   * @returns The current tokens.
   * @throws {SessionExpiredError} The session ended and the provider cannot sign in again.
   * @throws {AuthenticationError} No usable token could be obtained; `cause` says why.
   */
  async getToken(options: { signal?: AbortSignal } = {}): Promise<TokenSet> {
    return this.peekToken() ?? this.#toCallerError(raceSignal(this.#join(), options.signal));
  }

  /**
   * The current token when it can be served without waiting, else `undefined`; like
   * {@link TokenManager.getToken} it starts a background refresh when one is due. For hot
   * paths that should not pay for a promise when a token is at hand (`tokenAuth` uses it).
   *
   * @returns The servable token, or `undefined` when the caller must `getToken()`.
   * @throws {AuthError} With code `manager_closed` after {@link TokenManager.close}.
   * @example
   * ```ts
   * import type { TokenManager } from '@auth/core';
   *
   * declare const manager: TokenManager;
   * const tokens = manager.peekToken() ?? (await manager.getToken());
   * ```
   */
  peekToken(): TokenSet | undefined {
    this.#assertOpen();
    const now = this.#now();
    if (!this.#isServable(now)) return undefined;
    // Past usableUntil a token is only served while renewal fails: retry in the background.
    if (now >= Math.min(this.#schedule.refreshAt, this.#schedule.usableUntil))
      this.#refreshInBackground(now);
    return this.#tokens;
  }

  /**
   * The `Authorization` header value for the current token, e.g. `"Bearer abc"`.
   *
   * @param options - `signal` stops this caller's wait.
   * @returns The header value.
   * @throws {AuthenticationError} As {@link TokenManager.getToken}.
   */
  async getAuthorizationHeader(options: { signal?: AbortSignal } = {}): Promise<string> {
    return (await this.getToken(options)).authorizationHeader;
  }

  /**
   * Renews the token now, typically after a 401. With `rejected`, a token that is no
   * longer the current one returns the current one without a request, so a burst of 401s
   * for the same token makes one request.
   *
   * @param options - `rejected`: the token the server refused; `signal`.
   * @returns The new (or already renewed) tokens.
   * @throws {SessionExpiredError} As {@link TokenManager.getToken}.
   * @throws {AuthenticationError} As {@link TokenManager.getToken}.
   */
  async forceRefresh(options: ForceRefreshOptions = {}): Promise<TokenSet> {
    this.#assertOpen();
    this.#failureHold.reset();
    const { rejected } = options;
    const rejectedToken = typeof rejected === 'string' ? rejected : rejected?.accessToken;
    const current = this.#tokens;
    if (
      rejectedToken !== undefined &&
      current &&
      current.accessToken !== rejectedToken &&
      this.#isServable(this.#now())
    ) {
      return current;
    }
    if (current && (rejectedToken === undefined || current.accessToken === rejectedToken)) {
      this.#rejectedToken = current.accessToken;
    } else if (!current) {
      // Nothing in memory yet (a fresh process): the token being replaced is the stored one.
      this.#rejectedToken = rejectedToken ?? (await this.#store.get())?.accessToken;
    }
    return this.#toCallerError(raceSignal(this.#join(), options.signal));
  }

  /** Forgets the tokens, in memory and in the store. */
  async clear(): Promise<void> {
    this.#tokens = undefined;
    this.#rejectedToken = undefined;
    this.#failureHold.reset();
    await this.#store.delete();
  }

  /** Stops the manager: aborts its token requests in flight (their callers reject); later calls reject with code `manager_closed`. */
  async close(): Promise<void> {
    this.#closedReason ??= new AuthError('the token manager was closed', 'manager_closed');
    try {
      this.#flight?.controller.abort(this.#closedReason);
    } catch {
      // workerd refuses to abort a controller made by another request: the flight's own checks
      // (below, in #startFlight and #obtain) refuse its result instead.
    }
  }

  /** A status summary without secrets: key, provider settings, store and expiry. */
  describe(): ProviderDescription {
    return {
      key: this.#key,
      store: this.#storeName,
      ...prefixed('provider.', this.#provider.describe?.() ?? {}),
      hasToken: this.#tokens !== undefined,
      expiresAt:
        this.#tokens?.expiresAt === undefined ? undefined : isoTime(this.#tokens.expiresAt),
    };
  }

  /** The redacted summary `JSON.stringify` shows. */
  toJSON(): ProviderDescription {
    return this.describe();
  }

  /** What `util.inspect` shows: the redacted summary. */
  [inspectSymbol](): string {
    return `TokenManager ${JSON.stringify(this.describe())}`;
  }

  /**
   * Served while outside the expiry skew; inside it only while renewal is failing
   * transiently and the token has not actually expired (the skew is a renewal margin, not
   * a wall). A token the API rejected is never served.
   */
  #isServable(now: number): boolean {
    return (
      this.#fallbackToken(now) !== undefined &&
      (now < this.#schedule.usableUntil || this.#renewalFailing)
    );
  }

  /** The token to keep serving after a transient renewal failure: the current one, unless it expired or was rejected. */
  #fallbackToken(now: number): TokenSet | undefined {
    const tokens = this.#tokens;
    if (tokens === undefined || tokens.accessToken === this.#rejectedToken) return undefined;
    return tokens.isAccessValid(0, now) ? tokens : undefined;
  }

  /** Whether a token from the store may be served instead of requesting one. */
  #acceptsStored(tokens: TokenSet | undefined, background: boolean): tokens is TokenSet {
    if (!tokens || tokens.accessToken === this.#rejectedToken) return false;
    const now = this.#now();
    if (now >= scheduleFor(tokens, this.#timing, 0).usableUntil) return false;
    // Refreshing ahead: only a newer token than ours saves the request.
    return (
      !background ||
      !this.#tokens ||
      (tokens.expiresAt ?? Number.POSITIVE_INFINITY) >
        (this.#tokens.expiresAt ?? Number.POSITIVE_INFINITY)
    );
  }

  #refreshInBackground(now: number): void {
    if (this.#flight || now < this.#nextBackgroundAttemptAt) return;
    // Success resets the backoff in #install; a failure scheduled the next attempt in #afterFailure.
    this.#startFlight(true).promise.catch(() => {});
  }

  /**
   * Joins the flight in progress or starts one; a caller that needs a token retries in the
   * foreground if a background flight fails. While a permanent failure is held, a new
   * flight is not started: the caller gets the held error without a request.
   */
  #join(): Promise<TokenSet> {
    if (this.#closedReason) return Promise.reject(this.#closedReason);
    let flight = this.#flight;
    if (!flight) {
      const held = this.#failureHold.held(this.#now());
      if (held) return this.#storedOr(held.error);
      flight = this.#startFlight(false);
    }
    return flight.background ? flight.promise.catch(() => this.#join()) : flight.promise;
  }

  /** During a failure hold: a token another process stored, else the held error (no token request). */
  async #storedOr(heldError: unknown): Promise<TokenSet> {
    const stored = await this.#store.get();
    if (this.#acceptsStored(stored, false))
      return this.#install({ tokens: stored, source: 'store', durationMs: 0 }, false);
    throw heldError;
  }

  #startFlight(background: boolean): Flight {
    const controller = new AbortController();
    if (this.#closedReason) controller.abort(this.#closedReason);
    const flight: Flight = {
      background,
      controller,
      promise: this.#obtain(background, controller.signal)
        .then((tokens) => {
          // A token that arrives after close() is not served (the provider may not heed the abort).
          this.#assertOpen();
          return tokens;
        })
        .catch((error: unknown) => this.#afterFailure(error, background))
        .finally(() => {
          if (this.#flight === flight) this.#flight = undefined;
        }),
    };
    this.#flight = flight;
    // Every caller may be waiting on this flight, not only the request that started it: in a
    // Worker it must outlive that request.
    this.#waitUntil?.(flight.promise.catch(() => {}));
    return flight;
  }

  /**
   * After a flight failed: on a transient failure with a token that has not expired, keep
   * serving it (event `token-kept`) and retry in the background with backoff; on a
   * permanent failure of a caller's request, share it for a while ({@link FailureHold}).
   * Otherwise the error goes to the callers.
   */
  #afterFailure(error: unknown, background: boolean): TokenSet {
    const now = this.#now();
    const closed = this.#closedReason !== undefined;
    const failure = classifyFailure(error);
    const sessionOver = SessionExpiredError.isInstance(error);
    if (!closed && !sessionOver && failure.retryable) {
      this.#backgroundAttempts += 1;
      const kept = this.#fallbackToken(now);
      const retryInMs = this.#backgroundRetryDelayMs(failure, kept, now);
      this.#nextBackgroundAttemptAt = now + retryInMs;
      if (kept) {
        this.#renewalFailing = true;
        this.#emit({
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
      this.#failureHold.hold(error, now);
    }
    throw error;
  }

  /** Backoff for the next background attempt; without a `Retry-After`, at most half of what is left of the kept token, so a retry comes before it expires. */
  #backgroundRetryDelayMs(
    failure: ReturnType<typeof classifyFailure>,
    kept: TokenSet | undefined,
    now: number,
  ): number {
    const delay = retryDelayMs(this.#retry, this.#backgroundAttempts, failure, Math.random());
    if (failure.retryAfterMs !== undefined || kept?.expiresAt === undefined) return delay;
    return Math.min(delay, Math.max(0, (kept.expiresAt - now) / 2));
  }

  /** One flight: store, then lock (or the other holder's result), store again, then the provider. */
  async #obtain(background: boolean, signal: AbortSignal): Promise<TokenSet> {
    const accept = (tokens: TokenSet | undefined): tokens is TokenSet =>
      this.#acceptsStored(tokens, background);
    const stored = await this.#store.get();
    if (accept(stored))
      return this.#install({ tokens: stored, source: 'store', durationMs: 0 }, background);
    this.#assertOpen();
    const outcome = await this.#store.lockOrWait(this.#lockTtlMs, accept, signal);
    if (outcome.kind === 'adopted' || outcome.kind === 'gave-up') {
      this.#emit({ type: 'lock-waited', adopted: outcome.kind === 'adopted' });
    }
    if (outcome.kind === 'adopted')
      return this.#install({ tokens: outcome.tokens, source: 'store', durationMs: 0 }, background);
    try {
      let latest: TokenSet | undefined = stored;
      if (outcome.kind === 'locked') {
        latest = await this.#store.get();
        if (accept(latest))
          return this.#install({ tokens: latest, source: 'store', durationMs: 0 }, background);
      }
      let obtained: Obtained;
      try {
        this.#assertOpen();
        obtained = await this.#requestWithRetry(
          newestWithRefreshToken(latest, this.#tokens),
          background,
          signal,
        );
      } catch (error) {
        this.#keepStoredThrough(error, latest, background);
        throw error;
      }
      if (obtained.source !== 'store') await this.#store.set(obtained.tokens);
      return this.#install(obtained, background);
    } finally {
      if (outcome.kind === 'locked') await this.#store.release(outcome.lock);
    }
  }

  /**
   * A process without a usable token in memory (a fresh CLI run, a restarted worker) whose
   * renewal failed transiently takes the store's unexpired token, even inside the skew, so
   * {@link TokenManager.#afterFailure} can keep it in service as it would its own.
   */
  #keepStoredThrough(error: unknown, stored: TokenSet | undefined, background: boolean): void {
    const now = this.#now();
    if (
      !stored ||
      this.#fallbackToken(now) ||
      !classifyFailure(error).retryable ||
      stored.accessToken === this.#rejectedToken ||
      !stored.isAccessValid(0, now)
    )
      return;
    this.#install({ tokens: stored, source: 'store', durationMs: 0 }, background);
  }

  async #requestWithRetry(
    base: TokenSet | undefined,
    background: boolean,
    signal: AbortSignal,
  ): Promise<Obtained> {
    // With a token to fall back on, one attempt: further ones run in the background.
    const maxAttempts =
      background || this.#fallbackToken(this.#now()) ? 1 : this.#retry.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#request(base, signal);
      } catch (error) {
        if (SessionExpiredError.isInstance(error) || signal.aborted) throw error;
        const failure = classifyFailure(error);
        const retryInMs = retryDelayMs(this.#retry, attempt, failure, Math.random());
        const willRetry =
          failure.retryable && attempt < maxAttempts && retryInMs <= this.#retry.maxDelayMs;
        this.#emit({
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

  /** Refresh token first; when it is refused (see {@link refreshRefused}), adopt a rotation by another process, else sign in again or end the session. */
  async #request(base: TokenSet | undefined, signal: AbortSignal): Promise<Obtained> {
    const provider = this.#provider;
    const canReauthenticate = provider.canReauthenticate !== false;
    const startedAt = this.#now();
    if (base && provider.refreshToken && base.isRefreshValid(0, startedAt)) {
      try {
        const refreshed = await provider.refreshToken(base, { signal });
        const tokens = refreshed.refreshToken
          ? refreshed
          : refreshed.with({
              refreshToken: base.refreshToken,
              refreshExpiresAt: base.refreshExpiresAt,
            });
        return {
          tokens: this.#checkedOnArrival(tokens, startedAt),
          source: 'refreshed',
          durationMs: this.#now() - startedAt,
        };
      } catch (error) {
        if (!refreshRefused(error)) throw error;
        const stored = await this.#store.get();
        if (stored?.refreshToken && stored.refreshToken !== base.refreshToken) {
          // Another process rotated the refresh token: use its result, or refresh from it.
          if (this.#acceptsStored(stored, false))
            return { tokens: stored, source: 'store', durationMs: 0 };
          return this.#request(stored, signal);
        }
        if (!canReauthenticate) return this.#endSession(error);
      }
    } else if (base?.refreshToken && !canReauthenticate) {
      return this.#endSession(undefined);
    }
    try {
      const tokens = await provider.fetchToken({ signal });
      return {
        tokens: this.#checkedOnArrival(tokens, startedAt),
        source: 'fetched',
        durationMs: this.#now() - startedAt,
      };
    } catch (error) {
      if (!canReauthenticate && refreshRefused(error)) return this.#endSession(error);
      if (provider.interactive && !signal.aborted && classifyFailure(error).retryable) {
        // The person has acted (opened the browser, typed the code): asking again on our own
        // would surprise them, so even a transient failure ends this sign-in.
        throw new AuthError(
          'a sign-in that needs a person failed; it is not retried on its own (call getToken() to start over)',
          'interaction_failed',
          { cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * A token from the provider, with `issuedAt` set when it had none; one that had expired
   * by the time it arrived is refused, never served.
   *
   * @throws {TokenResponseError} With code `token_expired`.
   */
  #checkedOnArrival(tokens: TokenSet, requestedAt: number): TokenSet {
    const now = this.#now();
    if (!tokens.isAccessValid(0, now)) {
      throw new TokenResponseError(
        `the token from the provider expired at ${isoTime(tokens.expiresAt ?? now)}, before it arrived`,
        { code: 'token_expired' },
      );
    }
    return tokens.issuedAt === undefined ? tokens.with({ issuedAt: requestedAt }) : tokens;
  }

  async #endSession(cause: unknown): Promise<never> {
    const error = new SessionExpiredError(undefined, { cause });
    await this.clear();
    this.#emit({ type: 'session-expired', error });
    throw error;
  }

  #install(obtained: Obtained, background: boolean): TokenSet {
    const { tokens, source, durationMs } = obtained;
    this.#tokens = tokens;
    this.#schedule = scheduleFor(tokens, this.#timing, Math.random());
    this.#backgroundAttempts = 0;
    this.#nextBackgroundAttemptAt = Number.NEGATIVE_INFINITY;
    this.#renewalFailing = false;
    this.#failureHold.reset();
    const type =
      source === 'store'
        ? 'token-adopted'
        : source === 'refreshed'
          ? 'token-refreshed'
          : 'token-fetched';
    this.#emit({
      type,
      fingerprint: tokens.fingerprint,
      expiresAt: tokens.expiresAt,
      background,
      durationMs,
    });
    return tokens;
  }

  async #toCallerError(promise: Promise<TokenSet>): Promise<TokenSet> {
    try {
      return await promise;
    } catch (error) {
      if (SessionExpiredError.isInstance(error) || AuthenticationError.isInstance(error))
        throw error;
      if (AuthError.isInstance(error) && error.code === 'manager_closed') throw error;
      const reason = error instanceof Error ? error.message : 'unknown error';
      throw new AuthenticationError(
        `could not obtain a token for ${this.#serviceName}: ${reason}`,
        {
          serviceName: this.#serviceName,
          cause: error,
        },
      );
    }
  }

  #assertOpen(): void {
    if (this.#closedReason) throw this.#closedReason;
  }

  #emit(event: DistributiveOmit<TokenManagerEvent, 'key' | 'at'>): void {
    if (!this.#onEvent) return;
    try {
      this.#onEvent({ ...event, key: this.#key, at: this.#now() } as TokenManagerEvent);
    } catch {
      // A failing listener must not break token delivery.
    }
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new TypeError(`${name} must be a non-negative number of milliseconds`);
  return value;
}

/** The token set to refresh from: the store's (it may hold a rotation) unless only memory has a refresh token. */
function newestWithRefreshToken(
  stored: TokenSet | undefined,
  inMemory: TokenSet | undefined,
): TokenSet | undefined {
  if (stored?.refreshToken) return stored;
  return inMemory?.refreshToken ? inMemory : (stored ?? inMemory);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function prefixed(prefix: string, record: ProviderDescription): ProviderDescription {
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => [`${prefix}${name}`, value]),
  );
}
