import {
  bearerTokenCheck,
  type ProtectedApi,
  startProtectedApi,
  startTokenServer,
  type TokenServer,
  type TokenServerOptions,
} from '@auth/testing/http';
import type { ClientSetup } from './contender.js';

/** A token server and an API that accepts only the tokens it issued and has not revoked, on 127.0.0.1. */
export interface Lab {
  tokens: TokenServer;
  api: ProtectedApi;
  /** What a contender needs to build a client against this lab. */
  setup: ClientSetup;
  /** Revokes the token the API saw last, so the API rejects it from now on. */
  revokeCurrentToken(): void;
  close(): Promise<void>;
}

const CLIENT_ID = 'bench-client';
const CLIENT_SECRET = 'bench-secret';

/**
 * Starts a fresh lab: every contender meets its own token server, so request counts are
 * its own.
 *
 * @param options - The token server's lifetime and delay, and clients besides the lab's own.
 */
export async function startLab(options: TokenServerOptions = {}): Promise<Lab> {
  const tokens = await startTokenServer({
    ...options,
    clients: { ...options.clients, [CLIENT_ID]: CLIENT_SECRET },
  });
  const api = await startProtectedApi({ authorize: bearerTokenCheck(tokens.isActive) });
  return {
    tokens,
    api,
    setup: {
      tokenUrl: tokens.tokenUrl,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      apiUrl: api.url,
    },
    revokeCurrentToken() {
      const last = api.requests.at(-1)?.headers.authorization;
      if (!last) throw new Error('the API has not seen a token yet');
      tokens.revoke(last.replace(/^Bearer /i, ''));
    },
    async close() {
      await Promise.all([tokens.close(), api.close()]);
    },
  };
}
