import { TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { clientCredentials } from '@auth/oauth';
import { RedisTokenStore } from '@auth/store-redis';
import { Redis } from 'ioredis';
import { type Contender, drain } from '../contender.js';

/** This project: `createAuthFetch(tokenAuth(manager))` over a `clientCredentials` provider; in the fleet, a shared `RedisTokenStore`. */
export const thisProject: Contender = {
  id: 'auth',
  packageName: '@auth/fetch',
  usage:
    'createAuthFetch({ auth: tokenAuth(new TokenManager({ provider: clientCredentials(…), store })) }), defaults otherwise',
  async create({ tokenUrl, clientId, clientSecret, apiUrl, redisUrl }) {
    const redis = redisUrl ? new Redis(redisUrl) : undefined;
    const manager = new TokenManager({
      provider: clientCredentials({ tokenUrl, clientId, clientSecret }),
      store: redis ? new RedisTokenStore({ redis }) : undefined,
    });
    const authFetch = createAuthFetch({ auth: tokenAuth(manager), baseUrl: apiUrl });
    return {
      get: async (path) => drain(await authFetch(path)),
      async close() {
        await manager.close();
        redis?.disconnect();
      },
    };
  },
};
