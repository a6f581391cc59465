import { describe, expect, it } from 'vitest';
import { normalizePath } from './path-normalization.js';

describe('normalizePath (RFC 3986 §6.2.2)', () => {
  it('leaves a path that is already normal as it is', () => {
    expect(normalizePath('/public/x')).toBe('/public/x');
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('/a/b.c/d~e_f-g')).toBe('/a/b.c/d~e_f-g');
  });

  it('decodes percent-encoded unreserved characters, and only those', () => {
    expect(normalizePath('/%70ublic/x')).toBe('/public/x');
    expect(normalizePath('/%41%7a%30%2D%2e%5F%7E')).toBe('/Az0-._~');
    expect(normalizePath('/a%20b')).toBe('/a%20b');
    expect(normalizePath('/a%3fb%23c')).toBe('/a%3Fb%23c');
  });

  it('keeps an encoded slash encoded (it is not a separator), with upper-case hex', () => {
    expect(normalizePath('/public%2Fx')).toBe('/public%2Fx');
    expect(normalizePath('/public%2fx')).toBe('/public%2Fx');
    expect(normalizePath('/a%2F..%2Fb')).toBe('/a%2F..%2Fb');
  });

  it('merges duplicate slashes', () => {
    expect(normalizePath('//public/x')).toBe('/public/x');
    expect(normalizePath('/public///x//')).toBe('/public/x/');
  });

  it('removes dot segments, plain and percent-encoded', () => {
    expect(normalizePath('/public/./x')).toBe('/public/x');
    expect(normalizePath('/private/../public/x')).toBe('/public/x');
    expect(normalizePath('/private/%2e%2e/public/x')).toBe('/public/x');
    expect(normalizePath('/private/%2E./public/%2e/x')).toBe('/public/x');
    expect(normalizePath('/../../public/x')).toBe('/public/x');
    expect(normalizePath('/public/x/..')).toBe('/public/');
    expect(normalizePath('/public/x/.')).toBe('/public/x/');
    expect(normalizePath('/a/..b/c.')).toBe('/a/..b/c.');
  });

  it('merges slashes before removing dot segments, as servers that merge them do', () => {
    expect(normalizePath('/a//../b')).toBe('/b');
  });
});
