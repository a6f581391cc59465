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
});
