import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testClock } from './testing/scripted-provider.js';
import { tokenFunction } from './token-function.js';
import { TokenManager } from './token-manager.js';

describe('tokenFunction', () => {
  it.each([
    ['a raw token', 'abc', 'Bearer abc'],
    ['a "Bearer " value', 'Bearer abc', 'Bearer abc'],
    ['a lower-case "bearer " value', 'bearer abc', 'Bearer abc'],
    ['surrounding whitespace', '  abc\n', 'Bearer abc'],
  ])('accepts %s and never sends "Bearer Bearer"', async (_, returned, header) => {
    const provider = tokenFunction(() => returned, { cacheKey: 'fn' });
    expect((await provider.fetchToken()).authorizationHeader).toBe(header);
  });

  it('under a manager, calls the function once per ttlMs instead of per request', async () => {
    const clock = testClock(0);
    let calls = 0;
    const provider = tokenFunction(
      async () => {
        calls += 1;
        return `token-${calls}`;
      },
      { cacheKey: 'fn', ttlMs: 600_000, now: clock.now },
    );
    const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
    for (let i = 0; i < 1_000; i++) await manager.getToken();
    expect(calls).toBe(1);
    clock.set(600_000);
    expect((await manager.getToken()).accessToken).toBe('token-2');
  });

  it('uses the JWT exp claim when there is no ttlMs', async () => {
    const payload = Buffer.from(JSON.stringify({ exp: 4_000_000_000 })).toString('base64url');
    const provider = tokenFunction(() => `e30.${payload}.sig`, { cacheKey: 'fn' });
    expect((await provider.fetchToken()).expiresAt).toBe(4_000_000_000_000);
  });

  it('checks its options at construction', () => {
    expect(() => tokenFunction(() => 'x', { cacheKey: '' })).toThrow(TypeError);
    expect(() => tokenFunction(() => 'x', { cacheKey: 'fn', ttlMs: -1 })).toThrow(TypeError);
    expect(() => tokenFunction('x' as never, { cacheKey: 'fn' })).toThrow(TypeError);
  });

  it('rejects a function result that is not a usable token', async () => {
    await expect(tokenFunction(() => 42 as never, { cacheKey: 'fn' }).fetchToken()).rejects.toThrow(
      TypeError,
    );
    await expect(
      tokenFunction(() => 'two words here', { cacheKey: 'fn' }).fetchToken(),
    ).rejects.toThrow(TypeError);
  });

  it('describes itself without tokens', async () => {
    const provider = tokenFunction(() => 'sEcReT', { cacheKey: 'fn', ttlMs: 1_000 });
    await provider.fetchToken();
    expect(provider.describe?.()).toEqual({ type: 'function', cacheKey: 'fn', ttlMs: 1_000 });
    expect(inspect(provider) + JSON.stringify(provider)).not.toContain('sEcReT');
  });
});
