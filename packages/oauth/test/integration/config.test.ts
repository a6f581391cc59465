import { type DPoPKeyPair, generateDPoPKeyPair, TokenManager } from '@auth/core';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFromConfig, providerFromEnv } from '../../src/index.js';
import { leakSurface } from './support.js';

let bed: OidcTestBed;
let dpop: DPoPKeyPair;
beforeAll(async () => {
  bed = await startOidcProvider();
}, 120_000);
beforeAll(async () => {
  dpop = await generateDPoPKeyPair();
}, 120_000);
afterAll(() => bed.close());

describe('providerFromConfig / providerFromEnv', () => {
  it('passes a DPoP key pair from the hooks to the provider', async () => {
    const provider = providerFromConfig(
      { grant: 'client_credentials', issuer: bed.issuer, ...bed.clients.basic },
      { dpop },
    );
    const tokens = await provider.fetchToken();
    expect(tokens.tokenType).toBe('DPoP');
    expect((await bed.inspectToken(tokens.accessToken))?.jkt).toBe(dpop.thumbprint);
    expect(provider.cacheKey).toContain(`:dpop=${dpop.thumbprint}`);
  });

  it('builds client_credentials, password, refresh_token and token_exchange providers from plain settings', async () => {
    const cc = providerFromConfig({
      grant: 'client_credentials',
      issuer: bed.issuer,
      ...bed.clients.basic,
    });
    const machine = await cc.fetchToken();
    expect((await bed.inspectToken(machine.accessToken))?.clientId).toBe(
      bed.clients.basic.clientId,
    );

    const password = providerFromConfig({
      issuer: bed.issuer,
      ...bed.clients.user,
      username: 'alice',
      password: 'alice-password-1',
      scope: 'offline_access',
    });
    expect(password.describe?.()).toMatchObject({ type: 'password' });
    const user = await password.fetchToken();

    const refresh = providerFromConfig({
      issuer: bed.issuer,
      ...bed.clients.user,
      refreshToken: user.refreshToken,
    });
    expect(refresh.canReauthenticate).toBe(false);
    expect((await bed.inspectToken((await refresh.fetchToken()).accessToken))?.accountId).toBe(
      'alice',
    );

    const exchange = providerFromConfig({
      grant: 'token_exchange',
      tokenUrl: bed.tokenUrl,
      ...bed.clients.user,
      subjectToken: user.accessToken,
      audience: 'x',
    });
    expect((await bed.inspectToken((await exchange.fetchToken()).accessToken))?.accountId).toBe(
      'alice',
    );
  });

  it('builds a private_key_jwt client from environment variables and works in TokenManager', async () => {
    const env = {
      AUTH_ISSUER: bed.issuer,
      AUTH_CLIENT_ID: bed.clients.privateKeyJwt.clientId,
      AUTH_PRIVATE_KEY: bed.clients.privateKeyJwt.privateKeyPem.replace(/\n/g, '\\n'),
      AUTH_KEY_ID: bed.clients.privateKeyJwt.keyId,
      AUTH_TIMEOUT_MS: '5000',
    };
    const provider = providerFromEnv(env);
    const manager = new TokenManager({ provider });
    expect((await bed.inspectToken((await manager.getToken()).accessToken))?.clientId).toBe(
      env.AUTH_CLIENT_ID,
    );
    expect(provider.describe?.()).toMatchObject({
      authMethod: 'private_key_jwt',
      privateKey: 'set',
      timeoutMs: 5000,
    });
    expect(leakSurface(provider)).not.toContain('PRIVATE KEY');
    await manager.close();
  });

  it('passes AUTH_ASSERTION_AUDIENCE on as the client assertion audience', async () => {
    const provider = providerFromEnv({
      AUTH_ISSUER: bed.issuer,
      AUTH_CLIENT_ID: bed.clients.privateKeyJwt.clientId,
      AUTH_PRIVATE_KEY: bed.clients.privateKeyJwt.privateKeyPem,
      AUTH_KEY_ID: bed.clients.privateKeyJwt.keyId,
      AUTH_ASSERTION_AUDIENCE: 'issuer',
    });
    await provider.fetchToken();
    const assertion = bed.tokenRequests.at(-1)!.params.client_assertion!;
    const payload = assertion.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    expect(JSON.parse(atob(payload)).aud).toBe(bed.issuer);
  });

  it('names missing settings, as variables for providerFromEnv', () => {
    expect(() =>
      providerFromConfig({ grant: 'password', issuer: bed.issuer, clientId: 'c', username: 'u' }),
    ).toThrow('password settings are missing: password');
    expect(() => providerFromEnv({ AUTH_CLIENT_ID: 'c' })).toThrow('AUTH_ISSUER or AUTH_TOKEN_URL');
    expect(() => providerFromEnv({ SVC_TOKEN_URL: bed.tokenUrl }, { prefix: 'SVC_' })).toThrow(
      'SVC_CLIENT_ID',
    );
    expect(() =>
      providerFromConfig({ grant: 'device_code', issuer: bed.issuer, clientId: 'c' }),
    ).toThrow(/onUserCode/);
    expect(() =>
      providerFromConfig({ grant: 'magic' as never, issuer: bed.issuer, clientId: 'c' }),
    ).toThrow(/not supported/);
  });

  it('refuses settings the chosen grant would silently ignore', () => {
    const base = { issuer: bed.issuer, clientId: 'c', clientSecret: 's' };
    expect(() =>
      providerFromConfig({
        ...base,
        grant: 'password',
        username: 'u',
        password: 'p',
        audience: 'api',
      }),
    ).toThrow(/audience.*not used by the password grant/);
    expect(() =>
      providerFromConfig({
        ...base,
        grant: 'refresh_token',
        refreshToken: 'r',
        resource: 'https://api',
      }),
    ).toThrow(/resource.*not used by the refresh_token grant/);
  });

  it('passes resource on to the jwt_bearer grant: it is part of the cache key', () => {
    const base = {
      grant: 'jwt_bearer' as const,
      issuer: bed.issuer,
      clientId: 'c',
      clientSecret: 's',
      assertion: 'a.b.c',
    };
    const without = providerFromConfig(base);
    const withResource = providerFromConfig({ ...base, resource: 'https://api.example.com' });
    expect(withResource.cacheKey).not.toBe(without.cacheKey);
    expect(withResource.cacheKey).toContain(encodeURIComponent('https://api.example.com'));
  });

  it('names conflicting settings without echoing secret values', () => {
    const secret = 'conflict-secret-value';
    const error = (() => {
      try {
        providerFromEnv({
          AUTH_TOKEN_URL: bed.tokenUrl,
          AUTH_ISSUER: bed.issuer,
          AUTH_CLIENT_ID: 'c',
          AUTH_CLIENT_SECRET: secret,
          AUTH_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----x',
          AUTH_REFRESH_TOKEN: 'rt-value',
          AUTH_GRANT: 'client_credentials',
        });
      } catch (caughtError) {
        return caughtError as Error;
      }
      throw new Error('expected an error');
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('AUTH_TOKEN_URL and AUTH_ISSUER');
    expect(error.message).toContain('AUTH_CLIENT_SECRET and AUTH_PRIVATE_KEY');
    expect(error.message).toContain(
      'AUTH_REFRESH_TOKEN (not used by the client_credentials grant)',
    );
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('rt-value');
  });
});
