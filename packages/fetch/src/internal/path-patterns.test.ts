import { describe, expect, it } from 'vitest';
import { compilePathPatterns } from './path-patterns.js';

describe('compilePathPatterns', () => {
  it('matches exact paths exactly', () => {
    const excluded = compilePathPatterns(['/health']);
    expect(excluded('/health')).toBe(true);
    expect(excluded('/health/')).toBe(false);
    expect(excluded('/healthz')).toBe(false);
    expect(excluded('/v1/health')).toBe(false);
  });

  it('lets * match any run of characters, slashes included', () => {
    const excluded = compilePathPatterns(['/public/*', '*/health', '/a*b']);
    expect(excluded('/public/')).toBe(true);
    expect(excluded('/public/img/logo.png')).toBe(true);
    expect(excluded('/publicity')).toBe(false);
    expect(excluded('/health')).toBe(true);
    expect(excluded('/v1/x/health')).toBe(true);
    expect(excluded('/v1/health/x')).toBe(false);
    expect(excluded('/ab')).toBe(true);
    expect(excluded('/a/x/b')).toBe(true);
  });

  it('treats regular expression characters literally', () => {
    const excluded = compilePathPatterns(['/v1.0/(status)?']);
    expect(excluded('/v1.0/(status)?')).toBe(true);
    expect(excluded('/v1x0/status')).toBe(false);
  });

  it('matches nothing without patterns', () => {
    expect(compilePathPatterns(undefined)('/anything')).toBe(false);
    expect(compilePathPatterns([])('/anything')).toBe(false);
  });

  it('rejects patterns that are not non-empty strings', () => {
    expect(() => compilePathPatterns([''])).toThrow(TypeError);
    expect(() => compilePathPatterns([42 as never])).toThrow(TypeError);
    expect(() => compilePathPatterns('/health' as never)).toThrow(TypeError);
  });

  it('matches the RFC 3986 normal form of the path, so other spellings are excluded too', () => {
    const excluded = compilePathPatterns(['/public/*', '/health']);
    for (const path of ['//public/x', '/public/./x', '/%70ublic/x', '/private/%2e%2e/public/x']) {
      expect(excluded(path), path).toBe(true);
    }
    expect(excluded('/%68ealth')).toBe(true);
    expect(excluded('//health')).toBe(true);
    expect(excluded('/public/%2e%2e/private')).toBe(false);
  });

  it('treats an encoded slash as part of a segment, not a separator', () => {
    const excluded = compilePathPatterns(['/public/*', '/files/a%2fb']);
    expect(excluded('/public%2Fx')).toBe(false);
    expect(excluded('/files/a%2Fb')).toBe(true);
    expect(excluded('/files/a/b')).toBe(false);
  });

  it('normalises the patterns the same way', () => {
    const excluded = compilePathPatterns(['//%70ublic/./*']);
    expect(excluded('/public/x')).toBe(true);
  });

  it('is case-sensitive unless asked otherwise', () => {
    expect(compilePathPatterns(['/public/*'])('/PUBLIC/x')).toBe(false);
    const insensitive = compilePathPatterns(['/Public/*', '/files/a%2fb'], {
      caseInsensitive: true,
    });
    expect(insensitive('/PUBLIC/x')).toBe(true);
    expect(insensitive('/public/x')).toBe(true);
    expect(insensitive('/%50UBLIC/x')).toBe(true);
    expect(insensitive('/FILES/A%2FB')).toBe(true);
    expect(insensitive('/private')).toBe(false);
  });
});
