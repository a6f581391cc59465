import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  type LoopbackServer,
  listenOnLoopback,
  secureSchemeCheck,
  sendJson,
  startVerifyingServer,
  type VerifyingServer,
} from '@auth/testing/http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallConfig, Outcome } from '../browser/flow.js';
import { STATIC_CREDENTIALS } from '../browser/flow.js';
import { type BrowserHarness, startBrowserHarness } from '../browser/harness.js';
import { type FlowInput, type RuntimeBed, startRuntimeBed } from '../src/bed.js';
import { expectFlowPassed } from '../src/expect-flow.js';

// The flow of the runtime matrix in headless Chromium (Debian's `chromium`, driven by
// puppeteer-core): the packages bundled for the browser, run in a page served from one
// loopback origin against servers on others (CORS), as a single-page app would. Then what
// only a browser does: a forbidden `Date` header, and redirects it hides.

/** What a redirecting server saw of a request's credentials. */
interface SeenRequest {
  method: string;
  path: string;
  authorization: boolean;
  apiKey: boolean;
}

/**
 * A loopback origin that redirects `/to-same` (302, same origin), `/to-other` (302, the
 * other origin) and `/post-303`, answers `/final` with what it saw, and records every
 * request but preflights.
 */
interface RedirectingServer extends LoopbackServer {
  readonly requests: SeenRequest[];
}

async function startRedirectingServer(other: () => string): Promise<RedirectingServer> {
  const requests: SeenRequest[] = [];
  const server = await listenOnLoopback(
    (req, res) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const seen = {
        method: req.method ?? 'GET',
        path,
        authorization: req.headers.authorization !== undefined,
        apiKey: req.headers['x-api-key'] !== undefined,
      };
      requests.push(seen);
      const redirect = (status: number, location: string) => {
        res.writeHead(status, { location, 'cache-control': 'no-store' });
        res.end();
      };
      if (path === '/to-same') return redirect(302, '/final');
      if (path === '/to-other') return redirect(302, `${other()}/final`);
      if (path === '/to-other-denied') return redirect(302, `${other()}/denied`);
      if (path === '/denied') return sendJson(res, 401, seen);
      if (path === '/post-303') return redirect(303, '/final');
      sendJson(res, 200, seen);
    },
    { cors: true },
  );
  return { ...server, requests };
}

/** The requests both redirecting origins saw from index `from` on (as `[origin, request]`). */
function seenSince(from: { first: number; second: number }) {
  return [
    ...first.requests.slice(from.first).map((r) => ['first', r.method, r.path] as const),
    ...second.requests.slice(from.second).map((r) => ['second', r.method, r.path] as const),
  ];
}

const mark = () => ({ first: first.requests.length, second: second.requests.length });

let browser: BrowserHarness;
let signedWithDate: VerifyingServer;
let first: RedirectingServer;
let second: RedirectingServer;
let signingKey: { publicKey: KeyObject; privateJwk: JsonWebKey };

beforeAll(async () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  signingKey = {
    publicKey: pair.publicKey,
    privateJwk: pair.privateKey.export({ format: 'jwk' }) as JsonWebKey,
  };
  [signedWithDate, first, second] = await Promise.all([
    startVerifyingServer(secureSchemeCheck('pk_signed', signingKey.publicKey), { cors: true }),
    startRedirectingServer(() => second.url),
    startRedirectingServer(() => first.url),
  ]);
  browser = await startBrowserHarness();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([signedWithDate, first, second].map((server) => server?.close()));
});

/** Runs `flow.call` in the page. */
function callInPage(config: CallConfig): Promise<Outcome> {
  return browser.page.evaluate((c) => globalThis.authFlow.call(c), config);
}

declare global {
  /** The bundled `flow/browser.mjs`, loaded by the page. */
  var authFlow: typeof import('../browser/flow.js') & {
    runFlow(input: FlowInput): Promise<unknown>;
  };
}

describe('headless Chromium: the flow every runtime runs', () => {
  let bed: RuntimeBed;
  beforeEach(async () => {
    // The page is on another origin, and may not set `Date`: the bed answers CORS and
    // verifies signedKeyAuth's timestamp in `X-Date`.
    bed = await startRuntimeBed({ cors: true, dateHeader: 'X-Date' });
  });
  afterEach(() => bed.close());

  it("client credentials → TokenManager → createAuthFetch, forceRefresh, 401 recovery, and every key strategy (signedKeyAuth with dateHeader 'X-Date')", async () => {
    const result = await browser.page.evaluate(
      (input) => globalThis.authFlow.runFlow(input),
      bed.input,
    );

    expect(bed.input.signedKey.dateHeader).toBe('X-Date');
    expectFlowPassed(result, bed, /HeadlessChrome\/\d+\./);
  });
});

describe('headless Chromium: signedKeyAuth and the forbidden Date header', () => {
  const signed = (apiUrl: string): CallConfig => ({
    apiUrl,
    path: '/orders?page=2',
    strategy: 'signedKey',
    init: { method: 'POST', body: '{"item":"book"}', headers: { 'content-type': 'text/plain' } },
    signing: { publicKey: 'pk_signed', privateKey: signingKey.privateJwk },
  });

  it('with the default Date header (forbidden in browsers) it rejects with an AuthenticationError naming the header, and sends nothing', async () => {
    const outcome = await callInPage(signed(signedWithDate.url));

    expect(outcome).toMatchObject({
      error: { name: 'AuthenticationError', code: 'authentication_failed' },
    });
    const { message } = (outcome as { error: { message: string } }).error;
    expect(message).toContain('"Date"');
    expect(message).toContain("dateHeader: 'X-Date'");
    expect(message).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(signedWithDate.requests).toEqual([]);
  });
});

describe('headless Chromium: redirects, which the browser hides from redirect: manual', () => {
  it('plain fetch in this browser: drops Authorization on a cross-origin hop, keeps X-API-Key', async () => {
    const headers = {
      authorization: `Bearer ${STATIC_CREDENTIALS.bearer}`,
      'x-api-key': STATIC_CREDENTIALS.apiKey,
    };
    const outcome = await browser.page.evaluate(
      (url, h) => globalThis.authFlow.plainFetch(url, { headers: h }),
      `${first.url}/to-other`,
      headers,
    );

    expect(outcome).toMatchObject({ status: 200, body: { authorization: false, apiKey: true } });
  });

  it('Authorization only, same origin: the browser follows and the final hop has the credentials', async () => {
    const outcome = await callInPage({ apiUrl: first.url, path: '/to-same', strategy: 'bearer' });

    expect(outcome).toMatchObject({
      status: 200,
      redirected: true,
      url: `${first.url}/final`,
      body: { path: '/final', authorization: true },
    });
  });

  it('Authorization only, another origin: the browser follows and drops the credentials on the way', async () => {
    const outcome = await callInPage({ apiUrl: first.url, path: '/to-other', strategy: 'bearer' });

    expect(outcome).toMatchObject({
      status: 200,
      redirected: true,
      url: `${second.url}/final`,
      body: { path: '/final', authorization: false },
    });
  });

  it('a 401 from the origin a redirect led to is not charged to the credentials: no renewal, no resend', async () => {
    const before = mark();
    const renewalsBefore = await browser.page.evaluate(() => globalThis.authFlow.renewalCount());
    const outcome = await callInPage({
      apiUrl: first.url,
      path: '/to-other-denied',
      strategy: 'renewingBearer',
    });

    expect(outcome).toMatchObject({ status: 401, url: `${second.url}/denied` });
    expect(await browser.page.evaluate(() => globalThis.authFlow.renewalCount())).toBe(
      renewalsBefore,
    );
    expect(seenSince(before)).toEqual([
      ['first', 'GET', '/to-other-denied'],
      ['first', 'GET', '/to-other-denied'],
      ['second', 'GET', '/denied'],
    ]);
  });

  it.each([
    ['the same origin', '/to-same'],
    ['another origin', '/to-other'],
  ])(
    'a custom credential header (X-API-Key), to %s: rejects with an AuthenticationError that says why, and no hop after the redirect is sent',
    async (_, path) => {
      const before = mark();
      const outcome = await callInPage({ apiUrl: first.url, path, strategy: 'apiKey' });

      expect(outcome).toMatchObject({
        error: { name: 'AuthenticationError', code: 'authentication_failed' },
      });
      const { message } = (outcome as { error: { message: string } }).error;
      expect(message).toContain('X-API-Key');
      expect(message).toContain('opaque redirect');
      expect(message).not.toContain(STATIC_CREDENTIALS.apiKey);
      expect(seenSince(before)).toEqual([['first', 'GET', path]]);
    },
  );

  it("redirect: 'manual' returns the opaque redirect, as plain fetch does", async () => {
    const outcome = await callInPage({
      apiUrl: first.url,
      path: '/to-same',
      strategy: 'apiKey',
      init: { redirect: 'manual' },
    });

    expect(outcome).toMatchObject({ status: 0, type: 'opaqueredirect' });
  });

  it("redirect: 'error' rejects with a TypeError, as plain fetch does", async () => {
    const outcome = await callInPage({
      apiUrl: first.url,
      path: '/to-same',
      strategy: 'bearer',
      init: { redirect: 'error' },
    });

    expect(outcome).toMatchObject({ error: { name: 'TypeError' } });
  });

  it('a POST answered by a redirect is not sent twice: it rejects with a TypeError that says why', async () => {
    const before = mark();
    const outcome = await callInPage({
      apiUrl: first.url,
      path: '/post-303',
      strategy: 'bearer',
      init: { method: 'POST', body: 'order' },
    });

    expect(outcome).toMatchObject({ error: { name: 'TypeError' } });
    expect((outcome as { error: { message: string } }).error.message).toContain('POST');
    expect(seenSince(before)).toEqual([['first', 'POST', '/post-303']]);
  });
});
