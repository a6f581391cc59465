import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from './sha256.js';

describe('sha256Hex', () => {
  it.each([
    '',
    'abc',
    'a'.repeat(55),
    'a'.repeat(56),
    'a'.repeat(64),
    'a'.repeat(1000),
    'héllo wörld ✓',
  ])('matches node:crypto for %j', (input) => {
    expect(sha256Hex(input)).toBe(createHash('sha256').update(input, 'utf8').digest('hex'));
  });

  it('matches node:crypto on random bytes of many lengths', () => {
    for (let length = 0; length < 300; length += 7) {
      const bytes = randomBytes(length);
      expect(sha256Hex(new Uint8Array(bytes))).toBe(
        createHash('sha256').update(bytes).digest('hex'),
      );
    }
  });
});
