import { OAuthError, TokenEndpointError, type TokenProvider, TokenSet } from '@auth/core';

/** Options of {@link testClientProvider}. */
export interface TestClientProviderOptions {
  /** The clock, so tests can move time. Default `Date.now`. */
  now?: () => number;
  /** The cache key. Default `client_credentials:<tokenUrl>:test-client`. */
  cacheKey?: string;
}

/**
 * The smallest real client-credentials provider, for tests that need tokens from
 * {@link startTokenServer} without the `@auth/oauth` package (store and adapter tests,
 * child processes): it posts `grant_type=client_credentials` with Basic
 * `test-client:test-secret`, parses the answer with `TokenSet.fromResponse`, and maps
 * failures to `OAuthError` (an RFC 6749 §5.2 body) or `TokenEndpointError` (retryable for
 * 5xx and 429), as real providers do.
 *
 * @param tokenUrl - The token server's `tokenUrl`.
 * @param options - `now` and `cacheKey`.
 * @returns The provider.
 */
export function testClientProvider(
  tokenUrl: string,
  options: TestClientProviderOptions = {},
): TokenProvider {
  const now = options.now ?? Date.now;
  return {
    cacheKey: options.cacheKey ?? `client_credentials:${tokenUrl}:test-client`,
    async fetchToken({ signal } = {}) {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa('test-client:test-secret')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
        signal,
      });
      const text = await response.text();
      const body = parseJson(text);
      if (response.ok) return TokenSet.fromResponse(body, { now });
      const { status } = response;
      if (typeof body?.error === 'string') throw new OAuthError({ error: body.error, status });
      throw new TokenEndpointError(`token endpoint answered ${status}`, {
        status,
        retryable: status >= 500 || status === 429,
      });
    },
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
