import { fingerprint } from './internal/crypto/fingerprint.js';
import { isoTime } from './internal/encoding/iso-time.js';
import { readJwtTimes } from './internal/encoding/jwt.js';
import { redacted } from './internal/redaction.js';
import type { ProviderDescription, TokenProvider } from './token-provider.js';
import { TokenSet } from './token-set.js';

/** Options of {@link staticToken}. */
export interface StaticTokenOptions {
  /** The cache identity; default `static:<hash of the token>`. */
  cacheKey?: string;
  /** The `Authorization` scheme. Default `Bearer`. */
  tokenType?: string;
}

/**
 * A provider of one fixed token. When the token is a JWT, its `exp` claim becomes the
 * expiry, so a manager reports it as expired instead of sending it.
 *
 * @param token - The access token.
 * @param options - `cacheKey` and `tokenType`.
 * @returns A provider that always returns the same token set.
 * @throws {TypeError} An empty token or one with whitespace or control characters.
 * @example
 * ```ts
 * import { TokenManager, staticToken } from '@auth/core';
 *
 * const manager = new TokenManager({ provider: staticToken(process.env.API_TOKEN!) });
 * ```
 */
export function staticToken(token: string, options: StaticTokenOptions = {}): TokenProvider {
  const times = typeof token === 'string' ? readJwtTimes(token) : undefined;
  const tokens = new TokenSet({ accessToken: token, tokenType: options.tokenType, ...times });
  const cacheKey = options.cacheKey ?? `static:${fingerprint(token)}`;
  const describe = (): ProviderDescription => ({
    type: 'static',
    token: 'set',
    expiresAt: tokens.expiresAt === undefined ? undefined : isoTime(tokens.expiresAt),
  });
  return redacted('staticToken', describe, {
    cacheKey,
    canReauthenticate: true,
    fetchToken: async () => tokens,
    describe,
  });
}
