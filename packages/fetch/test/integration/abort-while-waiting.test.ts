import { tokenAuth } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
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
});
