import { OAuthError, TokenEndpointError } from '../errors.js';
import type { TokenProvider } from '../token-provider.js';
import { TokenSet } from '../token-set.js';

/**
 * The instant test clocks count from (2026-01-01T00:00:00Z). Token times are epoch
 * milliseconds and `TokenSet` refuses values that can only be epoch seconds, so tests
 * write their times relative to this.
 */
export const TEST_EPOCH = Date.UTC(2026, 0, 1);

/** A controllable clock for tests; `set` and `at` take milliseconds since {@link TEST_EPOCH}. */
export interface TestClock {
  now: () => number;
  set(ms: number): void;
  advance(ms: number): void;
  /** The absolute instant `ms` after {@link TEST_EPOCH}. */
  at(ms: number): number;
}

/** A clock that only moves when the test moves it, starting `start` ms after {@link TEST_EPOCH}. */
export function testClock(start = 1_000_000): TestClock {
  let current = TEST_EPOCH + start;
  return {
    now: () => current,
    set: (ms) => {
      current = TEST_EPOCH + ms;
    },
    advance: (ms) => {
      current += ms;
    },
    at: (ms) => TEST_EPOCH + ms,
  };
}

/** Settings of {@link scriptedProvider}. */
export interface ScriptedProviderOptions {
  clock: TestClock;
  lifetimeMs?: number;
  withRefreshToken?: boolean;
  canReauthenticate?: boolean;
  /** The provider's `interactive` flag. */
  interactive?: boolean;
  cacheKey?: string;
}

/** Counters and hooks of a {@link scriptedProvider}. */
export interface ScriptedProviderState {
  fetches: number;
  refreshes: number;
  /** Refresh tokens presented to refreshToken(), in order. */
  presentedRefreshTokens: string[];
  /** When set, fetchToken() runs this instead of issuing a token. */
  onFetch?: () => Promise<TokenSet>;
  /** When set, refreshToken() runs this instead of issuing a token. */
  onRefresh?: (current: TokenSet) => Promise<TokenSet>;
  /** Requests wait for this before answering. */
  gate?: Promise<void>;
  /** Issues a token as the provider would. */
  issue(kind: 'fetched' | 'refreshed'): TokenSet;
}

/**
 * A real, in-memory {@link TokenProvider} whose answers a test scripts: it issues
 * numbered tokens (`fetched-1`, `refreshed-2`, …) on the test clock and counts requests.
 */
export function scriptedProvider(options: ScriptedProviderOptions): {
  provider: TokenProvider;
  state: ScriptedProviderState;
} {
  const { clock, lifetimeMs = 60_000, withRefreshToken = false } = options;
  let serial = 0;
  const state: ScriptedProviderState = {
    fetches: 0,
    refreshes: 0,
    presentedRefreshTokens: [],
    issue(kind) {
      serial += 1;
      const now = clock.now();
      return new TokenSet({
        accessToken: `${kind}-${serial}`,
        expiresAt: now + lifetimeMs,
        issuedAt: now,
        refreshToken: withRefreshToken && kind === 'fetched' ? `refresh-${serial}` : undefined,
      });
    },
  };
  const provider: TokenProvider = {
    cacheKey: options.cacheKey ?? 'scripted',
    canReauthenticate: options.canReauthenticate ?? true,
    ...(options.interactive ? { interactive: true } : {}),
    async fetchToken() {
      state.fetches += 1;
      await state.gate;
      return state.onFetch ? state.onFetch() : state.issue('fetched');
    },
  };
  if (withRefreshToken) {
    provider.refreshToken = async (current) => {
      state.refreshes += 1;
      state.presentedRefreshTokens.push(current.refreshToken ?? '');
      await state.gate;
      return state.onRefresh ? state.onRefresh(current) : state.issue('refreshed');
    };
  }
  return { provider, state };
}

/** An `invalid_grant` answer, as an authorization server gives for a dead refresh token. */
export function invalidGrant(): OAuthError {
  return new OAuthError({
    error: 'invalid_grant',
    errorDescription: 'refresh token revoked',
    status: 400,
  });
}

/** The token endpoint's answer during an outage: transient. */
export function serviceUnavailable(): TokenEndpointError {
  return new TokenEndpointError('token endpoint returned HTTP 503', {
    status: 503,
    retryable: true,
  });
}

/** A promise a test resolves when it chooses. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/**
 * Lets every pending promise chain run to completion: one macrotask turn. Background
 * refreshes on in-memory stores use no timers, so after this they have finished.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
