import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

const now = () => Date.parse('2030-01-01T00:00:00Z');

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  it('reads delta-seconds made of digits only', () => {
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('ignores a negative number instead of reading it as a date', () => {
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });

  it('ignores a fraction instead of reading it as a date', () => {
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });

  it('ignores delta-seconds wrapped in spaces (header parsing strips those already)', () => {
    expect(parseRetryAfter(' 5 ', now)).toBeUndefined();
  });

  it('ignores words, empty values and a missing header', () => {
    expect(parseRetryAfter('abc', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('reads the three HTTP-date forms as the time left until then', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tuesday, 01-Jan-30 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue Jan  1 00:00:10 2030', now)).toBe(10_000);
  });

  it('reads a date in the past as no wait', () => {
    expect(parseRetryAfter('Mon, 31 Dec 2029 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores dates that are not one of the HTTP-date forms', () => {
    expect(parseRetryAfter('2030-01-01T00:00:10Z', now)).toBeUndefined();
    expect(parseRetryAfter('January 1, 2030', now)).toBeUndefined();
    expect(parseRetryAfter('Tue, 32 Jan 2030 00:00:10 GMT', now)).toBeUndefined();
  });
});
