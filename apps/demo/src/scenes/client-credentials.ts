import { TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { clientCredentials } from '@auth/oauth';
import { expiresIn } from '../narrator.js';
import {
  callConcurrently,
  type SceneContext,
  type SceneOutcome,
  tokenRequestCount,
} from './scene.js';

/** The service's own client-credentials setup, reused by the 401 scene. */
export interface ServiceClient {
  manager: TokenManager;
  api: (path: string) => Promise<Response>;
}

/** Builds the service's manager and authenticated fetch, as an application would. */
export function serviceClient({ env }: SceneContext): ServiceClient {
  const { clientId, clientSecret } = env.provider.clients.basic;
  const manager = new TokenManager({
    provider: clientCredentials({ issuer: env.provider.issuer, clientId, clientSecret }),
  });
  const api = createAuthFetch({ auth: tokenAuth(manager), baseUrl: env.api.url });
  return { manager, api: (path) => api(path) };
}

/** Scene 1: many calls, one token request. */
export async function clientCredentialsWithCaching(
  context: SceneContext,
  service: ServiceClient,
): Promise<SceneOutcome> {
  const { narrator } = context;
  narrator.scene(
    'Client credentials with caching',
    '100 API calls (50 at once, then 50 one after another) through createAuthFetch(tokenAuth(manager))',
  );
  const before = tokenRequestCount(context);
  const statuses = await callConcurrently(() => service.api('/orders'), 50);
  for (let i = 0; i < 50; i++) {
    const res = await service.api(`/orders/${i}`);
    await res.body?.cancel();
    statuses.push(res.status);
  }
  const requests = tokenRequestCount(context) - before;
  const tokens = await service.manager.getToken();
  const ok = statuses.filter((status) => status === 200).length;
  narrator.result(
    `${ok} × 200 OK, ${requests} token request (token ${tokens.fingerprint}, ${expiresIn(tokens.expiresAt)})`,
  );
  return { ok: ok === 100 && requests === 1 };
}
