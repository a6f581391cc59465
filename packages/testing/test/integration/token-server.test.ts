import { afterEach, describe, expect, it } from 'vitest';
import {
  bearerTokenCheck,
  startProtectedApi,
  startTokenServer,
  type TokenServer,
} from '../../src/http.js';

const BASIC = `Basic ${Buffer.from('test-client:test-secret').toString('base64')}`;

function requestToken(
  server: TokenServer,
  body: Record<string, string>,
  authorization = BASIC,
): Promise<Response> {
  return fetch(server.tokenUrl, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
}

describe('the fault-injecting token server', () => {
  let server: TokenServer;
  afterEach(() => server?.close());

  it('issues tokens for client_credentials and rotates refresh tokens, counting requests', async () => {
    server = await startTokenServer({ lifetimeSeconds: 60 });
    const first = await (
      await requestToken(server, { grant_type: 'client_credentials', scope: 'read' })
    ).json();
    expect(first).toMatchObject({ token_type: 'Bearer', expires_in: 60, scope: 'read' });
    expect(server.isActive(first.access_token)).toBe(true);
    const refreshed = await requestToken(server, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const reused = await requestToken(server, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
    });
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    expect(server.requestCount).toBe(3);
  });

  it('rejects unknown clients with invalid_client, accepting client_secret_post too', async () => {
    server = await startTokenServer();
    expect(
      (
        await requestToken(
          server,
          { grant_type: 'client_credentials' },
          `Basic ${btoa('test-client:wrong')}`,
        )
      ).status,
    ).toBe(401);
    const post = await requestToken(
      server,
      { grant_type: 'client_credentials', client_id: 'test-client', client_secret: 'test-secret' },
      '',
    );
    expect(post.status).toBe(200);
  });

  it('injects each fault once, in order', async () => {
    server = await startTokenServer();
    server.failNext({ kind: 'status', status: 503 });
    server.failNext({ kind: 'rate-limit', retryAfterSeconds: 7 });
    server.failNext({ kind: 'oauth-error', error: 'invalid_client', status: 401 });
    server.failNext({ kind: 'non-json' });
    server.failNext({ kind: 'no-access-token' });
    const grant = { grant_type: 'client_credentials' };
    expect((await requestToken(server, grant)).status).toBe(503);
    const limited = await requestToken(server, grant);
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expect(await (await requestToken(server, grant)).json()).toMatchObject({
      error: 'invalid_client',
    });
    expect(await (await requestToken(server, grant)).text()).toContain('<html>');
    expect(await (await requestToken(server, grant)).json()).not.toHaveProperty('access_token');
    expect((await requestToken(server, grant)).status).toBe(200);
  });

  it('can hang a request until the client gives up, and still close', async () => {
    server = await startTokenServer();
    server.failNext({ kind: 'hang' });
    const error = await fetch(server.tokenUrl, {
      method: 'POST',
      body: '',
      signal: AbortSignal.timeout(100),
    }).catch((e: Error) => e);
    expect((error as Error).name).toBe('TimeoutError');
  });
});

describe('the protected API', () => {
  it('accepts active bearer tokens and records every request', async () => {
    const tokens = await startTokenServer();
    const api = await startProtectedApi({ authorize: bearerTokenCheck(tokens.isActive) });
    try {
      const { access_token } = await (
        await requestToken(tokens, { grant_type: 'client_credentials' })
      ).json();
      expect(
        (await fetch(`${api.url}/things`, { headers: { authorization: `Bearer ${access_token}` } }))
          .status,
      ).toBe(200);
      tokens.revoke(access_token);
      const refused = await fetch(`${api.url}/things`, {
        headers: { authorization: `Bearer ${access_token}` },
      });
      expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([
        401,
        'Bearer error="invalid_token"',
      ]);
      expect(api.requests.map((r) => r.authorized)).toEqual([true, false]);
    } finally {
      await Promise.all([tokens.close(), api.close()]);
    }
  });
});

describe('an outage of the token server', () => {
  let server: TokenServer;
  afterEach(() => server?.close());

  it('fails every token request from the next one on for the given time, then recovers', async () => {
    let clock = 1_000_000;
    server = await startTokenServer({ now: () => clock });
    server.failFromNextRequestFor(2_000);
    clock += 10_000; // the outage starts with the next request, not when it is armed
    expect((await requestToken(server, { grant_type: 'client_credentials' })).status).toBe(503);
    clock += 1_999;
    expect((await requestToken(server, { grant_type: 'client_credentials' })).status).toBe(503);
    clock += 1;
    expect((await requestToken(server, { grant_type: 'client_credentials' })).status).toBe(200);
    expect(server.requestCount).toBe(3);
  });
});
