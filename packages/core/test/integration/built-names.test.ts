import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Core = typeof import('../../src/index.js');
const require = createRequire(import.meta.url);
// Paths in variables: the built files are what is tested, not resolved at type-check time.
const esmEntry = '../../dist/index.js';
const cjsEntry = '../../dist/index.cjs';
const builds = {
  esm: async () => (await import(esmEntry)) as Core,
  cjs: async () => require(cjsEntry) as Core,
};

describe.each(Object.entries(builds))('the %s build', (_format, load) => {
  it('keeps the class names users see in error names and descriptions', async () => {
    const core = await load();
    expect(String(new core.SessionExpiredError())).toMatch(/^SessionExpiredError: /);
    expect(new core.AuthError('failed', 'auth_error').name).toBe('AuthError');
    expect(new core.OAuthError({ error: 'invalid_grant', status: 400 }).name).toBe('OAuthError');
    expect(core.MemoryTokenStore.name).toBe('MemoryTokenStore');
    expect(core.TokenManager.name).toBe('TokenManager');
  });
});
