import { OAuthError, SessionExpiredError, TokenManager, type TokenSet } from '@auth/core';
import {
  authorizationCode,
  clientCredentials,
  discover,
  passwordGrant,
  refreshTokenGrant,
} from '@auth/oauth';
import { startLoopbackReceiver } from '@auth/oauth/loopback';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NODE_OAUTH2_CLIENTS,
  NODE_OAUTH2_USERS,
  type NodeOauth2Server,
  startNodeOauth2Server,
} from '../servers/node-oauth2-server/server.js';
import { nodeOauth2ServerSupport } from '../servers/node-oauth2-server/support.js';
import { featureSuite } from '../src/feature-suite.js';
import {
  rejectionOf,
  requestsDuring,
  type Settled,
  settle,
  settledValue,
} from '../src/test-helpers.js';

const { app, cli, post, special, unreserved } = NODE_OAUTH2_CLIENTS;
const { alice } = NODE_OAUTH2_USERS;
const TOKEN_LIFETIME_MS = 300_000;

/** The library's default: refresh tokens rotate (`alwaysIssueNewRefreshToken: true`). */
let server: NodeOauth2Server;
/** The same library with `alwaysIssueNewRefreshToken: false`. */
let nonRotating: NodeOauth2Server;
beforeAll(async () => {
  [server, nonRotating] = await Promise.all([
    startNodeOauth2Server(),
    startNodeOauth2Server({ rotateRefreshTokens: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), nonRotating?.close()]);
});

/** A clock the test moves, shared by a provider and its manager. */
function manualClock() {
  let now = Date.now();
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** What the library's `authenticate` says about an access token. */
async function whoHas(target: NodeOauth2Server, accessToken: string) {
  const response = await fetch(target.resourceUrl, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(response.status, 'the server accepts its own access token').toBe(200);
  return (await response.json()) as { user: { username: string }; client: string };
}

const feature = featureSuite(nodeOauth2ServerSupport);

describe('@node-oauth/oauth2-server 5.3.0', () => {
  feature('discovery-oidc', async () => {
    const metadata = await discover(server.issuer);
    expect(metadata.token_endpoint).toBe(server.tokenUrl);
    const served = server.metadataRequests();
    const manager = new TokenManager({
      provider: clientCredentials({ issuer: server.issuer, ...app }),
    });
    const tokens = await manager.getToken();
    expect(server.metadataRequests() - served).toBe(1);
    expect(await whoHas(server, tokens.accessToken)).toMatchObject({ client: app.clientId });
    await manager.close();
  });

  feature('discovery-rfc8414', async () => {
    const metadata = await discover(server.issuer, { algorithm: 'oauth2' });
    expect(metadata.token_endpoint).toBe(server.tokenUrl);
    const provider = clientCredentials({ issuer: server.issuer, discovery: 'oauth2', ...app });
    const manager = new TokenManager({ provider });
    const tokens = await manager.getToken();
    expect(await whoHas(server, tokens.accessToken)).toMatchObject({ client: app.clientId });
    await manager.close();
  });

  feature('basic-unreserved', async () => {
    const provider = clientCredentials({
      tokenUrl: server.tokenUrl,
      ...unreserved,
      authMethod: 'client_secret_basic',
    });
    let result: Settled<TokenSet> | undefined;
    const requests = await requestsDuring(server.tokenRequests, async () => {
      result = await settle(provider.fetchToken());
    });
    // basic-auth does not form-decode: the id must arrive as it is, `-_.~` unencoded.
    expect(requests).toEqual([
      expect.objectContaining({ clientAuth: 'basic', clientId: unreserved.clientId, status: 200 }),
    ]);
    expect(await whoHas(server, settledValue(result).accessToken)).toMatchObject({
      client: unreserved.clientId,
    });
  });

  feature('post', async () => {
    const provider = clientCredentials({
      tokenUrl: server.tokenUrl,
      ...post,
      authMethod: 'client_secret_post',
    });
    let tokens: TokenSet | undefined;
    const requests = await requestsDuring(server.tokenRequests, async () => {
      tokens = await provider.fetchToken();
    });
    expect(requests).toEqual([
      expect.objectContaining({ clientAuth: 'post', clientId: post.clientId, status: 200 }),
    ]);
    expect(await whoHas(server, tokens!.accessToken)).toMatchObject({ client: post.clientId });
  });

  feature('default-auth', async () => {
    // No discovery: Basic first; the server cannot read a percent-encoded secret in Basic and
    // answers 401 invalid_client; the provider retries once with the secret in the body and
    // keeps to that.
    const manager = new TokenManager({
      provider: clientCredentials({ tokenUrl: server.tokenUrl, ...special }),
    });
    let result: Settled<TokenSet> | undefined;
    const signIn = await requestsDuring(server.tokenRequests, async () => {
      result = await settle(manager.getToken());
    });
    expect(signIn.map(({ clientAuth, status }) => ({ clientAuth, status }))).toEqual([
      { clientAuth: 'basic', status: 401 },
      { clientAuth: 'post', status: 200 },
    ]);
    expect(await whoHas(server, settledValue(result).accessToken)).toMatchObject({
      client: special.clientId,
    });
    const renewal = await requestsDuring(server.tokenRequests, () => manager.forceRefresh());
    expect(renewal).toEqual([expect.objectContaining({ clientAuth: 'post', status: 200 })]);
    await manager.close();
  });

  it('default auth through discovery: the metadata lists client_secret_post, chosen at once for a secret Basic must encode', async () => {
    const manager = new TokenManager({
      provider: clientCredentials({ issuer: server.issuer, discovery: 'oauth2', ...special }),
    });
    let result: Settled<TokenSet> | undefined;
    const requests = await requestsDuring(server.tokenRequests, async () => {
      result = await settle(manager.getToken());
    });
    expect(requests.map(({ clientAuth, status }) => ({ clientAuth, status }))).toEqual([
      { clientAuth: 'post', status: 200 },
    ]);
    settledValue(result);
    await manager.close();
  });

  it('an explicit client_secret_basic is not second-guessed: the server refuses the percent-encoded secret once (it does not form-decode Basic)', async () => {
    const provider = clientCredentials({
      tokenUrl: server.tokenUrl,
      ...special,
      authMethod: 'client_secret_basic',
    });
    let error: unknown;
    const requests = await requestsDuring(server.tokenRequests, async () => {
      error = await rejectionOf(provider.fetchToken());
    });
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ error: 'invalid_client', status: 401 });
    expect(requests).toEqual([expect.objectContaining({ clientAuth: 'basic', status: 401 })]);
  });

  feature('password', async () => {
    const provider = passwordGrant({ tokenUrl: server.tokenUrl, ...app, ...alice });
    const manager = new TokenManager({ provider });
    const tokens = await manager.getToken();
    expect(tokens.refreshToken).toBeDefined();
    expect(await whoHas(server, tokens.accessToken)).toMatchObject({
      user: { username: alice.username },
      client: app.clientId,
    });
    expect(server.tokenRequests.at(-1)).toMatchObject({ grantType: 'password', status: 200 });
    await manager.close();
  });

  feature('refresh', async () => {
    const clock = manualClock();
    const provider = passwordGrant({
      tokenUrl: nonRotating.tokenUrl,
      ...app,
      ...alice,
      now: clock.now,
    });
    const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
    const first = await manager.getToken();
    expect(first.refreshToken).toBeDefined();
    const refreshes = await requestsDuring(nonRotating.tokenRequests, async () => {
      for (let i = 0; i < 2; i++) {
        clock.advance(TOKEN_LIFETIME_MS + 1_000);
        const renewed = await manager.getToken();
        expect(renewed.accessToken).not.toBe(first.accessToken);
        // The answer has no refresh_token: the one we hold stays in use.
        expect(renewed.refreshToken).toBe(first.refreshToken);
        expect(await whoHas(nonRotating, renewed.accessToken)).toMatchObject({
          user: { username: alice.username },
        });
      }
    });
    expect(refreshes).toEqual([
      expect.objectContaining({
        grantType: 'refresh_token',
        refreshToken: first.refreshToken,
        status: 200,
      }),
      expect.objectContaining({
        grantType: 'refresh_token',
        refreshToken: first.refreshToken,
        status: 200,
      }),
    ]);
    await manager.close();
  });

  feature('refresh-rotation', async () => {
    const clock = manualClock();
    const provider = passwordGrant({ tokenUrl: server.tokenUrl, ...app, ...alice, now: clock.now });
    const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
    const first = await manager.getToken();
    clock.advance(TOKEN_LIFETIME_MS + 1_000);
    const rotated = await manager.getToken();
    expect(server.tokenRequests.at(-1)).toMatchObject({
      grantType: 'refresh_token',
      refreshToken: first.refreshToken,
      status: 200,
    });
    expect(rotated.refreshToken).toBeDefined();
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expect(await whoHas(server, rotated.accessToken)).toMatchObject({
      user: { username: alice.username },
    });
    // The used refresh token is gone.
    const reuse = refreshTokenGrant({
      tokenUrl: server.tokenUrl,
      ...app,
      refreshToken: first.refreshToken!,
    });
    const error = await rejectionOf(reuse.fetchToken());
    expect(error).toMatchObject({ error: 'invalid_grant', status: 400 });
    clock.advance(TOKEN_LIFETIME_MS + 1_000);
    expect((await manager.getToken()).refreshToken).not.toBe(rotated.refreshToken);
    await manager.close();
  });

  feature('refresh-refused', async () => {
    const clock = manualClock();
    const provider = passwordGrant({ tokenUrl: server.tokenUrl, ...app, ...alice, now: clock.now });
    const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
    const first = await manager.getToken();
    // Someone else redeems the manager's refresh token: rotation leaves the manager a dead one.
    await refreshTokenGrant({
      tokenUrl: server.tokenUrl,
      ...app,
      refreshToken: first.refreshToken!,
    }).fetchToken();
    clock.advance(TOKEN_LIFETIME_MS + 1_000);
    let again: TokenSet | undefined;
    const requests = await requestsDuring(server.tokenRequests, async () => {
      again = await manager.getToken();
    });
    expect(requests.map(({ grantType, status }) => ({ grantType, status }))).toEqual([
      { grantType: 'refresh_token', status: 400 },
      { grantType: 'password', status: 200 },
    ]);
    expect(await whoHas(server, again!.accessToken)).toMatchObject({
      user: { username: alice.username },
    });
    await manager.close();
  });

  it('a refused refresh token without a way to sign in again ends the session (SessionExpiredError)', async () => {
    const start = await passwordGrant({ tokenUrl: server.tokenUrl, ...app, ...alice }).fetchToken();
    const clock = manualClock();
    const provider = refreshTokenGrant({
      tokenUrl: server.tokenUrl,
      ...app,
      refreshToken: start.refreshToken!,
      now: clock.now,
    });
    const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
    const first = await manager.getToken();
    await refreshTokenGrant({
      tokenUrl: server.tokenUrl,
      ...app,
      refreshToken: first.refreshToken!,
    }).fetchToken();
    clock.advance(TOKEN_LIFETIME_MS + 1_000);
    let error: unknown;
    const requests = await requestsDuring(server.tokenRequests, async () => {
      error = await rejectionOf(manager.getToken());
    });
    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect((error as Error).cause).toMatchObject({ error: 'invalid_grant', status: 400 });
    expect(requests).toEqual([
      expect.objectContaining({ grantType: 'refresh_token', status: 400 }),
    ]);
    await manager.close();
  });

  feature('code-pkce', async () => {
    const receiver = await startLoopbackReceiver();
    try {
      const clock = manualClock();
      let invoked = 0;
      const provider = authorizationCode({
        issuer: server.issuer,
        discovery: 'oauth2',
        ...cli,
        redirectUri: receiver.redirectUri,
        now: clock.now,
        authorize: async ({ url, signal }) => {
          invoked++;
          expect(url.searchParams.get('code_challenge_method')).toBe('S256');
          // The browser, with alice logged in (the server's authenticateHandler reads `user`).
          const login = new URL(url);
          login.searchParams.set('user', alice.username);
          const answer = await fetch(login, { redirect: 'manual' });
          expect(answer.status).toBe(302);
          const callback = await fetch(answer.headers.get('location')!);
          expect(callback.status).toBe(200);
          return receiver.waitForCallback({ signal, timeoutMs: 10_000 });
        },
      });
      const manager = new TokenManager({ provider, now: clock.now, refreshAheadMs: 0 });
      const tokens = await manager.getToken();
      expect(invoked).toBe(1);
      expect(server.tokenRequests.at(-1)).toMatchObject({
        grantType: 'authorization_code',
        clientAuth: 'none',
        clientId: cli.clientId,
        status: 200,
      });
      expect(await whoHas(server, tokens.accessToken)).toMatchObject({
        user: { username: alice.username },
        client: cli.clientId,
      });
      clock.advance(TOKEN_LIFETIME_MS + 1_000);
      const refreshed = await manager.getToken();
      expect(refreshed.accessToken).not.toBe(tokens.accessToken);
      expect(server.tokenRequests.at(-1)).toMatchObject({
        grantType: 'refresh_token',
        status: 200,
      });
      expect(invoked).toBe(1);
      await manager.close();
    } finally {
      await receiver.close();
    }
  });

  feature('single-flight', async () => {
    const manager = new TokenManager({
      provider: clientCredentials({ tokenUrl: server.tokenUrl, ...app }),
    });
    let results: TokenSet[] = [];
    const requests = await requestsDuring(server.tokenRequests, async () => {
      results = await Promise.all(Array.from({ length: 200 }, () => manager.getToken()));
    });
    expect(requests).toHaveLength(1);
    expect(new Set(results.map((tokens) => tokens.accessToken)).size).toBe(1);
    expect(await whoHas(server, results[0]!.accessToken)).toMatchObject({ client: app.clientId });
    await manager.close();
  });
});
