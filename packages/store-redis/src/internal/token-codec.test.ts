import { inspect } from 'node:util';
import { TokenSet, TokenStoreError } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { decodeSealed, decodeTokens, encodeSealed, encodeTokens } from './token-codec.js';

describe('token codec', () => {
  it('round-trips a TokenSet through the JSON of serialize()', () => {
    const tokens = new TokenSet({
      accessToken: 'at-123',
      refreshToken: 'rt-456',
      expiresAt: 1_700_000_000_000,
      scope: 'read',
    });
    const decoded = decodeTokens(encodeTokens(tokens), 'k');
    expect(decoded.serialize()).toEqual(tokens.serialize());
    expect(JSON.parse(encodeTokens(tokens))).toEqual(tokens.serialize());
  });

  it.each([
    ['text that is not JSON', 'secret-looking-garbage-value'],
    ['JSON of another shape', JSON.stringify({ token: 'secret-looking-garbage-value' })],
    [
      'a serialized TokenSet of an unknown version',
      JSON.stringify({ version: 99, accessToken: 'secret-looking-garbage-value' }),
    ],
    ['JSON null', 'null'],
  ])('rejects %s with a TokenStoreError for get that does not quote the value', (_, value) => {
    let caught: unknown;
    try {
      decodeTokens(value, 'cc:svc');
    } catch (error) {
      caught = error;
    }
    expect(TokenStoreError.isInstance(caught)).toBe(true);
    const error = caught as TokenStoreError;
    expect(error.operation).toBe('get');
    expect(error.message).toContain('cc:svc');
    expect(inspect(error, { depth: Number.POSITIVE_INFINITY })).not.toContain('garbage');
  });
});

describe('sealed record codec', () => {
  it('round-trips a sealed record through its JSON', () => {
    const record = { data: 'opaque', keepUntil: 1_700_000_000_000 };
    expect(decodeSealed(encodeSealed(record), 'k')).toEqual(record);
  });

  it('refuses the other kind of entry with found set', () => {
    const tokens = encodeTokens(new TokenSet({ accessToken: 'at-123' }));
    expect(() => decodeSealed(tokens, 'k')).toThrow(expect.objectContaining({ found: 'tokens' }));
    expect(() => decodeTokens(encodeSealed({ data: 'x' }), 'k')).toThrow(
      expect.objectContaining({ found: 'sealed' }),
    );
  });
});
