import { type TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { fetch } from 'cross-fetch';

// cross-fetch: node-fetch 2 on Node, the platform's fetch elsewhere.
export function createApiFetch(manager: TokenManager, apiUrl: string) {
  return createAuthFetch({
    auth: tokenAuth(manager),
    baseUrl: apiUrl, // credentials go to this origin only, at every redirect hop
    fetch,
  });
}
