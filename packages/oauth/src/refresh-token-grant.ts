import { type TokenProvider, TokenResponseError, TokenSet } from '@auth/core';
import { presence } from '@auth/core/internal';
import type { ClientOptions, DPoPOptions, EndpointOptions } from './endpoint-options.js';
import { grantProvider } from './internal/grant-provider.js';
import { requiredString, scopeString } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';

/** Options of {@link refreshTokenGrant}. */
export interface RefreshTokenGrantOptions extends EndpointOptions, ClientOptions, DPoPOptions {
  /** The refresh token to start from (e.g. from a login done elsewhere). */
  refreshToken: string;
  /**
   * The access token issued with `refreshToken`, when you hold both: it is served first,
   * with no request, and refreshed when due. Without `expiresAt`, a JWT's `exp` is its
   * expiry; an opaque token without `expiresAt` is used until a server rejects it (a 401
   * through `tokenAuth` refreshes it).
   */
  accessToken?: string;
  /** When `accessToken` expires (epoch ms). Only with `accessToken`. */
  expiresAt?: number;
  /** A narrower scope to request (RFC 6749 §6). */
  scope?: string | readonly string[];
}

/**
 * A provider that starts from a refresh token (RFC 6749 §6), and optionally the access
 * token issued with it: the first fetch serves that access token while it is unexpired,
 * or else redeems the refresh token; later renewals use the newest (rotated) refresh
 * token the manager holds. It cannot sign in again (`canReauthenticate` is false): once
 * the refresh token is rejected, a `TokenManager` ends the session with
 * `SessionExpiredError`.
 *
 * @param options - See {@link RefreshTokenGrantOptions}.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or conflicting settings (named in the message), or an access
 *   token or expiry a `TokenSet` refuses (e.g. a non-finite `expiresAt`).
 * @example
 * ```ts
 * import { TokenManager } from '@auth/core';
 * import { refreshTokenGrant } from '@auth/oauth';
 *
 * declare const saved: { accessToken: string; expiresAt: number; refreshToken: string };
 * // Both tokens from a login done elsewhere: no need to seed the store by hand.
 * const manager = new TokenManager({
 *   provider: refreshTokenGrant({
 *     issuer: 'https://login.example.com',
 *     clientId: 'cli',
 *     accessToken: saved.accessToken,
 *     expiresAt: saved.expiresAt,
 *     refreshToken: saved.refreshToken,
 *   }),
 * });
 * ```
 */
export function refreshTokenGrant(options: RefreshTokenGrantOptions): TokenProvider {
  const client = new TokenClient('refreshTokenGrant', options);
  const refreshToken = requiredString('refreshTokenGrant', 'refreshToken', options.refreshToken);
  const scope = scopeString(options.scope);
  let handedIn = handedInTokens(options, refreshToken, client.now);
  const request = (token: string, signal: AbortSignal | undefined) =>
    client.grant('refresh_token', { refresh_token: token, scope }, signal);
  return grantProvider({
    name: 'refreshTokenGrant',
    cacheKey: client.cacheKey({
      grant: 'refresh_token',
      scope,
      secrets: [refreshToken],
    }),
    canReauthenticate: false,
    description: {
      type: 'refresh_token',
      ...client.describe(),
      accessToken: presence(options.accessToken),
      refreshToken: 'set',
      scope,
    },
    fetchToken: async ({ signal } = {}) => {
      // The handed-in pair serves the first fetch only: later fetches (after clear(), or in
      // a process that finds no stored token) redeem the refresh token.
      const first = handedIn;
      handedIn = undefined;
      if (first?.isAccessValid(0, client.now())) return first;
      // A server that does not rotate answers without a refresh token: the one redeemed stays
      // valid (RFC 6749 §6). The manager carries it over on its refresh path; a fetch is the
      // provider's own, so it keeps it here.
      const tokens = await request(refreshToken, signal);
      return tokens.refreshToken ? tokens : tokens.with({ refreshToken });
    },
    refreshToken: (current, { signal } = {}) => {
      if (!current.refreshToken)
        throw new TypeError('refresh needs a token set with a refresh token');
      return request(current.refreshToken, signal);
    },
  });
}

/**
 * The handed-in pair as a token set, or `undefined` without `accessToken` or when a JWT
 * access token has already expired.
 */
function handedInTokens(
  options: RefreshTokenGrantOptions,
  refreshToken: string,
  now: () => number,
): TokenSet | undefined {
  const { accessToken, expiresAt } = options;
  if (accessToken === undefined) {
    if (expiresAt !== undefined)
      throw new TypeError('refreshTokenGrant: expiresAt applies only with accessToken');
    return undefined;
  }
  const tokenType = options.dpop === undefined ? 'Bearer' : 'DPoP';
  try {
    if (expiresAt !== undefined)
      return new TokenSet({ accessToken, tokenType, expiresAt, refreshToken, issuedAt: now() });
    return TokenSet.fromResponse(
      { access_token: accessToken, token_type: tokenType, refresh_token: refreshToken },
      { now },
    );
  } catch (error) {
    if (TokenResponseError.isInstance(error) && error.code === 'token_expired') return undefined;
    const reason = error instanceof Error ? error.message : 'invalid';
    throw new TypeError(`refreshTokenGrant: accessToken or expiresAt is not usable: ${reason}`, {
      cause: error,
    });
  }
}
