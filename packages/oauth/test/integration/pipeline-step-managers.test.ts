import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthenticationError,
  MemoryTokenStore,
  OAuthError,
  TokenManager,
  type TokenManagerEvent,
} from '@auth/core';
import { FileTokenStore } from '@auth/store-file';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenPipeline } from '../../src/index.js';
import { APP_KEY, type LoginApi, loginSteps, startLoginApi } from './login-api.js';
import { caught, leakSurface, manualClock } from './support.js';

let api: LoginApi;
let root: string;
beforeAll(async () => {
  api = await startLoginApi();
  root = await mkdtemp(join(tmpdir(), 'oauth-pipeline-'));
});
afterAll(async () => {
  await api.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => api.reset());

/** Collects events and lets a test wait for the first one that matches. */
function eventWaiter() {
  const events: TokenManagerEvent[] = [];
  const waiters: { match: (event: TokenManagerEvent) => boolean; resolve: () => void }[] = [];
  return {
    events,
    onEvent(event: TokenManagerEvent) {
      events.push(event);
      for (const waiter of waiters.filter((w) => w.match(event))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    next(match: (event: TokenManagerEvent) => boolean): Promise<void> {
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

describe('tokenPipeline: every step is a TokenManager', () => {
  it('does not multiply retries: a failing step is tried once per attempt of the manager around the pipeline', async () => {
    api.failApp(true);
    const manager = new TokenManager({
      provider: tokenPipeline({ keyPrefix: 'retries', steps: loginSteps(api, 'user') }),
      retry: { baseDelayMs: 0 },
    });
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    expect(api.counts.app).toBe(3); // the outer manager's 3 attempts, one request each
  });

  it('refreshes a step ahead of expiry in the background, serving the current token meanwhile', async () => {
    const clock = manualClock();
    const log = eventWaiter();
    const pipeline = tokenPipeline({
      keyPrefix: 'acme',
      steps: loginSteps(api, 'user', clock.now),
      now: clock.now,
      expirySkewMs: 0,
      refreshAheadMs: 600_000,
      onEvent: log.onEvent,
    });
    await pipeline.fetchToken();
    expect(api.counts).toMatchObject({ app: 1, user: 1 });

    // The app token lives 1 h; its refresh point lies in [50 min, 55 min]. At 59 min it is
    // still valid: served at once, renewed behind the caller's back.
    clock.advance(59 * 60_000);
    const renewed = log.next(
      (event) => event.key === 'acme:app' && event.type === 'token-fetched' && event.background,
    );
    await pipeline.fetchToken();
    expect(api.appTokensUsed[1]).toBe(api.appTokensUsed[0]);
    await renewed;
    expect(api.counts.app).toBe(2);

    await pipeline.fetchToken();
    expect(api.appTokensUsed[2]).not.toBe(api.appTokensUsed[0]);
    expect(api.counts).toMatchObject({ app: 2, user: 3 });
  }, 10_000);

  it('reports store faults as store-error events with the step key, and still delivers tokens', async () => {
    // A real store that cannot work: its folder is a regular file.
    const notAFolder = join(root, 'not-a-folder');
    await writeFile(notAFolder, '');
    const log = eventWaiter();
    const pipeline = tokenPipeline({
      keyPrefix: 'acme',
      steps: loginSteps(api, 'user'),
      store: new FileTokenStore({ path: join(notAFolder, 'tokens.json') }),
      onEvent: log.onEvent,
    });
    const tokens = await pipeline.fetchToken();
    expect(tokens.accessToken).toMatch(/^user-/);
    const faults = log.events.filter((event) => event.type === 'store-error');
    expect(faults.length).toBeGreaterThan(0);
    expect(new Set(faults.map((event) => event.key))).toEqual(new Set(['acme:app']));
    expect(new Set(faults.map((event) => event.type === 'store-error' && event.operation))).toEqual(
      new Set(['get', 'lock', 'set']),
    );
    expect(log.events).toContainEqual(
      expect.objectContaining({ type: 'token-fetched', key: 'acme:app' }),
    );
    const surface = leakSurface(log.events, pipeline);
    expect(surface).not.toContain(APP_KEY);
    expect(surface).not.toContain(api.appTokensUsed[0]);
  });

  it('makes one request per step for 100 concurrent callers of two pipelines sharing their app step', async () => {
    const store = new MemoryTokenStore();
    const managers = (['user', 'admin'] as const).map(
      (session) =>
        new TokenManager({
          provider: tokenPipeline({ keyPrefix: 'acme', steps: loginSteps(api, session), store }),
          store,
        }),
    );
    const served = await Promise.all(
      Array.from({ length: 100 }, (_, i) => managers[i % 2]!.getToken()),
    );
    expect(api.counts).toEqual({ app: 1, user: 1, admin: 1 });
    expect(new Set(served.map((tokens) => tokens.accessToken)).size).toBe(2);
    expect(new Set(api.appTokensUsed).size).toBe(1);
  });

  it('shares one request per step among 100 concurrent fetches of one pipeline', async () => {
    const pipeline = tokenPipeline({ keyPrefix: 'acme', steps: loginSteps(api, 'user') });
    await Promise.all(Array.from({ length: 100 }, () => pipeline.fetchToken()));
    // The last step is the caller's TokenManager's to cache: fetchToken always runs it.
    expect(api.counts).toEqual({ app: 1, user: 100, admin: 0 });
  });

  it('renews a dependency the server rejects through its manager, then runs the step once more', async () => {
    const log = eventWaiter();
    const pipeline = tokenPipeline({
      keyPrefix: 'acme',
      steps: loginSteps(api, 'user'),
      onEvent: log.onEvent,
    });
    await pipeline.fetchToken();
    api.forgetAppTokens(); // e.g. the app token was revoked

    const tokens = await pipeline.fetchToken();
    expect(tokens.accessToken).toMatch(/^user-/);
    expect(api.counts).toMatchObject({ app: 2, user: 3 });
    expect(api.appTokensUsed[1]).toBe(api.appTokensUsed[0]);
    expect(api.appTokensUsed[2]).not.toBe(api.appTokensUsed[0]);
    expect(log.events.filter((event) => event.type === 'token-fetched')).toHaveLength(2);
  });

  it('gives up after one renewal when the step still refuses a fresh dependency', async () => {
    api.refuseSessions(true);
    const error = await caught(() =>
      tokenPipeline({ keyPrefix: 'acme', steps: loginSteps(api, 'user') }).fetchToken(),
    );
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(api.counts).toMatchObject({ app: 2, user: 2 });
  });

  it("surfaces a failing dependency as its manager's AuthenticationError, caused by the step's error", async () => {
    const pipeline = tokenPipeline({
      keyPrefix: 'acme',
      steps: loginSteps({ ...api, url: `${api.url}/missing` }, 'user'),
    });
    const error = await caught(() => pipeline.fetchToken());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ serviceName: 'acme:app' });
    expect((error as Error).cause).toMatchObject({ status: 401 });
    expect(leakSurface(error)).not.toContain(APP_KEY);
  });
});
