import { TokenManager, type TokenManagerOptions } from '@auth/core';
import {
  bearerTokenCheck,
  type ProtectedApi,
  startProtectedApi,
  startTokenServer,
  type TokenServer,
  testClientProvider,
} from '@auth/testing/http';

/** The client secret the token server knows; tests search outputs for it. */
export const CLIENT_SECRET = 'test-secret';

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
    provider: testClientProvider(tokens.tokenUrl),
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
