import { type TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch, type FetchFunction } from '@auth/fetch';
import fetch from 'node-fetch-2';

// node-fetch 2 (CommonJS), installed here as the npm alias node-fetch-2.
export function createApiFetch(manager: TokenManager, apiUrl: string) {
  return createAuthFetch({
    auth: tokenAuth(manager),
    baseUrl: apiUrl, // credentials go to this origin only, at every redirect hop
    fetch: fetch as unknown as FetchFunction,
  });
}
