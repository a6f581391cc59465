import { TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { httpTokenStep, tokenPipeline } from '@auth/oauth';
import { type SceneContext, type SceneOutcome, tokenRequestCount } from './scene.js';

const CALLS = 5;

/** Scene 5: an app token from the provider, then a user session fetched with it. */
export async function twoStepPipeline(context: SceneContext): Promise<SceneOutcome> {
  const { env, narrator } = context;
  narrator.scene(
    'A two-step pipeline',
    'step "app": a client-credentials token from the provider; step "session": a user session from a login service, requested with the app token',
  );
  // The app step authenticates the client in the form body (client_secret_post).
  const { clientId, clientSecret } = env.provider.clients.post;
  const provider = tokenPipeline({
    keyPrefix: 'demo',
    steps: [
      httpTokenStep({
        name: 'app',
        url: env.provider.tokenUrl,
        body: () =>
          new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret,
          }),
        expiresInPath: 'expires_in',
      }),
      httpTokenStep({
        name: 'session',
        url: `${env.sessions.url}/sessions`,
        dependsOn: ['app'],
        headers: ({ tokens }) => ({ Authorization: tokens.app!.authorizationHeader }),
        tokenPath: 'session.token',
        expiresInPath: 'session.expires_in',
      }),
    ],
  });
  const manager = new TokenManager({ provider });
  const api = createAuthFetch({ auth: tokenAuth(manager), baseUrl: env.api.url });

  const appBefore = tokenRequestCount(context);
  const sessionsBefore = env.sessions.issued;
  const statuses: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const res = await api('/me');
    await res.body?.cancel();
    statuses.push(res.status);
  }
  const appRequests = tokenRequestCount(context) - appBefore;
  const sessionRequests = env.sessions.issued - sessionsBefore;
  const ok = statuses.filter((status) => status === 200).length;
  narrator.result(
    `${ok} × 200 OK on /me; app token requests: ${appRequests}, session requests: ${sessionRequests}`,
  );
  return { ok: ok === CALLS && appRequests === 1 && sessionRequests === 1 };
}
