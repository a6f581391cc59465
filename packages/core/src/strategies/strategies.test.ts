import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deferred, scriptedProvider, testClock } from '../testing/scripted-provider.js';
import { TokenManager } from '../token-manager.js';
import { apiKeyAuth } from './api-key-auth.js';
import type { AuthRequest } from './auth-strategy.js';
import { basicAuth } from './basic-auth.js';
import { bearerAuth } from './bearer-auth.js';
import { tokenAuth } from './token-auth.js';

const request: AuthRequest = {
  method: 'GET',
  url: new URL('https://api.example.com/x'),
  headers: new Headers(),
};

describe('bearerAuth', () => {
  it('sends a fixed token, with or without a "Bearer " prefix', async () => {
    expect(await bearerAuth('abc').authenticate(request)).toEqual({ Authorization: 'Bearer abc' });
    expect(await bearerAuth('Bearer abc').authenticate(request)).toEqual({
      Authorization: 'Bearer abc',
    });
  });

  it('rejects a token that could inject a header', () => {
    expect(() => bearerAuth('abc\r\nX-Evil: 1')).toThrow(TypeError);
  });

  it('calls a token function once, not per request', async () => {
    let calls = 0;
    const auth = bearerAuth(() => {
      calls += 1;
      return 'Bearer from-function';
    });
    for (let i = 0; i < 10; i++)
      expect(await auth.authenticate(request)).toEqual({ Authorization: 'Bearer from-function' });
    expect(calls).toBe(1);
  });

  it('takes its token from a manager, with 401 recovery', async () => {
    const clock = testClock();
    const { provider } = scriptedProvider({ clock });
    const auth = bearerAuth(new TokenManager({ provider, now: clock.now }));
    expect(await auth.authenticate(request)).toEqual({ Authorization: 'Bearer fetched-1' });
    expect(auth.onUnauthorized).toBeTypeOf('function');
  });
});

describe('tokenAuth', () => {
  it('refreshes once for a burst of 401s carrying the same token', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const auth = tokenAuth(new TokenManager({ provider, now: clock.now }));
    // A burst: 100 requests (as an adapter passes them: one object each, its headers those sent).
    const burst = Array.from({ length: 100 }, () => ({ ...request }));
    for (const sent of burst) sent.headers = new Headers(await auth.authenticate(sent));
    const retries = await Promise.all(
      burst.map((sent) =>
        auth.onUnauthorized!({
          request: sent,
          response: { status: 401, headers: new Headers() },
        }),
      ),
    );
    expect(retries.every(Boolean)).toBe(true);
    expect(state.fetches).toBe(2);
    expect(await auth.authenticate(request)).toEqual({ Authorization: 'Bearer fetched-2' });
  });

  it('names the TokenSet it sent for the request, whatever its headers say', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, now: clock.now });
    const auth = tokenAuth(manager);
    const late = { ...request };
    await auth.authenticate(late); // sent with fetched-1
    await manager.forceRefresh(); // fetched-2 is current now
    // The caller's own header on the refused request does not decide which token was refused.
    late.headers = new Headers({ Authorization: 'Bearer fetched-2' });
    await auth.onUnauthorized!({
      request: late,
      response: { status: 401, headers: new Headers() },
    });
    // fetched-1 was refused, and it is no longer current: no token request.
    expect(state.fetches).toBe(2);
    expect(await auth.authenticate(request)).toEqual({ Authorization: 'Bearer fetched-2' });
  });

  it("gives the request's signal to the manager: an abort ends the wait for a token", async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const gate = deferred();
    state.gate = gate.promise;
    const auth = tokenAuth(new TokenManager({ provider, now: clock.now }));
    const controller = new AbortController();
    const waiting = auth.authenticate({ ...request, signal: controller.signal });
    const patient = auth.authenticate(request);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    gate.resolve();
    expect(await patient).toEqual({ Authorization: 'Bearer fetched-1' });
    expect(state.fetches).toBe(1);
  });

  it('answers synchronously, with the same header object, while the token is servable', async () => {
    const clock = testClock();
    const { provider } = scriptedProvider({ clock });
    const auth = tokenAuth(new TokenManager({ provider, now: clock.now }));
    const first = await auth.authenticate(request);
    const second = auth.authenticate(request);
    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toBe(first);
    expect(Object.isFrozen(second)).toBe(true);
  });

  it('rejects something that is not a manager', () => {
    expect(() => tokenAuth({} as never)).toThrow(TypeError);
  });
});

describe('apiKeyAuth', () => {
  it('sends the key in X-API-Key by default, or in the header given', async () => {
    expect(await apiKeyAuth('k1').authenticate(request)).toEqual({ 'X-API-Key': 'k1' });
    expect(await apiKeyAuth('k1', { header: 'X-Service-Key' }).authenticate(request)).toEqual({
      'X-Service-Key': 'k1',
    });
  });

  it('rejects bad keys and header names at construction', () => {
    expect(() => apiKeyAuth('')).toThrow(TypeError);
    expect(() => apiKeyAuth('a\nb')).toThrow(TypeError);
    expect(() => apiKeyAuth('k', { header: 'Bad Header' })).toThrow(TypeError);
  });
});

describe('basicAuth (RFC 7617)', () => {
  it('encodes user:password as UTF-8 Base64', async () => {
    expect(await basicAuth('Aladdin', 'open sesame').authenticate(request)).toEqual({
      Authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    });
    expect(await basicAuth('test', '123£').authenticate(request)).toEqual({
      Authorization: 'Basic dGVzdDoxMjPCow==',
    });
  });

  it('rejects a username with ":" and control characters', () => {
    expect(() => basicAuth('a:b', 'p')).toThrow(TypeError);
    expect(() => basicAuth('a', 'p\r\n')).toThrow(TypeError);
  });
});

describe('strategies keep secrets out of output', () => {
  it.each([
    ['bearerAuth', () => bearerAuth('sEcReT-1')],
    ['apiKeyAuth', () => apiKeyAuth('sEcReT-1')],
    ['basicAuth', () => basicAuth('user', 'sEcReT-1')],
  ])('%s', (_, make) => {
    const strategy = make();
    for (const output of [
      JSON.stringify(strategy),
      String(strategy),
      inspect(strategy, { depth: 10 }),
    ]) {
      expect(output).not.toContain('sEcReT-1');
    }
  });
});
