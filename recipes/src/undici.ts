import { type TokenManager, tokenAuth } from '@auth/core';
import { authInterceptor } from '@auth/fetch/undici';
import { Agent, interceptors } from 'undici';

export function createApiDispatcher(manager: TokenManager, apiUrl: string) {
  // Credentials go to apiUrl's origin only, at every redirect hop; a 401 renews and retries.
  return new Agent().compose(
    authInterceptor({ auth: tokenAuth(manager), origins: [apiUrl] }),
    interceptors.redirect({ maxRedirections: 5 }),
  );
}
