import { createHash, createPublicKey, verify } from 'node:crypto';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { jwkThumbprint } from '../internal/crypto/dpop-proof.js';
import { fromBase64Text } from '../internal/encoding/base64.js';
import { scriptedProvider, TEST_EPOCH, testClock } from '../testing/scripted-provider.js';
import { TokenManager } from '../token-manager.js';
import type { AuthRequest, AuthStrategy } from './auth-strategy.js';
import { dpopAuth } from './dpop-auth.js';
import { dpopKeyPair, generateDPoPKeyPair } from './dpop-key-pair.js';

function request(method: string, url: string): AuthRequest {
  return { method, url: new URL(url), headers: new Headers() };
}

/** `req` after it was sent, as an adapter passes it to `onUnauthorized`: the same object, with the headers sent. */
async function sentWith(auth: AuthStrategy, req: AuthRequest): Promise<AuthRequest> {
  req.headers = new Headers(await auth.authenticate(req));
  return req;
}

interface Proof {
  header: { typ: string; alg: string; jwk: Record<string, string> };
  payload: Record<string, string | number>;
}

/** Verifies a proof with node:crypto against the key in its own `jwk` header, then decodes it. */
function verifiedProof(jws: string): Proof {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const decoded = JSON.parse(fromBase64Text(header)) as Proof['header'];
  const key = createPublicKey({ key: decoded.jwk, format: 'jwk' });
  const input = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature, 'base64url');
  const ok =
    decoded.alg === 'ES256'
      ? verify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, sig)
      : verify(null, input, key, sig);
  expect(ok).toBe(true);
  return { header: decoded, payload: JSON.parse(fromBase64Text(payload)) };
}

// RSA-2048 generation takes seconds on a busy machine: once per file, with its own timeout.
let rsaKeyPair: Promise<CryptoKeyPair>;
beforeAll(async () => {
  rsaKeyPair = crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    false,
    ['sign', 'verify'],
  ) as Promise<CryptoKeyPair>;
  await rsaKeyPair;
}, 60_000);

async function setup() {
  const clock = testClock(Date.UTC(2026, 0, 2, 3, 4, 5, 600) - TEST_EPOCH);
  const { provider, state } = scriptedProvider({ clock });
  const manager = new TokenManager({ provider, now: clock.now });
  const keyPair = await generateDPoPKeyPair();
  return { clock, state, keyPair, auth: dpopAuth(manager, { keyPair, now: clock.now }) };
}

const nonceChallenge = (nonce: string) => ({
  status: 401,
  headers: new Headers({
    'www-authenticate':
      'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"',
    'dpop-nonce': nonce,
  }),
});

describe('dpopAuth (RFC 9449)', () => {
  it('sends Authorization: DPoP <token> and a signed proof with htm, htu, ath, iat, jti', async () => {
    const { auth, keyPair } = await setup();
    const headers = await auth.authenticate(
      request('post', 'https://api.example.com/v1/orders?status=open#top'),
    );
    expect(headers.Authorization).toBe('DPoP fetched-1');
    const proof = verifiedProof(headers.DPoP!);
    expect(proof.header.typ).toBe('dpop+jwt');
    expect(proof.header.alg).toBe('ES256');
    expect(Object.keys(proof.header.jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(await jwkThumbprint(proof.header.jwk)).toBe(keyPair.thumbprint);
    expect(proof.payload).toEqual({
      jti: expect.stringMatching(/^[\w-]{22}$/),
      htm: 'POST',
      htu: 'https://api.example.com/v1/orders',
      iat: Date.UTC(2026, 0, 2, 3, 4, 5) / 1000,
      ath: createHash('sha256').update('fetched-1').digest('base64url'),
    });
  });

  it('makes a fresh proof for every request', async () => {
    const { auth } = await setup();
    const req = request('GET', 'https://api.example.com/x');
    const proofs = await Promise.all(Array.from({ length: 20 }, () => auth.authenticate(req)));
    const jtis = new Set(proofs.map((h) => verifiedProof(h.DPoP!).payload.jti));
    expect(jtis.size).toBe(20);
  });

  it('on use_dpop_nonce retries with the nonce, without a token request', async () => {
    const { auth, state } = await setup();
    const req = request('GET', 'https://api.example.com/x');
    expect(
      await auth.onUnauthorized!({
        request: await sentWith(auth, req),
        response: nonceChallenge('n-1'),
      }),
    ).toBe(true);
    expect(state.fetches).toBe(1);
    const retried = verifiedProof((await auth.authenticate(req)).DPoP!);
    expect(retried.payload.nonce).toBe('n-1');
    // Other origins have their own nonce (none yet).
    const other = await auth.authenticate(request('GET', 'https://other.example.com/'));
    expect(verifiedProof(other.DPoP!).payload.nonce).toBeUndefined();
  });

  it('does not retry again when the refused proof already carried the nonce the server names', async () => {
    const { auth } = await setup();
    const req = request('GET', 'https://api.example.com/x');
    await auth.onUnauthorized!({
      request: { ...req, headers: new Headers() },
      response: nonceChallenge('n-1'),
    });
    const sent = await sentWith(auth, req);
    expect(
      await auth.onUnauthorized!({
        request: sent,
        response: nonceChallenge('n-1'),
      }),
    ).toBe(false);
    expect(
      await auth.onUnauthorized!({
        request: sent,
        response: nonceChallenge('n-2'),
      }),
    ).toBe(true);
  });

  it('on any other 401 renews the token once for a burst, like tokenAuth', async () => {
    const { auth, state } = await setup();
    const burst = Array.from({ length: 10 }, () => request('GET', 'https://api.example.com/x'));
    for (const req of burst) await sentWith(auth, req);
    const refused = {
      status: 401,
      headers: new Headers({ 'www-authenticate': 'DPoP error="invalid_token"' }),
    };
    const retries = await Promise.all(
      burst.map((req) => auth.onUnauthorized!({ request: req, response: refused })),
    );
    expect(retries.every(Boolean)).toBe(true);
    expect(state.fetches).toBe(2);
    expect((await auth.authenticate(burst[0]!)).Authorization).toBe('DPoP fetched-2');
  });

  it('signs with Ed25519 keys too (EdDSA)', async () => {
    const clock = testClock();
    const { provider } = scriptedProvider({ clock });
    const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const keyPair = await dpopKeyPair(pair);
    const auth = dpopAuth(new TokenManager({ provider, now: clock.now }), { keyPair });
    const proof = verifiedProof(
      (await auth.authenticate(request('GET', 'https://a.example/'))).DPoP!,
    );
    expect(proof.header.alg).toBe('EdDSA');
    expect(await jwkThumbprint(proof.header.jwk)).toBe(keyPair.thumbprint);
  });

  it('rejects a missing manager or unusable keys at construction', async () => {
    const clock = testClock();
    const manager = new TokenManager({ provider: scriptedProvider({ clock }).provider });
    const rsa = await rsaKeyPair;
    const keyPair = await generateDPoPKeyPair();
    expect(() => dpopAuth({} as never, { keyPair })).toThrow(TypeError);
    expect(() => dpopAuth(manager, {} as never)).toThrow(TypeError);
    expect(() => dpopAuth(manager, { keyPair: rsa })).toThrow(/ECDSA P-256/);
    expect(() =>
      dpopAuth(manager, {
        keyPair: { privateKey: keyPair.publicKey, publicKey: keyPair.privateKey },
      }),
    ).toThrow(TypeError);
    await expect(dpopKeyPair(rsa)).rejects.toThrow(TypeError);
  });
});

describe('DPoP key pairs', () => {
  it('computes RFC 7638 thumbprints (the RFC 7638 §3.1 example)', async () => {
    const jwk = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
    };
    expect(await jwkThumbprint(jwk)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('generateDPoPKeyPair makes ES256 keys, the private one non-extractable unless asked', async () => {
    const pair = await generateDPoPKeyPair();
    expect(pair.privateKey.algorithm).toMatchObject({ name: 'ECDSA', namedCurve: 'P-256' });
    expect(pair.privateKey.extractable).toBe(false);
    expect(pair.publicKey.extractable).toBe(true);
    expect(pair.thumbprint).toMatch(/^[\w-]{43}$/);
    expect((await generateDPoPKeyPair({ extractable: true })).privateKey.extractable).toBe(true);
  });

  it('dpopKeyPair of an imported key gives the same thumbprint as the original', async () => {
    const original = await generateDPoPKeyPair({ extractable: true });
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const privateJwk = await crypto.subtle.exportKey('jwk', original.privateKey);
    const publicJwk = await crypto.subtle.exportKey('jwk', original.publicKey);
    const imported = await dpopKeyPair({
      privateKey: await crypto.subtle.importKey('jwk', privateJwk, algorithm, false, ['sign']),
      publicKey: await crypto.subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']),
    });
    expect(imported.thumbprint).toBe(original.thumbprint);
  });

  it('no private key material in inspect, JSON or String of key pairs and strategies', async () => {
    const pair = await generateDPoPKeyPair({ extractable: true });
    const { d } = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as { d: string };
    const clock = testClock();
    const auth = dpopAuth(new TokenManager({ provider: scriptedProvider({ clock }).provider }), {
      keyPair: pair,
    });
    const shown = [pair, auth].flatMap((value) => [
      inspect(value, { depth: 10, showHidden: true }),
      JSON.stringify(value),
      String(value),
    ]);
    for (const text of shown) expect(text).not.toContain(d);
    expect(JSON.stringify(auth)).toContain(pair.thumbprint);
  });
});
