import { AuthenticationError, type AuthStrategy, bearerAuth, tokenAuth } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authRetry, createAuthFetch } from '../../src/index.js';
import { startRecordingServer } from './support/recording-server.js';
import { refusedStrategy } from './support/refused-strategy.js';
import { bearerOf, startTokenFixture, type TokenFixture } from './support/token-fixture.js';

let fixture: TokenFixture;
beforeEach(async () => {
  fixture = await startTokenFixture();
});
afterEach(() => fixture.close());

/** Revokes the manager's current token at the token server, so the API answers 401. */
async function revokeCurrentToken(): Promise<string> {
  const current = (await fixture.manager.getToken()).accessToken;
  fixture.tokens.revoke(current);
  return current;
}

const apiFor = (options: Partial<Parameters<typeof createAuthFetch>[0]> = {}) =>
  createAuthFetch({ auth: tokenAuth(fixture.manager), baseUrl: fixture.api.url, ...options });

describe('401 handling', () => {
  it('refreshes once and retries once by default', async () => {
    const api = apiFor();
    const revoked = await revokeCurrentToken();
    const response = await api('/orders');
    expect(response.status).toBe(200);
    expect(fixture.tokens.requestCount).toBe(2);
    const [first, second] = fixture.api.requests;
    expect(bearerOf(first!.headers.authorization)).toBe(revoked);
    expect(bearerOf(second!.headers.authorization)).not.toBe(revoked);
  });

  it('returns the second 401 when the fresh token is refused too', async () => {
    // A strategy whose onUnauthorized "renews" to a token the API refuses as well.
    const refused = createAuthFetch({
      auth: {
        authenticate: () => ({ Authorization: 'Bearer dead' }),
        onUnauthorized: async () => true,
      },
      baseUrl: fixture.api.url,
    });
    const response = await refused('/orders');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await response.json()).error).toBe('invalid_token');
    expect(fixture.api.requests).toHaveLength(2);
  });

  it('makes exactly one token request for 100 concurrent requests refused for the same token', async () => {
    const api = apiFor();
    await revokeCurrentToken();
    fixture.tokens.resetCount();
    const responses = await Promise.all(Array.from({ length: 100 }, (_, i) => api(`/item/${i}`)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(fixture.tokens.requestCount).toBe(1);
  });

  it('gives onUnauthorized the request object it authenticated, with the headers sent and the signal', async () => {
    const { auth, authenticated, refused } = refusedStrategy();
    const controller = new AbortController();
    const api = createAuthFetch({ auth, baseUrl: fixture.api.url });
    const response = await api('/x', { headers: { 'x-caller': '1' }, signal: controller.signal });
    expect(response.status).toBe(401);
    await response.text();
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBe(authenticated[0]);
    expect(refused[0]!.headers.get('authorization')).toBe('Bearer dead');
    expect(refused[0]!.headers.get('x-caller')).toBe('1');
    expect(refused[0]!.signal).toBe(controller.signal);
  });

  it('does not retry a strategy without onUnauthorized', async () => {
    const api = createAuthFetch({ auth: bearerAuth('never-valid'), baseUrl: fixture.api.url });
    expect((await api('/x')).status).toBe(401);
    expect(fixture.api.requests).toHaveLength(1);
  });

  it('does not retry when onUnauthorized says the credentials cannot be renewed', async () => {
    const auth: AuthStrategy = {
      authenticate: () => ({ Authorization: 'Bearer stale' }),
      onUnauthorized: async () => false,
    };
    const api = createAuthFetch({ auth, baseUrl: fixture.api.url });
    expect((await api('/x')).status).toBe(401);
    expect(fixture.api.requests).toHaveLength(1);
  });

  it('does not retry a 401 for an Authorization the caller set', async () => {
    const api = apiFor();
    const response = await api('/x', { headers: { authorization: 'Bearer callers-own' } });
    expect(response.status).toBe(401);
    expect(fixture.api.requests).toHaveLength(1);
    expect(fixture.api.requests[0]!.headers.authorization).toBe('Bearer callers-own');
    // The strategy ran (one token fetched) but nothing was refreshed for the caller's 401.
    expect(fixture.tokens.requestCount).toBe(1);
  });

  it('rejects with AuthenticationError when the refresh after a 401 fails', async () => {
    const api = apiFor();
    await revokeCurrentToken();
    fixture.tokens.failNext({ kind: 'oauth-error', error: 'invalid_client', status: 401 });
    const error = await api('/x').catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(fixture.api.requests).toHaveLength(1);
  });

  it('authRetry.exponential retries up to maxRetries, renewing before each', async () => {
    let renewals = 0;
    const auth: AuthStrategy = {
      authenticate: () => ({ Authorization: `Bearer attempt-${renewals}` }),
      onUnauthorized: async () => {
        renewals++;
        return true;
      },
    };
    const retry = authRetry.exponential({ maxRetries: 3, baseDelayMs: 1, maxDelayMs: 4 });
    const api = createAuthFetch({ auth, baseUrl: fixture.api.url, retry });
    expect((await api('/x')).status).toBe(401);
    expect(renewals).toBe(3);
    expect(fixture.api.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer attempt-0',
      'Bearer attempt-1',
      'Bearer attempt-2',
      'Bearer attempt-3',
    ]);
  });

  it('authRetry.exponential stops retrying once a retry succeeds', async () => {
    const api = apiFor({ retry: authRetry.exponential({ maxRetries: 5, baseDelayMs: 1 }) });
    await revokeCurrentToken();
    expect((await api('/x')).status).toBe(200);
    expect(fixture.api.requests).toHaveLength(2);
  });

  it('stops waiting for a retry when the caller aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const api = createAuthFetch({
      auth: {
        authenticate: () => ({ Authorization: 'Bearer refused' }),
        onUnauthorized: async () => {
          controller.abort(reason);
          return true;
        },
      },
      baseUrl: fixture.api.url,
      retry: authRetry.exponential({ baseDelayMs: 60_000, maxDelayMs: 60_000 }),
    });
    await expect(api('/x', { signal: controller.signal })).rejects.toBe(reason);
    expect(fixture.api.requests).toHaveLength(1);
  });

  it('authRetry.when retries only what the predicate accepts, and sees the 401', async () => {
    const states: { attempt: number; status: number; challenge: string | null; path: string }[] =
      [];
    const retry = authRetry.when(({ attempt, response, request }) => {
      states.push({
        attempt,
        status: response.status,
        challenge: response.headers.get('www-authenticate'),
        path: request.url.pathname,
      });
      return request.url.pathname !== '/no-retry';
    });
    const api = apiFor({ retry });
    await revokeCurrentToken();
    expect((await api('/no-retry')).status).toBe(401);
    expect(fixture.tokens.requestCount).toBe(1);
    expect((await api('/retry')).status).toBe(200);
    expect(fixture.tokens.requestCount).toBe(2);
    expect(states).toEqual([
      { attempt: 1, status: 401, challenge: 'Bearer error="invalid_token"', path: '/no-retry' },
      { attempt: 1, status: 401, challenge: 'Bearer error="invalid_token"', path: '/retry' },
    ]);
  });

  it('authRetry.when can read the JSON 401 body, and the 401 returned keeps its body intact', async () => {
    const errors: unknown[] = [];
    const retryOn = (wanted: string) =>
      authRetry.when(async ({ response }) => {
        const { error } = (await response.json()) as { error?: string };
        errors.push(error);
        return error === wanted;
      });
    await revokeCurrentToken();
    const declined = await apiFor({ retry: retryOn('insufficient_scope') })('/declined');
    expect(declined.status).toBe(401);
    expect(await declined.json()).toEqual({ error: 'invalid_token' });
    expect(fixture.tokens.requestCount).toBe(1);
    const retried = await apiFor({ retry: retryOn('invalid_token') })('/retried');
    expect(retried.status).toBe(200);
    expect(fixture.tokens.requestCount).toBe(2);
    expect(errors).toEqual(['invalid_token', 'invalid_token']);
  });

  it('resends replayable bodies intact', async () => {
    const api = apiFor();
    const form = new FormData();
    form.set('name', 'ada');
    form.set('file', new Blob(['file-content'], { type: 'text/plain' }), 'notes.txt');
    const bodies: [string, BodyInit][] = [
      ['string', 'plain text ü'],
      ['bytes', new TextEncoder().encode('raw bytes ✓')],
      ['buffer', new TextEncoder().encode('array buffer').buffer as ArrayBuffer],
      ['params', new URLSearchParams({ q: 'a b', n: '1' })],
      ['form', form],
      ['blob', new Blob(['blob body'], { type: 'application/octet-stream' })],
    ];
    for (const [name, body] of bodies) {
      await revokeCurrentToken();
      fixture.api.resetRequests();
      const response = await api(`/upload/${name}`, { method: 'POST', body });
      expect(response.status, name).toBe(200);
      const [refused, accepted] = fixture.api.requests;
      expect(refused!.authorized, name).toBe(false);
      expect(accepted!.authorized, name).toBe(true);
      expect(accepted!.body, name).toBe(refused!.body);
      expect(accepted!.body.length, name).toBeGreaterThan(0);
      expect(accepted!.headers['content-type'], name).toBe(refused!.headers['content-type']);
    }
  });

  it('resends the body of a Request input intact', async () => {
    const api = apiFor();
    await revokeCurrentToken();
    const request = new Request(`${fixture.api.url}/from-request`, {
      method: 'PUT',
      body: JSON.stringify({ a: 1 }),
      headers: { 'content-type': 'application/json' },
    });
    expect((await api(request)).status).toBe(200);
    expect(fixture.api.requests.map((r) => r.body)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('returns the 401 for a one-shot stream body instead of retrying', async () => {
    const api = apiFor();
    await revokeCurrentToken();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed once'));
        controller.close();
      },
    });
    const response = await api('/stream', { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(401);
    expect(fixture.api.requests).toHaveLength(1);
    expect(fixture.api.requests[0]!.body).toBe('streamed once');
    expect(fixture.tokens.requestCount).toBe(1);
  });

  it('retries the hop that answered 401 after a redirect into another allowed origin', async () => {
    const front = await startRecordingServer();
    try {
      const api = apiFor({ origins: [front.url, fixture.api.url] });
      await revokeCurrentToken();
      const to = encodeURIComponent(`${fixture.api.url}/deep`);
      const response = await api(`${front.url}/redirect/302?to=${to}`);
      expect(response.status).toBe(200);
      expect(front.requests).toHaveLength(1);
      expect(fixture.api.requests.map((r) => r.authorized)).toEqual([false, true]);
    } finally {
      await front.close();
    }
  });
});
