import { revokeToken } from '@auth/oauth';
import type { ServiceClient } from './client-credentials.js';
import {
  callConcurrently,
  type SceneContext,
  type SceneOutcome,
  tokenRequestCount,
} from './scene.js';

const CALLS = 20;

/** Scene 3: the API refuses a revoked token; one refresh serves every refused call. */
export async function revokedTokenRecovery(
  context: SceneContext,
  service: ServiceClient,
): Promise<SceneOutcome> {
  const { env, narrator } = context;
  narrator.scene(
    'Recovery from a revoked token',
    `the current token is revoked at the provider (RFC 7009), then ${CALLS} calls go out at once`,
  );
  const revoked = await service.manager.getToken();
  const { clientId, clientSecret } = env.provider.clients.basic;
  await revokeToken({
    issuer: env.provider.issuer,
    clientId,
    clientSecret,
    token: revoked.accessToken,
    tokenTypeHint: 'access_token',
  });
  narrator.say(`token ${revoked.fingerprint} revoked; the manager does not know yet`);

  const refusedBefore = env.api.requests.filter((r) => !r.authorized).length;
  const tokensBefore = tokenRequestCount(context);
  const statuses = await callConcurrently(() => service.api('/orders'), CALLS);
  const refused = env.api.requests.filter((r) => !r.authorized).length - refusedBefore;
  const tokenRequests = tokenRequestCount(context) - tokensBefore;
  const ok = statuses.filter((status) => status === 200).length;
  const renewed = await service.manager.getToken();
  narrator.result(
    `${refused} calls got 401 → ${tokenRequests} token request (new token ${renewed.fingerprint}) → retried: ${ok} × 200 OK`,
  );
  return { ok: ok === CALLS && tokenRequests === 1 && renewed.fingerprint !== revoked.fingerprint };
}
