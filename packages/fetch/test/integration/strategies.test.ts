import { inspect } from 'node:util';
import {
  AuthenticationError,
  type AuthStrategy,
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  tokenAuth,
} from '@auth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
import { type RecordingServer, startRecordingServer } from './support/recording-server.js';
import { bearerOf, CLIENT_SECRET, startTokenFixture } from './support/token-fixture.js';

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());

async function headersSentWith(auth: AuthStrategy, path: string) {
  const api = createAuthFetch({ auth, origins: [server.url] });
  expect((await api(`${server.url}${path}`)).status).toBe(200);
  return server.requestsTo(path)[0]!.headers;
}

describe('strategies', () => {
  it('bearerAuth sends Authorization: Bearer', async () => {
    expect((await headersSentWith(bearerAuth('b-1'), '/bearer')).authorization).toBe('Bearer b-1');
  });

  it('apiKeyAuth sends X-API-Key by default, or the header it is given', async () => {
    expect((await headersSentWith(apiKeyAuth('k-1'), '/key'))['x-api-key']).toBe('k-1');
    const custom = await headersSentWith(apiKeyAuth('k-2', { header: 'X-Service-Key' }), '/key2');
    expect(custom['x-service-key']).toBe('k-2');
    expect(custom['x-api-key']).toBeUndefined();
  });

  it('basicAuth sends RFC 7617 Basic credentials in UTF-8', async () => {
    const headers = await headersSentWith(basicAuth('bot', 'pässword'), '/basic');
    const encoded = headers.authorization!.replace(/^Basic /, '');
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe('bot:pässword');
  });

  it('tokenAuth sends the manager token, fetching it once for many requests', async () => {
    const fixture = await startTokenFixture();
    try {
      const api = createAuthFetch({ auth: tokenAuth(fixture.manager), baseUrl: fixture.api.url });
      const responses = await Promise.all(Array.from({ length: 10 }, () => api('/data')));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(fixture.tokens.requestCount).toBe(1);
      expect(
        fixture.tokens.isActive(bearerOf(fixture.api.requests[0]!.headers.authorization)),
      ).toBe(true);
    } finally {
      await fixture.close();
    }
  });

  it('accepts any AuthStrategy, sync or async, and shows it the request', async () => {
    const seen: { method: string; url: string; trace: string | null; body?: string }[] = [];
    const sync: AuthStrategy = {
      authenticate(req) {
        seen.push({ method: req.method, url: req.url.href, trace: req.headers.get('x-trace') });
        return { 'X-Tenant': 'acme' };
      },
    };
    const async: AuthStrategy = {
      async authenticate(req) {
        seen.push({
          method: req.method,
          url: req.url.href,
          trace: req.headers.get('x-trace'),
          body: new TextDecoder().decode(req.body),
        });
        return { 'X-Signature': 'sig', 'X-Other': 'o' };
      },
    };
    const syncApi = createAuthFetch({ auth: sync, origins: [server.url] });
    await syncApi(`${server.url}/sync`, { headers: { 'x-trace': 't1' } });
    const asyncApi = createAuthFetch({ auth: async, origins: [server.url] });
    await asyncApi(`${server.url}/async?q=1`, { method: 'post', body: 'signed bytes' });
    expect(server.requestsTo('/sync')[0]!.headers['x-tenant']).toBe('acme');
    expect(server.requestsTo('/async')[0]!.headers['x-signature']).toBe('sig');
    expect(server.requestsTo('/async')[0]!.headers['x-other']).toBe('o');
    expect(seen).toEqual([
      { method: 'GET', url: `${server.url}/sync`, trace: 't1' },
      { method: 'POST', url: `${server.url}/async?q=1`, trace: null, body: 'signed bytes' },
    ]);
  });

  it('gives a signing strategy the exact bytes that are sent', async () => {
    const bodies: Uint8Array[] = [];
    const auth: AuthStrategy = {
      authenticate(req) {
        if (req.body) bodies.push(req.body);
        return { 'X-Signed': 'yes' };
      },
    };
    const api = createAuthFetch({ auth, origins: [server.url] });
    const form = new FormData();
    form.set('field', 'value');
    form.set('file', new Blob(['file body'], { type: 'text/plain' }), 'a.txt');
    await api(`${server.url}/form`, { method: 'POST', body: form });
    await api(`${server.url}/params`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    await api(`${server.url}/blob`, { method: 'POST', body: new Blob(['blob!']) });
    await api(`${server.url}/bytes`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    const sent = ['/form', '/params', '/blob', '/bytes'].map((p) => server.requestsTo(p)[0]!);
    expect(bodies.map((b) => Buffer.from(b))).toEqual(sent.map((r) => r.body));
    expect(sent[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(sent[1]!.headers['content-type']).toBe(
      'application/x-www-form-urlencoded;charset=UTF-8',
    );
  });

  it('rejects with AuthenticationError carrying serviceName and cause when a token cannot be had', async () => {
    const fixture = await startTokenFixture({ serviceName: 'orders-api' });
    try {
      fixture.tokens.failNext({ kind: 'oauth-error', error: 'invalid_client', status: 401 });
      const api = createAuthFetch({ auth: tokenAuth(fixture.manager), baseUrl: fixture.api.url });
      const error = await api('/data').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(AuthenticationError.isInstance(error)).toBe(true);
      const failure = error as AuthenticationError;
      expect(failure.serviceName).toBe('orders-api');
      expect((failure.cause as { error?: string }).error).toBe('invalid_client');
      expect(fixture.api.requests).toHaveLength(0);
      const shown = `${inspect(failure, { depth: 5 })} ${JSON.stringify(failure)} ${String(failure)}`;
      expect(shown).not.toContain(CLIENT_SECRET);
    } finally {
      await fixture.close();
    }
  });

  it('wraps any other strategy failure in AuthenticationError named for the origin', async () => {
    const cause = new Error('vault unreachable');
    const api = createAuthFetch({
      auth: {
        authenticate: async () => {
          throw cause;
        },
      },
      origins: [server.url],
    });
    const error = await api(`${server.url}/fails`).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as AuthenticationError).serviceName).toBe(server.url);
    expect((error as AuthenticationError).cause).toBe(cause);
    expect(server.requestsTo('/fails')).toHaveLength(0);
  });

  it('refuses a header a strategy returns that would inject another one, without echoing it', async () => {
    const api = createAuthFetch({
      auth: { authenticate: () => ({ 'X-Key': 'secret-value\r\nX-Injected: 1' }) },
      origins: [server.url],
    });
    const error = await api(`${server.url}/inject`).catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect(String(error)).not.toContain('secret-value');
    expect(server.requestsTo('/inject')).toHaveLength(0);
  });

  it('shows no secret in inspect, JSON or String of the fetch function and its failures', async () => {
    const secret = 'very-secret-token-value';
    const api = createAuthFetch({ auth: bearerAuth(secret), origins: [server.url] });
    const shown = [inspect(api, { showHidden: true, depth: 5 }), String(api), JSON.stringify(api)];
    const failure = await api('http://127.0.0.1:1/unreachable').catch((e: unknown) => e);
    shown.push(inspect(failure, { depth: 5 }), String(failure));
    for (const text of shown) expect(text ?? '').not.toContain(secret);
  });
});
