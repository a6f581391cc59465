import { afterEach, beforeEach, expect, it } from 'vitest';
import { type RecipeServers, startRecipeServers } from './servers.js';

/** What a recipe's client answered: the status and the JSON body. */
export interface ClientAnswer {
  status: number;
  body: unknown;
}

/**
 * Builds the recipe's client for the API at `apiUrl` with `servers.manager`, and returns how
 * to send a GET to an absolute URL with it (statuses other than 2xx are answers, not errors).
 */
export type RecipeUnderTest = (servers: RecipeServers) => (url: string) => Promise<ClientAnswer>;

/**
 * The tests every HTTP client recipe passes: credentials on API requests, 401 recovery with
 * one token request, and no credentials to another origin, whether asked for directly or
 * reached through a redirect from the API.
 */
export function itKeepsTheRecipeContract(recipe: RecipeUnderTest): void {
  let servers: RecipeServers;
  let get: (url: string) => Promise<ClientAnswer>;
  beforeEach(async () => {
    servers = await startRecipeServers();
    get = recipe(servers);
  });
  afterEach(() => servers.close());

  it('sends the bearer token to the API', async () => {
    const answer = await get(`${servers.api.url}/orders`);
    expect(answer).toEqual({ status: 200, body: { path: '/orders', method: 'GET', body: '' } });
    const token = (await servers.manager.getToken()).accessToken;
    expect(servers.api.requestsTo('/orders')[0]?.authorization).toBe(`Bearer ${token}`);
  });

  it('recovers from a 401 for a revoked token with one token request and one retry', async () => {
    expect((await get(`${servers.api.url}/warm-up`)).status).toBe(200);
    const revoked = await servers.revokeCurrentToken();
    servers.tokens.resetCount();
    const answer = await get(`${servers.api.url}/after-revocation`);
    expect(answer.status).toBe(200);
    expect(servers.tokens.requestCount).toBe(1);
    const sent = servers.api.requestsTo('/after-revocation').map((r) => r.authorization);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe(`Bearer ${revoked}`);
    expect(sent[1]).toBe(`Bearer ${(await servers.manager.getToken()).accessToken}`);
  });

  it('sends no credentials to another origin', async () => {
    expect((await get(`${servers.other.url}/direct`)).status).toBe(200);
    expect(servers.other.requestsTo('/direct')).toHaveLength(1);
    expect(servers.other.requestsTo('/direct')[0]?.authorization).toBeUndefined();
  });

  it('sends no credentials to another origin on a redirect hop from the API', async () => {
    const to = encodeURIComponent(`${servers.other.url}/landed`);
    const answer = await get(`${servers.api.url}/redirect?to=${to}`);
    expect(answer).toEqual({ status: 200, body: { path: '/landed', method: 'GET', body: '' } });
    expect(servers.api.requestsTo('/redirect')[0]?.authorization).toMatch(/^Bearer /);
    expect(servers.other.requestsTo('/landed')).toHaveLength(1);
    expect(servers.other.requestsTo('/landed')[0]?.authorization).toBeUndefined();
  });
}
