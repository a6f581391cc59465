import { OAuthError, SessionExpiredError, TokenManager } from '@auth/core';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientCredentials,
  jwtBearer,
  passwordGrant,
  refreshTokenGrant,
  revokeToken,
  tokenExchange,
} from '../../src/index.js';
import { caught, eventLog, leakSurface, manualClock } from './support.js';

let bed: OidcTestBed;
beforeAll(async () => {
  bed = await startOidcProvider({ accessTokenTtlSeconds: 300 });
});
afterAll(() => bed.close());

const userClient = () => ({ issuer: bed.issuer, ...bed.clients.user });
const alice = { username: 'alice', password: 'alice-password-1' };
const scope = 'api:read offline_access';

describe('passwordGrant', () => {
  it('logs a user in without TOTP', async () => {
    const tokens = await passwordGrant({ ...userClient(), ...alice, scope }).fetchToken();
    expect(await bed.inspectToken(tokens.accessToken)).toMatchObject({
      accountId: 'alice',
      gty: 'password',
    });
    expect(tokens.refreshToken).toBeDefined();
  });

  it('sends totp for a user with a second factor, and fails with mfa_required (HTTP 403) without it', async () => {
    const bob = { username: 'bob', password: 'bob-password-2' };
    const tokens = await passwordGrant({
      ...userClient(),
      ...bob,
      totp: () => bed.totp('bob'),
      scope,
    }).fetchToken();
    expect((await bed.inspectToken(tokens.accessToken))?.accountId).toBe('bob');
    expect(bed.tokenRequests.at(-1)?.params.totp).toMatch(/^\d{6}$/);
    const error = await caught(() =>
      passwordGrant({ ...userClient(), ...bob, scope }).fetchToken(),
    );
    expect(error).toMatchObject({ error: 'mfa_required', status: 403 });
  });

  it('in TokenManager: caches, refreshes with the refresh token, re-authenticates after invalid_grant', async () => {
    const clock = manualClock();
    const provider = passwordGrant({ ...userClient(), ...alice, scope, now: clock.now });
    const { events, onEvent } = eventLog();
    const manager = new TokenManager({ provider, now: clock.now, onEvent, refreshAheadMs: 0 });
    const first = await manager.getToken();
    expect((await manager.getToken()).accessToken).toBe(first.accessToken);

    clock.advance(301_000);
    const refreshed = await manager.getToken();
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(bed.tokenRequests.at(-1)?.grantType).toBe('refresh_token');
    expect(events.map((event) => event.type)).toEqual(['token-fetched', 'token-refreshed']);

    await revokeToken({
      ...userClient(),
      token: refreshed.refreshToken!,
      tokenTypeHint: 'refresh_token',
    });
    expect(await bed.inspectToken(refreshed.refreshToken!)).toBeUndefined();
    clock.advance(301_000);
    const again = await manager.getToken();
    expect(bed.tokenRequests.at(-1)?.grantType).toBe('password');
    expect((await bed.inspectToken(again.accessToken))?.accountId).toBe('alice');
    expect(events.at(-1)?.type).toBe('token-fetched');
    const surface = leakSurface(events, provider, manager, provider.describe?.());
    for (const secret of [
      alice.password,
      bed.clients.user.clientSecret,
      first.accessToken,
      refreshed.refreshToken!,
    ])
      expect(surface).not.toContain(secret);
    await manager.close();
  });
});

describe('refreshTokenGrant', () => {
  it('cannot re-authenticate: refreshes until the refresh token is revoked, then ends the session', async () => {
    const start = await passwordGrant({ ...userClient(), ...alice, scope }).fetchToken();
    const clock = manualClock();
    const provider = refreshTokenGrant({
      ...userClient(),
      refreshToken: start.refreshToken!,
      now: clock.now,
    });
    expect(provider.canReauthenticate).toBe(false);
    const { events, onEvent } = eventLog();
    const manager = new TokenManager({ provider, now: clock.now, onEvent, refreshAheadMs: 0 });
    const first = await manager.getToken();
    expect((await bed.inspectToken(first.accessToken))?.accountId).toBe('alice');
    clock.advance(301_000);
    const second = await manager.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    await revokeToken({
      ...userClient(),
      token: second.refreshToken!,
      tokenTypeHint: 'refresh_token',
    });
    clock.advance(301_000);
    const error = await caught(() => manager.getToken());
    expect(SessionExpiredError.isInstance(error)).toBe(true);
    expect(OAuthError.isInstance((error as Error).cause)).toBe(true);
    expect(events.at(-1)?.type).toBe('session-expired');
    expect(leakSurface(error, events, provider)).not.toContain(start.refreshToken!);
    expect(provider.describe?.()).toMatchObject({ refreshToken: 'set' });
    await manager.close();
  });
});

describe('tokenExchange (RFC 8693)', () => {
  it("exchanges a user's token for one with another audience, with an actor", async () => {
    const subject = await passwordGrant({
      ...userClient(),
      ...alice,
      scope: 'api:read',
    }).fetchToken();
    const actor = await clientCredentials({ issuer: bed.issuer, ...bed.clients.user }).fetchToken();
    const provider = tokenExchange({
      ...userClient(),
      subjectToken: subject.accessToken,
      actorToken: () => actor.accessToken,
      audience: 'https://orders.test',
    });
    const manager = new TokenManager({ provider });
    const exchanged = await manager.getToken();
    expect(await bed.inspectToken(exchanged.accessToken)).toMatchObject({
      accountId: 'alice',
      extra: { audience: 'https://orders.test', act: { sub: bed.clients.user.clientId } },
    });
    expect(bed.tokenRequests.at(-1)?.params.subject_token_type).toBe(
      'urn:ietf:params:oauth:token-type:access_token',
    );
    expect(leakSurface(provider, provider.describe?.())).not.toContain(subject.accessToken);
    await manager.close();
  });

  it('fails with invalid_grant for a subject token the server does not know', async () => {
    const error = await caught(() =>
      tokenExchange({ ...userClient(), subjectToken: 'not-a-token' }).fetchToken(),
    );
    expect(error).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('jwtBearer (RFC 7523)', () => {
  const sign = (sub: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: bed.assertionIssuer.keyId })
      .setIssuer(bed.assertionIssuer.issuer)
      .setSubject(sub)
      .setAudience(bed.issuer)
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(bed.assertionIssuer.privateKey);

  it('gets a token for the assertion subject, signing a fresh assertion per request', async () => {
    let signed = 0;
    const provider = jwtBearer({
      ...userClient(),
      assertion: () => {
        signed++;
        return sign('alice');
      },
      subjectKey: 'alice',
      scope: 'api:read',
    });
    const manager = new TokenManager({ provider });
    const tokens = await manager.getToken();
    expect(await bed.inspectToken(tokens.accessToken)).toMatchObject({
      accountId: 'alice',
      gty: 'jwt_bearer',
    });
    await manager.forceRefresh({ rejected: tokens });
    expect(signed).toBe(2);
    expect(provider.describe?.()).toMatchObject({ assertion: 'set' });
    await manager.close();
  });

  it('fails with invalid_grant for an assertion about an unknown user', async () => {
    const assertion = await sign('mallory');
    const error = await caught(() => jwtBearer({ ...userClient(), assertion }).fetchToken());
    expect(error).toMatchObject({ error: 'invalid_grant' });
    expect(leakSurface(error)).not.toContain(assertion);
  });
});

describe('revokeToken (RFC 7009)', () => {
  it('revokes an access token; revoking it again still succeeds', async () => {
    const tokens = await passwordGrant({ ...userClient(), ...alice, scope }).fetchToken();
    await revokeToken({
      ...userClient(),
      token: tokens.accessToken,
      tokenTypeHint: 'access_token',
    });
    expect(await bed.inspectToken(tokens.accessToken)).toBeUndefined();
    await revokeToken({ ...userClient(), token: tokens.accessToken });
  });

  it('needs a revocation endpoint when not given an issuer', async () => {
    await expect(
      revokeToken({ tokenUrl: bed.tokenUrl, ...bed.clients.user, token: 't' }),
    ).rejects.toThrow(/issuer or revocationUrl/);
  });
});

describe('refreshTokenGrant with an access token handed in (access + refresh pair)', () => {
  it('serves the given access token first, with no request, then refreshes it when due', async () => {
    const start = await passwordGrant({ ...userClient(), ...alice, scope }).fetchToken();
    const clock = manualClock();
    const provider = refreshTokenGrant({
      ...userClient(),
      accessToken: start.accessToken,
      refreshToken: start.refreshToken!,
      expiresAt: clock.now() + 300_000,
      now: clock.now,
    });
    const requestsBefore = bed.tokenRequests.length;
    const { events, onEvent } = eventLog();
    const manager = new TokenManager({ provider, now: clock.now, onEvent, refreshAheadMs: 0 });
    const first = await manager.getToken();
    expect(first.accessToken).toBe(start.accessToken);
    expect(bed.tokenRequests.length).toBe(requestsBefore);
    clock.advance(301_000);
    const second = await manager.getToken();
    expect(second.accessToken).not.toBe(start.accessToken);
    expect(bed.tokenRequests.at(-1)?.grantType).toBe('refresh_token');
    expect((await bed.inspectToken(second.accessToken))?.accountId).toBe('alice');
    expect(events.map((event) => event.type)).toEqual(['token-fetched', 'token-refreshed']);
    const surface = leakSurface(provider, provider.describe?.(), events);
    expect(surface).not.toContain(start.accessToken);
    expect(surface).not.toContain(start.refreshToken!);
    expect(provider.describe?.()).toMatchObject({ accessToken: 'set', refreshToken: 'set' });
    await manager.close();
  });

  it('an access token that has already expired is not served: the refresh token is redeemed', async () => {
    const start = await passwordGrant({ ...userClient(), ...alice, scope }).fetchToken();
    const clock = manualClock();
    const provider = refreshTokenGrant({
      ...userClient(),
      accessToken: start.accessToken,
      refreshToken: start.refreshToken!,
      expiresAt: clock.now() - 1,
      now: clock.now,
    });
    const tokens = await provider.fetchToken();
    expect(tokens.accessToken).not.toBe(start.accessToken);
    expect(bed.tokenRequests.at(-1)?.grantType).toBe('refresh_token');
  });

  it('refuses expiresAt without accessToken, and a time that is not a finite number, at construction', () => {
    const base = { ...userClient(), refreshToken: 'r' };
    expect(() => refreshTokenGrant({ ...base, expiresAt: Date.now() + 60_000 })).toThrow(
      /expiresAt.*accessToken/,
    );
    expect(() => refreshTokenGrant({ ...base, accessToken: 'a', expiresAt: Number.NaN })).toThrow(
      TypeError,
    );
  });
});
