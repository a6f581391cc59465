import { AuthenticationError, TokenManager, type TokenResponseError } from '@auth/core';
import { type LoopbackServer, listenOnLoopback } from '@auth/testing/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials } from '../../src/index.js';
import { caught } from './support.js';

/** What the token endpoint answers next, and how many requests it has had. */
let answer: () => Record<string, unknown> = () => ({});
let requests = 0;
let server: LoopbackServer;

beforeAll(async () => {
  server = await listenOnLoopback(async (req, res) => {
    for await (const _ of req) {
      // drain the form body
    }
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer()));
  });
});
afterAll(() => server.close());

function provider(options: { acceptTokenTypes?: string[] } = {}) {
  return clientCredentials({
    tokenUrl: `${server.url}/token`,
    clientId: 'svc',
    clientSecret: 'svc-secret',
    ...options,
  });
}

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none' })}.${encode(claims)}.signature`;
}

describe('hostile token responses from a real token endpoint', () => {
  it.each([
    ['expires_in: 0', () => ({ access_token: 'abc', token_type: 'Bearer', expires_in: 0 })],
    ['expires_in: -60', () => ({ access_token: 'abc', token_type: 'Bearer', expires_in: -60 })],
    [
      'a JWT whose exp has passed, without expires_in',
      () => ({
        access_token: jwt({ exp: Math.floor(Date.now() / 1000) - 60 }),
        token_type: 'Bearer',
      }),
    ],
  ])(
    'refuses %s as token_expired, and a manager serves nothing and sends one request for 200 callers',
    async (_, body) => {
      answer = body;
      expect(((await caught(() => provider().fetchToken())) as TokenResponseError).code).toBe(
        'token_expired',
      );
      requests = 0;
      const manager = new TokenManager({ provider: provider() });
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, () => manager.getToken().catch((e: unknown) => e)),
      );
      for (const outcome of outcomes) expect(AuthenticationError.isInstance(outcome)).toBe(true);
      const again = await manager.getToken().catch((e: unknown) => e);
      expect(AuthenticationError.isInstance(again)).toBe(true);
      expect(requests).toBe(1);
    },
  );

  it('refuses a token_type other than Bearer or DPoP unless acceptTokenTypes allows it', async () => {
    answer = () => ({ access_token: 'abc', token_type: 'mac', expires_in: 3600 });
    const refused = await caught(() => provider().fetchToken());
    expect((refused as TokenResponseError).code).toBe('token_type_unsupported');
    const allowed = await provider({ acceptTokenTypes: ['MAC'] }).fetchToken();
    expect(allowed.authorizationHeader).toBe('mac abc');
    expect(() => provider({ acceptTokenTypes: 'MAC' as never })).toThrow(TypeError);
  });

  it('clamps expires_in: 1e13 so that printing the tokens and the manager never throws', async () => {
    answer = () => ({ access_token: 'abc', token_type: 'Bearer', expires_in: 1e13 });
    const manager = new TokenManager({ provider: provider() });
    const tokens = await manager.getToken();
    expect(() => [String(tokens), JSON.stringify(tokens), JSON.stringify(manager)]).not.toThrow();
    expect(manager.describe().expiresAt).toBe('+275760-09-13T00:00:00.000Z');
  });
});
