import { describe, expect, it } from 'vitest';
import { TokenStoreError } from './errors.js';
import { entryKindError, isSealedRecord, sealedRecord } from './sealed-record.js';
import { TokenSet } from './token-set.js';

describe('isSealedRecord', () => {
  it('accepts data with an optional finite keepUntil and nothing else', () => {
    expect(isSealedRecord({ data: 'x' })).toBe(true);
    expect(isSealedRecord({ data: 'x', keepUntil: 5 })).toBe(true);
    for (const value of [
      null,
      'x',
      ['x'],
      {},
      { data: 5 },
      { data: 'x', keepUntil: '5' },
      { data: 'x', keepUntil: Number.POSITIVE_INFINITY },
      { data: 'x', extra: 1 },
      new TokenSet({ accessToken: 'a' }).serialize(),
    ]) {
      expect(isSealedRecord(value)).toBe(false);
    }
  });
});

describe('sealedRecord', () => {
  it('copies a record without a keepUntil key when there is no deadline', () => {
    expect(Object.keys(sealedRecord({ data: 'x', keepUntil: undefined }))).toEqual(['data']);
    expect(sealedRecord({ data: 'x', keepUntil: 7 })).toEqual({ data: 'x', keepUntil: 7 });
  });

  it('throws a TypeError for anything else', () => {
    expect(() => sealedRecord(null as never)).toThrow(TypeError);
    expect(() => sealedRecord({ data: 7 } as never)).toThrow(TypeError);
  });
});

describe('entryKindError', () => {
  it('is a TokenStoreError of a get that names what the key holds', () => {
    const error = entryKindError('sealed');
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ operation: 'get', found: 'sealed' });
    expect(entryKindError('tokens').message).toMatch(/holds tokens/);
  });
});
