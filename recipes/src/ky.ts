import { type TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import ky from 'ky';

export function createApiClient(manager: TokenManager, apiUrl: string) {
  // Credentials go to apiUrl's origin only, at every redirect hop; a 401 renews and retries.
  const authFetch = createAuthFetch({ auth: tokenAuth(manager), baseUrl: apiUrl });
  return ky.create({ prefixUrl: apiUrl, fetch: authFetch });
}
