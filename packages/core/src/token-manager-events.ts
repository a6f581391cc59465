/** Fields every {@link TokenManagerEvent} has. */
export interface TokenManagerEventBase {
  /** The manager's store key (the provider's `cacheKey` unless set): no secret. */
  key: string;
  /** When it happened (epoch ms, from the manager's clock). */
  at: number;
}

/** A token was obtained: `fingerprint` tags it, never the token itself. */
export interface TokenObtainedEvent extends TokenManagerEventBase {
  /**
   * How the token came: `token-fetched` from the provider's grant, `token-refreshed` with
   * the refresh token, `token-adopted` from the store, where another manager put it.
   */
  type: 'token-fetched' | 'token-refreshed' | 'token-adopted';
  /** The token's {@link TokenSet.fingerprint}: a short hash that tags it, not the token. */
  fingerprint: string;
  /** When the access token expires (epoch ms), or `undefined` when it does not say. */
  expiresAt: number | undefined;
  /** Whether it happened in the background, while a valid token was still served. */
  background: boolean;
  /** How long the token request took (ms); 0 for a token adopted from the store. */
  durationMs: number;
}

/** A token request failed. */
export interface RefreshFailedEvent extends TokenManagerEventBase {
  /** Marks a failed token request. */
  type: 'refresh-failed';
  /** Why the request failed; its message and fields hold no secret. */
  error: Error;
  /** Which attempt this was, counting from 1 for each refresh. */
  attempt: number;
  /** Whether it was a background refresh, while a valid token was still served. */
  background: boolean;
  /** Whether the manager will try again (after `retryInMs`). */
  willRetry: boolean;
  /** How long the manager waits before the next attempt (ms); `undefined` when it gives up. */
  retryInMs: number | undefined;
}

/**
 * Renewal failed with a transient error (network, 5xx, 429, a timeout), and the manager
 * keeps serving the current token, which has not expired, while it retries in the
 * background: the expiry skew is a renewal margin, not a wall. Callers see an error only
 * once the token has truly expired or the API rejected it.
 */
export interface TokenKeptEvent extends TokenManagerEventBase {
  /** Marks a token kept in service through a failed renewal. */
  type: 'token-kept';
  /** The kept token's {@link TokenSet.fingerprint}. */
  fingerprint: string;
  /** When the kept token expires (epoch ms), or `undefined` when it does not say. */
  expiresAt: number | undefined;
  /** How long the kept token has left (ms), or `undefined` when it does not expire. */
  remainingMs: number | undefined;
  /** When the manager tries again (ms from now): the next call after it starts the attempt. */
  nextAttemptInMs: number;
  /** Why renewal failed; its message and fields hold no secret. */
  error: Error;
}

/** The store failed; the manager carried on from memory. */
export interface StoreErrorEvent extends TokenManagerEventBase {
  /** Marks a failed store operation. */
  type: 'store-error';
  /** The store operation that failed. */
  operation: 'get' | 'set' | 'delete' | 'lock' | 'unlock' | 'wait';
  /** The store's error, typically a {@link TokenStoreError}. */
  error: Error;
}

/** Another holder had the lock; the manager waited for its result. */
export interface LockWaitEvent extends TokenManagerEventBase {
  /** Marks a wait for another holder of the store's lock. */
  type: 'lock-waited';
  /** Whether the other holder's token arrived (else the manager went on to request one). */
  adopted: boolean;
}

/** The session ended: tokens cleared, the user must log in again. */
export interface SessionExpiredEvent extends TokenManagerEventBase {
  /** Marks the end of the session. */
  type: 'session-expired';
  /** The {@link SessionExpiredError} that callers of `getToken` receive. */
  error: Error;
}

/**
 * What a `TokenManager` reports through `onEvent`, for logs and metrics. Events hold no
 * secret: tokens appear only as fingerprints.
 */
export type TokenManagerEvent =
  | TokenObtainedEvent
  | RefreshFailedEvent
  | TokenKeptEvent
  | StoreErrorEvent
  | LockWaitEvent
  | SessionExpiredEvent;
