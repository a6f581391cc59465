import { inspect } from 'node:util';
import {
  type AuthStrategy,
  type DPoPKeyPair,
  dpopAuth,
  generateDPoPKeyPair,
  TokenManager,
} from '@auth/core';
import { clientCredentials, revokeToken } from '@auth/oauth';
import { type DPoPProtectedApi, startDPoPProtectedApi } from '@auth/testing/http';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { Agent, request, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
import { authInterceptor } from '../../src/undici.js';

let bed: OidcTestBed;
let api: DPoPProtectedApi;
let keyPair: DPoPKeyPair;
/** A second key pair, not the one tokens are bound to. */
let stranger: DPoPKeyPair;
/** A key pair whose private key can be exported, to look for it in printed values. */
let exportable: DPoPKeyPair;
const managers: TokenManager[] = [];
const agents: Agent[] = [];
/** DPoP proofs sent to the token endpoint, counted on the way out. */
let tokenRequests = 0;

// Keys are made once per file, with their own timeout, so a busy machine slows no test.
beforeAll(async () => {
  [keyPair, stranger, exportable] = await Promise.all([
    generateDPoPKeyPair(),
    generateDPoPKeyPair(),
    generateDPoPKeyPair({ extractable: true }),
  ]);
}, 60_000);

beforeAll(async () => {
  bed = await startOidcProvider({ accessTokenTtlSeconds: 300 });
  api = await startDPoPProtectedApi({
    tokenBinding: async (token) => (await bed.inspectToken(token))?.jkt,
  });
});
afterAll(() => Promise.all([bed.close(), api.close()]));
beforeEach(() => {
  api.resetRequests();
  api.requireNonce(false);
  bed.requireDPoPNonce(false);
  tokenRequests = 0;
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((manager) => manager.close()));
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

/** A manager whose client-credentials tokens are DPoP-bound to `keyPair`. */
function boundManager(): TokenManager {
  const manager = new TokenManager({
    provider: clientCredentials({
      tokenUrl: bed.tokenUrl,
      ...bed.clients.basic,
      dpop: keyPair,
      fetch: (input, init) => {
        tokenRequests++;
        return fetch(input, init);
      },
    }),
    retry: { maxAttempts: 1 },
  });
  managers.push(manager);
  return manager;
}

function interceptedAgent(auth: AuthStrategy) {
  const agent = new Agent();
  agents.push(agent);
  return agent.compose(authInterceptor({ auth, origins: [api.url] }));
}

type Send = (path: string, init?: { method?: string; body?: string }) => Promise<number>;

const clients: Record<string, (auth: AuthStrategy) => Send> = {
  createAuthFetch: (auth) => {
    const authFetch = createAuthFetch({ auth, baseUrl: api.url });
    return async (path, init) => {
      const response = await authFetch(path, init);
      await response.text();
      return response.status;
    };
  },
  'authInterceptor with undici.request': (auth) => {
    const dispatcher = interceptedAgent(auth);
    return async (path, init = {}) => {
      const response = await request(`${api.url}${path}`, {
        method: init.method ?? 'GET',
        body: init.body,
        dispatcher,
      });
      await response.body.text();
      return response.statusCode;
    };
  },
  'authInterceptor with fetch': (auth) => {
    const dispatcher = interceptedAgent(auth);
    return async (path, init) => {
      const response = await undiciFetch(`${api.url}${path}`, { ...init, dispatcher });
      await response.text();
      return response.status;
    };
  },
};

describe.each(Object.entries(clients))('DPoP end to end through %s', (_, make) => {
  it('calls the API with the bound token and a fresh proof per request', async () => {
    const send = make(dpopAuth(boundManager(), { keyPair }));
    expect(await send('/orders?status=open')).toBe(200);
    expect(await send('/orders/7')).toBe(200);
    expect(await send('/orders', { method: 'POST', body: '{"amount":1}' })).toBe(200);
    expect(api.requests.map((r) => r.refusedWith)).toEqual([undefined, undefined, undefined]);
    const proofs = api.requests.map((r) => r.proof!);
    expect(new Set(proofs.map((p) => p.jti)).size).toBe(3);
    expect(proofs.map((p) => `${p.htm} ${p.htu}`)).toEqual([
      `GET ${api.url}/orders`,
      `GET ${api.url}/orders/7`,
      `POST ${api.url}/orders`,
    ]);
    expect(api.requests[2]!.body).toBe('{"amount":1}');
    expect(tokenRequests).toBe(1);
  });

  it('retries exactly once with the resource server nonce, without a new token', async () => {
    const send = make(dpopAuth(boundManager(), { keyPair }));
    expect(await send('/warm-up')).toBe(200);
    api.requireNonce(true);
    const nonce = api.rotateNonce();
    expect(await send('/with-nonce')).toBe(200);
    expect(api.requests.slice(1).map((r) => [r.refusedWith, r.proof?.nonce])).toEqual([
      ['use_dpop_nonce', undefined],
      [undefined, nonce],
    ]);
    expect(await send('/nonce-remembered')).toBe(200);
    expect(api.requests).toHaveLength(4);
    expect(api.requests[3]!.proof?.nonce).toBe(nonce);
    expect(tokenRequests).toBe(1);
  });

  it('retries the token endpoint once when it demands a nonce', async () => {
    bed.requireDPoPNonce(true);
    const send = make(dpopAuth(boundManager(), { keyPair }));
    expect(await send('/after-token-nonce')).toBe(200);
    expect(tokenRequests).toBe(2);
  });

  it('refuses a proof signed with another key than the token is bound to', async () => {
    const send = make(dpopAuth(boundManager(), { keyPair: stranger }));
    expect(await send('/wrong-key')).toBe(401);
    // The 401 renews the token once (as tokenAuth), but the new token is bound to the
    // provider's key too, so the retry is refused the same way and the 401 comes back.
    expect(api.requests.map((r) => [r.refusedWith, r.reason])).toEqual([
      ['invalid_token', 'proof key is not the key the token is bound to'],
      ['invalid_token', 'proof key is not the key the token is bound to'],
    ]);
    expect(tokenRequests).toBe(2);
  });

  it('on a revoked token renews it once and retries, like tokenAuth', async () => {
    const manager = boundManager();
    const send = make(dpopAuth(manager, { keyPair }));
    expect(await send('/before-revoke')).toBe(200);
    await revokeToken({
      issuer: bed.issuer,
      ...bed.clients.basic,
      token: (await manager.getToken()).accessToken,
    });
    expect(await send('/after-revoke')).toBe(200);
    expect(api.requests.map((r) => r.refusedWith)).toEqual([undefined, 'invalid_token', undefined]);
    expect(tokenRequests).toBe(2);
  });
});

describe('DPoP secrets', () => {
  it('no private key, token or client secret in inspect, JSON or String of the strategy, manager and fetch', async () => {
    const { d } = (await crypto.subtle.exportKey('jwk', exportable.privateKey)) as { d: string };
    const manager = boundManager();
    const auth = dpopAuth(manager, { keyPair: exportable });
    const authFetch = createAuthFetch({ auth, baseUrl: api.url });
    const response = await authFetch('/secrets'); // refused: the token is bound to another key
    expect(response.status).toBe(401);
    const token = (await manager.getToken()).accessToken;
    const shown = [auth, manager, authFetch, exportable].flatMap((value) => [
      inspect(value, { depth: 10, showHidden: true }),
      JSON.stringify(value) ?? '',
      String(value),
    ]);
    for (const text of shown) {
      expect(text).not.toContain(d);
      expect(text).not.toContain(token);
      expect(text).not.toContain(bed.clients.basic.clientSecret);
    }
  });
});
