import { inspectSymbol } from '../internal/redaction.js';
import type { TokenManager } from '../token-manager.js';
import type { AuthStrategy } from './auth-strategy.js';

/** What {@link tokenAuth} needs of a manager (any copy of `TokenManager` fits). */
export type TokenSource = Pick<TokenManager, 'getToken' | 'forceRefresh' | 'key'>;

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
 *
 * const api = createAuthFetch({ auth: tokenAuth(new TokenManager({ provider })), baseUrl: 'https://api.example.com' });
 * ```
 */
export function tokenAuth(manager: TokenSource): AuthStrategy {
  if (typeof manager?.getToken !== 'function' || typeof manager.forceRefresh !== 'function') {
    throw new TypeError('tokenAuth needs a TokenManager');
  }
  const summary = () => ({ type: 'token', key: manager.key });
  return {
    async authenticate() {
      return { Authorization: (await manager.getToken()).authorizationHeader };
    },
    async onUnauthorized(req) {
      const sent = req.headers.get('authorization');
      const rejected = sent?.slice(sent.indexOf(' ') + 1);
      await manager.forceRefresh(rejected ? { rejected } : {});
      return true;
    },
    toJSON: summary,
    [inspectSymbol]: () => `tokenAuth(${JSON.stringify(summary())})`,
  } as AuthStrategy;
}
