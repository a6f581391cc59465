import { type AuthStrategy, apiKeyAuth, bearerAuth } from '@auth/core';
import { Agent, type Dispatcher, interceptors, request, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authInterceptor } from '../../src/undici.js';
import { type RecordingServer, startRecordingServer } from './support/recording-server.js';

// Whatever order authInterceptor and undici's redirect interceptor are composed in, every
// redirect hop is decided afresh: a hop to another origin never carries the credential, a hop
// to the allowed origin does. `allowed` gets credentials, `other` must not.
let allowed: RecordingServer;
let other: RecordingServer;
const agents: Agent[] = [];
beforeAll(async () => {
  [allowed, other] = await Promise.all([startRecordingServer(), startRecordingServer()]);
});
afterAll(() => Promise.all([allowed.close(), other.close()]));
beforeEach(() => {
  allowed.requests.length = 0;
  other.requests.length = 0;
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

type Interceptor = Dispatcher.DispatcherComposeInterceptor;
const redirects = () => interceptors.redirect({ maxRedirections: 5 });

/** Every way of composing the two: both orders, as arguments, as an array, and chained. */
const SHAPES: [string, (auth: Interceptor) => Dispatcher][] = [
  ['compose(auth, redirect)', (auth) => agent().compose(auth, redirects())],
  ['compose(redirect, auth)', (auth) => agent().compose(redirects(), auth)],
  ['compose([auth, redirect])', (auth) => agent().compose([auth, redirects()])],
  ['compose([redirect, auth])', (auth) => agent().compose([redirects(), auth])],
  ['compose(auth).compose(redirect)', (auth) => agent().compose(auth).compose(redirects())],
  ['compose(redirect).compose(auth)', (auth) => agent().compose(redirects()).compose(auth)],
];

const STRATEGIES: [string, AuthStrategy, string, string][] = [
  ['apiKeyAuth', apiKeyAuth('key-secret-1'), 'x-api-key', 'key-secret-1'],
  ['bearerAuth', bearerAuth('bearer-secret-1'), 'authorization', 'Bearer bearer-secret-1'],
];

function agent(): Agent {
  const created = new Agent();
  agents.push(created);
  return created;
}

const redirect = (server: RecordingServer, status: number, to: string) =>
  `${server.url}/redirect/${status}?to=${encodeURIComponent(to)}`;

async function get(url: string, dispatcher: Dispatcher, extra: object = {}) {
  const response = await request(url, { dispatcher, ...extra });
  await response.body.text();
  return response.statusCode;
}

describe.each(SHAPES)('redirects with %s', (_shape, compose) => {
  describe.each(STRATEGIES)('and %s', (_name, auth, header, value) => {
    const dispatcherFor = () => compose(authInterceptor({ auth, origins: [allowed.url] }));

    it('never carries the credential to another origin, from the first request on', async () => {
      const dispatcher = dispatcherFor();
      for (let i = 0; i < 10; i++) {
        for (const status of [301, 302, 303, 307, 308]) {
          const landing = `/landed-${status}-${i}`;
          expect(await get(redirect(allowed, status, `${other.url}${landing}`), dispatcher)).toBe(
            200,
          );
          expect(other.requestsTo(landing), landing).toHaveLength(1);
          expect(other.requestsTo(landing)[0]!.headers[header], landing).toBeUndefined();
        }
      }
      const sent = allowed.requestsTo('/redirect/302');
      expect(sent).toHaveLength(10);
      for (const hop of sent) expect(hop.headers[header]).toBe(value);
    });

    it('keeps the credential on same-origin hops, and adds it on a hop into the allowed origin', async () => {
      const dispatcher = dispatcherFor();
      expect(await get(redirect(allowed, 302, `${allowed.url}/same`), dispatcher)).toBe(200);
      expect(allowed.requestsTo('/same')[0]!.headers[header]).toBe(value);
      const back = redirect(other, 307, `${allowed.url}/home`);
      expect(await get(redirect(allowed, 307, back), dispatcher)).toBe(200);
      expect(other.requestsTo('/redirect/307')[0]!.headers[header]).toBeUndefined();
      expect(allowed.requestsTo('/home')[0]!.headers[header]).toBe(value);
      expect(await get(redirect(other, 302, `${allowed.url}/inside`), dispatcher)).toBe(200);
      expect(allowed.requestsTo('/inside')[0]!.headers[header]).toBe(value);
    });

    it('keeps a POST body on a 307 and turns a 303 into a GET', async () => {
      const dispatcher = dispatcherFor();
      const post = { method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } };
      expect(await get(redirect(allowed, 307, `${other.url}/posted`), dispatcher, post)).toBe(200);
      expect(await get(redirect(allowed, 303, `${allowed.url}/seen`), dispatcher, post)).toBe(200);
      const posted = other.requestsTo('/posted')[0]!;
      expect([posted.method, posted.body.toString(), posted.headers[header]]).toEqual([
        'POST',
        'payload',
        undefined,
      ]);
      const seen = allowed.requestsTo('/seen')[0]!;
      expect([seen.method, seen.body.length, seen.headers['content-type']]).toEqual([
        'GET',
        0,
        undefined,
      ]);
      expect(seen.headers[header]).toBe(value);
    });

    it('leaves fetch to follow redirects itself, hop by hop', async () => {
      const dispatcher = dispatcherFor();
      const response = await undiciFetch(redirect(allowed, 302, `${other.url}/fetched`), {
        dispatcher,
      });
      expect(response.status).toBe(200);
      await response.text();
      expect(other.requestsTo('/fetched')[0]!.headers[header]).toBeUndefined();
    });
  });
});

describe('authInterceptor outside the redirect interceptor', () => {
  const outside = () =>
    agent().compose(
      redirects(),
      authInterceptor({ auth: bearerAuth('t'), origins: [allowed.url] }),
    );

  it("follows at most the request's maxRedirections, else 20, then hands back the redirect", async () => {
    const dispatcher = outside();
    expect(await get(`${allowed.url}/loop`, dispatcher, { maxRedirections: 2 })).toBe(302);
    expect(allowed.requestsTo('/loop')).toHaveLength(3);
    allowed.requests.length = 0;
    expect(await get(`${allowed.url}/loop`, dispatcher)).toBe(302);
    expect(allowed.requestsTo('/loop')).toHaveLength(21);
  });

  it('hands back a redirect unfollowed when the request says maxRedirections: 0', async () => {
    const dispatcher = outside();
    await get(`${allowed.url}/warm-up`, dispatcher);
    expect(
      await get(redirect(allowed, 302, `${other.url}/x`), dispatcher, { maxRedirections: 0 }),
    ).toBe(302);
    expect(other.requests).toHaveLength(0);
  });

  it('resolves a relative Location against the origin the request went to, even for a path starting with //', async () => {
    const dispatcher = outside();
    await get(`${allowed.url}/warm-up`, dispatcher);
    // undici sends `path` as it is to `origin`: this request goes to `allowed`, whatever host
    // its path looks like, so its relative redirect lands on `allowed` too.
    const otherHost = new URL(other.url).host;
    const response = await dispatcher.request({
      origin: allowed.url,
      path: `//${otherHost}/redirect/302?to=/landed-relative`,
      method: 'GET',
    });
    await response.body.text();
    expect(response.statusCode).toBe(200);
    expect(other.requests).toHaveLength(0);
    expect(allowed.requestsTo('/landed-relative')).toHaveLength(1);
    expect(allowed.requestsTo('/landed-relative')[0]!.headers.authorization).toBe('Bearer t');
  });

  it('says clearly what to change when the first request has a streamed body it cannot resend', async () => {
    const { Readable } = await import('node:stream');
    const dispatcher = outside();
    const error = await request(`${allowed.url}/upload`, {
      dispatcher,
      method: 'POST',
      body: Readable.from(['once']),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/compose\(authInterceptor/);
    expect(allowed.requestsTo('/upload')).toHaveLength(0);
    expect(await get(redirect(allowed, 302, `${other.url}/after`), dispatcher)).toBe(200);
    expect(other.requestsTo('/after')[0]!.headers.authorization).toBeUndefined();
  });
});
