import {
  type LoopbackServer,
  listenOnLoopback,
  sendJson,
  startTokenServer,
  type TokenServer,
} from '@auth/testing/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials, providerFromConfig, providerFromEnv } from '../../src/index.js';
import { caught } from './support.js';

// An authorization server that publishes RFC 8414 metadata only (no OpenID configuration).
let tokens: TokenServer;
let issuer: LoopbackServer;
const wellKnownRequests: string[] = [];
beforeAll(async () => {
  tokens = await startTokenServer();
  issuer = await listenOnLoopback((req, res) => {
    wellKnownRequests.push(req.url ?? '');
    if (req.url === '/.well-known/oauth-authorization-server')
      return sendJson(res, 200, { issuer: issuer.url, token_endpoint: tokens.tokenUrl });
    sendJson(res, 404, { error: 'not_found' });
  });
});
afterAll(() => Promise.all([tokens.close(), issuer.close()]));

const client = { clientId: 'test-client', clientSecret: 'test-secret' };

describe('RFC 8414 discovery for providers', () => {
  it("discovery: 'oauth2' reads /.well-known/oauth-authorization-server and gets tokens", async () => {
    const provider = clientCredentials({ issuer: issuer.url, discovery: 'oauth2', ...client });
    const got = await provider.fetchToken();
    expect(tokens.isActive(got.accessToken)).toBe(true);
    expect(wellKnownRequests).toContain('/.well-known/oauth-authorization-server');
  });

  it('without it, the OpenID configuration is asked for (and here there is none)', async () => {
    wellKnownRequests.length = 0;
    const provider = clientCredentials({ issuer: issuer.url, ...client });
    await expect(provider.fetchToken()).rejects.toThrow();
    expect(wellKnownRequests).toEqual(['/.well-known/openid-configuration']);
  });

  it('refuses discovery without issuer, or an unknown value, at construction', () => {
    expect(() =>
      clientCredentials({ tokenUrl: tokens.tokenUrl, discovery: 'oauth2', ...client }),
    ).toThrow(/discovery applies only with issuer/);
    expect(() =>
      clientCredentials({ issuer: issuer.url, discovery: 'rfc' as 'oauth2', ...client }),
    ).toThrow(/discovery must be 'oidc' or 'oauth2'/);
  });

  it('is a setting of providerFromConfig and providerFromEnv, named in their errors', async () => {
    const fromConfig = providerFromConfig({ issuer: issuer.url, discovery: 'oauth2', ...client });
    expect(tokens.isActive((await fromConfig.fetchToken()).accessToken)).toBe(true);
    const fromEnv = providerFromEnv({
      AUTH_ISSUER: issuer.url,
      AUTH_DISCOVERY: 'oauth2',
      AUTH_CLIENT_ID: client.clientId,
      AUTH_CLIENT_SECRET: client.clientSecret,
    });
    expect(tokens.isActive((await fromEnv.fetchToken()).accessToken)).toBe(true);
    const error = await caught(async () =>
      providerFromEnv({
        AUTH_TOKEN_URL: tokens.tokenUrl,
        AUTH_DISCOVERY: 'openid',
        AUTH_CLIENT_ID: client.clientId,
        AUTH_CLIENT_SECRET: client.clientSecret,
      }),
    );
    expect(String(error)).toContain('AUTH_DISCOVERY (applies only with AUTH_ISSUER)');
    expect(String(error)).toContain('AUTH_DISCOVERY (use oidc or oauth2)');
    expect(String(error)).not.toContain('openid'); // environment values are never echoed
  });
});
