import type { TokenProvider } from '@auth/core';
import { presence } from '@auth/core/internal';
import type { ClientOptions, DPoPOptions, EndpointOptions } from './endpoint-options.js';
import { grantProvider } from './internal/grant-provider.js';
import { tokenTarget } from './internal/options.js';
import { TokenClient } from './internal/token-client.js';
import { checkSource, readTokenInput, subjectCacheKey } from './internal/token-input.js';

/** RFC 8693 §2.1: the grant type of a token exchange. */
export const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3 token type of an OAuth access token. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** A token given directly or obtained on demand (e.g. from another `TokenManager`). */
export type TokenInput = string | (() => string | Promise<string>);

/** Options of {@link tokenExchange}. */
export interface TokenExchangeOptions extends EndpointOptions, ClientOptions, DPoPOptions {
  /** The token to exchange (`subject_token`). */
  subjectToken: TokenInput;
  /** Its type. Default `urn:ietf:params:oauth:token-type:access_token`. */
  subjectTokenType?: string;
  /** Who acts on the subject's behalf (`actor_token`). */
  actorToken?: TokenInput;
  /** The actor token's type. Default the access token type. */
  actorTokenType?: string;
  /** `requested_token_type`. */
  requestedTokenType?: string;
  /** The logical name of the service the token is for (`audience`). */
  audience?: string;
  /** RFC 8707 resource indicator(s): where the token will be used. */
  resource?: string | readonly string[];
  /** The scope to request, space-separated or as a list. */
  scope?: string | readonly string[];
  /** Tells subjects apart in the cache key when `subjectToken` is a function. */
  subjectKey?: string;
}

/**
 * OAuth 2.0 Token Exchange (RFC 8693 §2.1): trades a subject token (and optionally an actor
 * token) for a token for another audience or resource. The server's `issued_token_type`
 * and `token_type` (which may be `N_A`) are accepted as given.
 *
 * @param options - See {@link TokenExchangeOptions}.
 * @returns A provider for a `TokenManager`.
 * @throws {TypeError} Missing or conflicting settings (named in the message).
 * @example
 * ```ts
 * import type { TokenManager } from '@auth/core';
 * import { tokenExchange } from '@auth/oauth';
 *
 * declare const upstreamManager: TokenManager;
 * const downstream = tokenExchange({
 *   issuer: 'https://login.example.com',
 *   clientId: 'gateway',
 *   clientSecret: process.env.CLIENT_SECRET!,
 *   subjectToken: () => upstreamManager.getToken().then((t) => t.accessToken),
 *   audience: 'https://orders.internal',
 * });
 * ```
 */
export function tokenExchange(options: TokenExchangeOptions): TokenProvider {
  const client = new TokenClient('tokenExchange', options);
  const { subjectToken, actorToken } = options;
  checkSource('subjectToken', subjectToken, true);
  checkSource('actorToken', actorToken, false);
  const target = tokenTarget(options);
  return grantProvider({
    name: 'tokenExchange',
    cacheKey: subjectCacheKey(client, 'token_exchange', options.subjectKey, target, [
      subjectToken,
      actorToken,
    ]),
    canReauthenticate: true,
    description: {
      type: 'token_exchange',
      ...client.describe(),
      subjectToken: presence(subjectToken),
      actorToken: presence(actorToken),
      audience: target.audience,
      resource: target.resource.join(' ') || undefined,
      scope: target.scope,
    },
    fetchToken: async ({ signal } = {}) => {
      const subject = await readTokenInput(subjectToken);
      const actor = actorToken === undefined ? undefined : await readTokenInput(actorToken);
      return client.grant(
        TOKEN_EXCHANGE_GRANT,
        {
          subject_token: subject,
          subject_token_type: options.subjectTokenType ?? ACCESS_TOKEN_TYPE,
          actor_token: actor,
          actor_token_type:
            actor === undefined ? undefined : (options.actorTokenType ?? ACCESS_TOKEN_TYPE),
          requested_token_type: options.requestedTokenType,
          ...target,
        },
        signal,
      );
    },
    refreshToken: (current, { signal } = {}) => client.refresh(current.refreshToken, signal),
  });
}
