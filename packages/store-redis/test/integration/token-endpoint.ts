import { type TokenProvider, TokenSet } from '@auth/core';

/**
 * A tiny client-credentials provider for the test token server (`test-client` /
 * `test-secret`), reading times from `now` so tests can move the clock.
 */
export function testClientProvider(tokenUrl: string, now: () => number): TokenProvider {
  return {
    cacheKey: `client_credentials:${tokenUrl}:test-client`,
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
      if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
      return TokenSet.fromResponse(await response.json(), { now });
    },
  };
}
