import type { IncomingHttpHeaders } from 'node:http';
import { TokenManager } from '@auth/core';
import {
  bearerTokenCheck,
  type LoopbackServer,
  listenOnLoopback,
  readBody,
  sendJson,
  startTokenServer,
  type TokenServer,
  testClientProvider,
} from '@auth/testing/http';

/** One request as a recipe server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  /** Every header as it arrived. */
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback server that records requests and answers by path. */
export interface RecipeServer extends LoopbackServer {
  readonly requests: SeenRequest[];
  /** The requests to `path` (without query). */
  requestsTo(path: string): SeenRequest[];
}

/**
 * Starts a server that records every request and answers:
 * - `/redirect?to=<url>`: `302` to `<url>`;
 * - anything else: `200 { path, method, body }` when `authorize` accepts the headers, else
 *   `401` with `WWW-Authenticate: Bearer error="invalid_token"`.
 */
async function startRecipeServer(
  authorize: (headers: Record<string, string | string[] | undefined>) => boolean,
): Promise<RecipeServer> {
  const requests: SeenRequest[] = [];
  const server = await listenOnLoopback(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const { headers } = req;
    requests.push({
      method,
      path: url.pathname,
      authorization: headers.authorization,
      headers,
      body,
    });
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
      return void res.end();
    }
    if (!authorize(req.headers)) {
      return sendJson(
        res,
        401,
        { error: 'invalid_token' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    }
    sendJson(res, 200, { path: url.pathname, method, body });
  });
  return {
    ...server,
    requests,
    requestsTo: (path) => requests.filter((request) => request.path === path),
  };
}

/** What every HTTP client recipe runs against. */
export interface RecipeServers {
  /** The token endpoint (client credentials). */
  tokens: TokenServer;
  /** The API: the one origin credentials may go to; 401 for a revoked or missing token. */
  api: RecipeServer;
  /** Another origin, which must never see credentials. Accepts every request. */
  other: RecipeServer;
  /** The manager the recipes share. */
  manager: TokenManager;
  /** Revokes the manager's current token at the token server, so the API answers 401. */
  revokeCurrentToken(): Promise<string>;
  close(): Promise<void>;
}

/** Starts the token server, the API and the other origin on 127.0.0.1, and a manager. */
export async function startRecipeServers(): Promise<RecipeServers> {
  const tokens = await startTokenServer();
  const api = await startRecipeServer(bearerTokenCheck(tokens.isActive));
  const other = await startRecipeServer(() => true);
  const manager = new TokenManager({ provider: testClientProvider(tokens.tokenUrl) });
  return {
    tokens,
    api,
    other,
    manager,
    async revokeCurrentToken() {
      const current = (await manager.getToken()).accessToken;
      tokens.revoke(current);
      return current;
    },
    async close() {
      await manager.close();
      await Promise.all([tokens.close(), api.close(), other.close()]);
    },
  };
}
