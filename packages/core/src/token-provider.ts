import type { TokenSet } from './token-set.js';

/** Options for one token request. */
export interface TokenRequestOptions {
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * What a status screen may print of a provider: plain settings as they are, every secret
 * as `'set'` or `'not set'`, caches left out.
 */
export type ProviderDescription = Record<string, string | number | boolean | undefined>;

/**
 * Where tokens come from: a grant, a fixed token, an external command. A
 * {@link TokenManager} wraps a provider to add caching, sharing and renewal, the way
 * `oauth2.ReuseTokenSource` wraps a `TokenSource`.
 *
 * @example
 * ```ts
 * import { TokenSet, type TokenProvider } from '@auth/core';
 *
 * declare function readTokenSomehow(): Promise<string>;
 * const provider: TokenProvider = {
 *   cacheKey: 'my-service',
 *   async fetchToken() {
 *     return new TokenSet({ accessToken: await readTokenSomehow(), expiresAt: Date.now() + 60_000 });
 *   },
 * };
 * ```
 */
export interface TokenProvider {
  /**
   * Stable identity of the tokens this provider gets; two providers share cached tokens
   * only when they would get the same token. Holds no secret in clear.
   */
  readonly cacheKey: string;
  /** `false` when a refresh token is all the provider has (it cannot sign in again). Default `true`. */
  readonly canReauthenticate?: boolean;
  /**
   * `true` when `fetchToken` needs a person (a browser sign-in, a code to type in): a
   * `TokenManager` never runs it again on its own after it fails, even for a transient cause
   * (the caller gets an `AuthenticationError` whose `cause` is an `AuthError` of code
   * `interaction_failed`; like any permanent failure it is held for a short time, and
   * `forceRefresh()` starts a new sign-in), so nobody is asked twice behind their back.
   * Refreshes are retried as usual. Default `false`.
   */
  readonly interactive?: boolean;
  /**
   * Gets a new token set by the provider's own grant.
   *
   * @param options - `signal` to abort the request.
   * @returns The new tokens.
   */
  fetchToken(options?: TokenRequestOptions): Promise<TokenSet>;
  /**
   * Gets new tokens with `current.refreshToken`, when the provider supports refresh.
   *
   * @param current - The token set holding the refresh token.
   * @param options - `signal` to abort the request.
   * @returns The new tokens; a response without a refresh token keeps none (the manager
   *   carries the old one over).
   */
  refreshToken?(current: TokenSet, options?: TokenRequestOptions): Promise<TokenSet>;
  /** Settings for a status screen, secrets as `'set'`/`'not set'`. */
  describe?(): ProviderDescription;
}
