import { describe, expect, it } from 'vitest';
import { AuthError } from './errors.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { deferred, scriptedProvider, testClock } from './testing/scripted-provider.js';
import { TokenManager } from './token-manager.js';

describe('TokenManager: single flight', () => {
  it('makes exactly one provider call for 10,000 concurrent getToken() on a cold manager', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, now: clock.now });
    const results = await Promise.all(Array.from({ length: 10_000 }, () => manager.getToken()));
    expect(state.fetches).toBe(1);
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['fetched-1']));
  });

  it('makes exactly one provider call for 10,000 concurrent getToken() after expiry', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: 60_000 });
    const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
    await manager.getToken();
    clock.advance(61_000);
    const results = await Promise.all(Array.from({ length: 10_000 }, () => manager.getToken()));
    expect(state.fetches).toBe(2);
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['fetched-2']));
  });

  it('lets one caller abort its wait without cancelling the request for the others', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const gate = deferred();
    state.gate = gate.promise;
    const manager = new TokenManager({ provider, now: clock.now });
    const controller = new AbortController();
    const impatient = manager.getToken({ signal: controller.signal });
    const patient = manager.getToken();
    controller.abort(new Error('caller gave up'));
    await expect(impatient).rejects.toThrow('caller gave up');
    gate.resolve();
    await expect(patient).resolves.toMatchObject({ accessToken: 'fetched-1' });
    expect(state.fetches).toBe(1);
  });

  it('rejects every call after close()', async () => {
    const clock = testClock();
    const { provider } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, now: clock.now });
    await manager.close();
    await expect(manager.getToken()).rejects.toSatisfy(
      (error) => AuthError.isInstance(error) && error.code === 'manager_closed',
    );
  });
});

describe('TokenManager.close() with requests in flight', () => {
  const closedError = (error: unknown) =>
    AuthError.isInstance(error) && error.code === 'manager_closed';

  it('rejects the callers waiting on a token request, even when the provider ignores the abort', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const gate = deferred();
    state.gate = gate.promise;
    const manager = new TokenManager({ provider, now: clock.now });
    const callers = [manager.getToken(), manager.getToken()].map((call) =>
      call.catch((error: unknown) => error),
    );
    await Promise.resolve();
    await manager.close();
    gate.resolve();
    for (const outcome of await Promise.all(callers)) expect(closedError(outcome)).toBe(true);
    expect(closedError(await manager.getToken().catch((error: unknown) => error))).toBe(true);
  });

  it('makes no token request once closed, even for a call made just before', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, now: clock.now });
    const forced = manager.forceRefresh().catch((error: unknown) => error);
    await manager.close();
    expect(closedError(await forced)).toBe(true);
    expect(state.fetches).toBe(0);
  });
});

describe('TokenManager.peekToken', () => {
  it('returns nothing on a cold manager, then the servable token without a promise', async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: 100_000 });
    const manager = new TokenManager({ provider, now: clock.now, expirySkewMs: 30_000 });
    expect(manager.peekToken()).toBeUndefined();
    expect(state.fetches).toBe(0);
    const tokens = await manager.getToken();
    expect(manager.peekToken()).toBe(tokens);
    clock.set(70_000);
    expect(manager.peekToken()).toBeUndefined();
  });

  it('starts the background refresh when one is due, like getToken', async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: 100_000 });
    const manager = new TokenManager({
      provider,
      now: clock.now,
      expirySkewMs: 30_000,
      refreshAheadMs: 60_000,
    });
    await manager.getToken();
    clock.set(52_500);
    expect(manager.peekToken()?.accessToken).toBe('fetched-1');
    await expect.poll(() => state.fetches).toBe(2);
  });
});

describe('TokenManager: never stale', () => {
  it('stops serving a token expirySkewMs before its expiry', async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: 3_600_000 });
    const manager = new TokenManager({
      provider,
      now: clock.now,
      expirySkewMs: 30_000,
      refreshAheadMs: 0,
    });
    await manager.getToken();
    clock.set(3_600_000 - 30_001);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    clock.set(3_600_000 - 30_000);
    expect((await manager.getToken()).accessToken).toBe('fetched-2');
    expect(state.fetches).toBe(2);
  });

  it('clamps the skew to half the lifetime, so a 2-second token is used, not refetched in a loop', async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: 2_000 });
    const manager = new TokenManager({
      provider,
      now: clock.now,
      expirySkewMs: 30_000,
      refreshAheadMs: 0,
    });
    for (let i = 0; i < 100; i++) await manager.getToken();
    expect(state.fetches).toBe(1);
    clock.set(999);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    clock.set(1_000);
    expect((await manager.getToken()).accessToken).toBe('fetched-2');
    expect(state.fetches).toBe(2);
  });

  it('serves a token without expiry for ever', async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock });
    state.onFetch = async () => state.issue('fetched').with({ expiresAt: undefined });
    const manager = new TokenManager({ provider, now: clock.now });
    await manager.getToken();
    clock.set(1e13);
    await manager.getToken();
    expect(state.fetches).toBe(1);
  });
});

describe('TokenManager: 401 without storms', () => {
  it('makes one request for 100 concurrent forceRefresh({ rejected }) of the same token', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, now: clock.now });
    const first = await manager.getToken();
    const renewed = await Promise.all(
      Array.from({ length: 100 }, () => manager.forceRefresh({ rejected: first })),
    );
    expect(state.fetches).toBe(2);
    expect(new Set(renewed.map((t) => t.accessToken))).toEqual(new Set(['fetched-2']));
  });

  it('returns the current token without a request when the rejected one is no longer current', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, now: clock.now });
    const first = await manager.getToken();
    await manager.forceRefresh({ rejected: first.accessToken });
    const late = await manager.forceRefresh({ rejected: first.accessToken });
    expect(late.accessToken).toBe('fetched-2');
    expect(state.fetches).toBe(2);
  });

  it('never serves the rejected token again, even while it is still in the store', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, now: clock.now });
    const first = await manager.getToken();
    const gate = deferred();
    state.gate = gate.promise;
    const renewal = manager.forceRefresh({ rejected: first });
    const meanwhile = manager.getToken();
    gate.resolve();
    expect((await renewal).accessToken).toBe('fetched-2');
    expect((await meanwhile).accessToken).toBe('fetched-2');
  });

  it('forceRefresh() in a fresh process renews the stored token instead of adopting it', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const store = new MemoryTokenStore({ now: clock.now });
    const stored = await new TokenManager({ provider, store, now: clock.now }).getToken();
    const fresh = new TokenManager({ provider, store, now: clock.now });
    const renewed = await fresh.forceRefresh();
    expect(renewed.accessToken).not.toBe(stored.accessToken);
    expect(state.fetches).toBe(2);
  });

  it('forceRefresh({ rejected }) in a fresh process does not adopt the rejected token from the store', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const store = new MemoryTokenStore({ now: clock.now });
    const stored = await new TokenManager({ provider, store, now: clock.now }).getToken();
    const fresh = new TokenManager({ provider, store, now: clock.now });
    expect((await fresh.forceRefresh({ rejected: stored.accessToken })).accessToken).toBe(
      'fetched-2',
    );
    expect(state.fetches).toBe(2);
  });

  it('forceRefresh() without rejected always asks for a new token', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, now: clock.now });
    await manager.getToken();
    await manager.forceRefresh();
    await manager.forceRefresh();
    expect(state.fetches).toBe(3);
  });
});
