import { AuthError } from './errors.js';
import { isoTime } from './internal/encoding/iso-time.js';
import { raceSignal } from './internal/race-signal.js';
import { inspectSymbol } from './internal/redaction.js';
import {
  asError,
  type Emit,
  eventEmitter,
  obtainedEvent,
} from './internal/token-manager/events.js';
import { GuardedStore } from './internal/token-manager/guarded-store.js';
import { fallbackToken, forCaller, Outage } from './internal/token-manager/outage.js';
import {
  adoptsStored,
  fromStore,
  newestWithRefreshToken,
  type Obtained,
  type Renewal,
  renewWithRetry,
} from './internal/token-manager/renewal.js';
import { managerSettings } from './internal/token-manager/settings.js';
import {
  NO_SCHEDULE,
  scheduleFor,
  type TimingPolicy,
  type TokenSchedule,
} from './internal/token-manager/token-timing.js';
import { MemoryTokenStore } from './memory-token-store.js';
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
  readonly #serviceName: string;
  readonly #now: () => number;
  readonly #emit: Emit;
  readonly #renewal: Renewal;
  readonly #waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  /** Set by {@link TokenManager.close}. */
  #closedReason: AuthError | undefined;

  #tokens: TokenSet | undefined;
  #schedule: TokenSchedule = NO_SCHEDULE;
  #rejectedToken: string | undefined;
  #flight: Flight | undefined;
  readonly #outage: Outage;

  /**
   * @param options - See {@link TokenManagerOptions}.
   * @throws {TypeError} A missing provider or an invalid duration.
   */
  constructor(options: TokenManagerOptions) {
    const { provider, key, timing, lockTtlMs, retry, serviceName, now } = managerSettings(options);
    this.#provider = provider;
    this.#key = key;
    this.#timing = timing;
    this.#lockTtlMs = lockTtlMs;
    this.#serviceName = serviceName;
    this.#now = now;
    this.#emit = eventEmitter(options.onEvent, this.#key, this.#now);
    this.#waitUntil = options.waitUntil;
    const fallback = (at: number) => this.#fallbackToken(at);
    this.#outage = new Outage({ retry, now, emit: this.#emit, fallback });
    const store = options.store ?? new MemoryTokenStore({ now: this.#now });
    this.#storeName = store.constructor?.name ?? 'TokenStore';
    this.#store = new GuardedStore(store, this.#key, (operation, error) =>
      this.#emit({ type: 'store-error', operation, error: asError(error) }),
    );
    this.#renewal = {
      provider,
      retry,
      now,
      stored: () => this.#store.get(),
      acceptsStored: (tokens): tokens is TokenSet => this.#acceptsStored(tokens, false),
      clear: () => this.clear(),
      emit: this.#emit,
    };
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
    return (
      this.peekToken() ?? forCaller(raceSignal(this.#join(), options.signal), this.#serviceName)
    );
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
    this.#outage.releaseHold();
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
    return forCaller(raceSignal(this.#join(), options.signal), this.#serviceName);
  }

  /** Forgets the tokens, in memory and in the store. */
  async clear(): Promise<void> {
    this.#tokens = undefined;
    this.#rejectedToken = undefined;
    this.#outage.releaseHold();
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
      (now < this.#schedule.usableUntil || this.#outage.renewalFailing)
    );
  }

  /** See {@link fallbackToken}. */
  #fallbackToken(now: number): TokenSet | undefined {
    return fallbackToken(this.#tokens, this.#rejectedToken, now);
  }

  /** See {@link adoptsStored}. */
  #acceptsStored(tokens: TokenSet | undefined, background: boolean): tokens is TokenSet {
    return adoptsStored(tokens, {
      rejectedToken: this.#rejectedToken,
      current: this.#tokens,
      timing: this.#timing,
      background,
      now: this.#now,
    });
  }

  #refreshInBackground(now: number): void {
    if (this.#flight || !this.#outage.backgroundAttemptDue(now)) return;
    // Success resets the backoff in #install; a failure scheduled the next attempt in Outage.afterFailure.
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
      const held = this.#outage.held(this.#now());
      if (held) return this.#storedOr(held.error);
      flight = this.#startFlight(false);
    }
    return flight.background ? flight.promise.catch(() => this.#join()) : flight.promise;
  }

  /** During a failure hold: a token another process stored, else the held error (no token request). */
  async #storedOr(heldError: unknown): Promise<TokenSet> {
    const stored = await this.#store.get();
    if (this.#acceptsStored(stored, false)) return this.#install(fromStore(stored), false);
    throw heldError;
  }

  #startFlight(background: boolean): Flight {
    // Callers checked the manager is open (#join, peekToken); close() aborts this controller.
    const controller = new AbortController();
    const flight: Flight = {
      background,
      controller,
      promise: this.#obtain(background, controller.signal)
        .then((tokens) => {
          // A token that arrives after close() is not served (the provider may not heed the abort).
          this.#assertOpen();
          return tokens;
        })
        .catch((error: unknown) =>
          this.#outage.afterFailure(error, background, this.#closedReason !== undefined),
        )
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

  /** One flight: store, then lock (or the other holder's result), store again, then the provider. */
  async #obtain(background: boolean, signal: AbortSignal): Promise<TokenSet> {
    const accept = (tokens: TokenSet | undefined): tokens is TokenSet =>
      this.#acceptsStored(tokens, background);
    const stored = await this.#store.get();
    if (accept(stored)) return this.#install(fromStore(stored), background);
    this.#assertOpen();
    const outcome = await this.#store.lockOrWait(this.#lockTtlMs, accept, signal);
    if (outcome.kind === 'adopted' || outcome.kind === 'gave-up') {
      this.#emit({ type: 'lock-waited', adopted: outcome.kind === 'adopted' });
    }
    if (outcome.kind === 'adopted') return this.#install(fromStore(outcome.tokens), background);
    try {
      let latest: TokenSet | undefined = stored;
      if (outcome.kind === 'locked') {
        latest = await this.#store.get();
        if (accept(latest)) return this.#install(fromStore(latest), background);
      }
      let obtained: Obtained;
      try {
        this.#assertOpen();
        const base = newestWithRefreshToken(latest, this.#tokens);
        const oneAttempt = background || this.#fallbackToken(this.#now()) !== undefined;
        obtained = await renewWithRetry(this.#renewal, base, { background, oneAttempt, signal });
      } catch (error) {
        // The store's token is installed, for Outage.afterFailure to keep.
        if (this.#outage.keepsStoredThrough(error, latest, this.#rejectedToken))
          this.#install(fromStore(latest), background);
        throw error;
      }
      if (obtained.source !== 'store') await this.#store.set(obtained.tokens);
      return this.#install(obtained, background);
    } finally {
      if (outcome.kind === 'locked') await this.#store.release(outcome.lock);
    }
  }

  #install({ tokens, source, durationMs }: Obtained, background: boolean): TokenSet {
    this.#tokens = tokens;
    this.#schedule = scheduleFor(tokens, this.#timing, Math.random());
    this.#outage.recovered();
    this.#emit(obtainedEvent(tokens, source, background, durationMs));
    return tokens;
  }

  #assertOpen(): void {
    if (this.#closedReason) throw this.#closedReason;
  }
}

function prefixed(prefix: string, record: ProviderDescription): ProviderDescription {
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => [`${prefix}${name}`, value]),
  );
}
