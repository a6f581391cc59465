import { type TokenManager, tokenAuth } from '@auth/core';
import got from 'got';
import { authHooks } from './got-auth-hooks.js';

export function createApiClient(manager: TokenManager, apiUrl: string) {
  // Credentials go to apiUrl's origin only, at every redirect hop; a 401 renews and retries.
  return got.extend({ prefixUrl: apiUrl, hooks: authHooks(tokenAuth(manager), [apiUrl]) });
}
