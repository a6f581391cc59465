import { describe, expect, it } from 'vitest';
import { CredentialScope } from './credential-scope.js';

const scope = (settings: Partial<ConstructorParameters<typeof CredentialScope>[0]>) =>
  new CredentialScope({
    origins: undefined,
    baseUrl: undefined,
    exclude: undefined,
    allowInsecureHttp: false,
    ...settings,
  });

const at = (href: string): [string, string] => {
  const url = new URL(href);
  return [url.origin, url.pathname];
};

describe('CredentialScope', () => {
  it('covers the listed origins only, by exact origin', () => {
    const covered = scope({ origins: ['https://api.example.com', 'https://b.example.com:8443/x'] });
    expect(covered.covers(...at('https://api.example.com/any?q=1'))).toBe(true);
    expect(covered.covers(...at('https://b.example.com:8443/'))).toBe(true);
    expect(covered.covers(...at('https://b.example.com/'))).toBe(false);
    expect(covered.covers(...at('http://api.example.com/'))).toBe(false);
    expect(covered.covers(...at('https://evil.api.example.com/'))).toBe(false);
    expect(covered.covers(...at('https://api.example.com.evil.net/'))).toBe(false);
  });

  it("defaults to baseUrl's origin and lets origins override it", () => {
    const base = new URL('https://api.example.com/v1/');
    expect(scope({ baseUrl: base }).covers(...at('https://api.example.com/other'))).toBe(true);
    const overridden = scope({ baseUrl: base, origins: ['https://other.example.com'] });
    expect(overridden.covers(...at('https://other.example.com/'))).toBe(true);
    expect(overridden.covers(...at('https://api.example.com/v1/'))).toBe(false);
  });

  it('leaves excluded paths out', () => {
    const covered = scope({ origins: ['https://api.example.com'], exclude: ['/health'] });
    expect(covered.covers(...at('https://api.example.com/health?verbose'))).toBe(false);
    expect(covered.covers(...at('https://api.example.com/orders'))).toBe(true);
  });

  it('refuses missing, malformed, non-HTTP and insecure origins', () => {
    expect(() => scope({})).toThrow(/origins or baseUrl/);
    expect(() => scope({ origins: [] })).toThrow(TypeError);
    expect(() => scope({ origins: 'https://api.example.com' as never })).toThrow(TypeError);
    expect(() => scope({ origins: ['api.example.com'] })).toThrow(TypeError);
    expect(() => scope({ origins: ['file:///etc/passwd'] })).toThrow(TypeError);
    expect(() => scope({ origins: ['http://10.0.0.5'] })).toThrow(/allowInsecureHttp/);
    const insecure = scope({ origins: ['http://10.0.0.5'], allowInsecureHttp: true });
    expect(insecure.covers(...at('http://10.0.0.5/x'))).toBe(true);
  });

  it('does not echo a malformed origin, which may hold credentials', () => {
    expect(() => scope({ origins: ['https://user:hunter2@[bad'] })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});
