import { describe, expect, it } from 'vitest';
import { credentialTag } from './hash.js';

describe('credentialTag', () => {
  it('is stable, 16 hex digits, and tells part boundaries apart', () => {
    expect(credentialTag('a', 'b')).toBe(credentialTag('a', 'b'));
    expect(credentialTag('a', 'b')).toMatch(/^[0-9a-f]{16}$/);
    expect(credentialTag('ab', 'c')).not.toBe(credentialTag('a', 'bc'));
    expect(credentialTag(undefined)).not.toBe(credentialTag(''));
  });
});
