import { describe, expect, it } from 'vitest';
import { AuthenticationError, OAuthError, TokenEndpointError } from './errors.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { scriptedProvider, serviceUnavailable, testClock } from './testing/scripted-provider.js';
import { TokenManager } from './token-manager.js';
import { TokenSet } from './token-set.js';

describe('TokenManager: no request storm on permanent failure', () => {
  it.each([
    ['invalid_client', () => new OAuthError({ error: 'invalid_client', status: 401 })],
    [
      'a 200 with an HTML page',
      () =>
        new TokenEndpointError('the token endpoint answered HTTP 200 with a non-JSON body', {
          status: 200,
          retryable: false,
        }),
    ],
  ])(
    'shares a %s failure for a growing, capped period: 8 callers polling every 20 ms for 5 s make 3 requests',
    async (_, failure) => {
      const clock = testClock(0);
      const { provider, state } = scriptedProvider({ clock, lifetimeMs: 1_000 });
      const manager = new TokenManager({ provider, now: clock.now });
      await manager.getToken();
      state.onFetch = async () => {
        throw failure();
      };
      clock.set(1_000); // the token has lapsed
      const before = state.fetches;
      for (let t = 0; t < 5_000; t += 20) {
        const wave = await Promise.all(
          Array.from({ length: 8 }, () => manager.getToken().catch((e: unknown) => e)),
        );
        for (const outcome of wave) expect(AuthenticationError.isInstance(outcome)).toBe(true);
        clock.advance(20);
      }
      // Requests at 0 s, then after holds of 1 s and 2 s (at 1 s and 3 s); the next waits 4 s.
      expect(state.fetches - before).toBe(3);
    },
  );

  it('adopts a token another process stored during the hold, still without a request', async () => {
    const clock = testClock(0);
    const store = new MemoryTokenStore({ now: clock.now });
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({ provider, store, now: clock.now });
    state.onFetch = async () => {
      throw new OAuthError({ error: 'invalid_client', status: 401 });
    };
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    await store.set(
      'scripted',
      new TokenSet({ accessToken: 'from-another-process', expiresAt: clock.at(10_000_000) }),
    );
    expect((await manager.getToken()).accessToken).toBe('from-another-process');
    expect(state.fetches).toBe(1);
  });

  it('ends the hold on forceRefresh() and after a token arrives', async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: 1_000 });
    const manager = new TokenManager({ provider, now: clock.now });
    state.onFetch = async () => {
      throw new OAuthError({ error: 'invalid_client', status: 401 });
    };
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    expect(state.fetches).toBe(1);

    state.onFetch = undefined; // the operator fixed the client
    expect((await manager.forceRefresh()).accessToken).toBe('fetched-1');
    expect(state.fetches).toBe(2);

    // The run of failures ended with the token: the next hold is the first one again (1 s).
    state.onFetch = async () => {
      throw new OAuthError({ error: 'invalid_client', status: 401 });
    };
    clock.advance(1_000);
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    clock.advance(999);
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    expect(state.fetches).toBe(3);
    clock.advance(1);
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    expect(state.fetches).toBe(4);
  });

  it('keeps backoff, not a hold, for transient failures', async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock });
    const manager = new TokenManager({
      provider,
      now: clock.now,
      retry: { maxAttempts: 1 },
    });
    state.onFetch = async () => {
      throw serviceUnavailable();
    };
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    state.onFetch = undefined;
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
  });
});
