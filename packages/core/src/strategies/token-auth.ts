import { redacted } from '../internal/redaction.js';
import type { TokenManager } from '../token-manager.js';
import type { TokenSet } from '../token-set.js';
import type { AuthRequest, AuthStrategy } from './auth-strategy.js';

/**
 * The part of a {@link TokenManager} the token strategies use: read the managed token
 * (`peekToken`, `getToken`) and renew it after a 401 (`forceRefresh`). Named like `PromiseLike`:
 * a `TokenManager`, a copy of it from another install of `@auth/core`, or a test double of this
 * shape fits. It is the consumer's side of the cache, not a source of tokens (that is a
 * {@link TokenProvider}).
 *
 * @example
 * ```ts
 * import { type TokenManagerLike, tokenAuth } from '@auth/core';
 *
 * declare const manager: TokenManagerLike;
 * const auth = tokenAuth(manager);
 * ```
 */
export type TokenManagerLike = Pick<TokenManager, 'getToken' | 'forceRefresh' | 'key'> &
  Partial<Pick<TokenManager, 'peekToken'>>;

/**
 * Credentials from a {@link TokenManager}: `Authorization: <type> <token>` on every
 * request, and on a 401 one `forceRefresh({ rejected })` with the `TokenSet` that was sent
 * (remembered per request object), so a burst of 401s for the same token makes a single token
 * request. The request's `signal` ends its wait for a token.
 *
 * @param manager - The manager that holds the tokens.
 * @returns The strategy.
 * @example
 * ```ts
 * import { TokenManager, tokenAuth } from '@auth/core';
 * import { createAuthFetch } from '@auth/fetch';
 * import { clientCredentials } from '@auth/oauth';
 *
 * const provider = clientCredentials({
 *   issuer: 'https://login.example.com',
 *   clientId: 'svc',
 *   clientSecret: process.env.CLIENT_SECRET!,
 * });
 * const api = createAuthFetch({ auth: tokenAuth(new TokenManager({ provider })), baseUrl: 'https://api.example.com' });
 * ```
 */
export function tokenAuth(manager: TokenManagerLike): AuthStrategy {
  if (typeof manager?.getToken !== 'function' || typeof manager.forceRefresh !== 'function') {
    throw new TypeError('tokenAuth needs a TokenManager');
  }
  const summary = () => ({ type: 'token', key: manager.key });
  // One header object per token: steady-state requests build no headers and await nothing.
  let lastTokens: TokenSet | undefined;
  let lastHeaders: Record<string, string> = {};
  const headersFor = (tokens: TokenSet) => {
    if (tokens !== lastTokens) {
      lastTokens = tokens;
      lastHeaders = Object.freeze({ Authorization: tokens.authorizationHeader });
    }
    return lastHeaders;
  };
  const sent = new WeakMap<AuthRequest, TokenSet>();
  const send = (request: AuthRequest, tokens: TokenSet) => {
    sent.set(request, tokens);
    return headersFor(tokens);
  };
  return redacted('tokenAuth', summary, {
    authenticate(request) {
      const ready = manager.peekToken?.();
      if (ready) return send(request, ready);
      return manager.getToken({ signal: request.signal }).then((tokens) => send(request, tokens));
    },
    async onUnauthorized({ request }) {
      // Without a record (a request this strategy did not authenticate): a plain renewal.
      await manager.forceRefresh({ rejected: sent.get(request), signal: request.signal });
      return true;
    },
  });
}
