import { createHash } from 'node:crypto';
import {
  type DPoPKeyPair,
  dpopKeyPair,
  generateDPoPKeyPair,
  OAuthError,
  TokenManager,
} from '@auth/core';
import { listenOnLoopback, sendJson } from '@auth/testing/http';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials, passwordGrant, refreshTokenGrant } from '../../src/index.js';
import { caught, leakSurface } from './support.js';

/** Key generation takes what the machine gives it: once per file, with its own timeout. */
const KEY_SETUP_TIMEOUT_MS = 120_000;
let bed: OidcTestBed;
let keyPair: DPoPKeyPair;
let otherKeyPair: DPoPKeyPair;
let extractableKeyPair: DPoPKeyPair;
let plainPair: CryptoKeyPair;
beforeAll(async () => {
  bed = await startOidcProvider({ accessTokenTtlSeconds: 300 });
}, KEY_SETUP_TIMEOUT_MS);
beforeAll(async () => {
  [keyPair, otherKeyPair, extractableKeyPair] = await Promise.all([
    generateDPoPKeyPair(),
    generateDPoPKeyPair(),
    generateDPoPKeyPair({ extractable: true }),
  ]);
  plainPair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}, KEY_SETUP_TIMEOUT_MS);
afterAll(() => bed.close());
afterEach(() => bed.requireDPoPNonce(false));

interface SentProof {
  header: { typ: string; alg: string; jwk: Record<string, string> };
  payload: { htm: string; htu: string; jti: string; iat: number; nonce?: string; ath?: string };
}

/** The real `fetch`, with every token request's DPoP proof noted on the way out. */
function observedFetch() {
  const proofs: (SentProof | undefined)[] = [];
  const wrapped: typeof fetch = (input, init) => {
    const proof = new Headers(init?.headers).get('dpop');
    proofs.push(proof === null ? undefined : decodeProof(proof));
    return fetch(input, init);
  };
  return { fetch: wrapped, proofs };
}

function decodeProof(jws: string): SentProof {
  const [header, payload] = jws.split('.').map((part) => Buffer.from(part, 'base64url').toString());
  return { header: JSON.parse(header!), payload: JSON.parse(payload!) };
}

/** RFC 7638 thumbprint of an EC public JWK, computed here independently. */
function thumbprintOf(jwk: Record<string, string>): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

const machine = () => ({ tokenUrl: bed.tokenUrl, ...bed.clients.basic });

describe('the dpop option (RFC 9449) against oidc-provider', () => {
  it('binds client credentials tokens to the key: token_type DPoP, cnf.jkt = the thumbprint', async () => {
    const observed = observedFetch();
    const tokens = await clientCredentials({
      ...machine(),
      dpop: keyPair,
      fetch: observed.fetch,
    }).fetchToken();
    expect(tokens.tokenType).toBe('DPoP');
    expect(tokens.authorizationHeader).toBe(`DPoP ${tokens.accessToken}`);
    expect(await bed.inspectToken(tokens.accessToken)).toMatchObject({
      kind: 'client_credentials',
      jkt: keyPair.thumbprint,
    });
    const [proof] = observed.proofs;
    expect(proof?.header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256' });
    expect(thumbprintOf(proof!.header.jwk)).toBe(keyPair.thumbprint);
    expect(proof?.payload).toMatchObject({ htm: 'POST', htu: bed.tokenUrl });
    expect(proof?.payload.ath).toBeUndefined();
  });

  it('without dpop, the same client gets a plain bearer token', async () => {
    const tokens = await clientCredentials(machine()).fetchToken();
    expect(tokens.tokenType).toBe('Bearer');
    expect((await bed.inspectToken(tokens.accessToken))?.jkt).toBeUndefined();
  });

  it('retries once with the nonce when the token endpoint answers use_dpop_nonce, then keeps using it', async () => {
    bed.requireDPoPNonce(true);
    const observed = observedFetch();
    const provider = clientCredentials({ ...machine(), dpop: keyPair, fetch: observed.fetch });
    const tokens = await provider.fetchToken();
    expect(tokens.tokenType).toBe('DPoP');
    expect(observed.proofs).toHaveLength(2);
    expect(observed.proofs[0]?.payload.nonce).toBeUndefined();
    expect(observed.proofs[1]?.payload.nonce).toEqual(expect.any(String));
    expect(observed.proofs[1]?.payload.jti).not.toBe(observed.proofs[0]?.payload.jti);
    // The nonce is remembered: the next token request needs no second attempt.
    await provider.fetchToken();
    expect(observed.proofs).toHaveLength(3);
    expect(observed.proofs[2]?.payload.nonce).toEqual(expect.any(String));
  });

  it('retries the nonce only once: a server that keeps asking gets OAuthError use_dpop_nonce', async () => {
    let requests = 0;
    const stubborn = await listenOnLoopback((_req, res) => {
      requests++;
      sendJson(res, 400, { error: 'use_dpop_nonce' }, { 'dpop-nonce': `nonce-${requests}` });
    });
    try {
      const provider = clientCredentials({
        tokenUrl: `${stubborn.url}/token`,
        clientId: 'c',
        clientSecret: 's',
        dpop: keyPair,
      });
      const error = await caught(() => provider.fetchToken());
      expect(OAuthError.isInstance(error)).toBe(true);
      expect((error as OAuthError).error).toBe('use_dpop_nonce');
      expect(requests).toBe(2);
    } finally {
      await stubborn.close();
    }
  });

  it('refreshes with a proof too: the refreshed token stays DPoP-bound to the same key', async () => {
    const login = await passwordGrant({
      issuer: bed.issuer,
      ...bed.clients.user,
      username: 'alice',
      password: 'alice-password-1',
      scope: 'api:read offline_access',
    }).fetchToken();
    const provider = refreshTokenGrant({
      issuer: bed.issuer,
      ...bed.clients.user,
      refreshToken: login.refreshToken!,
      dpop: keyPair,
    });
    const manager = new TokenManager({ provider });
    const tokens = await manager.getToken();
    expect(tokens.tokenType).toBe('DPoP');
    expect((await bed.inspectToken(tokens.accessToken))?.jkt).toBe(keyPair.thumbprint);
    await manager.close();
  });

  it('puts the key thumbprint in cacheKey and describe(), so different keys never share tokens', async () => {
    const other = otherKeyPair;
    const a = clientCredentials({ ...machine(), dpop: keyPair });
    const b = clientCredentials({ ...machine(), dpop: other });
    const plain = clientCredentials(machine());
    expect(a.cacheKey).toBe(`${plain.cacheKey}:dpop=${keyPair.thumbprint}`);
    expect(b.cacheKey).not.toBe(a.cacheKey);
    expect(a.describe?.()).toMatchObject({ dpopThumbprint: keyPair.thumbprint });
    expect(plain.describe?.().dpopThumbprint).toBeUndefined();
  });

  it('processes sharing one imported key share the cache key', async () => {
    const shared = extractableKeyPair;
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256' };
    const privateJwk = await crypto.subtle.exportKey('jwk', shared.privateKey);
    const publicJwk = await crypto.subtle.exportKey('jwk', shared.publicKey);
    const loaded = await dpopKeyPair({
      privateKey: await crypto.subtle.importKey('jwk', privateJwk, algorithm, false, ['sign']),
      publicKey: await crypto.subtle.importKey('jwk', publicJwk, algorithm, true, ['verify']),
    });
    expect(clientCredentials({ ...machine(), dpop: loaded }).cacheKey).toBe(
      clientCredentials({ ...machine(), dpop: shared }).cacheKey,
    );
  });

  it('rejects a dpop value that is not a DPoP key pair at construction', async () => {
    expect(() => clientCredentials({ ...machine(), dpop: plainPair as DPoPKeyPair })).toThrow(
      /generateDPoPKeyPair\(\) or dpopKeyPair\(\)/,
    );
    expect(() =>
      clientCredentials({
        ...machine(),
        dpop: { thumbprint: 'x', privateKey: 'pem', publicKey: 'pem' } as never,
      }),
    ).toThrow(TypeError);
  });

  it('shows no private key or client secret in describe(), inspect, JSON or errors', async () => {
    const exportable = extractableKeyPair;
    const { d } = (await crypto.subtle.exportKey('jwk', exportable.privateKey)) as { d: string };
    const { clientId } = bed.clients.basic;
    const provider = clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      clientSecret: 'wrong-secret-value',
      dpop: exportable,
    });
    const error = await caught(() => provider.fetchToken());
    expect(OAuthError.isInstance(error)).toBe(true);
    const surface = leakSurface(provider, provider.describe?.(), error, exportable);
    expect(surface).not.toContain(d);
    expect(surface).not.toContain('wrong-secret-value');
  });
});
