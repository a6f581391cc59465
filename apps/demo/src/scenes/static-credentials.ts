import { apiKeyAuth, basicAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { STATIC_CREDENTIALS } from '../environment.js';
import type { SceneContext, SceneOutcome } from './scene.js';

/** Scene 4: credentials that need no token endpoint. */
export async function staticCredentials({ env, narrator }: SceneContext): Promise<SceneOutcome> {
  narrator.scene(
    'An API key and Basic auth',
    'the same createAuthFetch, with strategies that need no token endpoint',
  );
  const withKey = createAuthFetch({
    auth: apiKeyAuth(STATIC_CREDENTIALS.apiKey),
    baseUrl: env.api.url,
  });
  const withBasic = createAuthFetch({
    auth: basicAuth(STATIC_CREDENTIALS.basicUser, STATIC_CREDENTIALS.basicPassword),
    baseUrl: env.api.url,
  });
  const withWrongPassword = createAuthFetch({
    auth: basicAuth(STATIC_CREDENTIALS.basicUser, 'wrong'),
    baseUrl: env.api.url,
  });

  const statuses: number[] = [];
  for (const [label, call] of [
    ['GET /reports with apiKeyAuth (X-API-Key)', () => withKey('/reports')],
    ['GET /admin with basicAuth (RFC 7617, UTF-8 password)', () => withBasic('/admin')],
    ['GET /admin with a wrong password', () => withWrongPassword('/admin')],
  ] as const) {
    const res = await call();
    await res.body?.cancel();
    statuses.push(res.status);
    narrator.say(
      `${label} → ${res.status}${res.status === 401 ? ' (returned as it came: nothing to refresh)' : ''}`,
    );
  }
  narrator.result('fixed credentials go on every request to the API origin, and nowhere else');
  return { ok: statuses.join() === '200,200,401' };
}
