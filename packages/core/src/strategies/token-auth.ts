import { redacted } from '../internal/redaction.js';
import type { TokenManager } from '../token-manager.js';
import type { TokenSet } from '../token-set.js';
import type { AuthStrategy } from './auth-strategy.js';

/** What {@link tokenAuth} needs of a manager (any copy of `TokenManager` fits). */
export type TokenSource = Pick<TokenManager, 'getToken' | 'forceRefresh' | 'key'> &
  Partial<Pick<TokenManager, 'peekToken'>>;

/**
 * Credentials from a {@link TokenManager}: `Authorization: <type> <token>` on every
 * request, and on a 401 one `forceRefresh({ rejected })` with the token that was sent,
 * so a burst of 401s for the same token makes a single token request.
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
export function tokenAuth(manager: TokenSource): AuthStrategy {
  if (typeof manager?.getToken !== 'function' || typeof manager.forceRefresh !== 'function') {
    throw new TypeError('tokenAuth needs a TokenManager');
  }
  const summary = () => ({ type: 'token', key: manager.key });
  // One header object per token: steady-state requests allocate nothing and await nothing.
  let lastTokens: TokenSet | undefined;
  let lastHeaders: Record<string, string> = {};
  const headersFor = (tokens: TokenSet) => {
    if (tokens !== lastTokens) {
      lastTokens = tokens;
      lastHeaders = Object.freeze({ Authorization: tokens.authorizationHeader });
    }
    return lastHeaders;
  };
  return redacted('tokenAuth', summary, {
    authenticate() {
      const ready = manager.peekToken?.();
      return ready ? headersFor(ready) : manager.getToken().then(headersFor);
    },
    async onUnauthorized({ request }) {
      const sent = request.headers.get('authorization');
      const rejected = sent?.slice(sent.indexOf(' ') + 1);
      await manager.forceRefresh(rejected ? { rejected } : {});
      return true;
    },
  });
}
