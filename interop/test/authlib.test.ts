import {
  AuthError,
  AuthenticationError,
  OAuthError,
  SessionExpiredError,
  TokenManager,
  TokenResponseError,
} from '@auth/core';
import {
  authorizationCode,
  clientCredentials,
  deviceAuthorization,
  discover,
  jwtBearer,
  passwordGrant,
  refreshTokenGrant,
  revokeToken,
} from '@auth/oauth';
import { startLoopbackReceiver } from '@auth/oauth/loopback';
import { decodeJwt, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthlibServer, startAuthlibServer } from '../servers/authlib/authlib-server.js';
import { authlibSupport } from '../servers/authlib/support.js';
import { featureSuite } from '../src/feature-suite.js';
import { authErrorInChain, rejectionOf, requestsDuring } from '../src/test-helpers.js';

const ALICE = { username: 'alice', password: 'alicepassword1' };
const APP_SECRET = 'appsecret1';
const DEFAULT_AUTH_SECRET = 'se:cr+et% &=x';
const UNRESERVED_ID = 'cc-plain_x.y~z';
const CODE_GRANTS = ['authorization_code', 'refresh_token'];

let server: AuthlibServer;
let clientKey: CryptoKeyPair;
let assertionKey: CryptoKeyPair;

beforeAll(async () => {
  const es256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
  [clientKey, assertionKey] = await Promise.all([
    crypto.subtle.generateKey(es256, true, ['sign', 'verify']),
    crypto.subtle.generateKey(es256, true, ['sign', 'verify']),
  ]);
  const publicJwk = async (pair: CryptoKeyPair) => {
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
    return { kty, crv, x, y };
  };
  server = await startAuthlibServer({
    users: [ALICE],
    clients: [
      {
        clientId: UNRESERVED_ID,
        clientSecret: 'plain-secret',
        authMethods: ['client_secret_basic'],
        grantTypes: ['client_credentials'],
      },
      {
        clientId: 'cc-post',
        clientSecret: 'post-secret',
        authMethods: ['client_secret_post'],
        grantTypes: ['client_credentials'],
      },
      {
        clientId: 'cc-default',
        clientSecret: DEFAULT_AUTH_SECRET,
        authMethods: ['client_secret_basic', 'client_secret_post'],
        grantTypes: ['client_credentials'],
      },
      {
        clientId: 'ccflight',
        clientSecret: 'flightsecret',
        grantTypes: ['client_credentials'],
      },
      {
        clientId: 'cc-jwt',
        authMethods: ['private_key_jwt'],
        grantTypes: ['client_credentials'],
        jwk: await publicJwk(clientKey),
      },
      {
        clientId: 'app',
        clientSecret: APP_SECRET,
        authMethods: ['client_secret_basic', 'client_secret_post'],
        grantTypes: ['password', 'refresh_token'],
      },
      {
        clientId: 'approtating',
        clientSecret: APP_SECRET,
        authMethods: ['client_secret_basic', 'client_secret_post'],
        grantTypes: ['password', 'refresh_token'],
        rotateRefreshToken: true,
      },
      {
        clientId: 'tv',
        authMethods: ['none'],
        grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      },
      {
        clientId: 'native',
        authMethods: ['none'],
        grantTypes: CODE_GRANTS,
        redirectUris: ['http://127.0.0.1/callback'],
      },
      {
        clientId: 'native-forged-nonce',
        authMethods: ['none'],
        grantTypes: CODE_GRANTS,
        redirectUris: ['http://127.0.0.1/callback'],
        forgeIdTokenNonce: true,
      },
      {
        clientId: 'batch',
        authMethods: ['none'],
        grantTypes: ['urn:ietf:params:oauth:grant-type:jwt-bearer'],
        jwk: await publicJwk(assertionKey),
      },
    ],
  });
});

afterAll(async () => {
  await server?.close();
});

/**
 * What a browser does at Authlib's authorization endpoint: load the login and consent page,
 * submit it with alice's password and "allow", follow the redirect to the client's loopback
 * receiver.
 */
async function signInAndConsent(url: URL): Promise<void> {
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`authorize page answered ${page.status}: ${html}`);
  expect(html).toContain('name="password"');
  const decision = await fetch(url, {
    method: 'POST',
    body: new URLSearchParams({ ...ALICE, confirm: 'yes' }),
    redirect: 'manual',
  });
  const location = decision.headers.get('location');
  if (decision.status !== 302 || !location)
    throw new Error(`authorize decision answered ${decision.status}: ${await decision.text()}`);
  const callback = await fetch(location);
  expect(callback.status).toBe(200);
}

/** The payload of a JWT, unverified. */
const claimsOf = (jwt: string | undefined) => decodeJwt(jwt ?? '');

const feature = featureSuite(authlibSupport);

feature('discovery-oidc', async () => {
  const metadata = await discover(server.issuer);
  expect(metadata.token_endpoint).toBe(server.tokenUrl);
  const manager = new TokenManager({
    provider: clientCredentials({
      issuer: server.issuer,
      clientId: 'ccflight',
      clientSecret: 'flightsecret',
      authMethod: 'client_secret_basic',
    }),
  });
  const before = (await server.metadataRequests()).length;
  expect((await manager.getToken()).accessToken).toBeTruthy();
  expect((await server.metadataRequests()).slice(before)).toEqual([
    '/.well-known/openid-configuration',
  ]);
  await manager.close();
});

feature('discovery-rfc8414', async () => {
  const metadata = await discover(server.issuer, { algorithm: 'oauth2' });
  expect(metadata.token_endpoint).toBe(server.tokenUrl);
  const manager = new TokenManager({
    provider: clientCredentials({
      issuer: server.issuer,
      discovery: 'oauth2',
      clientId: 'ccflight',
      clientSecret: 'flightsecret',
      authMethod: 'client_secret_basic',
    }),
  });
  const before = (await server.metadataRequests()).length;
  expect((await manager.getToken()).accessToken).toBeTruthy();
  expect((await server.metadataRequests()).slice(before)).toEqual([
    '/.well-known/oauth-authorization-server',
  ]);
  await manager.close();
});

feature('basic-unreserved', async () => {
  // Authlib base64-decodes Basic and splits at the first ':', without form-decoding.
  const provider = clientCredentials({
    tokenUrl: server.tokenUrl,
    clientId: UNRESERVED_ID,
    clientSecret: 'plain-secret',
    authMethod: 'client_secret_basic',
  });
  const [request] = await requestsDuring(server.tokenRequests, async () => {
    expect((await provider.fetchToken()).accessToken).toBeTruthy();
  });
  expect(request).toMatchObject({ client_auth: 'client_secret_basic', status: 200 });
  const basic = atob(request!.authorization!.replace(/^Basic /, ''));
  expect(basic).toBe(`${UNRESERVED_ID}:plain-secret`);
});

feature('post', async () => {
  const provider = clientCredentials({
    tokenUrl: server.tokenUrl,
    clientId: 'cc-post',
    clientSecret: 'post-secret',
    authMethod: 'client_secret_post',
  });
  const requests = await requestsDuring(server.tokenRequests, async () => {
    expect((await provider.fetchToken()).accessToken).toBeTruthy();
  });
  expect(requests).toMatchObject([{ client_auth: 'client_secret_post', status: 200 }]);
});

feature('default-auth', async () => {
  // The metadata lists client_secret_post, and the secret holds characters Basic must encode.
  const manager = new TokenManager({
    provider: clientCredentials({
      issuer: server.issuer,
      clientId: 'cc-default',
      clientSecret: DEFAULT_AUTH_SECRET,
    }),
  });
  const first = await requestsDuring(server.tokenRequests, async () => {
    expect((await manager.getToken()).accessToken).toBeTruthy();
  });
  // Exactly one request (an array matches only one of the same length): post, chosen from the
  // metadata, not a refused Basic first.
  expect(first).toMatchObject([
    { grant_type: 'client_credentials', client_auth: 'client_secret_post', status: 200 },
  ]);
  const again = await requestsDuring(server.tokenRequests, () => manager.forceRefresh());
  expect(again).toMatchObject([
    { grant_type: 'client_credentials', client_auth: 'client_secret_post', status: 200 },
  ]);
  await manager.close();
});

feature('private-key-jwt', async () => {
  // Authlib checks that the assertion's aud is exactly its token endpoint URL (RFC 7523 §3).
  const provider = clientCredentials({
    issuer: server.issuer,
    clientId: 'cc-jwt',
    privateKey: clientKey.privateKey,
  });
  const requests = await requestsDuring(server.tokenRequests, async () => {
    expect((await provider.fetchToken()).accessToken).toBeTruthy();
  });
  expect(requests).toMatchObject([{ client_auth: 'private_key_jwt', status: 200 }]);
});

feature('password', async () => {
  const tokens = await passwordGrant({
    issuer: server.issuer,
    clientId: 'app',
    clientSecret: APP_SECRET,
    ...ALICE,
  }).fetchToken();
  expect(tokens.accessToken).toBeTruthy();
  expect(tokens.refreshToken).toBeTruthy();
});

feature('refresh', async () => {
  // Without rotation Authlib answers a refresh without a refresh_token: the old one stays.
  const manager = new TokenManager({
    provider: passwordGrant({
      issuer: server.issuer,
      clientId: 'app',
      clientSecret: APP_SECRET,
      ...ALICE,
    }),
  });
  const first = await manager.getToken();
  const requests = await requestsDuring(server.tokenRequests, async () => {
    const second = await manager.forceRefresh();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).toBe(first.refreshToken);
    const third = await manager.forceRefresh();
    expect(third.accessToken).not.toBe(second.accessToken);
  });
  expect(requests).toMatchObject([
    { grant_type: 'refresh_token', status: 200 },
    { grant_type: 'refresh_token', status: 200 },
  ]);
  await manager.close();
});

feature('refresh-rotation', async () => {
  const options = { issuer: server.issuer, clientId: 'approtating', clientSecret: APP_SECRET };
  const initial = await passwordGrant({ ...options, ...ALICE }).fetchToken();
  const manager = new TokenManager({
    provider: refreshTokenGrant({ ...options, refreshToken: initial.refreshToken! }),
  });
  const first = await manager.getToken();
  expect(first.refreshToken).toBeTruthy();
  expect(first.refreshToken).not.toBe(initial.refreshToken);
  const second = await manager.forceRefresh();
  expect(second.refreshToken).not.toBe(first.refreshToken);
  // Each rotation revoked the refresh token it replaced.
  const reused = await rejectionOf(
    refreshTokenGrant({ ...options, refreshToken: first.refreshToken! }).fetchToken(),
  );
  expect(OAuthError.isInstance(reused)).toBe(true);
  expect(reused).toMatchObject({ error: 'invalid_grant', status: 400 });
  await manager.close();
});

feature('refresh-refused', async () => {
  const options = { issuer: server.issuer, clientId: 'approtating', clientSecret: APP_SECRET };
  // A password provider signs in again once when its refresh token was used elsewhere.
  const manager = new TokenManager({ provider: passwordGrant({ ...options, ...ALICE }) });
  const first = await manager.getToken();
  await refreshTokenGrant({ ...options, refreshToken: first.refreshToken! }).fetchToken();
  const requests = await requestsDuring(server.tokenRequests, async () => {
    expect((await manager.forceRefresh()).accessToken).not.toBe(first.accessToken);
  });
  expect(requests).toMatchObject([
    { grant_type: 'refresh_token', status: 400, error: 'invalid_grant' },
    { grant_type: 'password', status: 200 },
  ]);
  await manager.close();

  // A refresh-token provider cannot sign in again: the session is over.
  const initial = await passwordGrant({ ...options, ...ALICE }).fetchToken();
  await refreshTokenGrant({ ...options, refreshToken: initial.refreshToken! }).fetchToken();
  const stale = new TokenManager({
    provider: refreshTokenGrant({ ...options, refreshToken: initial.refreshToken! }),
  });
  const error = await rejectionOf(stale.getToken());
  expect(SessionExpiredError.isInstance(error)).toBe(true);
  await stale.close();
});

feature('revocation', async () => {
  const options = { issuer: server.issuer, clientId: 'app', clientSecret: APP_SECRET };
  const tokens = await passwordGrant({ ...options, ...ALICE }).fetchToken();
  await revokeToken({ ...options, token: tokens.refreshToken!, tokenTypeHint: 'refresh_token' });
  const error = await rejectionOf(
    refreshTokenGrant({ ...options, refreshToken: tokens.refreshToken! }).fetchToken(),
  );
  expect(error).toMatchObject({ error: 'invalid_grant' });
  // RFC 7009 §2.2: revoking it again (now unknown to the grant) still succeeds.
  await revokeToken({ ...options, token: tokens.refreshToken! });
});

feature('device', async () => {
  const prompts: string[] = [];
  const manager = new TokenManager({
    provider: deviceAuthorization({
      issuer: server.issuer,
      clientId: 'tv',
      scope: 'api',
      onUserCode: async ({ userCode, verificationUri }) => {
        prompts.push(userCode);
        // The user approves on the server's own verification page.
        const page = await fetch(verificationUri);
        expect(page.status).toBe(200);
        const approval = await fetch(verificationUri, {
          method: 'POST',
          body: new URLSearchParams({ user_code: userCode, ...ALICE, confirm: 'yes' }),
        });
        expect(approval.status).toBe(200);
      },
    }),
  });
  const requests = await requestsDuring(server.tokenRequests, async () => {
    const tokens = await manager.getToken();
    expect(tokens.refreshToken).toBeTruthy();
  });
  expect(prompts).toHaveLength(1);
  expect(requests.at(-1)).toMatchObject({
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
    status: 200,
  });
  await manager.close();
});

feature('code-pkce', async () => {
  const receiver = await startLoopbackReceiver();
  try {
    let authorizeUrl: URL | undefined;
    const manager = new TokenManager({
      provider: authorizationCode({
        issuer: server.issuer,
        clientId: 'native',
        redirectUri: receiver.redirectUri,
        scope: 'api',
        authorize: async ({ url, signal }) => {
          authorizeUrl = url;
          await signInAndConsent(url);
          return receiver.waitForCallback({ signal, timeoutMs: 30_000 });
        },
      }),
    });
    const requests = await requestsDuring(server.tokenRequests, async () => {
      expect((await manager.getToken()).refreshToken).toBeTruthy();
      await manager.forceRefresh();
    });
    expect(authorizeUrl?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(requests).toMatchObject([
      { grant_type: 'authorization_code', client_auth: 'none', status: 200 },
      { grant_type: 'refresh_token', status: 200 },
    ]);
    await manager.close();
  } finally {
    await receiver.close();
  }
});

feature('openid-nonce', async () => {
  // The server is configured with OpenIDCode(require_nonce=True): no nonce, no code.
  const receiver = await startLoopbackReceiver();
  try {
    let nonce: string | null = null;
    const manager = new TokenManager({
      provider: authorizationCode({
        issuer: server.issuer,
        clientId: 'native',
        redirectUri: receiver.redirectUri,
        scope: 'openid',
        authorize: async ({ url, signal }) => {
          nonce = url.searchParams.get('nonce');
          await signInAndConsent(url);
          return receiver.waitForCallback({ signal, timeoutMs: 30_000 });
        },
      }),
    });
    const tokens = await manager.getToken();
    expect(nonce).toBeTruthy();
    expect(claimsOf(tokens.idToken)).toMatchObject({
      iss: server.issuer,
      aud: ['native'],
      sub: ALICE.username,
      nonce,
    });
    await manager.close();
  } finally {
    await receiver.close();
  }
});

describe('Authlib: a client assertion made elsewhere (clientAssertion)', () => {
  it('authenticates client credentials as private_key_jwt with the assertion the callable returns, fresh per request', async () => {
    let made = 0;
    const provider = clientCredentials({
      issuer: server.issuer,
      clientId: 'cc-jwt',
      // Signed here the way a platform or signing service would, outside the provider.
      clientAssertion: () => {
        made += 1;
        return new SignJWT({})
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer('cc-jwt')
          .setSubject('cc-jwt')
          .setAudience(server.tokenUrl)
          .setJti(crypto.randomUUID())
          .setIssuedAt()
          .setExpirationTime('2m')
          .sign(clientKey.privateKey);
      },
    });
    const requests = await requestsDuring(server.tokenRequests, async () => {
      expect((await provider.fetchToken()).accessToken).toBeTruthy();
      expect((await provider.fetchToken()).accessToken).toBeTruthy();
    });
    expect(requests).toMatchObject([
      { client_auth: 'private_key_jwt', status: 200 },
      { client_auth: 'private_key_jwt', status: 200 },
    ]);
    expect(made).toBe(2);
  });
});

describe('Authlib: OpenID nonce', () => {
  it('an ID token whose nonce is not the one sent is refused, though the server issued it', async () => {
    const receiver = await startLoopbackReceiver();
    try {
      const manager = new TokenManager({
        provider: authorizationCode({
          issuer: server.issuer,
          clientId: 'native-forged-nonce',
          redirectUri: receiver.redirectUri,
          scope: 'openid',
          authorize: async ({ url, signal }) => {
            await signInAndConsent(url);
            return receiver.waitForCallback({ signal, timeoutMs: 30_000 });
          },
        }),
      });
      let error: unknown;
      const requests = await requestsDuring(server.tokenRequests, async () => {
        error = await rejectionOf(manager.getToken());
      });
      expect(AuthenticationError.isInstance(error)).toBe(true);
      // The manager's AuthenticationError wraps the provider's refusal of the ID token.
      const refusal = (error as Error).cause;
      expect(TokenResponseError.isInstance(refusal), String(refusal)).toBe(true);
      expect((refusal as Error).message).toMatch(/nonce/);
      expect(requests[0]).toMatchObject({ grant_type: 'authorization_code', status: 200 });
      expect(manager.peekToken()).toBeUndefined();
      await manager.close();
    } finally {
      await receiver.close();
    }
  });
});

feature('jwt-bearer', async () => {
  const provider = jwtBearer({
    issuer: server.issuer,
    clientId: 'batch',
    subjectKey: ALICE.username,
    assertion: () =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer('batch')
        .setSubject(ALICE.username)
        .setAudience(server.tokenUrl)
        .setIssuedAt()
        .setExpirationTime('2m')
        .sign(assertionKey.privateKey),
  });
  const requests = await requestsDuring(server.tokenRequests, async () => {
    expect((await provider.fetchToken()).accessToken).toBeTruthy();
  });
  expect(requests).toMatchObject([
    { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', status: 200 },
  ]);
});

feature('single-flight', async () => {
  const manager = new TokenManager({
    provider: clientCredentials({
      tokenUrl: server.tokenUrl,
      clientId: 'ccflight',
      clientSecret: 'flightsecret',
      authMethod: 'client_secret_basic',
    }),
  });
  const requests = await requestsDuring(server.tokenRequests, async () => {
    const tokens = await Promise.all(Array.from({ length: 200 }, () => manager.getToken()));
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
  });
  expect(requests).toHaveLength(1);
  await manager.close();
});

describe('Authlib: client authentication the server refuses', () => {
  it('default method without metadata: Basic refused as invalid_client, then client_secret_post, remembered', async () => {
    const manager = new TokenManager({
      provider: clientCredentials({
        tokenUrl: server.tokenUrl,
        clientId: 'cc-default',
        clientSecret: DEFAULT_AUTH_SECRET,
      }),
    });
    const first = await requestsDuring(server.tokenRequests, () => manager.getToken());
    expect(first.at(-1)).toMatchObject({ client_auth: 'client_secret_post', status: 200 });
    const again = await requestsDuring(server.tokenRequests, () => manager.forceRefresh());
    expect(again).toMatchObject([{ client_auth: 'client_secret_post', status: 200 }]);
    await manager.close();
  });

  it('an explicit client_secret_basic is not second-guessed: one request, invalid_client', async () => {
    const provider = clientCredentials({
      tokenUrl: server.tokenUrl,
      clientId: 'cc-default',
      clientSecret: DEFAULT_AUTH_SECRET,
      authMethod: 'client_secret_basic',
    });
    let error: unknown;
    const requests = await requestsDuring(server.tokenRequests, async () => {
      error = await rejectionOf(provider.fetchToken());
    });
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(requests).toMatchObject([{ client_auth: 'client_secret_basic', status: 401 }]);
  });
});

// These two do not depend on the server (no token request is made); they run here only, not
// in every server's file.
describe('Authlib: the interactive step runs once per getToken', () => {
  it('an authorize callback that throws is invoked once; getToken rejects with interaction_failed', async () => {
    let calls = 0;
    const failure = new Error('the browser could not be opened');
    const manager = new TokenManager({
      provider: authorizationCode({
        issuer: server.issuer,
        clientId: 'native',
        redirectUri: 'http://127.0.0.1:9/callback',
        authorize: async () => {
          calls += 1;
          throw failure;
        },
      }),
    });
    let error: unknown;
    const requests = await requestsDuring(server.tokenRequests, async () => {
      error = await rejectionOf(manager.getToken());
    });
    expect(calls).toBe(1);
    expect(requests).toEqual([]);
    expect(AuthenticationError.isInstance(error), String(error)).toBe(true);
    // The manager's AuthenticationError wraps the provider's AuthError, which wraps the failure.
    const interaction = (error as Error).cause;
    expect(AuthError.isInstance(interaction)).toBe(true);
    expect(interaction).toMatchObject({ code: 'interaction_failed' });
    expect((interaction as Error).cause).toBe(failure);
    await manager.close();
  });

  it('a loopback receiver that times out is waited on once; getToken rejects with authorization_timeout', async () => {
    const receiver = await startLoopbackReceiver();
    try {
      let calls = 0;
      const manager = new TokenManager({
        provider: authorizationCode({
          issuer: server.issuer,
          clientId: 'native',
          redirectUri: receiver.redirectUri,
          // The user never completes the login: nobody visits the URL.
          authorize: ({ signal }) => {
            calls += 1;
            return receiver.waitForCallback({ signal, timeoutMs: 50 });
          },
        }),
      });
      let error: unknown;
      const requests = await requestsDuring(server.tokenRequests, async () => {
        error = await rejectionOf(manager.getToken());
      });
      expect(calls).toBe(1);
      expect(requests).toEqual([]);
      expect(AuthenticationError.isInstance(error), String(error)).toBe(true);
      expect(
        authErrorInChain(error, 'authorization_timeout'),
        'an AuthError with code authorization_timeout in the cause chain',
      ).toBeDefined();
      await manager.close();
    } finally {
      await receiver.close();
    }
  });
});
