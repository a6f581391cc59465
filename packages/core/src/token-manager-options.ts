import type { MemoryTokenStore } from './memory-token-store.js';
import type { TokenManager } from './token-manager.js';
import type { TokenManagerEvent } from './token-manager-events.js';
import type { TokenProvider } from './token-provider.js';
import type { TokenSet } from './token-set.js';
import type { TokenStore } from './token-store.js';

/** Retry settings of a `TokenManager`. */
export interface RetryOptions {
  /** Attempts of a token request a waiting caller makes before the error surfaces. Default 3. */
  maxAttempts?: number;
  /** First backoff delay in ms; doubles per attempt, with jitter. Default 250. */
  baseDelayMs?: number;
  /** Longest delay in ms; a `Retry-After` beyond it ends the retries. Default 30 000. */
  maxDelayMs?: number;
}

/** Options of {@link TokenManager}. Durations in ms. */
export interface TokenManagerOptions {
  /** Where tokens come from. */
  provider: TokenProvider;
  /** Where tokens are kept; share one (file, Redis) to share tokens across processes. Default: a new {@link MemoryTokenStore}. */
  store?: TokenStore;
  /** The store key. Default `provider.cacheKey`. */
  key?: string;
  /** A token is not served within this margin of its expiry (clamped to half its lifetime). Default 30 000. */
  expirySkewMs?: number;
  /** How long before it stops being served a token is renewed in the background (clamped to half its usable lifetime; 0 turns it off). Default 60 000. */
  refreshAheadMs?: number;
  /** How long a cross-process lock is held at most. Default 30 000. */
  lockTtlMs?: number;
  /** Retries of failed token requests. */
  retry?: RetryOptions;
  /** Names the service in {@link AuthenticationError}s. Default: the key. */
  serviceName?: string;
  /** The clock. Default `Date.now`. */
  now?: () => number;
  /** Receives {@link TokenManagerEvent}s (no secrets in them), for logs and metrics. */
  onEvent?: (event: TokenManagerEvent) => void;
  /**
   * Given each token request's promise (background renewals included), to keep the runtime
   * running it after the request that started it has been answered or cancelled: other
   * requests may be waiting on it. In a Cloudflare Worker pass `waitUntil` from
   * `cloudflare:workers`: without it workerd cancels the token request with the request that
   * started it, and the callers that wait for it wait forever. Not needed where a process
   * outlives its requests.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** Options of {@link TokenManager.forceRefresh}. */
export interface ForceRefreshOptions {
  /** The token the server rejected (the `TokenSet` or its access token). If it is no longer current, the current one is returned without a request. */
  rejected?: TokenSet | string;
  /** Stops this caller's wait (the shared request goes on for others). */
  signal?: AbortSignal;
}
