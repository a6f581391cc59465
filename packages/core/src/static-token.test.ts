import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { staticToken } from './static-token.js';
import { TokenManager } from './token-manager.js';

const SECRET = 'sEcReT-static-token';

describe('staticToken', () => {
  it('always returns the same token, with a cache key that hides it', async () => {
    const provider = staticToken(SECRET);
    expect((await provider.fetchToken()).accessToken).toBe(SECRET);
    expect(provider.cacheKey).toMatch(/^static:[0-9a-f]{16}$/);
    expect(provider.cacheKey).not.toContain(SECRET);
    expect(staticToken(SECRET).cacheKey).toBe(provider.cacheKey);
    expect(staticToken(`${SECRET}2`).cacheKey).not.toBe(provider.cacheKey);
  });

  it('takes the expiry from a JWT exp claim', async () => {
    const payload = Buffer.from(
      JSON.stringify({ exp: 4_000_000_000, iat: 3_999_999_000 }),
    ).toString('base64url');
    const tokens = await staticToken(`e30.${payload}.sig`).fetchToken();
    expect(tokens.expiresAt).toBe(4_000_000_000_000);
    expect(tokens.issuedAt).toBe(3_999_999_000_000);
  });

  it('rejects an invalid token at construction', () => {
    expect(() => staticToken('has space')).toThrow(TypeError);
    expect(() => staticToken('')).toThrow(TypeError);
  });

  it('describes itself without the token', () => {
    const provider = staticToken(SECRET, { cacheKey: 'my-api' });
    expect(provider.describe?.()).toEqual({ type: 'static', token: 'set', expiresAt: undefined });
    for (const output of [
      JSON.stringify(provider),
      String(provider),
      inspect(provider),
      inspect(new TokenManager({ provider })),
    ]) {
      expect(output).not.toContain(SECRET);
    }
  });
});
