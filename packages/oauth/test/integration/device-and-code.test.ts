import { OAuthError, TokenManager, TokenResponseError } from '@auth/core';
import { startTokenServer } from '@auth/testing/http';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type AuthorizationCodeClientOptions,
  authorizationCode,
  createAuthorizationRequest,
  type DeviceUserCode,
  deviceAuthorization,
  exchangeAuthorizationCode,
} from '../../src/index.js';
import { startLoopbackReceiver } from '../../src/loopback.js';
import { caught, eventLog, manualClock } from './support.js';

let bed: OidcTestBed;
beforeAll(async () => {
  bed = await startOidcProvider({ accessTokenTtlSeconds: 300, devicePollIntervalSeconds: 1 });
});
afterAll(() => bed.close());

const devicePolls = () => bed.tokenRequests.filter((r) => r.grantType?.endsWith('device_code'));

describe('deviceAuthorization (RFC 8628)', () => {
  const device = (onUserCode: (prompt: DeviceUserCode) => void, now?: () => number) =>
    deviceAuthorization({
      issuer: bed.issuer,
      ...bed.clients.device,
      scope: 'openid offline_access',
      onUserCode,
      now,
    });

  it('polls while authorization_pending, gets tokens once approved, and refreshes in TokenManager', async () => {
    const clock = manualClock();
    const prompts: DeviceUserCode[] = [];
    const provider = device((prompt) => void prompts.push(prompt), clock.now);
    const { events, onEvent } = eventLog();
    const manager = new TokenManager({ provider, now: clock.now, onEvent, refreshAheadMs: 0 });
    const before = devicePolls().length;
    const pending = manager.getToken();
    await vi.waitFor(() => expect(devicePolls().length - before).toBeGreaterThanOrEqual(1), {
      timeout: 10_000,
    });
    expect(prompts[0]?.verificationUri).toBe(`${bed.issuer}/device`);
    await bed.approveDevice(prompts[0]!.userCode, 'alice');
    const tokens = await pending;
    expect((await bed.inspectToken(tokens.accessToken))?.accountId).toBe('alice');
    clock.advance(301_000);
    const refreshed = await manager.getToken();
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(events.map((event) => event.type)).toEqual(['token-fetched', 'token-refreshed']);
    await manager.close();
  });

  it('adds 5 s to the interval after slow_down', async () => {
    const pollTimes: number[] = [];
    let userCode = '';
    bed.slowDownNextDevicePolls(1);
    const provider = deviceAuthorization({
      issuer: bed.issuer,
      ...bed.clients.device,
      onUserCode: (prompt) => {
        userCode = prompt.userCode;
      },
      fetch: (input, init) => {
        if (String(init?.body).includes('device_code=')) pollTimes.push(performance.now());
        return fetch(input, init);
      },
    });
    const pending = provider.fetchToken();
    await vi.waitFor(() => expect(pollTimes).toHaveLength(1), { timeout: 10_000 });
    await bed.approveDevice(userCode, 'bob');
    const tokens = await pending;
    expect((await bed.inspectToken(tokens.accessToken))?.accountId).toBe('bob');
    expect(pollTimes).toHaveLength(2);
    expect(pollTimes[1]! - pollTimes[0]!).toBeGreaterThanOrEqual(5_900);
  });

  it('fails with expired_token when the code expires unapproved', async () => {
    bed.setDeviceCodeTtlSeconds(1);
    try {
      const error = await caught(() => device(() => {}).fetchToken());
      expect(OAuthError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ error: 'expired_token' });
    } finally {
      bed.setDeviceCodeTtlSeconds(600);
    }
  });

  it('fails with access_denied when the user denies', async () => {
    const provider = device((prompt) => void bed.denyDevice(prompt.userCode));
    await expect(provider.fetchToken()).rejects.toMatchObject({ error: 'access_denied' });
  });

  it('stops polling when the signal aborts', async () => {
    const controller = new AbortController();
    const provider = device(() => controller.abort(new Error('user pressed Ctrl-C')));
    const before = devicePolls().length;
    await expect(provider.fetchToken({ signal: controller.signal })).rejects.toThrow(
      'user pressed Ctrl-C',
    );
    expect(devicePolls().length).toBe(before);
  });
});

describe('authorization code + PKCE with a loopback receiver', () => {
  it('builds an S256 URL, receives the code on loopback, exchanges it, and refreshes in TokenManager', async () => {
    const receiver = await startLoopbackReceiver();
    try {
      const clock = manualClock();
      const provider = authorizationCode({
        issuer: bed.issuer,
        ...bed.clients.native,
        redirectUri: receiver.redirectUri,
        scope: 'openid offline_access',
        authorizationParams: { prompt: 'consent' },
        now: clock.now,
        authorize: async ({ url, signal }) => {
          expect(url.searchParams.get('code_challenge_method')).toBe('S256');
          const callback = await bed.completeLogin(url, {
            username: 'alice',
            password: 'alice-password-1',
          });
          const browser = await fetch(callback); // the browser follows the redirect to the receiver
          expect(browser.status).toBe(200);
          return receiver.waitForCallback({ signal, timeoutMs: 10_000 });
        },
      });
      const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
      const tokens = await manager.getToken();
      expect((await bed.inspectToken(tokens.accessToken))?.accountId).toBe('alice');
      expect(bed.tokenRequests.at(-1)?.params.code_verifier).toMatch(/^[\w-]{43,}$/);
      clock.advance(301_000);
      expect((await manager.getToken()).accessToken).not.toBe(tokens.accessToken);
      expect(bed.tokenRequests.at(-1)?.grantType).toBe('refresh_token');
      await manager.close();
    } finally {
      await receiver.close();
    }
  });

  it('honours allowInsecureHttp for the authorization endpoint too', async () => {
    const options = {
      ...bed.clients.native,
      authorizationUrl: 'http://auth.internal/auth',
      tokenUrl: 'http://auth.internal/token',
      redirectUri: 'http://127.0.0.1:9/callback',
    };
    await expect(createAuthorizationRequest(options)).rejects.toThrow(/allowInsecureHttp/);
    const request = await createAuthorizationRequest({ ...options, allowInsecureHttp: true });
    expect(new URL(request.url).origin).toBe('http://auth.internal');
  });

  it('rejects a callback whose state does not match, and maps an error callback to OAuthError', async () => {
    const options = {
      issuer: bed.issuer,
      ...bed.clients.native,
      redirectUri: 'http://127.0.0.1:9/callback',
    };
    const request = await createAuthorizationRequest(options);
    const forged = new URL(`${options.redirectUri}?code=abc&state=forged`);
    expect(
      TokenResponseError.isInstance(
        await caught(() => exchangeAuthorizationCode(options, request, forged)),
      ),
    ).toBe(true);
    const denied = new URL(`${options.redirectUri}?error=access_denied&state=${request.state}`);
    await expect(exchangeAuthorizationCode(options, request, denied)).rejects.toMatchObject({
      error: 'access_denied',
    });
  });

  it('one login (create, then exchange with the same options) discovers the issuer once', async () => {
    const discoveries: string[] = [];
    const options: AuthorizationCodeClientOptions = {
      issuer: bed.issuer,
      ...bed.clients.native,
      redirectUri: 'http://127.0.0.1:9/callback',
      scope: 'openid',
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : input);
        if (url.pathname.startsWith('/.well-known/')) discoveries.push(url.pathname);
        return fetch(input, init);
      },
    };
    const request = await createAuthorizationRequest(options);
    const callback = await bed.completeLogin(request.url, {
      username: 'alice',
      password: 'alice-password-1',
    });
    const tokens = await exchangeAuthorizationCode(options, request, callback);
    expect((await bed.inspectToken(tokens.accessToken))?.accountId).toBe('alice');
    expect(discoveries).toEqual(['/.well-known/openid-configuration']);
  });

  it('a failed login comes back as access_denied', async () => {
    const options = {
      issuer: bed.issuer,
      ...bed.clients.native,
      redirectUri: 'http://127.0.0.1:9/callback',
    };
    const request = await createAuthorizationRequest(options);
    const callback = await bed.completeLogin(request.url, { username: 'alice', password: 'wrong' });
    await expect(exchangeAuthorizationCode(options, request, callback)).rejects.toMatchObject({
      error: 'access_denied',
    });
  });

  it('the receiver answers 404 off its path and gives up after timeoutMs', async () => {
    const receiver = await startLoopbackReceiver({ path: '/cb' });
    try {
      expect((await fetch(new URL('/other', receiver.redirectUri))).status).toBe(404);
      await expect(receiver.waitForCallback({ timeoutMs: 50 })).rejects.toThrow(
        /no authorization callback/,
      );
    } finally {
      await receiver.close();
    }
  });
});

describe('OpenID nonce and steps that need a person', () => {
  const options = { redirectUri: 'http://127.0.0.1:9/callback' };
  const alice = { username: 'alice', password: 'alice-password-1' };

  it('sends a nonce with openid and refuses an ID token carrying another (OpenID Connect Core §3.1.3.7)', async () => {
    const settings = { ...options, issuer: bed.issuer, ...bed.clients.native, scope: 'openid' };
    const request = await createAuthorizationRequest(settings);
    expect(request.nonce).toMatch(/^[\w-]{43,}$/);
    expect(request.url.searchParams.get('nonce')).toBe(request.nonce);
    const callback = await bed.completeLogin(request.url, alice);
    const error = await caught(() =>
      exchangeAuthorizationCode(settings, { ...request, nonce: 'from-another-login' }, callback),
    );
    expect(TokenResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/nonce/);

    const second = await createAuthorizationRequest(settings);
    const tokens = await exchangeAuthorizationCode(
      settings,
      second,
      await bed.completeLogin(second.url, alice),
    );
    expect((await bed.inspectToken(tokens.accessToken))?.accountId).toBe('alice');
    const plain = await createAuthorizationRequest({ ...settings, scope: 'offline_access' });
    expect(plain.nonce).toBeUndefined();
    expect(plain.url.searchParams.has('nonce')).toBe(false);
  });

  it('runs a failing authorize once: AuthError interaction_failed, not retried by the manager', async () => {
    const authorize = vi.fn(async () => {
      throw new Error('the browser could not be opened');
    });
    const provider = authorizationCode({
      ...options,
      issuer: bed.issuer,
      ...bed.clients.native,
      scope: 'openid',
      authorize,
    });
    const manager = new TokenManager({ provider });
    const error = await caught(() => manager.getToken());
    expect(authorize).toHaveBeenCalledTimes(1);
    expect((error as Error).cause).toMatchObject({ code: 'interaction_failed' });
    expect(((error as Error).cause as Error).cause).toMatchObject({
      message: 'the browser could not be opened',
    });
    await manager.close();
  });

  it('gives up waiting for the callback with AuthError authorization_timeout, asking the user once', async () => {
    const receiver = await startLoopbackReceiver();
    try {
      const authorize = vi.fn(({ signal }: { signal: AbortSignal | undefined }) =>
        receiver.waitForCallback({ signal, timeoutMs: 1 }),
      );
      const provider = authorizationCode({
        issuer: bed.issuer,
        ...bed.clients.native,
        redirectUri: receiver.redirectUri,
        authorize,
      });
      const manager = new TokenManager({ provider });
      const error = await caught(() => manager.getToken());
      expect(authorize).toHaveBeenCalledTimes(1);
      expect((error as Error).cause).toMatchObject({ code: 'authorization_timeout' });
      await manager.close();
    } finally {
      await receiver.close();
    }
  });

  it('does not ask the person again when the code exchange after them fails transiently', async () => {
    const tokens = await startTokenServer();
    try {
      const redirectUri = 'http://127.0.0.1:9/callback';
      const authorize = vi.fn(
        async ({ url }: { url: URL }) =>
          `${redirectUri}?code=c&state=${url.searchParams.get('state')}`,
      );
      const provider = authorizationCode({
        tokenUrl: tokens.tokenUrl,
        authorizationUrl: 'http://127.0.0.1:9/authorize',
        clientId: 'test-client',
        clientSecret: 'test-secret',
        redirectUri,
        authorize,
      });
      expect(provider.interactive).toBe(true);
      tokens.failNext({ kind: 'status', status: 503 }, 5);
      const manager = new TokenManager({ provider });
      const error = await caught(() => manager.getToken());
      expect(authorize).toHaveBeenCalledTimes(1);
      expect(tokens.requestCount).toBe(1);
      expect((error as Error).cause).toMatchObject({ code: 'interaction_failed' });
      expect(((error as Error).cause as Error).cause).toMatchObject({ status: 503 });
      await manager.close();
    } finally {
      await tokens.close();
    }
  });

  it('runs a failing onUserCode once', async () => {
    const onUserCode = vi.fn(() => {
      throw new Error('no terminal');
    });
    const provider = deviceAuthorization({ issuer: bed.issuer, ...bed.clients.device, onUserCode });
    const manager = new TokenManager({ provider });
    const error = await caught(() => manager.getToken());
    expect(onUserCode).toHaveBeenCalledTimes(1);
    expect((error as Error).cause).toMatchObject({ code: 'interaction_failed' });
    await manager.close();
  });
});
