import { AuthError } from '@auth/core';
import { listenOnLoopback, sendJson } from '@auth/testing/http';
import { describe, expect, it } from 'vitest';
import { clientCredentials, deviceAuthorization, discover, revokeToken } from '../../src/index.js';
import { caught } from './support.js';

const PASSWORD = 'pw-in-the-url';
const client = { clientId: 'c', clientSecret: 'secret' };

function expectRefused(build: () => unknown, option: string) {
  let error: unknown;
  try {
    build();
  } catch (caughtError) {
    error = caughtError;
  }
  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toContain(option);
  expect((error as Error).message).not.toContain(PASSWORD);
  expect((error as Error).message).not.toContain('svc:');
}

describe('endpoint URLs with user information are refused', () => {
  it('tokenUrl, issuer, and the device, revocation and authorization URLs: TypeError at construction, without the userinfo', async () => {
    expectRefused(
      () =>
        clientCredentials({ ...client, tokenUrl: `https://svc:${PASSWORD}@login.example/token` }),
      'tokenUrl',
    );
    expectRefused(
      () => clientCredentials({ ...client, issuer: `https://svc:${PASSWORD}@login.example` }),
      'issuer',
    );
    expectRefused(
      () => clientCredentials({ ...client, tokenUrl: `https://svc@login.example/token` }),
      'tokenUrl',
    );
    expectRefused(
      () =>
        deviceAuthorization({
          ...client,
          tokenUrl: 'https://login.example/token',
          deviceAuthorizationUrl: `https://svc:${PASSWORD}@login.example/device`,
          onUserCode: () => undefined,
        }),
      'deviceAuthorizationUrl',
    );
    const revoke = await caught(() =>
      revokeToken({
        ...client,
        revocationUrl: `https://svc:${PASSWORD}@login.example/revoke`,
        token: 't',
      }),
    );
    expect(revoke).toBeInstanceOf(TypeError);
    expect((revoke as Error).message).not.toContain(PASSWORD);
    expect(() => discover(`https://svc:${PASSWORD}@login.example`)).toThrow(TypeError);
  });

  it('a discovered token endpoint with user information fails with an AuthError that does not repeat it', async () => {
    const server = await listenOnLoopback((_req, res) => {
      sendJson(res, 200, {
        issuer: server.url,
        token_endpoint: `http://svc:${PASSWORD}@127.0.0.1:1/token`,
      });
    });
    try {
      const error = await caught(() =>
        clientCredentials({ ...client, issuer: server.url }).fetchToken(),
      );
      expect(AuthError.isInstance(error)).toBe(true);
      expect(error).not.toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/token_endpoint/);
      expect((error as Error).message).not.toContain(PASSWORD);
    } finally {
      await server.close();
    }
  });
});
