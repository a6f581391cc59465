import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';

describe('fingerprint', () => {
  it('of parts is stable, 16 hex digits, and tells part boundaries apart', () => {
    expect(fingerprint(['a', 'b'])).toBe(fingerprint(['a', 'b']));
    expect(fingerprint(['a', 'b'])).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(['ab', 'c'])).not.toBe(fingerprint(['a', 'bc']));
    expect(fingerprint([undefined])).not.toBe(fingerprint(['']));
  });

  it('of a string is the prefix of its SHA-256, so a user can match it', () => {
    const token = 'eyJhbGciOi.sömething.ünicode';
    const hex = createHash('sha256').update(token).digest('hex');
    expect(fingerprint(token)).toBe(hex.slice(0, 16));
    expect(fingerprint(token, 12)).toBe(hex.slice(0, 12));
  });
});
