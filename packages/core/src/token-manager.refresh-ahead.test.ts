import { describe, expect, it } from 'vitest';
import { AuthenticationError, OAuthError, TokenEndpointError } from './errors.js';
import {
  deferred,
  scriptedProvider,
  serviceUnavailable,
  settle,
  testClock,
} from './testing/scripted-provider.js';
import { TokenManager } from './token-manager.js';
import type { TokenManagerEvent } from './token-manager-events.js';

// A 100 s token issued at 0 with a 30 s skew is served until 70 s. With refreshAheadMs 60 s
// the window is clamped to half the usable lifetime, [35 s, 70 s), and the background
// refresh starts at a jittered point of its first half, [35 s, 52.5 s].
const LIFETIME = 100_000;
const WINDOW_START = 35_000;
const LATEST_START = 52_500;
const USABLE_UNTIL = 70_000;

function setup(options: { retry?: ConstructorParameters<typeof TokenManager>[0]['retry'] } = {}) {
  const clock = testClock(0);
  const { provider, state } = scriptedProvider({ clock, lifetimeMs: LIFETIME });
  const events: TokenManagerEvent[] = [];
  const manager = new TokenManager({
    provider,
    now: clock.now,
    expirySkewMs: 30_000,
    refreshAheadMs: 60_000,
    retry: options.retry,
    onEvent: (event) => events.push(event),
  });
  return { clock, state, manager, events };
}

describe('TokenManager: refresh ahead', () => {
  it('does not refresh before the window opens', async () => {
    const { clock, state, manager } = setup();
    await manager.getToken();
    clock.set(WINDOW_START - 1);
    await manager.getToken();
    await settle();
    expect(state.fetches).toBe(1);
  });

  it('serves the current token at once inside the window while exactly one background refresh runs', async () => {
    const { clock, state, manager, events } = setup();
    await manager.getToken();
    const gate = deferred();
    state.gate = gate.promise;
    clock.set(LATEST_START);
    const served = await Promise.all(Array.from({ length: 1_000 }, () => manager.getToken()));
    expect(new Set(served.map((t) => t.accessToken))).toEqual(new Set(['fetched-1']));
    await settle();
    expect(state.fetches).toBe(2);
    gate.resolve();
    await expect
      .poll(() => events.filter((e) => e.type === 'token-fetched' && e.background).length)
      .toBe(1);
    expect((await manager.getToken()).accessToken).toBe('fetched-2');
    expect(state.fetches).toBe(2);
  });

  it("hands each token request to waitUntil (a caller's and a background refresh), settling when it has", async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: LIFETIME });
    const handed: Promise<unknown>[] = [];
    const manager = new TokenManager({
      provider,
      now: clock.now,
      expirySkewMs: 30_000,
      refreshAheadMs: 60_000,
      waitUntil: (promise) => handed.push(promise),
    });
    await manager.getToken();
    // A caller's own request too: other requests may wait on it after its own was answered.
    expect(handed).toHaveLength(1);
    await handed[0];
    clock.set(LATEST_START);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    expect(handed).toHaveLength(2);
    await handed[1];
    expect(state.fetches).toBe(2);
    expect(manager.peekToken()?.accessToken).toBe('fetched-2');
  });

  it('spreads refresh points over the first half of the window (jitter)', async () => {
    const starts = new Set<number>();
    for (let run = 0; run < 20; run++) {
      const { clock, state, manager } = setup();
      await manager.getToken();
      for (let t = WINDOW_START; t <= LATEST_START; t += 500) {
        clock.set(t);
        await manager.getToken();
        await settle();
        if (state.fetches === 2) {
          starts.add(t);
          break;
        }
      }
      expect(state.fetches).toBe(2);
    }
    expect(starts.size).toBeGreaterThan(1);
  });

  it('can be turned off with refreshAheadMs: 0', async () => {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: LIFETIME });
    const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
    await manager.getToken();
    clock.set(USABLE_UNTIL - 1);
    await manager.getToken();
    expect(state.fetches).toBe(1);
  });
});

describe('TokenManager: failure tolerance', () => {
  it('keeps serving the valid token when the background refresh fails, and retries with backoff', async () => {
    const { clock, state, manager, events } = setup({
      retry: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
    });
    await manager.getToken();
    state.onFetch = async () => {
      throw serviceUnavailable();
    };
    clock.set(LATEST_START);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    await expect.poll(() => events.filter((e) => e.type === 'refresh-failed').length).toBe(1);
    expect(events.find((e) => e.type === 'refresh-failed')).toMatchObject({
      background: true,
      willRetry: false,
      attempt: 1,
    });

    // First backoff: 1 000 ms × [0.5, 1): no retry at +499 ms, a retry by +1 000 ms.
    clock.advance(499);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    await settle();
    expect(state.fetches).toBe(2);
    clock.advance(501);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    await settle();
    expect(state.fetches).toBe(3);
    await expect.poll(() => events.filter((e) => e.type === 'refresh-failed').length).toBe(2);

    // Second backoff doubles: none at +999 ms.
    clock.advance(999);
    await manager.getToken();
    await settle();
    expect(state.fetches).toBe(3);
    clock.advance(1_001);
    await manager.getToken();
    await settle();
    expect(state.fetches).toBe(4);
    await expect.poll(() => events.filter((e) => e.type === 'refresh-failed').length).toBe(3);
  });

  it('surfaces a typed error, with the cause, only once no usable token is left', async () => {
    const { clock, state, manager } = setup({ retry: { maxAttempts: 2, baseDelayMs: 0 } });
    await manager.getToken();
    const outage = serviceUnavailable();
    state.onFetch = async () => {
      throw outage;
    };
    clock.set(USABLE_UNTIL - 1);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    // The skew is a renewal margin, not a wall: the unexpired token is kept in service.
    clock.set(USABLE_UNTIL);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    clock.set(LIFETIME);
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as AuthenticationError).cause).toBe(outage);
    expect((error as AuthenticationError).serviceName).toBe('scripted');
  });

  it('recovers as soon as the token endpoint does', async () => {
    const { clock, state, manager } = setup({ retry: { maxAttempts: 1 } });
    state.onFetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    state.onFetch = undefined;
    clock.advance(1);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
  });

  it('does not retry a permanent error in the background', async () => {
    const { clock, state, manager, events } = setup({ retry: { baseDelayMs: 10 } });
    await manager.getToken();
    state.onFetch = async () => {
      throw new OAuthError({ error: 'invalid_client', status: 401 });
    };
    clock.set(LATEST_START);
    await manager.getToken();
    await expect.poll(() => events.filter((e) => e.type === 'refresh-failed').length).toBe(1);
    for (let t = LATEST_START + 1_000; t < USABLE_UNTIL; t += 1_000) {
      clock.set(t);
      expect((await manager.getToken()).accessToken).toBe('fetched-1');
      await settle();
    }
    expect(state.fetches).toBe(2);
  });

  it('retries a transient error for a waiting caller, up to retry.maxAttempts', async () => {
    const { state, manager, events } = setup({ retry: { maxAttempts: 3, baseDelayMs: 0 } });
    let failures = 2;
    state.onFetch = async () => {
      if (failures-- > 0)
        throw new TokenEndpointError('HTTP 502', { status: 502, retryable: true });
      return state.issue('fetched');
    };
    expect((await manager.getToken()).accessToken).toMatch(/^fetched-/);
    expect(state.fetches).toBe(3);
    expect(
      events.filter((e) => e.type === 'refresh-failed').map((e) => 'willRetry' in e && e.willRetry),
    ).toEqual([true, true]);
  });

  it('does not retry a permanent error for a waiting caller', async () => {
    const { state, manager } = setup({ retry: { maxAttempts: 5, baseDelayMs: 0 } });
    state.onFetch = async () => {
      throw new OAuthError({ error: 'invalid_client', status: 401 });
    };
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    expect(state.fetches).toBe(1);
  });

  it('waits for Retry-After before retrying a 429', async () => {
    const { state, manager, events } = setup({ retry: { maxAttempts: 2, baseDelayMs: 0 } });
    let first = true;
    state.onFetch = async () => {
      if (first) {
        first = false;
        throw new TokenEndpointError('HTTP 429', {
          status: 429,
          retryable: true,
          retryAfterMs: 40,
        });
      }
      return state.issue('fetched');
    };
    await manager.getToken();
    expect(events.find((e) => e.type === 'refresh-failed')).toMatchObject({
      willRetry: true,
      retryInMs: 40,
    });
    expect(state.fetches).toBe(2);
  });

  it('gives up at once when Retry-After is longer than retry.maxDelayMs', async () => {
    const { state, manager } = setup({ retry: { maxAttempts: 5, maxDelayMs: 1_000 } });
    state.onFetch = async () => {
      throw new TokenEndpointError('HTTP 429', {
        status: 429,
        retryable: true,
        retryAfterMs: 60_000,
      });
    };
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
    expect(state.fetches).toBe(1);
  });
});
