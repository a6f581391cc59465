import { describe, expect, it } from 'vitest';
import { TokenStoreError } from './errors.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { deferred, scriptedProvider, testClock } from './testing/scripted-provider.js';
import { TokenManager } from './token-manager.js';
import type { TokenManagerEvent } from './token-manager-events.js';
import { TokenSet } from './token-set.js';
import type { TokenLock, TokenStore } from './token-store.js';

/** A store whose backend is down: every call throws. */
function brokenStore(): TokenStore {
  const down = async () => {
    throw new TokenStoreError('connection refused', { operation: 'get' });
  };
  return { get: down, set: down, delete: down, acquireLock: down, waitForUpdate: down };
}

/** A lock-capable store without wake-ups, as a file store might be: waiters must poll. */
function pollingStore(inner: MemoryTokenStore): TokenStore {
  return {
    get: (key) => inner.get(key),
    set: (key, tokens) => inner.set(key, tokens),
    delete: (key) => inner.delete(key),
    acquireLock: (key, ttlMs) => inner.acquireLock(key, ttlMs),
  };
}

describe('TokenManager: store faults are not outages', () => {
  it('serves tokens from memory when every store call throws, and reports each fault', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const events: TokenManagerEvent[] = [];
    const manager = new TokenManager({
      provider,
      store: brokenStore(),
      now: clock.now,
      onEvent: (e) => events.push(e),
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => manager.getToken()));
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['fetched-1']));
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    expect(state.fetches).toBe(1);
    const operations = events
      .filter((e) => e.type === 'store-error')
      .map((e) => 'operation' in e && e.operation);
    // A lock fault is ridden out twice (polling the store) before going on unlocked.
    expect(operations).toEqual(['get', 'lock', 'get', 'lock', 'get', 'lock', 'set']);
    await expect(manager.clear()).resolves.toBeUndefined();
  });

  it('replaces an unreadable stored entry with a fresh token', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const inner = new MemoryTokenStore({ now: clock.now });
    let corrupt = true;
    const store: TokenStore = {
      ...pollingStore(inner),
      get: async (key) => {
        if (corrupt) throw new TokenStoreError('stored entry is malformed', { operation: 'get' });
        return inner.get(key);
      },
    };
    const events: TokenManagerEvent[] = [];
    const manager = new TokenManager({
      provider,
      store,
      now: clock.now,
      onEvent: (e) => events.push(e),
    });
    await manager.getToken();
    corrupt = false;
    expect((await inner.get('scripted'))?.accessToken).toBe('fetched-1');
    expect(events.filter((e) => e.type === 'store-error').length).toBe(2);
    expect(state.fetches).toBe(1);
  });
});

describe('TokenManager: single flight across managers sharing a lock-capable store', () => {
  it('makes one provider call between two managers, woken by the store', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const gate = deferred();
    state.gate = gate.promise;
    const store = new MemoryTokenStore({ now: clock.now });
    const a = new TokenManager({ provider, store, now: clock.now });
    const b = new TokenManager({ provider, store, now: clock.now });
    const calls = [
      ...Array.from({ length: 50 }, () => a.getToken()),
      ...Array.from({ length: 50 }, () => b.getToken()),
    ];
    setTimeout(gate.resolve, 20);
    const results = await Promise.all(calls);
    expect(state.fetches).toBe(1);
    expect(new Set(results.map((t) => t.accessToken))).toEqual(new Set(['fetched-1']));
  });

  it('makes one provider call between two managers on a store without wake-ups (polling)', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const gate = deferred();
    state.gate = gate.promise;
    const store = pollingStore(new MemoryTokenStore({ now: clock.now }));
    const events: TokenManagerEvent[] = [];
    const a = new TokenManager({ provider, store, now: clock.now, onEvent: (e) => events.push(e) });
    const b = new TokenManager({ provider, store, now: clock.now, onEvent: (e) => events.push(e) });
    const both = Promise.all([a.getToken(), b.getToken()]);
    setTimeout(gate.resolve, 20);
    const [fromA, fromB] = await both;
    expect(state.fetches).toBe(1);
    expect(events.filter((e) => e.type === 'lock-waited')).toEqual([
      expect.objectContaining({ adopted: true }),
    ]);
    expect(fromB.accessToken).toBe(fromA.accessToken);
  });

  it('re-reads the store after taking the lock, before any request', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const inner = new MemoryTokenStore({ now: clock.now });
    const landedMeanwhile = new TokenSet({
      accessToken: 'from-another-process',
      expiresAt: clock.now() + 60_000,
      issuedAt: clock.now(),
    });
    const store: TokenStore = {
      ...pollingStore(inner),
      acquireLock: async (key, ttlMs): Promise<TokenLock | undefined> => {
        await inner.set(key, landedMeanwhile); // the previous holder finished just before we got the lock
        return inner.acquireLock(key, ttlMs);
      },
    };
    const manager = new TokenManager({ provider, store, now: clock.now });
    expect((await manager.getToken()).accessToken).toBe('from-another-process');
    expect(state.fetches).toBe(0);
  });

  it('stops waiting for a holder that never finishes and requests the token itself', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const store = pollingStore(new MemoryTokenStore({ now: clock.now }));
    await store.acquireLock!('scripted', 3_600_000); // held by a process that hung
    const events: TokenManagerEvent[] = [];
    const manager = new TokenManager({
      provider,
      store,
      now: clock.now,
      lockTtlMs: 100,
      onEvent: (e) => events.push(e),
    });
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    expect(state.fetches).toBe(1);
    expect(events.find((e) => e.type === 'lock-waited')).toMatchObject({ adopted: false });
  });

  it('does not give up early on a store that wakes its waiters often (waits real time, not poll slots)', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const inner = new MemoryTokenStore({ now: clock.now });
    // Wakes every waiter at once, as a store does that wakes on any change of its file.
    const store: TokenStore = {
      ...pollingStore(inner),
      waitForUpdate: () => new Promise((resolve) => setImmediate(() => resolve())),
    };
    const held = await inner.acquireLock('scripted', 3_600_000);
    const manager = new TokenManager({ provider, store, now: clock.now, lockTtlMs: 60_000 });
    const waiting = manager.getToken();
    // The holder finishes after a few dozen wake-ups; old code had spent its budget by then.
    setTimeout(() => {
      void inner
        .set(
          'scripted',
          new TokenSet({ accessToken: 'from-holder', expiresAt: clock.at(10_000_000) }),
        )
        .then(() => held?.release());
    }, 50);
    expect((await waiting).accessToken).toBe('from-holder');
    expect(state.fetches).toBe(0);
  });

  it('rides out a lock fault (a store timing out under load) instead of requesting its own token', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const inner = new MemoryTokenStore({ now: clock.now });
    const held = await inner.acquireLock('scripted', 3_600_000); // another process is fetching
    let lockCalls = 0;
    const store: TokenStore = {
      ...pollingStore(inner),
      async acquireLock(key, ttlMs) {
        lockCalls += 1;
        if (lockCalls === 1) {
          // The other process lands its token while this one's lock call times out.
          await inner.set(
            key,
            new TokenSet({ accessToken: 'from-holder', expiresAt: clock.at(10_000_000) }),
          );
          await held?.release();
          throw new TokenStoreError('Redis lock failed: no answer within 1000 ms', {
            operation: 'lock',
          });
        }
        return inner.acquireLock(key, ttlMs);
      },
    };
    const events: TokenManagerEvent[] = [];
    const manager = new TokenManager({
      provider,
      store,
      now: clock.now,
      onEvent: (e) => events.push(e),
    });
    expect((await manager.getToken()).accessToken).toBe('from-holder');
    expect(state.fetches).toBe(0);
    expect(events.filter((e) => e.type === 'store-error')).toHaveLength(1);
  });

  it('goes on without the lock once the store keeps failing, and still serves a token', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const events: TokenManagerEvent[] = [];
    const manager = new TokenManager({
      provider,
      store: brokenStore(),
      now: clock.now,
      onEvent: (e) => events.push(e),
    });
    expect((await manager.getToken()).accessToken).toBe('fetched-1');
    expect(state.fetches).toBe(1);
    expect(events.filter((e) => e.type === 'store-error' && e.operation === 'lock')).toHaveLength(
      3,
    );
  });

  it('adopts a token another manager stored, without a request', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const store = new MemoryTokenStore({ now: clock.now });
    await new TokenManager({ provider, store, now: clock.now }).getToken();
    const events: TokenManagerEvent[] = [];
    const second = new TokenManager({
      provider,
      store,
      now: clock.now,
      onEvent: (e) => events.push(e),
    });
    expect((await second.getToken()).accessToken).toBe('fetched-1');
    expect(state.fetches).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['token-adopted']);
  });

  it('clear() forgets the tokens in memory and in the store', async () => {
    const clock = testClock();
    const { provider, state } = scriptedProvider({ clock });
    const store = new MemoryTokenStore({ now: clock.now });
    const manager = new TokenManager({ provider, store, now: clock.now });
    await manager.getToken();
    await manager.clear();
    expect(await store.get('scripted')).toBeUndefined();
    await manager.getToken();
    expect(state.fetches).toBe(2);
  });
});
