import { type AuthStrategy, tokenAuth } from '@auth/core';
import { Agent, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
import { authInterceptor } from '../../src/undici.js';
import { startTokenFixture, type TokenFixture } from './support/token-fixture.js';

let fixture: TokenFixture;
beforeEach(async () => {
  fixture = await startTokenFixture();
});
afterEach(() => fixture.close());

describe('an abort while credentials are on their way', () => {
  it("ends the caller's wait for a token at once, while the token request goes on for others", async () => {
    fixture.tokens.failNext({ kind: 'hang' }); // the token endpoint never answers
    const api = createAuthFetch({ auth: tokenAuth(fixture.manager), baseUrl: fixture.api.url });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const mine = api('/orders', { signal: controller.signal });
    const other = api('/orders');
    await vi.waitFor(() => expect(fixture.tokens.requestCount).toBe(1));
    controller.abort(reason);
    await expect(mine).rejects.toBe(reason);
    // The other caller is still waiting on the one shared token request.
    expect(fixture.tokens.requestCount).toBe(1);
    expect(fixture.api.requests).toEqual([]);
    await fixture.manager.close();
    await expect(other).rejects.toThrow();
  });

  it('through the interceptor, rejects undici.request with the abort reason while the token is held back', async () => {
    let release!: () => void;
    fixture.tokens.failNext({ kind: 'hold', until: new Promise<void>((r) => (release = r)) });
    const agent = new Agent();
    const dispatcher = agent.compose(
      authInterceptor({ auth: tokenAuth(fixture.manager), origins: [fixture.api.url] }),
    );
    try {
      const controller = new AbortController();
      const reason = new Error('caller gave up');
      const mine = request(`${fixture.api.url}/orders`, { dispatcher, signal: controller.signal });
      const other = request(`${fixture.api.url}/orders`, { dispatcher });
      await vi.waitFor(() => expect(fixture.tokens.requestCount).toBe(1));
      controller.abort(reason);
      // Settles while the token answer is still held: nothing else could end the wait.
      await expect(mine).rejects.toBe(reason);
      expect(fixture.api.requests).toEqual([]);
      // The one token request goes on for the other caller.
      release();
      const response = await other;
      expect(response.statusCode).toBe(200);
      await response.body.text();
      expect(fixture.tokens.requestCount).toBe(1);
      expect(fixture.api.requests).toHaveLength(1);
    } finally {
      release();
      await agent.close();
    }
  });

  it('leaves a strategy of your own that ignores the signal: the caller is not held, through either adapter', async () => {
    let calls = 0;
    const stuck: AuthStrategy = {
      authenticate: () => {
        calls += 1;
        return new Promise<Record<string, string>>(() => {}); // never answers, never looks at req.signal
      },
    };
    const reason = new Error('caller gave up');
    const viaFetch = new AbortController();
    const api = createAuthFetch({ auth: stuck, baseUrl: fixture.api.url });
    const fetched = api('/orders', { signal: viaFetch.signal });
    await vi.waitFor(() => expect(calls).toBe(1));
    viaFetch.abort(reason);
    await expect(fetched).rejects.toBe(reason);

    const agent = new Agent();
    const dispatcher = agent.compose(authInterceptor({ auth: stuck, origins: [fixture.api.url] }));
    try {
      const viaInterceptor = new AbortController();
      const requested = request(`${fixture.api.url}/orders`, {
        dispatcher,
        signal: viaInterceptor.signal,
      });
      await vi.waitFor(() => expect(calls).toBe(2));
      viaInterceptor.abort(reason);
      await expect(requested).rejects.toBe(reason);
      expect(fixture.api.requests).toEqual([]);
    } finally {
      await agent.close();
    }
  });
});
