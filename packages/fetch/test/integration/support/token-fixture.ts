import {
  OAuthError,
  TokenEndpointError,
  TokenManager,
  type TokenManagerOptions,
  type TokenProvider,
  TokenSet,
} from '@auth/core';
import {
  bearerTokenCheck,
  type ProtectedApi,
  startProtectedApi,
  startTokenServer,
  type TokenServer,
} from '@auth/testing/http';

/** The client secret the token server knows; tests search outputs for it. */
export const CLIENT_SECRET = 'test-secret';

/**
 * A minimal client-credentials provider: POST with Basic `test-client:test-secret`, the
 * response parsed with `TokenSet.fromResponse`.
 */
export function clientCredentialsProvider(tokenUrl: string): TokenProvider {
  return {
    cacheKey: `client_credentials:${tokenUrl}:test-client`,
    async fetchToken(options = {}) {
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa(`test-client:${CLIENT_SECRET}`)}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
        signal: options.signal,
      });
      const text = await response.text();
      let body: Record<string, unknown> | undefined;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = undefined;
      }
      if (response.ok && body) return TokenSet.fromResponse(body);
      if (typeof body?.error === 'string') {
        throw new OAuthError({ error: body.error, status: response.status });
      }
      throw new TokenEndpointError(`token endpoint answered ${response.status}`, {
        status: response.status,
        retryable: response.status >= 500,
      });
    },
  };
}

/** A token server, a protected API that accepts its live tokens, and a manager for it. */
export interface TokenFixture {
  tokens: TokenServer;
  api: ProtectedApi;
  manager: TokenManager;
  close(): Promise<void>;
}

/**
 * Starts the token server and the protected API on loopback, with a manager whose
 * failed token requests are not retried (so failure tests are fast).
 */
export async function startTokenFixture(
  managerOptions: Partial<TokenManagerOptions> = {},
): Promise<TokenFixture> {
  const tokens = await startTokenServer();
  const api = await startProtectedApi({ authorize: bearerTokenCheck(tokens.isActive) });
  const manager = new TokenManager({
    provider: clientCredentialsProvider(tokens.tokenUrl),
    retry: { maxAttempts: 1 },
    ...managerOptions,
  });
  return {
    tokens,
    api,
    manager,
    async close() {
      await manager.close();
      await Promise.all([tokens.close(), api.close()]);
    },
  };
}

/** The access token in a recorded `Authorization: Bearer …` header. */
export function bearerOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer (\S+)$/.exec(value ?? '');
  if (!match) throw new Error('no bearer token in the header');
  return match[1]!;
}
