import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { AuthenticationError, apiKeyAuth, bearerAuth, tokenAuth } from '@auth/core';
import { Agent, interceptors, request, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authRetry } from '../../src/index.js';
import { authInterceptor } from '../../src/undici.js';
import { type RecordingServer, startRecordingServer } from './support/recording-server.js';
import { refusedStrategy } from './support/refused-strategy.js';
import { bearerOf, startTokenFixture, type TokenFixture } from './support/token-fixture.js';

let allowed: RecordingServer;
let other: RecordingServer;
let fixture: TokenFixture;
const agents: Agent[] = [];
beforeAll(async () => {
  [allowed, other] = await Promise.all([startRecordingServer(), startRecordingServer()]);
});
afterAll(() => Promise.all([allowed.close(), other.close()]));
beforeEach(async () => {
  allowed.requests.length = 0;
  other.requests.length = 0;
  fixture = await startTokenFixture();
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
  await fixture.close();
});

function composed(...chain: Parameters<Agent['compose']>) {
  const agent = new Agent();
  agents.push(agent);
  return agent.compose(...chain);
}

async function revokeCurrentToken(): Promise<string> {
  const current = (await fixture.manager.getToken()).accessToken;
  fixture.tokens.revoke(current);
  return current;
}

describe('authInterceptor scoping', () => {
  it('puts credentials on undici.request to allowed origins only', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: bearerAuth('t-1'), origins: [allowed.url] }),
    );
    const inside = await request(`${allowed.url}/in`, { dispatcher });
    const outside = await request(`${other.url}/out`, { dispatcher, headers: { 'x-kept': '1' } });
    expect(inside.statusCode).toBe(200);
    expect(await inside.body.json()).toMatchObject({ path: '/in' });
    await outside.body.text();
    expect(allowed.requestsTo('/in')[0]!.headers.authorization).toBe('Bearer t-1');
    expect(other.requestsTo('/out')[0]!.headers.authorization).toBeUndefined();
    expect(other.requestsTo('/out')[0]!.headers['x-kept']).toBe('1');
  });

  it('works with undici fetch and with Node global fetch given the composed Agent', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: apiKeyAuth('k-1'), origins: [allowed.url] }),
    );
    const viaUndici = await undiciFetch(`${allowed.url}/undici-fetch`, { dispatcher });
    const viaGlobal = await fetch(`${allowed.url}/global-fetch`, { dispatcher } as RequestInit);
    expect([viaUndici.status, viaGlobal.status]).toEqual([200, 200]);
    await Promise.all([viaUndici.text(), viaGlobal.text()]);
    expect(allowed.requestsTo('/undici-fetch')[0]!.headers['x-api-key']).toBe('k-1');
    expect(allowed.requestsTo('/global-fetch')[0]!.headers['x-api-key']).toBe('k-1');
  });

  it('leaves excluded paths without credentials', async () => {
    const dispatcher = composed(
      authInterceptor({
        auth: bearerAuth('t-2'),
        origins: [allowed.url],
        exclude: ['/health', '/public/*'],
      }),
    );
    for (const path of ['/health', '/public/x', '/private']) {
      await (await request(`${allowed.url}${path}?q=1`, { dispatcher })).body.text();
    }
    expect(allowed.requestsTo('/health')[0]!.headers.authorization).toBeUndefined();
    expect(allowed.requestsTo('/public/x')[0]!.headers.authorization).toBeUndefined();
    expect(allowed.requestsTo('/private')[0]!.headers.authorization).toBe('Bearer t-2');
  });

  it('keeps headers given in every undici shape, and an explicit Authorization wins', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: bearerAuth('t-3'), origins: [allowed.url] }),
    );
    const shapes: [string, unknown][] = [
      ['/object', { 'x-a': '1', 'x-multi': ['m1', 'm2'] }],
      ['/flat', ['x-a', '1', 'x-multi', 'm1']],
      [
        '/pairs',
        [
          ['x-a', '1'],
          ['x-multi', 'm1'],
        ],
      ],
      [
        '/iterable',
        new Map([
          ['x-a', '1'],
          ['x-multi', 'm1'],
        ]),
      ],
    ];
    for (const [path, headers] of shapes) {
      await (
        await request(`${allowed.url}${path}`, { dispatcher, headers: headers as never })
      ).body.text();
      const seen = allowed.requestsTo(path)[0]!.headers;
      expect(seen['x-a'], path).toBe('1');
      expect(seen['x-multi'], path).toMatch(/^m1/);
      expect(seen.authorization, path).toBe('Bearer t-3');
    }
    expect(allowed.requestsTo('/object')[0]!.headers['x-multi']).toBe('m1, m2');
    await (
      await request(`${allowed.url}/mine`, {
        dispatcher,
        headers: { Authorization: 'Bearer mine' },
      })
    ).body.text();
    expect(allowed.requestsTo('/mine')[0]!.headers.authorization).toBe('Bearer mine');
  });

  it('never carries credentials across origins on redirects (redirect interceptor after it)', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: apiKeyAuth('k-2'), origins: [allowed.url] }),
      interceptors.redirect({ maxRedirections: 3 }),
    );
    const to = encodeURIComponent(`${other.url}/landed`);
    const response = await request(`${allowed.url}/redirect/302?to=${to}`, { dispatcher });
    expect(response.statusCode).toBe(200);
    await response.body.text();
    expect(allowed.requestsTo('/redirect/302')[0]!.headers['x-api-key']).toBe('k-2');
    expect(other.requestsTo('/landed')[0]!.headers['x-api-key']).toBeUndefined();

    const viaFetch = await undiciFetch(
      `${allowed.url}/redirect/307?to=${encodeURIComponent(`${other.url}/fetched`)}`,
      {
        dispatcher: composed(authInterceptor({ auth: apiKeyAuth('k-2'), origins: [allowed.url] })),
      },
    );
    expect(viaFetch.status).toBe(200);
    await viaFetch.text();
    expect(other.requestsTo('/fetched')[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('checks its options when it is made', () => {
    expect(() => authInterceptor({ auth: bearerAuth('t') } as never)).toThrow(TypeError);
    expect(() =>
      authInterceptor({ auth: bearerAuth('t'), origins: ['http://api.example.com'] }),
    ).toThrow(/plain http/);
    expect(() => authInterceptor({ auth: {} as never, origins: [allowed.url] })).toThrow(TypeError);
  });
});

describe('authInterceptor 401 handling', () => {
  it('refreshes once and retries once for undici.request', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: tokenAuth(fixture.manager), origins: [fixture.api.url] }),
    );
    const revoked = await revokeCurrentToken();
    const response = await request(`${fixture.api.url}/orders`, { dispatcher });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toMatchObject({ ok: true, path: '/orders' });
    expect(fixture.tokens.requestCount).toBe(2);
    expect(bearerOf(fixture.api.requests[0]!.headers.authorization)).toBe(revoked);
    expect(fixture.api.requests[1]!.authorized).toBe(true);
  });

  it('refreshes and retries for undici fetch and Node global fetch', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: tokenAuth(fixture.manager), origins: [fixture.api.url] }),
    );
    await revokeCurrentToken();
    const first = await undiciFetch(`${fixture.api.url}/a`, { dispatcher });
    expect(first.status).toBe(200);
    await first.text();
    await revokeCurrentToken();
    const second = await fetch(`${fixture.api.url}/b`, { dispatcher } as RequestInit);
    expect(second.status).toBe(200);
    await second.text();
    expect(fixture.tokens.requestCount).toBe(3);
  });

  it('makes one token request for 100 concurrent requests refused for the same token', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: tokenAuth(fixture.manager), origins: [fixture.api.url] }),
    );
    await revokeCurrentToken();
    fixture.tokens.resetCount();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const response = await request(`${fixture.api.url}/item/${i}`, { dispatcher });
        await response.body.text();
        return response.statusCode;
      }),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(fixture.tokens.requestCount).toBe(1);
  });

  it('resends a string body intact, and hands back the 401 of a streamed body unretried', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: tokenAuth(fixture.manager), origins: [fixture.api.url] }),
    );
    await revokeCurrentToken();
    const replayed = await request(`${fixture.api.url}/text`, {
      dispatcher,
      method: 'POST',
      body: 'hello ü',
    });
    expect(replayed.statusCode).toBe(200);
    await replayed.body.text();
    expect(fixture.api.requests.map((r) => r.body)).toEqual(['hello ü', 'hello ü']);

    await revokeCurrentToken();
    fixture.api.resetRequests();
    const streamed = await request(`${fixture.api.url}/stream`, {
      dispatcher,
      method: 'POST',
      body: Readable.from(['chunk-1', 'chunk-2']),
    });
    expect(streamed.statusCode).toBe(401);
    expect(streamed.headers['www-authenticate']).toContain('invalid_token');
    expect(await streamed.body.json()).toEqual({ error: 'invalid_token' });
    expect(fixture.api.requests).toHaveLength(1);
  });

  it('hands back the 401 of a fetch with a body, which reaches the dispatcher as a stream', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: tokenAuth(fixture.manager), origins: [fixture.api.url] }),
    );
    await revokeCurrentToken();
    const response = await undiciFetch(`${fixture.api.url}/posted`, {
      dispatcher,
      method: 'POST',
      body: 'payload',
    });
    expect(response.status).toBe(401);
    await response.text();
    expect(fixture.api.requests.map((r) => r.body)).toEqual(['payload']);
  });

  it('gives onUnauthorized the request object it authenticated, with the headers sent and the signal', async () => {
    const { auth, authenticated, refused } = refusedStrategy();
    const controller = new AbortController();
    const dispatcher = composed(authInterceptor({ auth, origins: [fixture.api.url] }));
    const response = await request(`${fixture.api.url}/x`, {
      dispatcher,
      headers: { 'x-caller': '1' },
      signal: controller.signal,
    });
    expect(response.statusCode).toBe(401);
    await response.body.text();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBe(authenticated[0]);
    expect(refused[0]!.headers.get('authorization')).toBe('Bearer dead');
    expect(refused[0]!.headers.get('x-caller')).toBe('1');
    expect(refused[0]!.signal).toBe(controller.signal);
  });

  it('does not dispatch the retry when the caller aborted while credentials were renewed', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const dispatcher = composed(
      authInterceptor({
        auth: {
          authenticate: () => ({ Authorization: 'Bearer refused' }),
          onUnauthorized: async () => {
            controller.abort(reason);
            return true;
          },
        },
        origins: [fixture.api.url],
      }),
    );
    const outcome = await request(`${fixture.api.url}/aborted`, {
      dispatcher,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(outcome).toBe(reason);
    expect(fixture.api.requests).toHaveLength(1);
  });

  it('shows no secret when the interceptor is inspected', () => {
    const secret = 'interceptor-secret-token';
    const interceptor = authInterceptor({ auth: bearerAuth(secret), origins: [allowed.url] });
    const dispatch = interceptor(() => true);
    for (const value of [interceptor, dispatch]) {
      expect(inspect(value, { showHidden: true, depth: 5 })).not.toContain(secret);
      expect(String(value)).not.toContain(secret);
    }
  });

  it('hands back the held 401 unchanged when the policy declines', async () => {
    const dispatcher = composed(
      authInterceptor({
        auth: tokenAuth(fixture.manager),
        origins: [fixture.api.url],
        retry: authRetry.when(() => false),
      }),
    );
    await revokeCurrentToken();
    const response = await request(`${fixture.api.url}/declined`, { dispatcher });
    expect(response.statusCode).toBe(401);
    expect(await response.body.json()).toEqual({ error: 'invalid_token' });
    expect(fixture.tokens.requestCount).toBe(1);
  });

  it('lets authRetry.when read the JSON 401 body, and hands back the 401 with its body intact', async () => {
    const errors: unknown[] = [];
    const retryOn = (wanted: string) =>
      authRetry.when(async ({ response }) => {
        const { error } = (await response.json()) as { error?: string };
        errors.push(error);
        return error === wanted;
      });
    const dispatcherFor = (wanted: string) =>
      composed(
        authInterceptor({
          auth: tokenAuth(fixture.manager),
          origins: [fixture.api.url],
          retry: retryOn(wanted),
        }),
      );
    await revokeCurrentToken();
    const declined = await request(`${fixture.api.url}/declined`, {
      dispatcher: dispatcherFor('insufficient_scope'),
    });
    expect(declined.statusCode).toBe(401);
    expect(await declined.body.json()).toEqual({ error: 'invalid_token' });
    expect(fixture.tokens.requestCount).toBe(1);
    const retried = await request(`${fixture.api.url}/retried`, {
      dispatcher: dispatcherFor('invalid_token'),
    });
    expect(retried.statusCode).toBe(200);
    await retried.body.text();
    expect(fixture.tokens.requestCount).toBe(2);
    expect(errors).toEqual(['invalid_token', 'invalid_token']);
  });

  it('reports a token that cannot be obtained as AuthenticationError', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: tokenAuth(fixture.manager), origins: [fixture.api.url] }),
    );
    fixture.tokens.failNext({ kind: 'oauth-error', error: 'invalid_client', status: 401 }, 2);
    const viaRequest = await request(`${fixture.api.url}/x`, { dispatcher }).catch(
      (e: unknown) => e,
    );
    expect(AuthenticationError.isInstance(viaRequest)).toBe(true);
    const viaFetch = await undiciFetch(`${fixture.api.url}/y`, { dispatcher }).catch(
      (e: unknown) => e,
    );
    expect(viaFetch).toBeInstanceOf(TypeError);
    expect(AuthenticationError.isInstance((viaFetch as Error).cause)).toBe(true);
    expect(fixture.api.requests).toHaveLength(0);
  });

  it('reports a failed refresh after a 401 as AuthenticationError', async () => {
    const dispatcher = composed(
      authInterceptor({ auth: tokenAuth(fixture.manager), origins: [fixture.api.url] }),
    );
    await revokeCurrentToken();
    fixture.tokens.failNext({ kind: 'oauth-error', error: 'invalid_client', status: 401 });
    const error = await request(`${fixture.api.url}/x`, { dispatcher }).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(fixture.api.requests).toHaveLength(1);
  });
});
