import { describe, expect, it } from 'vitest';
import { SessionExpiredError, TokenEndpointError } from './errors.js';
import { MemoryTokenStore } from './memory-token-store.js';
import {
  invalidGrant,
  scriptedProvider,
  serviceUnavailable,
  testClock,
} from './testing/scripted-provider.js';
import { TokenManager } from './token-manager.js';
import type { TokenManagerEvent } from './token-manager-events.js';
import { TokenSet } from './token-set.js';

function setup(options: { canReauthenticate?: boolean; interactive?: boolean } = {}) {
  const clock = testClock(0);
  const { provider, state } = scriptedProvider({
    clock,
    lifetimeMs: 60_000,
    withRefreshToken: true,
    ...options,
  });
  const store = new MemoryTokenStore({ now: clock.now });
  const events: TokenManagerEvent[] = [];
  const manager = new TokenManager({
    provider,
    store,
    now: clock.now,
    refreshAheadMs: 0,
    onEvent: (e) => events.push(e),
  });
  return { clock, state, store, manager, events };
}

describe('TokenManager: refresh token first, then re-authenticate', () => {
  it('renews an expired token with the refresh token, not a new sign-in', async () => {
    const { clock, state, manager, events } = setup();
    await manager.getToken();
    clock.advance(60_000);
    expect((await manager.getToken()).accessToken).toBe('refreshed-2');
    expect(state).toMatchObject({
      fetches: 1,
      refreshes: 1,
      presentedRefreshTokens: ['refresh-1'],
    });
    expect(events.map((e) => e.type)).toEqual(['token-fetched', 'token-refreshed']);
  });

  it('keeps the old refresh token when the refresh response brings none', async () => {
    const { clock, state, manager } = setup();
    await manager.getToken();
    clock.advance(60_000);
    const refreshed = await manager.getToken();
    expect(refreshed.refreshToken).toBe('refresh-1');
    clock.advance(60_000);
    await manager.getToken();
    expect(state.presentedRefreshTokens).toEqual(['refresh-1', 'refresh-1']);
  });

  it('adopts a rotated refresh token on invalid_grant: another process renewed first', async () => {
    const { clock, state, store, manager } = setup();
    await manager.getToken();
    clock.advance(60_000);
    const rotatedElsewhere = new TokenSet({
      accessToken: 'other-process',
      refreshToken: 'refresh-rotated',
      expiresAt: clock.now() + 60_000,
      issuedAt: clock.now(),
    });
    state.onRefresh = async () => {
      await store.set('scripted', rotatedElsewhere);
      throw invalidGrant();
    };
    expect((await manager.getToken()).accessToken).toBe('other-process');
    expect(state.fetches).toBe(1);
  });

  it('refreshes with the rotated refresh token when the other process left only that', async () => {
    const { clock, state, store, manager } = setup();
    await manager.getToken();
    clock.advance(60_000);
    const expiredButRotated = new TokenSet({
      accessToken: 'stale',
      refreshToken: 'refresh-rotated',
      expiresAt: clock.now() - 1,
      issuedAt: clock.now() - 60_000,
    });
    state.onRefresh = async (current) => {
      if (current.refreshToken === 'refresh-rotated') return state.issue('refreshed');
      await store.set('scripted', expiredButRotated);
      throw invalidGrant();
    };
    expect((await manager.getToken()).accessToken).toMatch(/^refreshed-/);
    expect(state.presentedRefreshTokens).toEqual(['refresh-1', 'refresh-rotated']);
    expect(state.fetches).toBe(1);
  });

  it('signs in again after invalid_grant when the provider can re-authenticate', async () => {
    const { clock, state, manager } = setup();
    await manager.getToken();
    clock.advance(60_000);
    state.onRefresh = async () => {
      throw invalidGrant();
    };
    expect((await manager.getToken()).accessToken).toMatch(/^fetched-/);
    expect(state).toMatchObject({ fetches: 2, refreshes: 1 });
  });

  it('reads a bare HTTP 400 to a refresh as a dead refresh token: one new sign-in, no retries', async () => {
    const { clock, state, manager } = setup();
    await manager.getToken();
    clock.advance(60_000);
    state.onRefresh = async () => {
      throw new TokenEndpointError('the token endpoint answered HTTP 400', {
        status: 400,
        retryable: false,
      });
    };
    expect((await manager.getToken()).accessToken).toMatch(/^fetched-/);
    expect(state).toMatchObject({ fetches: 2, refreshes: 1 });
  });

  it('ends the session on a bare HTTP 401 to a refresh when the provider cannot re-authenticate', async () => {
    const { clock, state, manager } = setup({ canReauthenticate: false });
    await manager.getToken();
    clock.advance(60_000);
    state.onRefresh = async () => {
      throw new TokenEndpointError('the token endpoint answered HTTP 401', {
        status: 401,
        retryable: false,
      });
    };
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect(state).toMatchObject({ fetches: 1, refreshes: 1 });
  });

  it('ends the session after invalid_grant when the provider cannot re-authenticate: SessionExpiredError, store cleared', async () => {
    const { clock, state, store, manager, events } = setup({ canReauthenticate: false });
    await manager.getToken();
    expect(await store.get('scripted')).toBeDefined();
    clock.advance(60_000);
    state.onRefresh = async () => {
      throw invalidGrant();
    };
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect((error as Error).cause).toMatchObject({ error: 'invalid_grant' });
    expect(await store.get('scripted')).toBeUndefined();
    expect(events.some((e) => e.type === 'session-expired')).toBe(true);
    expect(state.fetches).toBe(1);
  });

  it('ends the session when the refresh token itself has expired and the provider cannot re-authenticate', async () => {
    const { clock, state, manager } = setup({ canReauthenticate: false });
    state.onFetch = async () =>
      new TokenSet({
        accessToken: 'a',
        refreshToken: 'r',
        expiresAt: clock.now() + 60_000,
        refreshExpiresAt: clock.now() + 120_000,
        issuedAt: clock.now(),
      });
    await manager.getToken();
    clock.advance(120_000);
    await expect(manager.getToken()).rejects.toSatisfy(SessionExpiredError.isInstance);
    expect(state.refreshes).toBe(0);
  });

  it('ends the session when the initial refresh token of a refresh-only provider is rejected', async () => {
    const { state, manager } = setup({ canReauthenticate: false });
    state.onFetch = async () => {
      throw invalidGrant();
    };
    await expect(manager.getToken()).rejects.toSatisfy(SessionExpiredError.isInstance);
  });

  it('never runs an interactive fetchToken again on its own, even after a transient failure', async () => {
    const { state, manager } = setup({ interactive: true });
    state.onFetch = async () => {
      throw serviceUnavailable();
    };
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(state.fetches).toBe(1);
    expect((error as Error).cause).toMatchObject({ code: 'interaction_failed' });
    expect(((error as Error).cause as Error).cause).toMatchObject({ status: 503 });

    state.onFetch = undefined;
    expect((await manager.forceRefresh()).accessToken).toMatch(/^fetched-/);
    expect(state.fetches).toBe(2);
  });
});
