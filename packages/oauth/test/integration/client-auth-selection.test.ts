import { OAuthError, TokenEndpointError } from '@auth/core';
import { startTokenServer, type TokenServer } from '@auth/testing/http';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientCredentials } from '../../src/index.js';
import { caught } from './support.js';

// How a client secret is sent when `authMethod` is not given: chosen from discovery metadata,
// else Basic; a refused Basic is followed by one client_secret_post request, remembered per
// endpoint. An explicit authMethod is used as it is. The independent servers of interop/
// prove the same against servers that do not form-decode Basic.
let bed: OidcTestBed;
let tokens: TokenServer;
beforeAll(async () => {
  [bed, tokens] = await Promise.all([
    startOidcProvider(),
    startTokenServer({ clients: { 'cc-plain': 'plain-secret' } }),
  ]);
});
afterAll(() => Promise.all([bed.close(), tokens.close()]));
beforeEach(() => tokens.resetCount());

const sentWith = (request: { headers: Record<string, unknown>; params: Record<string, string> }) =>
  request.headers.authorization !== undefined
    ? 'client_secret_basic'
    : request.params.client_secret !== undefined
      ? 'client_secret_post'
      : 'none';

describe('the default client authentication', () => {
  it('sends Basic with RFC 3986 unreserved characters as they are', async () => {
    await clientCredentials({
      tokenUrl: tokens.tokenUrl,
      clientId: 'cc-plain',
      clientSecret: 'plain-secret',
    }).fetchToken();
    const header = String(tokens.requests[0]!.headers.authorization);
    expect(atob(header.slice('Basic '.length))).toBe('cc-plain:plain-secret');
  });

  it('after a bare 401 to Basic, sends client_secret_post once, and goes straight to it from then on', async () => {
    const provider = clientCredentials({
      tokenUrl: tokens.tokenUrl,
      clientId: 'cc-plain',
      clientSecret: 'plain-secret',
    });
    tokens.failNext({ kind: 'status', status: 401 });
    await provider.fetchToken();
    expect(tokens.requests.map(sentWith)).toEqual(['client_secret_basic', 'client_secret_post']);
    await provider.fetchToken();
    await provider.fetchToken();
    expect(tokens.requests.map(sentWith)).toEqual([
      'client_secret_basic',
      'client_secret_post',
      'client_secret_post',
      'client_secret_post',
    ]);
  });

  it('falls back on invalid_client too, but not on other refusals or on transient failures', async () => {
    const fresh = () =>
      clientCredentials({
        tokenUrl: tokens.tokenUrl,
        clientId: 'cc-plain',
        clientSecret: 'plain-secret',
      });
    tokens.failNext({ kind: 'oauth-error', error: 'invalid_client', status: 401 });
    await fresh().fetchToken();
    expect(tokens.requests.map(sentWith)).toEqual(['client_secret_basic', 'client_secret_post']);

    tokens.resetCount();
    tokens.failNext({ kind: 'oauth-error', error: 'invalid_scope', status: 400 });
    expect(OAuthError.isInstance(await caught(() => fresh().fetchToken()))).toBe(true);
    tokens.failNext({ kind: 'status', status: 503 });
    expect(TokenEndpointError.isInstance(await caught(() => fresh().fetchToken()))).toBe(true);
    expect(tokens.requests.map(sentWith)).toEqual(['client_secret_basic', 'client_secret_basic']);
  });

  it('never second-guesses an explicit authMethod', async () => {
    tokens.failNext({ kind: 'status', status: 401 });
    const error = await caught(() =>
      clientCredentials({
        tokenUrl: tokens.tokenUrl,
        clientId: 'cc-plain',
        clientSecret: 'plain-secret',
        authMethod: 'client_secret_basic',
      }).fetchToken(),
    );
    expect(TokenEndpointError.isInstance(error) && error.status).toBe(401);
    expect(tokens.requests.map(sentWith)).toEqual(['client_secret_basic']);
  });

  it('with discovery, picks client_secret_post for a secret Basic must encode, and Basic for a plain one', async () => {
    const { awkward, basic } = bed.clients;
    const before = bed.tokenRequests.length;
    await clientCredentials({ issuer: bed.issuer, ...awkward }).fetchToken();
    await clientCredentials({ issuer: bed.issuer, ...basic }).fetchToken();
    const sent = bed.tokenRequests.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.authorization).toBeUndefined();
    expect(sent[0]!.params.client_secret).toBe(awkward.clientSecret);
    expect(sent[1]!.authorization).toMatch(/^Basic /);
  });

  it('describes the method as automatic, and an explicit one by name', () => {
    const options = {
      tokenUrl: tokens.tokenUrl,
      clientId: 'cc-plain',
      clientSecret: 'plain-secret',
    };
    expect(clientCredentials(options).describe?.()).toMatchObject({ authMethod: 'automatic' });
    expect(
      clientCredentials({ ...options, authMethod: 'client_secret_post' }).describe?.(),
    ).toMatchObject({ authMethod: 'client_secret_post' });
  });
});

describe('private_key_jwt assertion audience', () => {
  const audienceOf = () => {
    const assertion = bed.tokenRequests.at(-1)!.params.client_assertion!;
    return JSON.parse(atob(assertion.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).aud;
  };

  it('is the token endpoint by default, also with discovery; issuer or any string on request', async () => {
    const { clientId, privateKey, keyId } = bed.clients.privateKeyJwt;
    const options = { issuer: bed.issuer, clientId, privateKey, keyId };
    await clientCredentials(options).fetchToken();
    expect(audienceOf()).toBe(bed.tokenUrl);
    await clientCredentials({ ...options, assertionAudience: 'issuer' }).fetchToken();
    expect(audienceOf()).toBe(bed.issuer);
    await clientCredentials({ ...options, assertionAudience: bed.tokenUrl }).fetchToken();
    expect(audienceOf()).toBe(bed.tokenUrl);
  });

  it('is refused for a method without assertions', () => {
    expect(() =>
      clientCredentials({
        tokenUrl: tokens.tokenUrl,
        clientId: 'cc-plain',
        clientSecret: 'plain-secret',
        assertionAudience: 'issuer',
      }),
    ).toThrow(/assertionAudience applies only to private_key_jwt/);
  });
});
