import { describe, expect, it } from 'vitest';
import { basicCredentialEncode, basicMustEncode } from './basic-credentials.js';

describe('basicCredentialEncode', () => {
  it('leaves RFC 3986 unreserved characters as they are', () => {
    expect(basicCredentialEncode('cc-plain_x.y~z09AZ')).toBe('cc-plain_x.y~z09AZ');
  });

  it('encodes what RFC 6749 §2.3.1 form-encoding must: colon, percent, plus, space, non-ASCII and the rest', () => {
    expect(basicCredentialEncode('a:b%c+d e')).toBe('a%3Ab%25c%2Bd+e');
    expect(basicCredentialEncode('&=/?#')).toBe('%26%3D%2F%3F%23');
    expect(basicCredentialEncode("!'()*")).toBe('%21%27%28%29%2A');
    expect(basicCredentialEncode('é€')).toBe('%C3%A9%E2%82%AC');
  });

  it('round-trips through form decoding (URLSearchParams) for every printable ASCII character', () => {
    const all = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    expect(new URLSearchParams(`v=${basicCredentialEncode(all)}`).get('v')).toBe(all);
  });
});

describe('basicMustEncode', () => {
  it('is false only for unreserved characters', () => {
    expect(basicMustEncode('cc-plain_x.y~z')).toBe(false);
    expect(basicMustEncode('s3cr:t')).toBe(true);
    expect(basicMustEncode('a b')).toBe(true);
    expect(basicMustEncode('é')).toBe(true);
  });
});
