import { inspect } from 'node:util';
import { OAuthError, TokenManager } from '@auth/core';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials, DiscoveryCache, discover } from '../../src/index.js';
import { caught, eventLog, leakSurface } from './support.js';

let bed: OidcTestBed;
beforeAll(async () => {
  bed = await startOidcProvider();
});
afterAll(() => bed.close());

describe('clientCredentials against oidc-provider', () => {
  it('gets a token with client_secret_basic (the default)', async () => {
    const { clientId, clientSecret } = bed.clients.basic;
    const tokens = await clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      clientSecret,
    }).fetchToken();
    expect(await bed.inspectToken(tokens.accessToken)).toMatchObject({
      kind: 'client_credentials',
      clientId,
    });
    expect(bed.tokenRequests.at(-1)?.authorization).toMatch(/^Basic /);
  });

  it('gets a token with client_secret_post', async () => {
    const { clientId, clientSecret } = bed.clients.post;
    const provider = clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      clientSecret,
      authMethod: 'client_secret_post',
    });
    const tokens = await provider.fetchToken();
    expect((await bed.inspectToken(tokens.accessToken))?.clientId).toBe(clientId);
    expect(bed.tokenRequests.at(-1)?.params.client_secret).toBe(clientSecret);
  });

  it('gets a token with private_key_jwt from a CryptoKey and from PEM', async () => {
    const { clientId, privateKey, privateKeyPem, keyId } = bed.clients.privateKeyJwt;
    for (const key of [privateKey, privateKeyPem]) {
      const provider = clientCredentials({ issuer: bed.issuer, clientId, privateKey: key, keyId });
      const tokens = await provider.fetchToken();
      expect((await bed.inspectToken(tokens.accessToken))?.clientId).toBe(clientId);
      expect(bed.tokenRequests.at(-1)?.params.client_assertion_type).toBe(
        'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      );
    }
  });

  it('gets a token as a public client with none', async () => {
    const { clientId } = bed.clients.publicMachine;
    const tokens = await clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      authMethod: 'none',
    }).fetchToken();
    expect((await bed.inspectToken(tokens.accessToken))?.clientId).toBe(clientId);
  });

  it('form-urlencodes an id and secret holding ":", "+", "%" and spaces before Base64 (RFC 6749 §2.3.1)', async () => {
    const { clientId, clientSecret } = bed.clients.awkward;
    expect(clientId).toMatch(/:.*\+.*%.* /);
    const tokens = await clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      clientSecret,
    }).fetchToken();
    expect((await bed.inspectToken(tokens.accessToken))?.clientId).toBe(clientId);
    const header = bed.tokenRequests.at(-1)?.authorization ?? '';
    const decoded = atob(header.slice('Basic '.length));
    expect(decoded).not.toContain(' ');
    expect(decoded.split(':')).toHaveLength(2);
  });

  it('sends scope, audience and resource; the provider binds the token to the resource', async () => {
    const { clientId, clientSecret } = bed.clients.basic;
    const provider = clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId,
      clientSecret,
      scope: ['api:read'],
      audience: 'orders-api',
      resource: 'https://orders.test/',
    });
    const tokens = await provider.fetchToken();
    expect(tokens.scope).toBe('api:read');
    expect(bed.tokenRequests.at(-1)?.params).toMatchObject({
      audience: 'orders-api',
      resource: 'https://orders.test/',
    });
    expect((await bed.inspectToken(tokens.accessToken))?.audience).toBe('https://orders.test/');
  });

  it('maps a wrong secret to OAuthError invalid_client with status 401, without the secret', async () => {
    const wrong = 'definitely-wrong-secret-value';
    const provider = clientCredentials({
      tokenUrl: bed.tokenUrl,
      clientId: bed.clients.basic.clientId,
      clientSecret: wrong,
    });
    const error = await caught(() => provider.fetchToken());
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(leakSurface(error)).not.toContain(wrong);
  });

  it('works inside TokenManager: fetches once, caches, and never shows the secret', async () => {
    const { clientId, clientSecret } = bed.clients.basic;
    const provider = clientCredentials({
      issuer: bed.issuer,
      clientId,
      clientSecret,
      scope: 'api:read',
    });
    const { events, onEvent } = eventLog();
    const manager = new TokenManager({ provider, onEvent });
    const before = bed.tokenRequests.length;
    const [a, b] = await Promise.all([manager.getToken(), manager.getToken()]);
    expect(a.accessToken).toBe(b.accessToken);
    expect((await manager.getToken()).accessToken).toBe(a.accessToken);
    expect(bed.tokenRequests.length - before).toBe(1);
    expect(provider.describe?.()).toMatchObject({
      type: 'client_credentials',
      clientId,
      clientSecret: 'set',
      scope: 'api:read',
    });
    const surface = leakSurface(
      provider,
      provider.describe?.(),
      manager,
      events,
      provider.cacheKey,
    );
    expect(surface).not.toContain(clientSecret);
    expect(surface).not.toContain(a.accessToken);
    expect(inspect(provider)).toContain('clientCredentials');
    await manager.close();
  });

  it('changes cacheKey when the secret rotates, and keeps it stable otherwise', () => {
    const base = { tokenUrl: bed.tokenUrl, clientId: 'c', clientSecret: 'one' };
    expect(clientCredentials(base).cacheKey).toBe(clientCredentials(base).cacheKey);
    expect(clientCredentials({ ...base, clientSecret: 'two' }).cacheKey).not.toBe(
      clientCredentials(base).cacheKey,
    );
    expect(clientCredentials({ ...base, scope: 'x' }).cacheKey).not.toBe(
      clientCredentials(base).cacheKey,
    );
    expect(clientCredentials(base).cacheKey).not.toContain('one');
  });
});

describe('discover', () => {
  it('reads the issuer metadata, and a shared cache fetches it once', async () => {
    let discoveries = 0;
    const countingFetch: typeof fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('.well-known'))
        discoveries++;
      return fetch(input, init);
    };
    const metadata = await discover(bed.issuer);
    expect(metadata.token_endpoint).toBe(bed.tokenUrl);
    const discoveryCache = new DiscoveryCache();
    const { clientId, clientSecret } = bed.clients.basic;
    const a = clientCredentials({
      issuer: bed.issuer,
      clientId,
      clientSecret,
      fetch: countingFetch,
      discoveryCache,
    });
    const b = clientCredentials({
      issuer: bed.issuer,
      clientId,
      clientSecret,
      scope: 'api:read',
      fetch: countingFetch,
      discoveryCache,
    });
    await Promise.all([a.fetchToken(), a.fetchToken(), b.fetchToken()]);
    await a.fetchToken();
    expect(discoveries).toBe(1);
  });

  it('does not fail discovery for everyone when one caller sharing the cache aborts', async () => {
    const discoveryCache = new DiscoveryCache();
    const controller = new AbortController();
    const { clientId, clientSecret } = bed.clients.basic;
    const make = () =>
      clientCredentials({ issuer: bed.issuer, clientId, clientSecret, discoveryCache });
    const aborted = make().fetchToken({ signal: controller.signal });
    const other = make().fetchToken();
    controller.abort(new Error('manager A closed'));
    await expect(aborted).rejects.toThrow();
    expect((await other).accessToken).toBeTruthy();
  });

  it('refuses to go without credentials unless authMethod none is said (a misspelt secret setting)', () => {
    expect(() => clientCredentials({ tokenUrl: bed.tokenUrl, clientId: 'c' })).toThrow(
      /clientSecret or privateKey/,
    );
    expect(() =>
      clientCredentials({ tokenUrl: bed.tokenUrl, clientId: 'c', authMethod: 'none' }),
    ).not.toThrow();
  });

  it('refuses a PEM private key whose body is not Base64 at construction, not at the first request', () => {
    expect(() =>
      clientCredentials({
        tokenUrl: bed.tokenUrl,
        clientId: 'c',
        authMethod: 'private_key_jwt',
        privateKey: '-----BEGIN PRIVATE KEY-----\n%%% not base64 %%%\n-----END PRIVATE KEY-----',
      }),
    ).toThrow(/PKCS #8 PEM/);
  });

  it('rejects plain http to a non-loopback host unless allowInsecureHttp is set', () => {
    expect(() =>
      clientCredentials({ tokenUrl: 'http://example.com/token', clientId: 'c', clientSecret: 's' }),
    ).toThrow(/allowInsecureHttp/);
    expect(() =>
      clientCredentials({
        tokenUrl: 'http://example.com/token',
        clientId: 'c',
        clientSecret: 's',
        allowInsecureHttp: true,
      }),
    ).not.toThrow();
  });

  it('names missing and conflicting settings', () => {
    expect(() => clientCredentials({ clientId: 'c', clientSecret: 's' })).toThrow(
      /issuer or tokenUrl/,
    );
    expect(() =>
      clientCredentials({
        tokenUrl: bed.tokenUrl,
        issuer: bed.issuer,
        clientId: 'c',
        clientSecret: 's',
      }),
    ).toThrow(/tokenUrl or issuer, not both/);
    expect(() =>
      clientCredentials({
        tokenUrl: bed.tokenUrl,
        clientId: 'c',
        authMethod: 'client_secret_post',
      }),
    ).toThrow(/clientSecret/);
    expect(() =>
      clientCredentials({
        tokenUrl: bed.tokenUrl,
        clientId: 'c',
        clientSecret: 's',
        authMethod: 'private_key_jwt',
      }),
    ).toThrow(/conflicts/);
  });
});
