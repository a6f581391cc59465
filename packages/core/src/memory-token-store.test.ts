import { describe, expect, it } from 'vitest';
import { TokenStoreError } from './errors.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { TEST_EPOCH as T, testClock } from './testing/scripted-provider.js';
import { TokenSet } from './token-set.js';
import { keepUntil } from './token-store.js';

describe('keepUntil', () => {
  it('keeps tokens until the refresh token lapses, else the access token', () => {
    expect(keepUntil(new TokenSet({ accessToken: 'a', expiresAt: T + 5 }))).toBe(T + 5);
    expect(
      keepUntil(
        new TokenSet({
          accessToken: 'a',
          expiresAt: T + 5,
          refreshToken: 'r',
          refreshExpiresAt: T + 9,
        }),
      ),
    ).toBe(T + 9);
    expect(keepUntil(new TokenSet({ accessToken: 'a' }))).toBeUndefined();
  });

  it('keeps a refresh token of unknown lifetime without a deadline', () => {
    expect(
      keepUntil(new TokenSet({ accessToken: 'a', expiresAt: T + 5, refreshToken: 'r' })),
    ).toBeUndefined();
  });
});

describe('MemoryTokenStore', () => {
  it('stores, reads and deletes per key', async () => {
    const store = new MemoryTokenStore();
    const tokens = new TokenSet({ accessToken: 'a' });
    await store.set('k', tokens);
    expect(await store.get('k')).toBe(tokens);
    expect(await store.get('other')).toBeUndefined();
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('drops an entry once keepUntil has passed', async () => {
    const clock = testClock(0);
    const store = new MemoryTokenStore({ now: clock.now });
    await store.set('k', new TokenSet({ accessToken: 'a', expiresAt: clock.at(100) }));
    clock.set(99);
    expect(await store.get('k')).toBeDefined();
    clock.set(100);
    expect(await store.get('k')).toBeUndefined();
  });

  it('grants a lock to one holder at a time until it is released or lapses', async () => {
    const clock = testClock(0);
    const store = new MemoryTokenStore({ now: clock.now });
    const first = await store.acquireLock('k', 1_000);
    expect(first).toBeDefined();
    expect(await store.acquireLock('k', 1_000)).toBeUndefined();
    expect(await store.acquireLock('other', 1_000)).toBeDefined();
    await first!.release();
    const second = await store.acquireLock('k', 1_000);
    expect(second).toBeDefined();
    clock.set(1_000);
    const third = await store.acquireLock('k', 1_000);
    expect(third).toBeDefined();
    await second!.release(); // lapsed and taken over: must not free the new holder's lock
    expect(await store.acquireLock('k', 1_000)).toBeUndefined();
  });

  it('wakes waiters when a token lands, and times out otherwise', async () => {
    const store = new MemoryTokenStore();
    const woken = store.waitForUpdate('k', { timeoutMs: 60_000 });
    await store.set('k', new TokenSet({ accessToken: 'a' }));
    await expect(woken).resolves.toBeUndefined();
    await expect(store.waitForUpdate('k', { timeoutMs: 1 })).resolves.toBeUndefined();
    const controller = new AbortController();
    const aborted = store.waitForUpdate('k', { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    await expect(aborted).resolves.toBeUndefined();
  });

  it('shows no tokens when serialised', async () => {
    const store = new MemoryTokenStore();
    await store.set('k', new TokenSet({ accessToken: 'sEcReT' }));
    expect(JSON.stringify(store)).toBe('{"type":"memory","entries":1}');
  });
});

describe('MemoryTokenStore sealed records', () => {
  it('round-trips a sealed record and drops it once its keepUntil has passed', async () => {
    const clock = testClock(0);
    const store = new MemoryTokenStore({ now: clock.now });
    await store.setSealed('k', { data: 'opaque', keepUntil: clock.at(100) });
    await store.setSealed('forever', { data: 'kept' });
    clock.set(99);
    expect(await store.getSealed('k')).toEqual({ data: 'opaque', keepUntil: clock.at(100) });
    clock.set(100);
    expect(await store.getSealed('k')).toBeUndefined();
    expect(await store.getSealed('forever')).toEqual({ data: 'kept' });
    await store.delete('forever');
    expect(await store.getSealed('forever')).toBeUndefined();
  });

  it("keeps a copy: changing the caller's object later changes nothing", async () => {
    const store = new MemoryTokenStore();
    const record = { data: 'opaque' };
    await store.setSealed('k', record);
    record.data = 'changed';
    expect((await store.getSealed('k'))?.data).toBe('opaque');
  });

  it('tells tokens and sealed records apart with a typed TokenStoreError', async () => {
    const store = new MemoryTokenStore();
    await store.setSealed('sealed', { data: 'opaque' });
    await store.set('tokens', new TokenSet({ accessToken: 'a' }));
    const onGet = await store.get('sealed').catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(onGet)).toBe(true);
    expect(onGet).toMatchObject({ operation: 'get', found: 'sealed' });
    const onGetSealed = await store.getSealed('tokens').catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(onGetSealed)).toBe(true);
    expect(onGetSealed).toMatchObject({ operation: 'get', found: 'tokens' });
    // Writing one kind replaces the other.
    await store.set('sealed', new TokenSet({ accessToken: 'b' }));
    expect((await store.get('sealed'))?.accessToken).toBe('b');
  });

  it('rejects a record that is not a SealedRecord with a TypeError', async () => {
    const store = new MemoryTokenStore();
    for (const bad of [undefined, {}, { data: 1 }, { data: 'x', keepUntil: Number.NaN }]) {
      await expect(store.setSealed('k', bad as never)).rejects.toThrow(TypeError);
    }
  });

  it('wakes waiters when a sealed record lands', async () => {
    const store = new MemoryTokenStore();
    const woken = store.waitForUpdate('k', { timeoutMs: 60_000 });
    await store.setSealed('k', { data: 'opaque' });
    await expect(woken).resolves.toBeUndefined();
  });
});
