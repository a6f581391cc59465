import { type TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import axios from 'axios';

export function createApiClient(manager: TokenManager, apiUrl: string) {
  // Credentials go to apiUrl's origin only, at every redirect hop; a 401 renews and retries.
  const authFetch = createAuthFetch({ auth: tokenAuth(manager), baseUrl: apiUrl });
  return axios.create({ baseURL: apiUrl, adapter: 'fetch', env: { fetch: authFetch } });
}
