import {
  AuthenticationError,
  OAuthError,
  SessionExpiredError,
  TokenManager,
  type TokenSet,
} from '@auth/core';
import {
  authorizationCode,
  clientCredentials,
  discover,
  passwordGrant,
  refreshTokenGrant,
  revokeToken,
  tokenExchange,
} from '@auth/oauth';
import { startLoopbackReceiver } from '@auth/oauth/loopback';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, CLIENTS } from '../servers/jmondi/clients.js';
import { type JmondiServer, startJmondiServer } from '../servers/jmondi/server.js';
import { jmondiSupport } from '../servers/jmondi/support.js';
import { featureSuite } from '../src/feature-suite.js';
import { causeChain, rejectionOf, requestsDuring } from '../src/test-helpers.js';

let server: JmondiServer;
/** The same library with refresh tokens that are not rotated. */
let keeping: JmondiServer;

beforeAll(async () => {
  server = await startJmondiServer();
  keeping = await startJmondiServer({ refreshTokenRotation: false });
});
afterAll(async () => {
  await Promise.all([server?.close(), keeping?.close()]);
});

/** The token requests `target` receives while `run` runs, as `grant_type/client auth`. */
async function tokenRequestsDuring(target: JmondiServer, run: () => Promise<unknown>) {
  const requests = await requestsDuring(target.tokenRequests, run);
  return requests.map((request) => `${request.grantType}/${request.clientAuth}`);
}

/** What the server's introspection endpoint (RFC 7662) says about a token. */
async function introspect(
  target: JmondiServer,
  token: string,
  hint: 'access_token' | 'refresh_token' = 'access_token',
): Promise<Record<string, unknown>> {
  const response = await fetch(target.introspectionEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      token,
      token_type_hint: hint,
      client_id: CLIENTS.user.clientId,
      client_secret: CLIENTS.user.clientSecret,
    }),
  });
  expect(response.status, 'introspection').toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Alice's tokens from the password grant, straight from the provider (no manager). */
function signInAlice(target: JmondiServer): Promise<TokenSet> {
  return passwordGrant({
    tokenUrl: target.tokenEndpoint,
    ...CLIENTS.user,
    username: ALICE.id,
    password: ALICE.password,
    scope: 'read',
  }).fetchToken();
}

/** Plays the signed-in browser: opens the authorization URL and follows its redirect. */
async function browse(url: URL, cookie: string): Promise<void> {
  const response = await fetch(url, { redirect: 'manual', headers: { cookie } });
  expect(response.status, `authorization endpoint: ${await response.clone().text()}`).toBe(302);
  const location = response.headers.get('location');
  expect(location, 'redirect location').toBeTruthy();
  await (await fetch(location!)).arrayBuffer();
}

const feature = featureSuite(jmondiSupport);

describe('@jmondi/oauth2-server 4.3.7', () => {
  feature('discovery-oidc', async () => {
    const metadata = await discover(server.issuer);
    expect(metadata.token_endpoint).toBe(server.tokenEndpoint);
    const manager = new TokenManager({
      provider: clientCredentials({
        issuer: server.issuer,
        ...CLIENTS.unreserved,
        authMethod: 'client_secret_post',
      }),
    });
    const tokens = await manager.getToken();
    expect((await introspect(server, tokens.accessToken)).active).toBe(true);
    await manager.close();
  });

  feature('discovery-rfc8414', async () => {
    const metadata = await discover(server.issuer, { algorithm: 'oauth2' });
    expect(metadata.revocation_endpoint).toBe(server.revocationEndpoint);
    const manager = new TokenManager({
      provider: clientCredentials({
        issuer: server.issuer,
        discovery: 'oauth2',
        ...CLIENTS.unreserved,
        authMethod: 'client_secret_post',
      }),
    });
    const tokens = await manager.getToken();
    expect((await introspect(server, tokens.accessToken)).active).toBe(true);
    await manager.close();
  });

  feature('basic-unreserved', async () => {
    // The library Base64-decodes Basic and splits at ':' without form-decoding, so the id
    // only matches when `- _ . ~` are sent as they are.
    const manager = new TokenManager({
      provider: clientCredentials({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.unreserved,
        authMethod: 'client_secret_basic',
      }),
    });
    let tokens: TokenSet | undefined;
    const requests = await tokenRequestsDuring(server, async () => {
      tokens = await manager.getToken();
    });
    expect(requests).toEqual(['client_credentials/basic']);
    expect((await introspect(server, tokens!.accessToken)).client_id).toBe(
      CLIENTS.unreserved.clientId,
    );
    await manager.close();
  });

  feature('post', async () => {
    const manager = new TokenManager({
      provider: clientCredentials({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.special,
        authMethod: 'client_secret_post',
      }),
    });
    let tokens: TokenSet | undefined;
    const requests = await tokenRequestsDuring(server, async () => {
      tokens = await manager.getToken();
    });
    expect(requests).toEqual(['client_credentials/post']);
    expect((await introspect(server, tokens!.accessToken)).client_id).toBe(
      CLIENTS.special.clientId,
    );
    await manager.close();
  });

  feature('default-auth', async () => {
    // No discovery: Basic first (percent-encoded secret, refused), then post, remembered.
    const manager = new TokenManager({
      provider: clientCredentials({ tokenUrl: server.tokenEndpoint, ...CLIENTS.special }),
    });
    const first = await tokenRequestsDuring(server, () => manager.getToken());
    expect(first).toEqual(['client_credentials/basic', 'client_credentials/post']);
    const again = await tokenRequestsDuring(server, () => manager.forceRefresh());
    expect(again).toEqual(['client_credentials/post']);
    await manager.close();
  });

  it('default client authentication through discovery picks client_secret_post for a secret Basic must encode (one request)', async () => {
    const manager = new TokenManager({
      provider: clientCredentials({
        issuer: server.issuer,
        discovery: 'oauth2',
        ...CLIENTS.special,
      }),
    });
    expect(await tokenRequestsDuring(server, () => manager.getToken())).toEqual([
      'client_credentials/post',
    ]);
    await manager.close();
  });

  it('an explicit client_secret_basic is not second-guessed: the refusal (invalid_client, 401) is the answer', async () => {
    const manager = new TokenManager({
      provider: clientCredentials({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.special,
        authMethod: 'client_secret_basic',
      }),
    });
    let error: unknown;
    const requests = await tokenRequestsDuring(server, async () => {
      error = await rejectionOf(manager.getToken());
    });
    expect(requests).toEqual(['client_credentials/basic']);
    expect(AuthenticationError.isInstance(error)).toBe(true);
    const refusal = causeChain(error).find((entry) => OAuthError.isInstance(entry));
    expect(refusal).toMatchObject({ error: 'invalid_client', status: 401 });
    await manager.close();
  });

  feature('password', async () => {
    const manager = new TokenManager({
      provider: passwordGrant({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.user,
        username: ALICE.id,
        password: ALICE.password,
        scope: 'read',
      }),
    });
    const tokens = await manager.getToken();
    expect(tokens.refreshToken).toBeTruthy();
    expect(await introspect(server, tokens.accessToken)).toMatchObject({
      active: true,
      sub: ALICE.id,
      scope: 'read',
    });
    await manager.close();
  });

  feature('refresh', async () => {
    // The manager's refresh path; the grant sequence shows no sign-in hid a failed refresh.
    const manager = new TokenManager({
      provider: passwordGrant({
        tokenUrl: keeping.tokenEndpoint,
        ...CLIENTS.user,
        username: ALICE.id,
        password: ALICE.password,
        scope: 'read',
      }),
    });
    const tokens: TokenSet[] = [];
    const requests = await tokenRequestsDuring(keeping, async () => {
      tokens.push(await manager.getToken());
      tokens.push(await manager.forceRefresh());
      tokens.push(await manager.forceRefresh());
    });
    expect(requests).toEqual(['password/basic', 'refresh_token/basic', 'refresh_token/basic']);
    // The server sent no new refresh token: the manager kept the first one and used it twice.
    const [signedIn, first, second] = tokens;
    expect(signedIn!.refreshToken).toBeTruthy();
    expect(first!.refreshToken).toBe(signedIn!.refreshToken);
    expect(second!.refreshToken).toBe(signedIn!.refreshToken);
    expect(new Set(tokens.map((set) => set.accessToken)).size).toBe(3);
    expect(await introspect(keeping, second!.accessToken)).toMatchObject({
      active: true,
      sub: ALICE.id,
    });
    await manager.close();
  });

  it('refreshTokenGrant keeps the refresh token it used when the server sends none (no rotation)', async () => {
    const signedIn = await signInAlice(keeping);
    const provider = refreshTokenGrant({
      tokenUrl: keeping.tokenEndpoint,
      ...CLIENTS.user,
      refreshToken: signedIn.refreshToken!,
    });
    const manager = new TokenManager({ provider });
    const requests = await tokenRequestsDuring(keeping, async () => {
      expect((await manager.getToken()).refreshToken).toBe(signedIn.refreshToken);
      expect((await manager.forceRefresh()).refreshToken).toBe(signedIn.refreshToken);
    });
    expect(requests).toEqual(['refresh_token/basic', 'refresh_token/basic']);
    await manager.close();
  });

  feature('refresh-rotation', async () => {
    const signedIn = await signInAlice(server);
    const manager = new TokenManager({
      provider: refreshTokenGrant({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.user,
        refreshToken: signedIn.refreshToken!,
      }),
    });
    const first = await manager.getToken();
    expect(first.refreshToken).toBeTruthy();
    expect(first.refreshToken).not.toBe(signedIn.refreshToken);
    const second = await manager.forceRefresh();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await introspect(server, second.accessToken)).sub).toBe(ALICE.id);
    // The rotated-out token is dead on the server.
    expect((await introspect(server, first.refreshToken!, 'refresh_token')).active).toBe(false);
    await manager.close();
  });

  it('answers a reused (rotated-out) refresh token with HTTP 400 invalid_request, not invalid_grant', async () => {
    const signedIn = await signInAlice(server);
    const refresh = () =>
      fetch(server.tokenEndpoint, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: signedIn.refreshToken!,
          client_id: CLIENTS.user.clientId,
          client_secret: CLIENTS.user.clientSecret,
        }),
      });
    expect((await refresh()).status).toBe(200);
    const reused = await refresh();
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'Token has been revoked',
    });
  });

  feature('refresh-refused', async () => {
    // The manager holds Alice's tokens; another client instance rotates her refresh token
    // out, so the manager's refresh is refused (400 invalid_request): one new sign-in.
    const manager = new TokenManager({
      provider: passwordGrant({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.user,
        username: ALICE.id,
        password: ALICE.password,
        scope: 'read',
      }),
    });
    const held = await manager.getToken();
    await refreshTokenGrant({
      tokenUrl: server.tokenEndpoint,
      ...CLIENTS.user,
      refreshToken: held.refreshToken!,
    }).fetchToken();
    let renewed: TokenSet | undefined;
    const requests = await tokenRequestsDuring(server, async () => {
      renewed = await manager.forceRefresh();
    });
    expect(requests).toEqual(['refresh_token/basic', 'password/basic']);
    expect(await introspect(server, renewed!.accessToken)).toMatchObject({
      active: true,
      sub: ALICE.id,
    });
    await manager.close();
  });

  it('a revoked refresh token with no way to sign in again ends the session (SessionExpiredError)', async () => {
    const signedIn = await signInAlice(server);
    await revokeToken({
      issuer: server.issuer,
      discovery: 'oauth2',
      ...CLIENTS.user,
      token: signedIn.refreshToken!,
      tokenTypeHint: 'refresh_token',
    });
    // The handed-in access token is served first, so the refusal comes on the refresh path.
    const manager = new TokenManager({
      provider: refreshTokenGrant({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.user,
        refreshToken: signedIn.refreshToken!,
        accessToken: signedIn.accessToken,
      }),
    });
    expect((await manager.getToken()).accessToken).toBe(signedIn.accessToken);
    let error: unknown;
    const requests = await tokenRequestsDuring(server, async () => {
      error = await rejectionOf(manager.forceRefresh());
    });
    expect(requests).toEqual(['refresh_token/basic']);
    expect(SessionExpiredError.isInstance(error), String(error)).toBe(true);
    await manager.close();
  });

  feature('revocation', async () => {
    const signedIn = await signInAlice(server);
    expect((await introspect(server, signedIn.refreshToken!, 'refresh_token')).active).toBe(true);
    await revokeToken({
      issuer: server.issuer,
      discovery: 'oauth2',
      ...CLIENTS.user,
      token: signedIn.refreshToken!,
      tokenTypeHint: 'refresh_token',
    });
    expect((await introspect(server, signedIn.refreshToken!, 'refresh_token')).active).toBe(false);
    await expect(
      refreshTokenGrant({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.user,
        refreshToken: signedIn.refreshToken!,
      }).fetchToken(),
    ).rejects.toMatchObject({ error: 'invalid_request', status: 400 });
  });

  feature('code-pkce', async () => {
    const receiver = await startLoopbackReceiver();
    try {
      const cookie = server.sessionCookie(ALICE.id);
      let interactions = 0;
      const manager = new TokenManager({
        provider: authorizationCode({
          issuer: server.issuer,
          discovery: 'oauth2',
          ...CLIENTS.native,
          redirectUri: receiver.redirectUri,
          scope: 'read',
          authorize: async ({ url, signal }) => {
            interactions += 1;
            expect(url.searchParams.get('code_challenge_method')).toBe('S256');
            const callback = receiver.waitForCallback({ signal });
            await browse(url, cookie);
            return callback;
          },
        }),
      });
      const tokens = await manager.getToken();
      expect(interactions).toBe(1);
      expect(await introspect(server, tokens.accessToken)).toMatchObject({
        active: true,
        sub: ALICE.id,
        client_id: CLIENTS.native.clientId,
      });
      const requests = await tokenRequestsDuring(server, () => manager.forceRefresh());
      expect(requests).toEqual(['refresh_token/none']);
      expect(interactions).toBe(1);
      await manager.close();
    } finally {
      await receiver.close();
    }
  });

  feature('token-exchange', async () => {
    const signedIn = await signInAlice(server);
    const manager = new TokenManager({
      provider: tokenExchange({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.user,
        subjectToken: signedIn.accessToken,
        scope: 'read',
      }),
    });
    let exchanged: TokenSet | undefined;
    const requests = await tokenRequestsDuring(server, async () => {
      exchanged = await manager.getToken();
    });
    expect(requests).toEqual(['urn:ietf:params:oauth:grant-type:token-exchange/basic']);
    expect(exchanged!.accessToken).not.toBe(signedIn.accessToken);
    expect(await introspect(server, exchanged!.accessToken)).toMatchObject({
      active: true,
      sub: ALICE.id,
      client_id: CLIENTS.user.clientId,
    });
    await manager.close();
  });

  feature('single-flight', async () => {
    const manager = new TokenManager({
      provider: clientCredentials({
        tokenUrl: server.tokenEndpoint,
        ...CLIENTS.unreserved,
        authMethod: 'client_secret_post',
      }),
    });
    let all: TokenSet[] = [];
    const requests = await tokenRequestsDuring(server, async () => {
      all = await Promise.all(Array.from({ length: 200 }, () => manager.getToken()));
    });
    expect(requests).toEqual(['client_credentials/post']);
    expect(new Set(all.map((tokens) => tokens.accessToken)).size).toBe(1);
    await manager.close();
  });
});
