import { TokenManager, tokenAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { clientCredentials } from '@auth/oauth';
import { expiresIn } from '../narrator.js';
import type { SceneContext, SceneOutcome } from './scene.js';

const LIFETIME_SECONDS = 4;
const RUN_MS = 6_000;
const INTERVAL_MS = 200;
const EXPIRY_SKEW_MS = 1000;
const REFRESH_AHEAD_MS = 2000;

/** Scene 2: a short-lived token renewed in the background while calls keep flowing. */
export async function refreshAhead(context: SceneContext): Promise<SceneOutcome> {
  const { env, narrator } = context;
  narrator.scene(
    'Refresh ahead across a short token lifetime',
    `tokens live ${LIFETIME_SECONDS} s; a call every ${INTERVAL_MS} ms for ${RUN_MS / 1000} s`,
  );
  narrator.say(
    `expirySkewMs ${EXPIRY_SKEW_MS}: a token counts as expired ${EXPIRY_SKEW_MS / 1000} s before its expiry time (clock drift, time on the wire);`,
  );
  narrator.say(
    `refreshAheadMs ${REFRESH_AHEAD_MS}: in the ${REFRESH_AHEAD_MS / 1000} s before that, the next call still gets the current token and a new one is fetched in the background.`,
  );
  env.provider.setAccessTokenTtlSeconds(LIFETIME_SECONDS);
  const { clientId, clientSecret } = env.provider.clients.post;
  let tokenRequests = 0;
  let foregroundRequests = 0;
  const manager = new TokenManager({
    provider: clientCredentials({
      issuer: env.provider.issuer,
      clientId,
      clientSecret,
      authMethod: 'client_secret_post',
    }),
    expirySkewMs: EXPIRY_SKEW_MS,
    refreshAheadMs: REFRESH_AHEAD_MS,
    onEvent(event) {
      if (event.type === 'token-fetched' || event.type === 'token-refreshed') {
        tokenRequests += 1;
        if (!event.background) foregroundRequests += 1;
        const how = event.background
          ? 'in the background, while calls went on'
          : 'while a call waited';
        narrator.event(
          `new token ${event.fingerprint} ${how} (${expiresIn(event.expiresAt)}, took ${event.durationMs} ms)`,
        );
      }
      if (event.type === 'refresh-failed') narrator.event(`refresh failed: ${event.error.message}`);
    },
  });
  const api = createAuthFetch({ auth: tokenAuth(manager), baseUrl: env.api.url });

  const latencies: number[] = [];
  let failures = 0;
  const end = Date.now() + RUN_MS;
  while (Date.now() < end) {
    const started = performance.now();
    const res = await api('/inventory');
    await res.body?.cancel();
    latencies.push(performance.now() - started);
    if (res.status !== 200) failures += 1;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
  }
  env.provider.setAccessTokenTtlSeconds(3600);
  await manager.close();

  const [first = 0, ...rest] = latencies;
  const slowest = Math.max(0, ...rest);
  // Only the very first call may wait: every later token must arrive in the background.
  const noneWaited = foregroundRequests === 1;
  narrator.result(
    `${latencies.length} calls, ${failures} failed, ${tokenRequests} token requests (${foregroundRequests} waited for); first call ${first.toFixed(0)} ms, every later call at most ${slowest.toFixed(0)} ms${noneWaited ? ': after the first, none waited for a token request' : ''}`,
  );
  return { ok: failures === 0 && tokenRequests >= 2 && noneWaited };
}
