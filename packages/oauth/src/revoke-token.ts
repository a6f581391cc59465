import * as oauth from 'oauth4webapi';
import type { ClientOptions, EndpointOptions } from './endpoint-options.js';
import { requiredString } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';

/** Options of {@link revokeToken}. */
export interface RevokeTokenOptions extends EndpointOptions, ClientOptions {
  /** The token to revoke. */
  token: string;
  /** `access_token` or `refresh_token` (RFC 7009 §2.1). */
  tokenTypeHint?: 'access_token' | 'refresh_token';
  /** The revocation endpoint, when not discovered from `issuer`. */
  revocationUrl?: string | URL;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/**
 * Revokes a token (RFC 7009): the server forgets it (revoking a refresh token usually ends
 * its whole grant). Revoking an unknown or already revoked token succeeds, as §2.2 says.
 *
 * @param options - See {@link RevokeTokenOptions}.
 * @returns When the server confirmed.
 * @throws {TypeError} Missing or conflicting settings (named in the message).
 * @throws {OAuthError} The server refused (e.g. `invalid_client`).
 * @throws {TokenEndpointError} Network failure, timeout, 5xx, …
 * @example
 * ```ts
 * import type { TokenSet } from '@auth/core';
 * import { revokeToken } from '@auth/oauth';
 *
 * declare const tokens: TokenSet; // from the login being signed out
 * await revokeToken({ issuer: 'https://login.example.com', clientId: 'my-cli', token: tokens.refreshToken!, tokenTypeHint: 'refresh_token' });
 * ```
 */
export async function revokeToken(options: RevokeTokenOptions): Promise<void> {
  const token = requiredString('revokeToken', 'token', options.token);
  const client = new TokenClient(
    'revokeToken',
    options,
    { revocation_endpoint: options.revocationUrl },
    'revocation_endpoint',
  );
  const read = await client.post(
    'revocation_endpoint',
    { token_type_hint: options.tokenTypeHint },
    options.signal,
    (as, c, auth, body, requestOptions) =>
      oauth.revocationRequest(as, c, auth, token, {
        ...requestOptions,
        additionalParameters: body,
      }),
  );
  if (read.status >= 300) client.json('the revocation endpoint', read);
}
