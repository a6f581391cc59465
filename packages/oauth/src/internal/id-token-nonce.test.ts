import { TokenResponseError } from '@auth/core';
import type * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { checkIdTokenNonce } from './id-token-nonce.js';

// The ID token's signature is not checked (it comes straight from the token endpoint over
// TLS), so these tokens carry a placeholder signature.
const ISSUER = 'https://login.example.com/';
const CLOCK = Date.UTC(2026, 0, 1); // far from the machine's clock on purpose
const now = () => CLOCK;
const as: oauth.AuthorizationServer = { issuer: ISSUER, token_endpoint: `${ISSUER}token` };

const base64url = (value: object) =>
  btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function idToken(claims: object, alg = 'ES256'): string {
  const seconds = Math.floor(CLOCK / 1000);
  const payload = {
    iss: ISSUER,
    aud: 'cli',
    sub: 'alice',
    iat: seconds,
    exp: seconds + 300,
    ...claims,
  };
  return `${base64url({ alg, typ: 'JWT' })}.${base64url(payload)}.c2lnbmF0dXJl`;
}

function response(body: object) {
  return { status: 200, headers: new Headers(), text: JSON.stringify(body) };
}

describe('checkIdTokenNonce', () => {
  it('accepts the nonce sent, whatever the algorithm, token_type and clock, with an issuer', async () => {
    const read = response({
      access_token: 'a',
      token_type: 'N_A',
      id_token: idToken({ nonce: 'n-1' }),
    });
    await expect(
      checkIdTokenNonce(read, 'n-1', { as, clientId: 'cli', now }),
    ).resolves.toBeUndefined();
  });

  it('refuses another nonce, a missing one, another issuer or audience, an expired token', async () => {
    const refused = async (claims: object) => {
      const read = response({ access_token: 'a', token_type: 'Bearer', id_token: idToken(claims) });
      const error = await checkIdTokenNonce(read, 'n-1', { as, clientId: 'cli', now }).catch(
        (e: unknown) => e,
      );
      expect(TokenResponseError.isInstance(error), JSON.stringify(claims)).toBe(true);
      return (error as Error).message;
    };
    expect(await refused({ nonce: 'from-another-login' })).toMatch(/nonce/);
    expect(await refused({})).toMatch(/nonce/);
    expect(await refused({ nonce: 'n-1', iss: 'https://elsewhere.example.com/' })).toMatch(/iss/);
    expect(await refused({ nonce: 'n-1', aud: 'another-client' })).toMatch(/aud/);
    expect(await refused({ nonce: 'n-1', exp: Math.floor(CLOCK / 1000) - 3600 })).toMatch(/exp/);
  });

  it('compares only the nonce without an issuer, and leaves responses without an ID token alone', async () => {
    const expected = { as: undefined, clientId: 'cli', now };
    const other = response({ id_token: idToken({ nonce: 'n-2', iss: 'anyone' }) });
    await expect(checkIdTokenNonce(other, 'n-2', expected)).resolves.toBeUndefined();
    await expect(checkIdTokenNonce(other, 'n-1', expected)).rejects.toThrow(/nonce/);
    await expect(
      checkIdTokenNonce(response({ access_token: 'a' }), 'n-1', expected),
    ).resolves.toBeUndefined();
  });
});
