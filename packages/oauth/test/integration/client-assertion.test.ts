import { AuthError, TokenEndpointError, TokenManager } from '@auth/core';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials, revokeToken } from '../../src/index.js';
import { caught, leakSurface } from './support.js';

let bed: OidcTestBed;
beforeAll(async () => {
  bed = await startOidcProvider();
});
afterAll(() => bed.close());

const JWT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** An RFC 7523 §3 client assertion for the private_key_jwt client, signed the way a platform would. */
async function signedAssertion(audience = bed.tokenUrl): Promise<string> {
  const { clientId, privateKey, keyId } = bed.clients.privateKeyJwt;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: keyId })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(privateKey);
}

describe('clientAssertion (an assertion made elsewhere) against oidc-provider', () => {
  it('authenticates a token request with the assertion the callable returns (RFC 7521 §4.2)', async () => {
    const { clientId } = bed.clients.privateKeyJwt;
    const provider = clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      clientAssertion: () => signedAssertion(),
    });
    const tokens = await provider.fetchToken();
    expect((await bed.inspectToken(tokens.accessToken))?.clientId).toBe(clientId);
    const sent = bed.tokenRequests.at(-1)?.params;
    expect(sent?.client_assertion_type).toBe(JWT_ASSERTION_TYPE);
    expect(sent?.client_assertion).toMatch(/^ey/);
    expect(sent?.client_id).toBe(clientId);
  });

  it('calls the callable afresh for every request (it does its own caching)', async () => {
    const { clientId } = bed.clients.privateKeyJwt;
    const issued: string[] = [];
    const provider = clientCredentials({
      issuer: bed.issuer,
      clientId,
      clientAssertion: async () => {
        issued.push(await signedAssertion());
        return issued.at(-1)!;
      },
    });
    await provider.fetchToken();
    const first = bed.tokenRequests.at(-1)?.params.client_assertion;
    await provider.fetchToken();
    const second = bed.tokenRequests.at(-1)?.params.client_assertion;
    expect(issued).toHaveLength(2);
    expect([first, second]).toEqual(issued);
  });

  it('ends a request whose assertion never comes at the deadline, as a retryable endpoint failure', async () => {
    const { clientId } = bed.clients.privateKeyJwt;
    const requestsBefore = bed.tokenRequests.length;
    const provider = clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      timeoutMs: 50,
      clientAssertion: () => new Promise<string>(() => {}), // a read from a mount that hangs
    });
    const error = await caught(() => provider.fetchToken());
    expect(TokenEndpointError.isInstance(error)).toBe(true);
    expect((error as TokenEndpointError).retryable).toBe(true);
    expect((error as Error).message).toContain('did not answer within 50 ms');
    expect(bed.tokenRequests.length).toBe(requestsBefore);
  });

  it('authenticates revocation with the assertion too (RFC 7009 §2.1)', async () => {
    const { clientId } = bed.clients.privateKeyJwt;
    const clientAssertion = () => signedAssertion(bed.issuer);
    const tokens = await clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      clientAssertion,
    }).fetchToken();
    expect(await bed.inspectToken(tokens.accessToken)).toBeDefined();
    await revokeToken({
      tokenUrl: bed.tokenUrl,
      revocationUrl: bed.revocationUrl,
      clientId,
      clientAssertion,
      token: tokens.accessToken,
    });
    expect(await bed.inspectToken(tokens.accessToken)).toBeUndefined();
  });

  it('a rotating assertion keeps one cache key: the key holds the client id, not the assertion', async () => {
    const { clientId } = bed.clients.privateKeyJwt;
    const options = { tokenUrl: bed.tokenUrl, clientId };
    const a = clientCredentials({ ...options, clientAssertion: () => 'assertion-one' });
    const b = clientCredentials({ ...options, clientAssertion: () => 'assertion-two' });
    const other = clientCredentials({
      ...options,
      clientId: 'another-client',
      clientAssertion: () => 'assertion-one',
    });
    expect(a.cacheKey).toBe(b.cacheKey);
    expect(a.cacheKey).not.toBe(other.cacheKey);
    expect(a.cacheKey).toContain(clientId);
    expect(a.cacheKey).not.toContain('assertion-one');
  });

  it('shows the assertion only as set: describe, JSON, inspect and a refused request hold no assertion', async () => {
    const { clientId } = bed.clients.privateKeyJwt;
    const assertion = await signedAssertion('https://not-this-server.example/token');
    const provider = clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      clientAssertion: () => assertion,
    });
    expect(provider.describe?.()).toMatchObject({
      authMethod: 'private_key_jwt',
      clientAssertion: 'set',
      privateKey: 'not set',
    });
    const manager = new TokenManager({ provider });
    const error = await caught(() => manager.getToken());
    expect(AuthError.isInstance(error)).toBe(true);
    expect(leakSurface(provider, manager, error)).not.toContain(assertion);
  });

  it('passes an AuthError of the callable on as it is, wraps any other error as its cause', async () => {
    const { clientId } = bed.clients.privateKeyJwt;
    const authError = new AuthError('the token file is missing');
    const passed = await caught(() =>
      clientCredentials({
        tokenUrl: bed.tokenUrl,
        clientId,
        clientAssertion: () => {
          throw authError;
        },
      }).fetchToken(),
    );
    expect(passed).toBe(authError);
    const plain = new Error('signer offline');
    const wrapped = await caught(() =>
      clientCredentials({
        tokenUrl: bed.tokenUrl,
        clientId,
        clientAssertion: async () => {
          throw plain;
        },
      }).fetchToken(),
    );
    expect(AuthError.isInstance(wrapped)).toBe(true);
    expect((wrapped as Error).message).toMatch(/clientAssertion/);
    expect((wrapped as Error).cause).toBe(plain);
    const empty = await caught(() =>
      clientCredentials({
        tokenUrl: bed.tokenUrl,
        clientId,
        clientAssertion: () => ' ',
      }).fetchToken(),
    );
    expect(empty).toBeInstanceOf(TypeError);
    expect((empty as Error).message).toMatch(/clientAssertion returned no assertion/);
  });

  it('names conflicting settings at construction', () => {
    const base = { tokenUrl: bed.tokenUrl, clientId: 'c', clientAssertion: () => 'a' };
    expect(() => clientCredentials({ ...base, clientSecret: 's' })).toThrow(/conflicts/);
    expect(() => clientCredentials({ ...base, authMethod: 'client_secret_post' })).toThrow(
      /clientAssertion conflicts with authMethod client_secret_post/,
    );
    expect(() =>
      clientCredentials({ ...base, privateKey: bed.clients.privateKeyJwt.privateKey }),
    ).toThrow(/privateKey conflicts with clientAssertion/);
    expect(() => clientCredentials({ ...base, assertionAudience: 'issuer' })).toThrow(
      /assertionAudience conflicts with clientAssertion/,
    );
    expect(() =>
      clientCredentials({ ...base, clientAssertion: 'a.b.c' as unknown as () => string }),
    ).toThrow(/clientAssertion must be a function/);
    expect(() =>
      clientCredentials({ ...base, authMethod: 'private_key_jwt' }).describe?.(),
    ).not.toThrow();
  });
});
