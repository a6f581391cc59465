import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, OAuthError, TokenResponseError } from './errors.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { staticToken } from './static-token.js';
import {
  scriptedProvider,
  serviceUnavailable,
  settle,
  testClock,
} from './testing/scripted-provider.js';
import { TokenManager } from './token-manager.js';
import type { TokenManagerEvent } from './token-manager-events.js';
import type { TokenProvider } from './token-provider.js';
import { TokenSet } from './token-set.js';

/** A provider whose every answer is the token response `body`, as a grant would parse it. */
function respondingWith(body: () => Record<string, unknown>, now: () => number) {
  const counter = { requests: 0 };
  const provider: TokenProvider = {
    cacheKey: 'hostile',
    async fetchToken() {
      counter.requests += 1;
      return TokenSet.fromResponse(body(), { now });
    },
  };
  return { provider, counter };
}

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode(claims)}.signature`;
}

async function causeOf(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  expect(AuthenticationError.isInstance(error)).toBe(true);
  return (error as AuthenticationError).cause;
}

describe('TokenManager: never hands out an expired token', () => {
  it.each([
    ['expires_in: 0', () => ({ access_token: 'abc', expires_in: 0 })],
    ['expires_in: -30', () => ({ access_token: 'abc', expires_in: -30 })],
  ])(
    'rejects a response with %s as token_expired and does not hammer the endpoint (800 calls in 1 s)',
    async (_, body) => {
      const clock = testClock(0);
      const { provider, counter } = respondingWith(body, clock.now);
      const manager = new TokenManager({ provider, now: clock.now });
      const served: unknown[] = [];
      for (let call = 0; call < 800; call++) {
        const cause = await causeOf(manager.getToken().then((t) => served.push(t)));
        expect(TokenResponseError.isInstance(cause)).toBe(true);
        expect((cause as TokenResponseError).code).toBe('token_expired');
        clock.advance(1.25);
      }
      expect(served).toEqual([]);
      expect(counter.requests).toBe(1);
    },
  );

  it('rejects a JWT access token whose exp has passed (no expires_in), naming when it expired', async () => {
    const clock = testClock(0);
    const expiredAt = clock.now() - 5_000;
    const { provider } = respondingWith(
      () => ({ access_token: jwt({ exp: expiredAt / 1000 }) }),
      clock.now,
    );
    const manager = new TokenManager({ provider, now: clock.now });
    const cause = await causeOf(manager.getToken());
    expect((cause as TokenResponseError).code).toBe('token_expired');
    expect((cause as Error).message).toContain(new Date(expiredAt).toISOString());
  });

  it('refuses a token a custom provider hands out already expired (the manager checks every arrival)', async () => {
    const clock = testClock(0);
    const provider: TokenProvider = {
      cacheKey: 'custom',
      fetchToken: async () => new TokenSet({ accessToken: 'late', expiresAt: clock.now() - 1 }),
    };
    const manager = new TokenManager({ provider, now: clock.now });
    const cause = await causeOf(manager.getToken());
    expect(TokenResponseError.isInstance(cause)).toBe(true);
    expect((cause as TokenResponseError).code).toBe('token_expired');
  });

  it('rejects an expired staticToken JWT with a typed error naming when it expired', async () => {
    const expiredAt = Date.UTC(2025, 5, 1);
    const token = jwt({ exp: expiredAt / 1000, sub: 'svc' });
    const manager = new TokenManager({ provider: staticToken(token) });
    const error = await manager.getToken().catch((e: unknown) => e);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('2025-06-01T00:00:00.000Z');
    expect((error as Error).message).not.toContain(token);
    expect(((error as AuthenticationError).cause as TokenResponseError).code).toBe('token_expired');
  });

  it('reads a JWT with a nonsense exp (before 2001) as expired, not as a unit mistake', async () => {
    const manager = new TokenManager({ provider: staticToken(jwt({ exp: 1000, iat: 10 })) });
    const cause = await causeOf(manager.getToken());
    expect((cause as TokenResponseError).code).toBe('token_expired');
  });

  it('fails loudly when a custom provider returns epoch seconds instead of refetching on every call', async () => {
    const clock = testClock(0);
    let requests = 0;
    const provider: TokenProvider = {
      cacheKey: 'seconds',
      async fetchToken() {
        requests += 1;
        return new TokenSet({
          accessToken: 'abc',
          expiresAt: Math.floor(clock.now() / 1000) + 3600,
        });
      },
    };
    const manager = new TokenManager({ provider, now: clock.now, retry: { maxAttempts: 1 } });
    const cause = await causeOf(manager.getToken());
    expect(cause).toBeInstanceOf(TypeError);
    expect((cause as Error).message).toMatch(/epoch milliseconds/);
    expect(requests).toBe(1);
  });

  it('never lets a lifetime beyond what Date represents crash logging (expires_in: 1e13)', async () => {
    const clock = testClock(0);
    const { provider } = respondingWith(
      () => ({ access_token: 'abc', expires_in: 1e13 }),
      clock.now,
    );
    const manager = new TokenManager({ provider, now: clock.now });
    const tokens = await manager.getToken();
    for (const print of [
      () => String(tokens),
      () => JSON.stringify(tokens),
      () => inspect(tokens),
      () => manager.describe(),
      () => JSON.stringify(manager),
      () => inspect(manager),
    ]) {
      expect(print).not.toThrow();
    }
    expect(manager.describe().expiresAt).toBe('+275760-09-13T00:00:00.000Z');
  });
});

// An 8 s token issued at 0 with the default 30 s skew, clamped to half its lifetime: served
// until 4 s, renewed in the background from a jittered point of [2 s, 3 s).
const LIFETIME = 8_000;
const USABLE_UNTIL = 4_000;
const STEP_MS = 50;

/** An 8 s token manager without refresh ahead: renewal starts only when the skew is reached. */
async function renewedAtTheSkew(retry?: { baseDelayMs?: number; maxAttempts?: number }) {
  const clock = testClock(0);
  const { provider, state } = scriptedProvider({ clock, lifetimeMs: LIFETIME });
  const events: TokenManagerEvent[] = [];
  const manager = new TokenManager({
    provider,
    now: clock.now,
    refreshAheadMs: 0,
    retry,
    onEvent: (event) => events.push(event),
  });
  const first = await manager.getToken();
  return { clock, state, manager, events, first };
}

describe('TokenManager: the skew is a renewal margin, not a wall', () => {
  function outageSetup(options: { refreshAheadMs?: number } = {}) {
    const clock = testClock(0);
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: LIFETIME });
    const events: TokenManagerEvent[] = [];
    const manager = new TokenManager({
      provider,
      now: clock.now,
      refreshAheadMs: options.refreshAheadMs,
      onEvent: (event) => events.push(event),
    });
    /** From the next token request on, the endpoint answers 503 for 2 s. */
    const startOutage = () => {
      let outageFrom: number | undefined;
      state.onFetch = async () => {
        outageFrom ??= clock.now();
        if (clock.now() < outageFrom + 2_000) {
          throw serviceUnavailable();
        }
        return state.issue('fetched');
      };
    };
    return { clock, manager, events, startOutage };
  }

  it.each([
    ['a background renewal (refresh ahead)', undefined],
    ['a renewal that starts only at the skew (refresh ahead off)', 0],
  ])(
    'serves the unexpired token through a 2 s outage from %s: no caller sees an error',
    async (_, refreshAheadMs) => {
      const { clock, manager, events, startOutage } = outageSetup({ refreshAheadMs });
      await manager.getToken(); // issued at 0
      startOutage(); // from the first renewal
      const failures: unknown[] = [];
      const served = new Set<string>();
      for (let t = STEP_MS; t <= 2 * LIFETIME; t += STEP_MS) {
        clock.set(t);
        const outcome = await manager.getToken().catch((e: unknown) => e);
        if (outcome instanceof TokenSet) {
          served.add(outcome.accessToken);
          expect(outcome.expiresAt).toBeGreaterThan(clock.now());
        } else failures.push(outcome);
        await settle();
      }
      expect(failures).toEqual([]);
      expect(served.size).toBeGreaterThan(1);
      const kept = events.filter((e) => e.type === 'token-kept');
      expect(kept.length).toBeGreaterThan(0);
      for (const event of kept) {
        expect(event).toMatchObject({ fingerprint: expect.any(String), error: expect.any(Error) });
        expect(event.remainingMs).toBeGreaterThan(0);
      }
    },
  );

  it('keeps serving inside the skew only while the token has not expired, then reports the outage', async () => {
    const { clock, state, manager } = await renewedAtTheSkew({ baseDelayMs: 0 });
    const outage = serviceUnavailable();
    state.onFetch = async () => {
      throw outage;
    };
    clock.set(USABLE_UNTIL);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    clock.set(LIFETIME - 1);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    await settle();
    clock.set(LIFETIME);
    expect(await causeOf(manager.getToken())).toBe(outage);
  });

  it("treats a nested manager's AuthenticationError as transient as its cause (pipeline steps)", async () => {
    const { clock, state, manager, events } = await renewedAtTheSkew();
    state.onFetch = async () => {
      throw new AuthenticationError('could not obtain a token for step', {
        serviceName: 'step',
        cause: serviceUnavailable(),
      });
    };
    clock.set(USABLE_UNTIL);
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    expect(events.some((e) => e.type === 'token-kept')).toBe(true);
  });

  it("serves a cold process the store's unexpired token through an outage, even inside the skew", async () => {
    const clock = testClock(0);
    const store = new MemoryTokenStore({ now: clock.now });
    const { provider: first } = scriptedProvider({ clock, lifetimeMs: LIFETIME });
    await new TokenManager({ provider: first, store, now: clock.now }).getToken();
    // A new process (a CLI run, a restarted worker) starts inside the skew, during an outage.
    const { provider, state } = scriptedProvider({ clock, lifetimeMs: LIFETIME });
    state.onFetch = async () => {
      throw serviceUnavailable();
    };
    const events: TokenManagerEvent[] = [];
    const cold = new TokenManager({
      provider,
      store,
      now: clock.now,
      retry: { baseDelayMs: 0 },
      onEvent: (event) => events.push(event),
    });
    clock.set(USABLE_UNTIL + 1_000);
    expect((await cold.getToken()).accessToken).toBe('fetched-1');
    expect((await cold.getToken()).accessToken).toBe('fetched-1');
    expect(events.map((e) => e.type)).toContain('token-kept');
    clock.set(LIFETIME);
    await expect(cold.getToken()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('stops keeping the token once renewal fails permanently', async () => {
    const { clock, state, manager } = await renewedAtTheSkew({ maxAttempts: 1 });
    state.onFetch = async () => {
      throw serviceUnavailable();
    };
    clock.set(USABLE_UNTIL);
    expect((await manager.getToken()).accessToken).toBe('fetched-1'); // kept
    state.onFetch = async () => {
      throw new OAuthError({ error: 'invalid_client', status: 401 });
    };
    clock.advance(2_000); // past the background backoff: the next call renews in the background
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    await settle();
    await expect(manager.getToken()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('never keeps a token the API rejected', async () => {
    const { clock, state, manager, first } = await renewedAtTheSkew({ maxAttempts: 1 });
    state.onFetch = async () => {
      throw serviceUnavailable();
    };
    clock.set(USABLE_UNTIL + 100);
    await expect(manager.forceRefresh({ rejected: first })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });
});
