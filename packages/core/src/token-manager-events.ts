/** Fields every {@link TokenManagerEvent} has. */
export interface TokenManagerEventBase {
  /** The manager's store key (the provider's `cacheKey` unless set): no secret. */
  key: string;
  /** When it happened (epoch ms, from the manager's clock). */
  at: number;
}

/** A token was obtained: `fingerprint` tags it, never the token itself. */
export interface TokenObtainedEvent extends TokenManagerEventBase {
  type: 'token-fetched' | 'token-refreshed' | 'token-adopted';
  fingerprint: string;
  expiresAt: number | undefined;
  /** Whether it happened in the background, while a valid token was still served. */
  background: boolean;
  /** How long the token request took (ms); 0 for a token adopted from the store. */
  durationMs: number;
}

/** A token request failed. */
export interface RefreshFailedEvent extends TokenManagerEventBase {
  type: 'refresh-failed';
  error: Error;
  attempt: number;
  background: boolean;
  /** Whether the manager will try again (after `retryInMs`). */
  willRetry: boolean;
  retryInMs: number | undefined;
}

/** The store failed; the manager carried on from memory. */
export interface StoreErrorEvent extends TokenManagerEventBase {
  type: 'store-error';
  operation: 'get' | 'set' | 'delete' | 'lock' | 'unlock' | 'wait';
  error: Error;
}

/** Another holder had the lock; the manager waited for its result. */
export interface LockWaitEvent extends TokenManagerEventBase {
  type: 'lock-waited';
  /** Whether the other holder's token arrived (else the manager went on to request one). */
  adopted: boolean;
}

/** The session ended: tokens cleared, the user must log in again. */
export interface SessionExpiredEvent extends TokenManagerEventBase {
  type: 'session-expired';
  error: Error;
}

/**
 * What a `TokenManager` reports through `onEvent`, for logs and metrics. Events hold no
 * secret: tokens appear only as fingerprints.
 */
export type TokenManagerEvent =
  | TokenObtainedEvent
  | RefreshFailedEvent
  | StoreErrorEvent
  | LockWaitEvent
  | SessionExpiredEvent;
