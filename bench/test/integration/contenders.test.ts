import { afterEach, describe, expect, it } from 'vitest';

/** What each library does with one request after its token was revoked, as the README's table reports. */
const AFTER_REVOCATION: Record<string, number | 'rejected'> = {
  auth: 200, // renews and retries
  badgateway: 200, // renews and retries
  'openid-client': 'rejected', // fetchProtectedResource throws on the WWW-Authenticate challenge
  'simple-oauth2': 401, // the caller gets the 401
};

import { CONTENDERS } from '../../src/contenders/index.js';
import { type Lab, startLab } from '../../src/lab.js';

let lab: Lab | undefined;
afterEach(async () => {
  await lab?.close();
  lab = undefined;
});

describe.each(CONTENDERS.map((contender) => [contender.packageName, contender] as const))(
  'the %s contender',
  (_name, contender) => {
    it('gets a token from the lab and makes authenticated requests with it', async () => {
      lab = await startLab();
      const client = await contender.create(lab.setup);
      try {
        expect(await client.get('/items')).toBe(200);
        expect(await client.get('/items')).toBe(200);
        expect(lab.tokens.requestCount).toBe(1);
        expect(lab.api.requests.map((request) => request.authorized)).toEqual([true, true]);
      } finally {
        await client.close();
      }
    });

    it('meets a revoked token as the benchmark reports', async () => {
      lab = await startLab();
      const client = await contender.create(lab.setup);
      try {
        await client.get('/items');
        lab.revokeCurrentToken();
        const outcome = await client.get('/items').catch(() => 'rejected');
        expect(outcome).toBe(AFTER_REVOCATION[contender.id]);
      } finally {
        await client.close();
      }
    });
  },
);
