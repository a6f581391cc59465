import { isVisibleAscii } from '../internal/header-values.js';
import { redacted } from '../internal/redaction.js';
import { tokenFunction } from '../token-function.js';
import { TokenManager } from '../token-manager.js';
import type { AuthStrategy } from './auth-strategy.js';
import { type TokenManagerLike, tokenAuth } from './token-auth.js';

/**
 * `Authorization: Bearer <token>` from a fixed token, a {@link TokenManager}, or a
 * function returning the token (raw or `"Bearer <token>"`). A function is wrapped in
 * {@link tokenFunction} under a manager, so it is called once per token lifetime (JWT
 * `exp`) rather than per request, and again after a 401.
 *
 * @param source - The token, a manager, or a function returning the token.
 * @returns The strategy.
 * @throws {TypeError} A token that is empty or holds whitespace or control characters.
 * @example
 * ```ts
 * import { bearerAuth } from '@auth/core';
 *
 * const auth = bearerAuth(process.env.API_TOKEN!);
 * ```
 */
export function bearerAuth(
  source: string | TokenManagerLike | (() => string | Promise<string>),
): AuthStrategy {
  if (typeof source === 'function') {
    return tokenAuth(
      new TokenManager({ provider: tokenFunction(source, { cacheKey: 'bearer-function' }) }),
    );
  }
  if (typeof source !== 'string') return tokenAuth(source);
  const token = source.replace(/^bearer\s+/i, '');
  if (!isVisibleAscii(token))
    throw new TypeError(
      'bearerAuth needs a non-empty token without whitespace or control characters',
    );
  const headers = { Authorization: `Bearer ${token}` };
  return redacted('bearerAuth', () => ({ type: 'bearer', token: 'set' }), {
    authenticate: () => headers,
  });
}
