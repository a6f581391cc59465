import { describe, expect, it } from 'vitest';
import { checkedHttpUrl } from './http-url.js';

describe('checkedHttpUrl', () => {
  it('takes https: anywhere and plain http: to loopback', () => {
    expect(checkedHttpUrl('tokenUrl', 'https://login.example.com/t', false).host).toBe(
      'login.example.com',
    );
    expect(checkedHttpUrl('tokenUrl', new URL('http://127.0.0.1:8080/t'), false).port).toBe('8080');
  });

  it('refuses plain http: to another host unless allowInsecureHttp', () => {
    expect(() => checkedHttpUrl('tokenUrl', 'http://10.0.0.5/t', false)).toThrow(
      /tokenUrl uses plain http: to 10\.0\.0\.5, which is not loopback/,
    );
    expect(checkedHttpUrl('tokenUrl', 'http://10.0.0.5/t', true).hostname).toBe('10.0.0.5');
  });

  it('refuses what is not an absolute http(s) URL, naming the option', () => {
    expect(() => checkedHttpUrl('each origin', '/relative', false)).toThrow(
      /^each origin must be an absolute URL/,
    );
    expect(() => checkedHttpUrl('tokenUrl', 'ftp://example.com', false)).toThrow(
      /tokenUrl must be an https: URL, not ftp:/,
    );
  });

  it('returns a copy: the caller changing its URL object afterwards moves nothing', () => {
    const given = new URL('https://login.example.com/token');
    const checked = checkedHttpUrl('tokenUrl', given, false);
    given.hostname = 'attacker.example';
    expect(checked.hostname).toBe('login.example.com');
  });
});
