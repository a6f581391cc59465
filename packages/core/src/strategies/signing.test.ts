import { createHash, createPrivateKey, generateKeyPairSync, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { AuthRequest } from './auth-strategy.js';
import { httpSignatureAuth } from './http-signature-auth.js';
import { keyPairAuth } from './key-pair-auth.js';
import { signedKeyAuth } from './signed-key-auth.js';

const encoder = new TextEncoder();

function request(
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
): AuthRequest {
  return {
    method,
    url: new URL(url),
    headers: new Headers(headers),
    body: body === undefined ? undefined : encoder.encode(body),
  };
}

describe('keyPairAuth', () => {
  it('sends Authorization: Simple <public>:<secret>', async () => {
    expect(
      await keyPairAuth({ publicKey: 'pk_1', secretKey: 'sk_1' }).authenticate(
        request('GET', 'https://x/'),
      ),
    ).toEqual({
      Authorization: 'Simple pk_1:sk_1',
    });
  });

  it('rejects bad keys at construction and prints no secret', () => {
    expect(() => keyPairAuth({ publicKey: 'a:b', secretKey: 's' })).toThrow(TypeError);
    expect(() => keyPairAuth({ publicKey: 'a', secretKey: 's s' })).toThrow(TypeError);
    const strategy = keyPairAuth({ publicKey: 'pk_1', secretKey: 'sEcReT' });
    expect(JSON.stringify(strategy) + inspect(strategy) + String(strategy)).not.toContain('sEcReT');
  });
});

describe('signedKeyAuth', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const now = () => Date.UTC(2026, 0, 2, 3, 4, 5, 678);

  async function signAndVerify(
    req: AuthRequest,
    key: Parameters<typeof signedKeyAuth>[0]['privateKey'] = pem,
  ) {
    const headers = await signedKeyAuth({
      publicKey: 'pk_live_1',
      privateKey: key,
      now,
    }).authenticate(req);
    const match = /^Secure pk_live_1:(.+)$/.exec(headers.Authorization ?? '');
    expect(match).not.toBeNull();
    const { createHash } = await import('node:crypto');
    const bodyHash = createHash('sha256')
      .update(req.body ?? new Uint8Array())
      .digest('hex');
    const message = `${req.url.pathname}${req.url.search}|${bodyHash}|${headers.Date}`;
    const valid = verify(
      'sha256',
      Buffer.from(message),
      { key: publicKey, dsaEncoding: 'der' },
      Buffer.from(match![1]!, 'base64'),
    );
    return { headers, valid };
  }

  it('sends a Date header with an ISO-8601 UTC timestamp to the second', async () => {
    const { headers } = await signAndVerify(request('GET', 'https://api.example.com/v1/items'));
    expect(headers.Date).toBe('2026-01-02T03:04:05Z');
  });

  it.each([
    ['a GET', request('GET', 'https://api.example.com/v1/items')],
    [
      'a POST with a body',
      request('POST', 'https://api.example.com/v1/items', '{"name":"widget","price":12.5}'),
    ],
    ['an empty body', request('POST', 'https://api.example.com/v1/items', '')],
    [
      'a path with a query string',
      request('GET', 'https://api.example.com/v1/items?page=2&q=a%20b'),
    ],
  ])('signs %s so that node:crypto verifies it (DER, Base64)', async (_, req) => {
    expect((await signAndVerify(req)).valid).toBe(true);
  });

  it('accepts the key as PEM, Base64 DER, JWK or CryptoKey', async () => {
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const jwk = privateKey.export({ format: 'jwk' });
    const cryptoKey = await crypto.subtle.importKey(
      'jwk',
      jwk,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    for (const key of [pem, der, jwk, cryptoKey]) {
      expect((await signAndVerify(request('GET', 'https://api.example.com/x'), key)).valid).toBe(
        true,
      );
    }
  });

  it('does not verify when the body differs from what was signed', async () => {
    const req = request('POST', 'https://api.example.com/v1/items', 'original');
    const headers = await signedKeyAuth({ publicKey: 'pk', privateKey: pem, now }).authenticate(
      req,
    );
    const signature = Buffer.from(headers.Authorization!.split(':')[1]!, 'base64');
    const { createHash } = await import('node:crypto');
    const forged = `/v1/items|${createHash('sha256').update('tampered').digest('hex')}|${headers.Date}`;
    expect(
      verify('sha256', Buffer.from(forged), { key: publicKey, dsaEncoding: 'der' }, signature),
    ).toBe(false);
  });

  it('puts the timestamp in dateHeader when given (browsers cannot set Date)', async () => {
    const req = request('GET', 'https://api.example.com/v1/items');
    const headers = await signedKeyAuth({
      publicKey: 'pk',
      privateKey: pem,
      now,
      dateHeader: 'X-Date',
    }).authenticate(req);
    expect(Object.keys(headers).sort()).toEqual(['Authorization', 'X-Date']);
    const signature = Buffer.from(headers.Authorization!.split(':')[1]!, 'base64');
    const message = `/v1/items|${createHash('sha256').update('').digest('hex')}|${headers['X-Date']}`;
    expect(
      verify('sha256', Buffer.from(message), { key: publicKey, dsaEncoding: 'der' }, signature),
    ).toBe(true);
    expect(() => signedKeyAuth({ publicKey: 'pk', privateKey: pem, dateHeader: 'X Date' })).toThrow(
      /dateHeader/,
    );
    for (const dateHeader of ['Authorization', 'authorization'])
      expect(
        () => signedKeyAuth({ publicKey: 'pk', privateKey: pem, dateHeader }),
        dateHeader,
      ).toThrow(/not Authorization/);
  });

  it('says it signs the body, rejects unusable keys, and prints no key', () => {
    const strategy = signedKeyAuth({ publicKey: 'pk', privateKey: pem });
    expect(strategy.signsBody).toBe(true);
    expect(() =>
      signedKeyAuth({
        publicKey: 'pk',
        privateKey: '-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----',
      }),
    ).toThrow(/PKCS#8/);
    expect(() => signedKeyAuth({ publicKey: 'p:k', privateKey: pem })).toThrow(TypeError);
    const secretPart = pem.split('\n')[1]!;
    expect(JSON.stringify(strategy) + inspect(strategy)).not.toContain(secretPart);
  });
});

describe('httpSignatureAuth (RFC 9421)', () => {
  // RFC 9421 Appendix B.1.4 and B.1.5 test keys.
  const ed25519Jwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    d: 'n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU',
    x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
  };
  const sharedSecret =
    'uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==';
  // The RFC's test-request (Appendix B.2).
  const testRequest = () =>
    request('POST', 'https://example.com/foo?param=Value&Pet=dog', '{"hello": "world"}', {
      Host: 'example.com',
      Date: 'Tue, 20 Apr 2021 02:07:55 GMT',
      'Content-Type': 'application/json',
    });
  const created = () => 1_618_884_473_000;

  it('reproduces Appendix B.2.5 (hmac-sha256) exactly', async () => {
    const headers = await httpSignatureAuth({
      keyId: 'test-shared-secret',
      key: sharedSecret,
      algorithm: 'hmac-sha256',
      components: ['date', '@authority', 'content-type'],
      label: 'sig-b25',
      now: created,
    }).authenticate(testRequest());
    expect(headers['Signature-Input']).toBe(
      'sig-b25=("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret"',
    );
    expect(headers.Signature).toBe('sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:');
  });

  it('reproduces Appendix B.2.6 (ed25519) exactly, with the key as JWK or PEM', async () => {
    const pem = createPrivateKey({ key: ed25519Jwk, format: 'jwk' })
      .export({ format: 'pem', type: 'pkcs8' })
      .toString();
    for (const key of [ed25519Jwk, pem]) {
      const headers = await httpSignatureAuth({
        keyId: 'test-key-ed25519',
        key,
        algorithm: 'ed25519',
        components: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
        label: 'sig-b26',
        now: created,
      }).authenticate(testRequest());
      expect(headers['Signature-Input']).toBe(
        'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length");created=1618884473;keyid="test-key-ed25519"',
      );
      expect(headers.Signature).toBe(
        'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:',
      );
    }
  });

  it('adds an RFC 9530 Content-Digest of the exact body and covers it', async () => {
    const strategy = httpSignatureAuth({
      keyId: 'k',
      key: ed25519Jwk,
      algorithm: 'ed25519',
      now: created,
    });
    expect(strategy.signsBody).toBe(true);
    const headers = await strategy.authenticate(testRequest());
    // RFC 9530 §B.1: the SHA-256 digest of {"hello": "world"}.
    expect(headers['Content-Digest']).toBe(
      'sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
    );
    expect(headers['Signature-Input']).toBe(
      'sig1=("@method" "@target-uri" "content-digest");created=1618884473;keyid="k"',
    );
  });

  it('signs with ecdsa-p256-sha256 (r‖s) so that node:crypto verifies it, with expires, nonce and alg', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const headers = await httpSignatureAuth({
      keyId: 'ec-key',
      key: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      algorithm: 'ecdsa-p256-sha256',
      components: ['@method', '@path', '@query', '@authority', 'content-digest'],
      expiresInMs: 300_000,
      includeAlgorithm: true,
      nonce: true,
      now: created,
    }).authenticate(testRequest());
    const params = headers['Signature-Input']!.slice('sig1='.length);
    expect(params).toMatch(
      /^\("@method" "@path" "@query" "@authority" "content-digest"\);created=1618884473;expires=1618884773;nonce="[^"]+";keyid="ec-key";alg="ecdsa-p256-sha256"$/,
    );
    const base = [
      '"@method": POST',
      '"@path": /foo',
      '"@query": ?param=Value&Pet=dog',
      '"@authority": example.com',
      `"content-digest": ${headers['Content-Digest']}`,
      `"@signature-params": ${params}`,
    ].join('\n');
    const signature = Buffer.from(/^sig1=:(.+):$/.exec(headers.Signature!)![1]!, 'base64');
    expect(
      verify('sha256', Buffer.from(base), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    ).toBe(true);
  });

  it('covers @target-uri, @scheme and @request-target', async () => {
    const headers = await httpSignatureAuth({
      keyId: 'k',
      key: sharedSecret,
      algorithm: 'hmac-sha256',
      components: ['@target-uri', '@scheme', '@request-target'],
      now: created,
    }).authenticate(request('GET', 'https://example.com/a/b?c=d'));
    expect(headers.Signature).toMatch(/^sig1=:[A-Za-z0-9+/]+=*:$/);
    expect(headers['Content-Digest']).toBeUndefined();
  });

  it('fails clearly when a covered header is missing, and checks options at construction', async () => {
    const strategy = httpSignatureAuth({
      keyId: 'k',
      key: sharedSecret,
      algorithm: 'hmac-sha256',
      components: ['x-missing'],
    });
    await expect(strategy.authenticate(request('GET', 'https://example.com/'))).rejects.toThrow(
      /x-missing/,
    );
    expect(() =>
      httpSignatureAuth({
        keyId: 'k',
        key: sharedSecret,
        algorithm: 'hmac-sha256',
        components: [],
      }),
    ).toThrow(TypeError);
    expect(() =>
      httpSignatureAuth({
        keyId: 'k',
        key: sharedSecret,
        algorithm: 'hmac-sha256',
        label: 'Bad Label',
      }),
    ).toThrow(TypeError);
    expect(() =>
      httpSignatureAuth({ keyId: 'k', key: new Uint8Array(3), algorithm: 'ed25519' }),
    ).toThrow(TypeError);
  });

  it('prints no key', () => {
    const strategy = httpSignatureAuth({ keyId: 'k', key: sharedSecret, algorithm: 'hmac-sha256' });
    expect(JSON.stringify(strategy) + inspect(strategy)).not.toContain(sharedSecret.slice(0, 20));
  });
});
