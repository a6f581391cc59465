import { type AuthRequest, apiKeyAuth } from '@auth/core';
import got from 'got';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../src/got.js';
import { authHooks } from '../src/got-auth-hooks.js';
import { itKeepsTheRecipeContract } from './support/client-contract.js';
import { type RecipeServers, startRecipeServers } from './support/servers.js';

describe('got recipe', () => {
  itKeepsTheRecipeContract(({ manager, api }) => {
    const client = createApiClient(manager, api.url);
    return async (url) => {
      const { origin, pathname, search } = new URL(url);
      const response = await client.get(`${pathname.slice(1)}${search}`, {
        prefixUrl: origin,
        throwHttpErrors: false,
        responseType: 'json',
      });
      return { status: response.statusCode, body: response.body };
    };
  });
});

describe('authHooks for got', () => {
  let servers: RecipeServers;
  beforeEach(async () => {
    servers = await startRecipeServers();
  });
  afterEach(() => servers.close());

  it('takes a header got does not know is a credential off a hop to another origin', async () => {
    const client = got.extend({ hooks: authHooks(apiKeyAuth('k-1'), [servers.api.url]) });
    const to = encodeURIComponent(`${servers.other.url}/landed`);
    await client.get(`${servers.api.url}/redirect?to=${to}`);
    expect(servers.api.requestsTo('/redirect')[0]?.headers['x-api-key']).toBe('k-1');
    expect(servers.other.requestsTo('/landed')[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('gives onUnauthorized the request object authenticate got, as it was sent', async () => {
    const authenticated: AuthRequest[] = [];
    const refused: AuthRequest[] = [];
    const auth = {
      authenticate: (request: AuthRequest) => {
        authenticated.push(request);
        return { Authorization: 'Bearer dead' };
      },
      onUnauthorized: async ({ request }: { request: AuthRequest }) => {
        refused.push(request);
        return false;
      },
    };
    const client = got.extend({ hooks: authHooks(auth, [servers.api.url]) });
    const response = await client.get(`${servers.api.url}/orders`, { throwHttpErrors: false });
    expect(response.statusCode).toBe(401);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBe(authenticated[0]);
    expect(refused[0]!.headers.get('authorization')).toBe('Bearer dead');
  });

  it('refuses plain http to a host that is not loopback, and strategies that sign the body', () => {
    expect(() => authHooks(apiKeyAuth('k-1'), ['http://api.example.com'])).toThrow(/https only/);
    expect(() => authHooks(apiKeyAuth('k-1'), ['http://127.0.0.1:9'])).not.toThrow();
    const signing = { signsBody: true, authenticate: () => ({}) };
    expect(() => authHooks(signing, ['https://api.example.com'])).toThrow(/cannot sign bodies/);
  });
});
