import type { TokenProvider } from '@auth/core';
import type { ClientOptions, DPoPOptions, EndpointOptions } from './endpoint-options.js';
import { grantProvider } from './internal/grant-provider.js';
import { requiredString, scopeString } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';

/** Options of {@link refreshTokenGrant}. */
export interface RefreshTokenGrantOptions extends EndpointOptions, ClientOptions, DPoPOptions {
  /** The refresh token to start from (e.g. from a login done elsewhere). */
  refreshToken: string;
  /** A narrower scope to request (RFC 6749 §6). */
  scope?: string | readonly string[];
}

/**
 * A provider that only has a refresh token (RFC 6749 §6): the first fetch redeems it,
 * later ones use the newest (rotated) refresh token the manager holds. It cannot sign in
 * again (`canReauthenticate` is false): once the refresh token is rejected, a
 * `TokenManager` ends the session with `SessionExpiredError`.
 *
 * @param options - See {@link RefreshTokenGrantOptions}.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or conflicting settings (named in the message).
 * @example
 * ```ts
 * import { refreshTokenGrant } from '@auth/oauth';
 *
 * const provider = refreshTokenGrant({
 *   issuer: 'https://login.example.com',
 *   clientId: 'cli',
 *   refreshToken: savedRefreshToken,
 * });
 * ```
 */
export function refreshTokenGrant(options: RefreshTokenGrantOptions): TokenProvider {
  const client = new TokenClient('refreshTokenGrant', options);
  const refreshToken = requiredString('refreshTokenGrant', 'refreshToken', options.refreshToken);
  const scope = scopeString(options.scope);
  const request = (token: string | undefined, signal: AbortSignal | undefined) =>
    client.grant('refresh_token', { refresh_token: token, scope }, signal);
  return grantProvider({
    name: 'refreshTokenGrant',
    cacheKey: client.cacheKey({
      grant: 'refresh_token',
      scope,
      secrets: [refreshToken],
    }),
    canReauthenticate: false,
    description: { type: 'refresh_token', ...client.describe(), refreshToken: 'set', scope },
    fetchToken: (signal) => request(refreshToken, signal),
    refreshToken: (current, signal) => {
      if (!current.refreshToken)
        throw new TypeError('refresh needs a token set with a refresh token');
      return request(current.refreshToken, signal);
    },
  });
}
