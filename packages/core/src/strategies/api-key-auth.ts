import { isHeaderToken, isVisibleAscii } from '../internal/header-values.js';
import { redacted } from '../internal/redaction.js';
import type { AuthStrategy } from './auth-strategy.js';

/** Options of {@link apiKeyAuth}. */
export interface ApiKeyAuthOptions {
  /** The header that carries the key. Default `X-API-Key`. */
  header?: string;
}

/**
 * An API key in a header (default `X-API-Key`).
 *
 * @param key - The API key.
 * @param options - `header`: the header name.
 * @returns The strategy.
 * @throws {TypeError} An empty key, one with whitespace or control characters, or an invalid header name.
 * @example
 * ```ts
 * import { apiKeyAuth } from '@auth/core';
 *
 * const auth = apiKeyAuth(process.env.SERVICE_KEY!, { header: 'X-Service-Key' });
 * ```
 */
export function apiKeyAuth(key: string, options: ApiKeyAuthOptions = {}): AuthStrategy {
  const header = options.header ?? 'X-API-Key';
  if (typeof key !== 'string' || !isVisibleAscii(key)) {
    throw new TypeError(
      'apiKeyAuth needs a non-empty key without whitespace or control characters',
    );
  }
  if (!isHeaderToken(header))
    throw new TypeError(`apiKeyAuth header "${header}" is not a valid header name`);
  const headers = { [header]: key };
  const summary = () => ({ type: 'api-key', header, key: 'set' });
  return redacted('apiKeyAuth', summary, {
    authenticate: () => headers,
  });
}
