import type { TokenProvider } from '@auth/core';
import { presence } from '@auth/core/internal';
import type { ClientOptions, DPoPOptions, EndpointOptions } from './endpoint-options.js';
import { grantProvider } from './internal/grant-provider.js';
import { tokenTarget } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';
import { checkSource, readTokenInput, subjectCacheKey } from './internal/token-input.js';
import type { TokenInput } from './token-exchange.js';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Options of {@link jwtBearer}. */
export interface JwtBearerOptions extends EndpointOptions, ClientOptions, DPoPOptions {
  /** The signed JWT assertion, or a function that signs a fresh one for each request. */
  assertion: TokenInput;
  /** The scope to request, space-separated or as a list. */
  scope?: string | readonly string[];
  /** The `audience` parameter many servers use to name the API. */
  audience?: string;
  /** RFC 8707 resource indicator(s). */
  resource?: string | readonly string[];
  /** Tells subjects apart in the cache key when `assertion` is a function. */
  subjectKey?: string;
}

/**
 * The JWT bearer assertion grant (RFC 7523 §2.1): a JWT signed by a party the server
 * trusts is exchanged for an access token. Client authentication is optional (`none` when
 * no secret or key is set). Pass a function to sign a fresh, short-lived assertion for
 * each request.
 *
 * @param options - See {@link JwtBearerOptions}.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or conflicting settings (named in the message).
 * @example
 * ```ts
 * import { jwtBearer } from '@auth/oauth';
 *
 * declare function signAssertionFor(subject: string): Promise<string>;
 * const provider = jwtBearer({
 *   tokenUrl: 'https://login.example.com/token',
 *   clientId: 'batch',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   assertion: () => signAssertionFor('alice'),
 *   subjectKey: 'alice',
 * });
 * ```
 */
export function jwtBearer(options: JwtBearerOptions): TokenProvider {
  const client = new TokenClient('jwtBearer', options);
  checkSource('assertion', options.assertion, true);
  const target = tokenTarget(options);
  return grantProvider({
    name: 'jwtBearer',
    cacheKey: subjectCacheKey(client, 'jwt_bearer', options.subjectKey, target, [
      options.assertion,
    ]),
    canReauthenticate: true,
    description: {
      type: 'jwt_bearer',
      ...client.describe(),
      assertion: presence(options.assertion),
      scope: target.scope,
      audience: target.audience,
    },
    fetchToken: async ({ signal } = {}) =>
      client.grant(
        JWT_BEARER_GRANT,
        { assertion: await readTokenInput(options.assertion), ...target },
        signal,
      ),
    refreshToken: (current, { signal } = {}) => client.refresh(current.refreshToken, signal),
  });
}
