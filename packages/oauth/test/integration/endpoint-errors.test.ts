import {
  AuthError,
  AuthenticationError,
  OAuthError,
  TokenEndpointError,
  TokenManager,
  TokenResponseError,
} from '@auth/core';
import { listenOnLoopback, sendJson, startTokenServer, type TokenServer } from '@auth/testing/http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clientCredentials, passwordGrant } from '../../src/index.js';
import { caught, eventLog, leakSurface } from './support.js';

const clientId = 'ünïcode client:+% id';
const clientSecret = 'sëcret:+%20 value/=';
let server: TokenServer;
beforeAll(async () => {
  server = await startTokenServer({ clients: { [clientId]: clientSecret } });
});
afterAll(() => server.close());
beforeEach(() => server.resetCount());

const provider = (timeoutMs?: number) =>
  clientCredentials({ tokenUrl: server.tokenUrl, clientId, clientSecret, timeoutMs });

describe('token endpoint responses become typed errors', () => {
  it('encodes a non-ASCII id and secret per RFC 6749 §2.3.1 (UTF-8, form-urlencoded, then Base64)', async () => {
    const tokens = await provider().fetchToken();
    expect(server.isActive(tokens.accessToken)).toBe(true);
    expect(server.requests[0]?.clientId).toBe(clientId);
  });

  it('an RFC 6749 §5.2 body becomes OAuthError with error, errorDescription and status', async () => {
    server.failNext({
      kind: 'oauth-error',
      error: 'invalid_scope',
      status: 400,
      description: 'no such scope',
    });
    const error = await caught(() => provider().fetchToken());
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      error: 'invalid_scope',
      errorDescription: 'no such scope',
      status: 400,
    });
  });

  it('a 5xx becomes a retryable TokenEndpointError with the status', async () => {
    server.failNext({ kind: 'status', status: 503 });
    const error = await caught(() => provider().fetchToken());
    expect(TokenEndpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 503, retryable: true });
  });

  it('a 429 becomes a retryable TokenEndpointError carrying Retry-After', async () => {
    server.failNext({ kind: 'rate-limit', retryAfterSeconds: 7 });
    const error = await caught(() => provider().fetchToken());
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 });
  });

  it('a 200 that is not JSON becomes a non-retryable TokenEndpointError', async () => {
    server.failNext({ kind: 'non-json' });
    const error = await caught(() => provider().fetchToken());
    expect(TokenEndpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 200, retryable: false });
  });

  it('a 200 without access_token becomes TokenResponseError', async () => {
    server.failNext({ kind: 'no-access-token' });
    const error = await caught(() => provider().fetchToken());
    expect(TokenResponseError.isInstance(error)).toBe(true);
  });

  it('a hanging endpoint fails after timeoutMs with a retryable TokenEndpointError', async () => {
    server.failNext({ kind: 'hang' });
    const error = await caught(() => provider(300).fetchToken());
    expect(TokenEndpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/300 ms/);
  });

  it('an unreachable endpoint becomes a retryable TokenEndpointError', async () => {
    const closed = await startTokenServer();
    await closed.close();
    const error = await caught(() =>
      clientCredentials({
        tokenUrl: closed.tokenUrl,
        clientId: 'c',
        clientSecret: 's',
      }).fetchToken(),
    );
    expect(error).toMatchObject({ code: 'token_endpoint_error', retryable: true });
  });

  it("the caller's abort signal stops a request with the caller's reason", async () => {
    server.failNext({ kind: 'hang' });
    const controller = new AbortController();
    const pending = provider().fetchToken({ signal: controller.signal });
    await vi.waitFor(() => expect(server.requestCount).toBe(1));
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });

  it('TokenManager honours Retry-After of a 429 and then succeeds', async () => {
    server.failNext({ kind: 'rate-limit', retryAfterSeconds: 1 });
    const { events, onEvent } = eventLog();
    const manager = new TokenManager({
      provider: provider(),
      onEvent,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 5_000 },
    });
    const tokens = await manager.getToken();
    expect(server.isActive(tokens.accessToken)).toBe(true);
    expect(server.requestCount).toBe(2);
    const failed = events.find((event) => event.type === 'refresh-failed');
    expect(failed).toMatchObject({ willRetry: true, retryInMs: 1000 });
    await manager.close();
  });

  it('TokenManager retries 5xx but not invalid_client, and reports the cause', async () => {
    server.failNext({ kind: 'status', status: 502 }, 2);
    const manager = new TokenManager({
      provider: provider(),
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });
    await manager.getToken();
    expect(server.requestCount).toBe(3);
    server.resetCount();
    const wrong = clientCredentials({
      tokenUrl: server.tokenUrl,
      clientId,
      clientSecret: 'wrong-secret-xyz',
    });
    const failing = new TokenManager({
      provider: wrong,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });
    const error = await caught(() => failing.getToken());
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(OAuthError.isInstance((error as Error).cause)).toBe(true);
    // No manager retry: the one extra request is the automatic client authentication's
    // single fallback from a refused Basic to client_secret_post.
    expect(server.requestCount).toBe(2);
    expect(server.requests[0]!.headers.authorization).toMatch(/^Basic /);
    expect(server.requests[1]!.headers.authorization).toBeUndefined();
    expect(server.requests[1]!.params.client_secret).toBe('wrong-secret-xyz');
    expect(leakSurface(error)).not.toContain('wrong-secret-xyz');
    await Promise.all([manager.close(), failing.close()]);
  });

  it('a discovered server without a token endpoint fails at once, not retried as a network fault', async () => {
    let metadataRequests = 0;
    const issuerServer = await listenOnLoopback((_req, res) => {
      metadataRequests++;
      sendJson(res, 200, { issuer: issuerServer.url }); // no token_endpoint
    });
    const log = eventLog();
    const manager = new TokenManager({
      provider: clientCredentials({ issuer: issuerServer.url, clientId, clientSecret }),
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      onEvent: log.onEvent,
    });
    try {
      const error = await caught(() => manager.getToken());
      expect(AuthenticationError.isInstance(error)).toBe(true);
      const cause = (error as Error).cause;
      expect(AuthError.isInstance(cause)).toBe(true);
      expect((cause as Error).message).toContain('publishes no token_endpoint; set tokenUrl');
      const failures = log.events.filter((event) => event.type === 'refresh-failed');
      expect(failures).toEqual([expect.objectContaining({ attempt: 1, willRetry: false })]);
      expect(metadataRequests).toBe(1);
    } finally {
      await manager.close();
      await issuerServer.close();
    }
  });

  it('no secret in errors from a password grant', async () => {
    server.failNext({ kind: 'oauth-error', error: 'invalid_grant', status: 400 });
    const password = 'pässword-never-shown';
    const grant = passwordGrant({
      tokenUrl: server.tokenUrl,
      clientId,
      clientSecret,
      username: 'alice',
      password,
      totp: '123456',
    });
    const error = await caught(() => grant.fetchToken());
    const surface = leakSurface(error, grant, grant.describe?.());
    for (const secret of [password, clientSecret, '123456']) expect(surface).not.toContain(secret);
    expect(grant.describe?.()).toMatchObject({
      password: 'set',
      totp: 'set',
      clientSecret: 'set',
      username: 'alice',
    });
  });
});
