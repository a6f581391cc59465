import { type TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch, type FetchFunction } from '@auth/fetch';
import fetch from 'node-fetch';

// node-fetch 3: its own Request, Response and Headers types, the same calls.
export function createApiFetch(manager: TokenManager, apiUrl: string) {
  return createAuthFetch({
    auth: tokenAuth(manager),
    baseUrl: apiUrl, // credentials go to this origin only, at every redirect hop
    fetch: fetch as unknown as FetchFunction,
  });
}
