import { apiKeyAuth, bearerAuth } from '@auth/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
import { type RecordingServer, startRecordingServer } from './support/recording-server.js';

// Two loopback servers are two origins: `allowed` gets credentials, `other` must not.
let allowed: RecordingServer;
let other: RecordingServer;
beforeAll(async () => {
  [allowed, other] = await Promise.all([startRecordingServer(), startRecordingServer()]);
});
afterAll(() => Promise.all([allowed.close(), other.close()]));
beforeEach(() => {
  allowed.requests.length = 0;
  other.requests.length = 0;
});

const auth = bearerAuth('scoped-token');
const redirect = (server: RecordingServer, status: number, to: string) =>
  `${server.url}/redirect/${status}?to=${encodeURIComponent(to)}`;

describe('origin scoping', () => {
  it('sends credentials to the allowed origins only', async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url] });
    await api(`${allowed.url}/in`);
    await api(`${other.url}/out`, { headers: { 'x-kept': 'yes' } });
    expect(allowed.requestsTo('/in')[0]!.headers.authorization).toBe('Bearer scoped-token');
    const untouched = other.requestsTo('/out')[0]!.headers;
    expect(untouched.authorization).toBeUndefined();
    expect(untouched['x-kept']).toBe('yes');
  });

  it("defaults origins to baseUrl's origin", async () => {
    const api = createAuthFetch({ auth, baseUrl: `${allowed.url}/api/` });
    await api('x');
    await api(`${other.url}/y`);
    expect(allowed.requestsTo('/api/x')[0]!.headers.authorization).toBe('Bearer scoped-token');
    expect(other.requestsTo('/y')[0]!.headers.authorization).toBeUndefined();
  });

  it('accepts several origins, as strings or URLs', async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url, new URL(other.url)] });
    await api(`${allowed.url}/one`);
    await api(`${other.url}/two`);
    expect(allowed.requestsTo('/one')[0]!.headers.authorization).toBe('Bearer scoped-token');
    expect(other.requestsTo('/two')[0]!.headers.authorization).toBe('Bearer scoped-token');
  });

  it('refuses construction that does not say where credentials go', () => {
    expect(() => createAuthFetch({ auth })).toThrow(TypeError);
    expect(() => createAuthFetch({ auth, origins: [] })).toThrow(/origins or baseUrl/);
    expect(() => createAuthFetch({ auth, origins: ['not a url'] })).toThrow(TypeError);
    expect(() => createAuthFetch({ auth, baseUrl: 'relative/path' })).toThrow(TypeError);
    expect(() => createAuthFetch({ auth, origins: ['ftp://files.example.com'] })).toThrow(
      TypeError,
    );
  });

  it('refuses plain http to non-loopback hosts unless allowInsecureHttp', () => {
    expect(() => createAuthFetch({ auth, origins: ['http://api.example.com'] })).toThrow(
      /plain http/,
    );
    expect(() =>
      createAuthFetch({ auth, origins: ['http://api.example.com'], allowInsecureHttp: true }),
    ).not.toThrow();
    for (const loopback of ['http://localhost:8080', 'http://127.0.0.1', 'http://[::1]:3000']) {
      expect(() => createAuthFetch({ auth, origins: [loopback] })).not.toThrow();
    }
    expect(() => createAuthFetch({ auth, origins: ['https://api.example.com'] })).not.toThrow();
  });

  it('refuses a strategy without authenticate and a bad retry policy', () => {
    expect(() => createAuthFetch({ auth: {} as never, origins: [allowed.url] })).toThrow(TypeError);
    expect(() =>
      createAuthFetch({ auth, origins: [allowed.url], retry: { maxRetries: -1 } }),
    ).toThrow(TypeError);
  });
});

describe('exclude', () => {
  it('sends exact and glob-matched paths without credentials', async () => {
    const api = createAuthFetch({
      auth,
      baseUrl: allowed.url,
      exclude: ['/health', '/public/*', '*/status'],
    });
    for (const path of ['/health', '/public/logo.png', '/public/a/b', '/v1/status', '/status']) {
      await api(`${path}?q=1`);
    }
    for (const path of ['/health/deep', '/healthz', '/private', '/v1/status/more']) await api(path);
    for (const path of ['/health', '/public/logo.png', '/public/a/b', '/v1/status', '/status']) {
      expect(allowed.requestsTo(path)[0]!.headers.authorization, path).toBeUndefined();
    }
    for (const path of ['/health/deep', '/healthz', '/private', '/v1/status/more']) {
      expect(allowed.requestsTo(path)[0]!.headers.authorization, path).toBe('Bearer scoped-token');
    }
  });
});

describe('redirects', () => {
  it('never carries credentials to another origin', async () => {
    const api = createAuthFetch({ auth: apiKeyAuth('key-123'), origins: [allowed.url] });
    for (const status of [301, 302, 303, 307, 308]) {
      const response = await api(redirect(allowed, status, `${other.url}/landed-${status}`));
      expect(response.status).toBe(200);
      expect(response.redirected).toBe(true);
      expect(response.url).toBe(`${other.url}/landed-${status}`);
      const landed = other.requestsTo(`/landed-${status}`)[0]!;
      expect(landed.headers['x-api-key']).toBeUndefined();
    }
    expect(allowed.requestsTo('/redirect/302')[0]!.headers['x-api-key']).toBe('key-123');
  });

  it("drops the caller's own Authorization and Cookie on a cross-origin hop", async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url] });
    await api(redirect(allowed, 302, `${other.url}/plain`), {
      headers: { Authorization: 'Bearer caller', Cookie: 'a=b', 'x-other': 'kept' },
    });
    const landed = other.requestsTo('/plain')[0]!.headers;
    expect(landed.authorization).toBeUndefined();
    expect(landed.cookie).toBeUndefined();
    expect(landed['x-other']).toBe('kept');
  });

  it('decides afresh at each hop: back to the allowed origin gets credentials again', async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url] });
    const back = redirect(other, 307, `${allowed.url}/home`);
    const response = await api(redirect(allowed, 307, back));
    expect(response.status).toBe(200);
    expect(other.requestsTo('/redirect/307')[0]!.headers.authorization).toBeUndefined();
    expect(allowed.requestsTo('/home')[0]!.headers.authorization).toBe('Bearer scoped-token');
  });

  it('gives a redirect from an unscoped origin into the allowed one credentials', async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url] });
    await api(redirect(other, 302, `${allowed.url}/inside`));
    expect(allowed.requestsTo('/inside')[0]!.headers.authorization).toBe('Bearer scoped-token');
  });

  it('rewrites methods as fetch does and resends bodies on 307/308', async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url] });
    const post = (url: string) =>
      api(url, { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });
    await post(redirect(allowed, 303, '/after-303'));
    await post(redirect(allowed, 301, '/after-301'));
    await post(redirect(allowed, 302, '/after-302'));
    await post(redirect(allowed, 307, '/after-307'));
    await post(redirect(allowed, 308, '/after-308'));
    await api(redirect(allowed, 302, '/put-after-302'), { method: 'PUT', body: 'kept' });
    await api(redirect(allowed, 303, '/head-after-303'), { method: 'HEAD' });
    const seen = (path: string) => allowed.requestsTo(path)[0]!;
    for (const path of ['/after-303', '/after-301', '/after-302']) {
      expect(seen(path).method, path).toBe('GET');
      expect(seen(path).body.length, path).toBe(0);
      expect(seen(path).headers['content-type'], path).toBeUndefined();
    }
    for (const path of ['/after-307', '/after-308']) {
      expect(seen(path).method).toBe('POST');
      expect(seen(path).body.toString()).toBe('payload');
    }
    expect(seen('/put-after-302').method).toBe('PUT');
    expect(seen('/put-after-302').body.toString()).toBe('kept');
    expect(seen('/head-after-303').method).toBe('HEAD');
  });

  it("honours the caller's redirect mode", async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url] });
    const manual = await api(redirect(allowed, 302, `${other.url}/m`), { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe(`${other.url}/m`);
    await expect(
      api(redirect(allowed, 302, `${other.url}/e`), { redirect: 'error' }),
    ).rejects.toThrow(TypeError);
    expect(other.requests).toHaveLength(0);
    const request = new Request(redirect(allowed, 302, `${other.url}/r`), { redirect: 'manual' });
    expect((await api(request)).status).toBe(302);
  });

  it('stops after 20 redirects, as fetch does', async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url] });
    await expect(api(`${allowed.url}/loop`)).rejects.toThrow(/more than 20 redirects/);
    expect(allowed.requestsTo('/loop')).toHaveLength(21);
  });

  it('refuses to follow a 307 with a streamed body it cannot resend', async () => {
    const api = createAuthFetch({ auth, origins: [allowed.url] });
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('once'));
        controller.close();
      },
    });
    const pending = api(redirect(allowed, 307, '/never-resent'), {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    await expect(pending).rejects.toThrow(/streamed request body/);
    expect(allowed.requestsTo('/never-resent')).toHaveLength(0);
  });
});
