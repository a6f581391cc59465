import { expect } from 'vitest';
import type { RuntimeBed } from './bed.js';

/** What `runFlow` returns when every step worked, whatever the runtime. */
export const PASSED_FLOW = {
  burst: [200, 200, 200, 200],
  forceRefresh: { newToken: true, status: 200 },
  revoked: { revokeStatus: 204, status: 200, newToken: true },
  schemes: {
    apiKeyAuth: { get: 200, post: 200 },
    basicAuth: { get: 200, post: 200 },
    keyPairAuth: { get: 200, post: 200 },
    signedKeyAuth: { get: 200, post: 200 },
  },
  events: ['token-fetched', 'token-refreshed', 'token-refreshed'],
};

/**
 * Checks a flow's result against what the servers saw: every step passed, on the runtime
 * named, with three token requests (the burst's one, `forceRefresh`, the 401's renewal), three
 * distinct bearer tokens at the API, and one 401, the revoked token's, retried once.
 */
export function expectFlowPassed(result: unknown, bed: RuntimeBed, runtime: RegExp): void {
  expect(result).toMatchObject({ ...PASSED_FLOW, runtime: expect.stringMatching(runtime) });
  expect(bed.tokens.requests.map((request) => request.grantType)).toEqual([
    'client_credentials',
    'refresh_token',
    'refresh_token',
  ]);
  const bearer = bed.requests.filter((request) => request.path.startsWith('/bearer/'));
  // The burst's four arrive in any order; what follows, in this order.
  expect(bearer.slice(0, 4).map(({ path, status }) => [path, status])).toEqual(
    expect.arrayContaining([1, 2, 3, 4].map((n) => [`/bearer/burst/${n}`, 200])),
  );
  expect(bearer.slice(4)).toEqual([
    { method: 'GET', path: '/bearer/after-refresh', status: 200 },
    { method: 'GET', path: '/bearer/after-revoke', status: 401 },
    { method: 'GET', path: '/bearer/after-revoke', status: 200 },
  ]);
  expect(bed.bearerCredentials.size).toBe(3);
  expect(bed.requests.filter((request) => request.status === 401)).toEqual([
    { method: 'GET', path: '/bearer/after-revoke', status: 401 },
  ]);
  const authorized = new Set(bed.requests.filter((r) => r.status === 200).map((r) => r.path));
  expect([...authorized].sort()).toEqual([
    '/api-key/items',
    '/basic/items',
    '/bearer/after-refresh',
    '/bearer/after-revoke',
    '/bearer/burst/1',
    '/bearer/burst/2',
    '/bearer/burst/3',
    '/bearer/burst/4',
    '/key-pair/items',
    '/signed-key/items?q=a%20b',
  ]);
}
