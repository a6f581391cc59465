import { type TokenProvider, TokenSet } from '@auth/core';

/**
 * A minimal client-credentials provider for the token server of `@auth/testing`: POST
 * with Basic `test-client:test-secret`, the response parsed with `TokenSet.fromResponse`.
 */
export function benchTokenProvider(tokenUrl: string): TokenProvider {
  return {
    cacheKey: `client_credentials:${tokenUrl}:test-client`,
    async fetchToken(options = {}) {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa('test-client:test-secret')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
        signal: options.signal,
      });
      if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
      return TokenSet.fromResponse((await response.json()) as Record<string, unknown>);
    },
  };
}
