import { TokenManager } from '@auth/core';
import { describe, expect, it } from 'vitest';
import { providerFromConfig, providerFromEnv } from '../../src/index.js';
import { leakSurface } from './support.js';

const TOKEN = 'static-api-token-value';

function thrown(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('a static token from config or the environment', () => {
  it("providerFromConfig({ grant: 'static', token }) serves the token through a TokenManager", async () => {
    const provider = providerFromConfig({ grant: 'static', token: TOKEN });
    const manager = new TokenManager({ provider });
    expect(await manager.getAuthorizationHeader()).toBe(`Bearer ${TOKEN}`);
    expect(provider.describe?.()).toMatchObject({ type: 'static', token: 'set' });
    expect(leakSurface(provider, provider.describe?.(), provider.cacheKey)).not.toContain(TOKEN);
    await manager.close();
  });

  it('AUTH_TOKEN alone implies the static grant; AUTH_GRANT=static says it outright', async () => {
    for (const env of [{ AUTH_TOKEN: TOKEN }, { AUTH_GRANT: 'static', AUTH_TOKEN: TOKEN }]) {
      const tokens = await providerFromEnv(env).fetchToken();
      expect(tokens.accessToken).toBe(TOKEN);
    }
  });

  it('names a missing token or settings the static grant would ignore, never their values', () => {
    expect(thrown(() => providerFromEnv({ AUTH_GRANT: 'static' })).message).toContain('AUTH_TOKEN');
    const conflict = thrown(() =>
      providerFromEnv({
        AUTH_GRANT: 'client_credentials',
        AUTH_TOKEN: TOKEN,
        AUTH_TOKEN_URL: 'https://login.example/token',
        AUTH_CLIENT_ID: 'c',
        AUTH_CLIENT_SECRET: 'a-client-secret',
      }),
    );
    expect(conflict).toBeInstanceOf(TypeError);
    expect(conflict.message).toContain('AUTH_TOKEN (not used by the client_credentials grant)');
    const unused = thrown(() =>
      providerFromEnv({
        AUTH_TOKEN: TOKEN,
        AUTH_TOKEN_URL: 'https://login.example/token',
        AUTH_CLIENT_SECRET: 'a-client-secret',
      }),
    );
    expect(unused.message).toContain('AUTH_TOKEN_URL (not used by the static grant)');
    expect(unused.message).toContain('AUTH_CLIENT_SECRET (not used by the static grant)');
    for (const error of [conflict, unused]) {
      expect(error.message).not.toContain(TOKEN);
      expect(error.message).not.toContain('a-client-secret');
    }
  });

  it('refuses a token that cannot go in a header, naming the setting and not the value', () => {
    const error = thrown(() => providerFromEnv({ AUTH_TOKEN: 'two words-secret' }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('AUTH_TOKEN');
    expect(leakSurface(error)).not.toContain('words-secret');
  });
});

describe('providerFromEnv never echoes environment values', () => {
  it('an unknown AUTH_GRANT is named, not quoted', () => {
    const error = thrown(() =>
      providerFromEnv({ AUTH_GRANT: 'hunter2-secret-typo', AUTH_TOKEN_URL: 'https://x/t' }),
    );
    expect(error.message).toContain('AUTH_GRANT');
    expect(error.message).toMatch(/not supported/);
    expect(error.message).not.toContain('hunter2-secret-typo');
  });

  it('an unknown AUTH_DISCOVERY is named, not quoted', () => {
    const error = thrown(() =>
      providerFromEnv({
        AUTH_ISSUER: 'https://login.example',
        AUTH_CLIENT_ID: 'c',
        AUTH_CLIENT_SECRET: 's3cret',
        AUTH_DISCOVERY: 'discovery-typo-value',
      }),
    );
    expect(error.message).toContain('AUTH_DISCOVERY');
    expect(error.message).not.toContain('discovery-typo-value');
  });
});
