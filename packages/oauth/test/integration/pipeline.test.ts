import type { IncomingMessage, ServerResponse } from 'node:http';
import { MemoryTokenStore, TokenEndpointError, TokenManager } from '@auth/core';
import { type LoopbackServer, listenOnLoopback, readBody, sendJson } from '@auth/testing/http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpTokenStep, tokenPipeline } from '../../src/index.js';
import { caught, manualClock } from './support.js';

/** A two-endpoint login API: `/app` issues app tokens, `/user` issues user tokens for a valid app token. */
let api: LoopbackServer;
const counts = { app: 0, user: 0 };
const appTokens = new Set<string>();
let failUserWith: number | undefined;

beforeAll(async () => {
  let serial = 0;
  api = await listenOnLoopback(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (req.url === '/app') {
      counts.app++;
      if (JSON.parse(body).key !== 'app-key') return sendJson(res, 401, { message: 'bad key' });
      const token = `app-${++serial}`;
      appTokens.add(token);
      return sendJson(res, 200, { data: { token, expires_in: 3600 } });
    }
    counts.user++;
    if (failUserWith) return sendJson(res, failUserWith, { message: 'down' });
    if (!appTokens.has(String(req.headers['x-app-token'])))
      return sendJson(res, 401, { error: 'invalid_client' });
    return sendJson(res, 200, { session: { token: `user-${++serial}` } });
  });
});
afterAll(() => api.close());
beforeEach(() => {
  counts.app = 0;
  counts.user = 0;
  failUserWith = undefined;
});

const steps = (now: () => number) => [
  httpTokenStep({
    name: 'app',
    url: `${api.url}/app`,
    body: () => ({ key: 'app-key' }),
    tokenPath: 'data.token',
    expiresInPath: 'data.expires_in',
    ttlMs: 600_000,
    now,
  }),
  httpTokenStep({
    name: 'user',
    url: `${api.url}/user`,
    dependsOn: ['app'],
    headers: ({ tokens }) => ({ 'X-App-Token': tokens.app!.accessToken }),
    tokenPath: 'session.token',
    ttlMs: 60_000,
    now,
  }),
];

describe('tokenPipeline with httpTokenStep', () => {
  it('gets an app token, then a user token with the app token in a header; each step cached with its own TTL', async () => {
    const clock = manualClock();
    const provider = tokenPipeline({
      steps: steps(clock.now),
      keyPrefix: 'billing',
      store: new MemoryTokenStore({ now: clock.now }),
      now: clock.now,
    });
    expect(provider.cacheKey).toBe('billing:user');
    const manager = new TokenManager({
      provider,
      now: clock.now,
      expirySkewMs: 0,
      refreshAheadMs: 0,
    });
    const first = await manager.getToken();
    expect(first.accessToken).toMatch(/^user-/);
    expect(counts).toEqual({ app: 1, user: 1 });
    await manager.getToken();
    expect(counts).toEqual({ app: 1, user: 1 });

    clock.advance(61_000); // the user token (60 s) expired, the app token (10 min) did not
    await manager.getToken();
    expect(counts).toEqual({ app: 1, user: 2 });

    clock.advance(600_000); // now both expired
    await manager.getToken();
    expect(counts).toEqual({ app: 2, user: 3 });
    await manager.close();
  });

  it('shares one request per step among concurrent fetches', async () => {
    const provider = tokenPipeline({ keyPrefix: 'two-step', steps: steps(Date.now) });
    await Promise.all([provider.fetchToken(), provider.fetchToken(), provider.fetchToken()]);
    expect(counts.app).toBe(1);
    expect(counts.user).toBe(3);
  });

  it('maps a failing step to a retryable TokenEndpointError naming the step', async () => {
    failUserWith = 503;
    const error = await caught(() =>
      tokenPipeline({ keyPrefix: 'two-step', steps: steps(Date.now) }).fetchToken(),
    );
    expect(TokenEndpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect((error as Error).message).toContain('step "user"');
  });

  it('fails at construction on a cycle, an unknown dependsOn name or a duplicate name', () => {
    const step = (name: string, dependsOn: string[] = []) =>
      httpTokenStep({ name, url: `${api.url}/${name}`, dependsOn });
    expect(() =>
      tokenPipeline({ keyPrefix: 'p', steps: [step('a', ['b']), step('b', ['a'])] }),
    ).toThrow(/cycle: a → b → a/);
    expect(() => tokenPipeline({ keyPrefix: 'p', steps: [step('a', ['a'])] })).toThrow(
      /cycle: a → a/,
    );
    expect(() => tokenPipeline({ keyPrefix: 'p', steps: [step('user', ['app'])] })).toThrow(
      /"user" depends on unknown step "app"/,
    );
    expect(() => tokenPipeline({ keyPrefix: 'p', steps: [step('a'), step('a')] })).toThrow(
      /two pipeline steps are named "a"/,
    );
    expect(() => tokenPipeline({ steps: [] } as never)).toThrow(TypeError);
    expect(() => tokenPipeline({ steps: [step('a')] } as never)).toThrow(/keyPrefix/);
  });

  it('describes every step without secrets', () => {
    const provider = tokenPipeline({ keyPrefix: 'two-step', steps: steps(Date.now) });
    expect(provider.describe?.()).toMatchObject({
      type: 'pipeline',
      steps: 'app → user',
      'user.dependsOn': 'app',
    });
    expect(JSON.stringify(provider)).not.toContain('app-key');
  });
});
