import { readJwtTimes } from './internal/encoding/jwt.js';
import { redacted } from './internal/redaction.js';
import type { ProviderDescription, TokenProvider } from './token-provider.js';
import { TokenSet } from './token-set.js';

/** Options of {@link tokenFunction}. */
export interface TokenFunctionOptions {
  /** The cache identity of the tokens `fn` returns. Required: the function's identity is not knowable. */
  cacheKey: string;
  /**
   * How long a returned token may be used, in ms. Without it, a JWT's `exp` claim decides;
   * a token with neither is used until the server rejects it (a 401 through `tokenAuth`).
   */
  ttlMs?: number;
  /** The clock. Default `Date.now`. */
  now?: () => number;
}

/**
 * A provider over an external callable that returns a token: a secret manager, a
 * metadata server, a command such as `gcloud auth print-access-token`. Accepts the raw
 * token or `"Bearer <token>"`. Put it under a {@link TokenManager} (or use
 * `bearerAuth(fn)`) so `fn` is called once per `ttlMs` or JWT lifetime, not per request.
 *
 * @param fn - Returns the token, sync or async.
 * @param options - `cacheKey`, `ttlMs`, `now`.
 * @returns A provider that calls `fn` on each token request.
 * @throws {TypeError} A missing `cacheKey` or an invalid `ttlMs`.
 * @example
 * ```ts
 * import { TokenManager, tokenFunction } from '@auth/core';
 *
 * declare const vault: { read(path: string): Promise<string> };
 * const manager = new TokenManager({
 *   provider: tokenFunction(() => vault.read('api-token'), { cacheKey: 'vault:api-token', ttlMs: 300_000 }),
 * });
 * ```
 */
export function tokenFunction(
  fn: () => string | Promise<string>,
  options: TokenFunctionOptions,
): TokenProvider {
  if (typeof fn !== 'function') throw new TypeError('tokenFunction needs a function');
  if (typeof options?.cacheKey !== 'string' || options.cacheKey === '') {
    throw new TypeError('tokenFunction needs a non-empty cacheKey option');
  }
  const { cacheKey, ttlMs } = options;
  if (ttlMs !== undefined && (!Number.isFinite(ttlMs) || ttlMs <= 0)) {
    throw new TypeError('ttlMs must be a positive number of milliseconds');
  }
  const now = options.now ?? Date.now;
  const describe = (): ProviderDescription => ({ type: 'function', cacheKey, ttlMs });
  return redacted('tokenFunction', describe, {
    cacheKey,
    canReauthenticate: true,
    async fetchToken() {
      const { tokenType, accessToken } = splitScheme(await fn());
      const issuedAt = now();
      const expiresAt =
        ttlMs === undefined ? readJwtTimes(accessToken)?.expiresAt : issuedAt + ttlMs;
      return new TokenSet({ accessToken, tokenType, expiresAt, issuedAt });
    },
    describe,
  });
}

/** Splits `"Bearer abc"` into its scheme and token; a bare token is a Bearer token. */
function splitScheme(value: unknown): { tokenType: string; accessToken: string } {
  if (typeof value !== 'string') throw new TypeError('the token function must return a string');
  const trimmed = value.trim();
  const match = /^(bearer|dpop)\s+(\S+)$/i.exec(trimmed);
  return match
    ? { tokenType: match[1]!, accessToken: match[2]! }
    : { tokenType: 'Bearer', accessToken: trimmed };
}
