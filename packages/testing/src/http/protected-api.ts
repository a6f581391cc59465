import type { IncomingHttpHeaders } from 'node:http';
import {
  type LoopbackServer,
  type LoopbackServerOptions,
  listenOnLoopback,
  readBody,
  sendJson,
} from './listen.js';

/** Settings of {@link startProtectedApi}. */
export interface ProtectedApiOptions extends LoopbackServerOptions {
  /** Decides whether a request's credentials are accepted; may look at the method and path, and be async. */
  authorize: (
    headers: IncomingHttpHeaders,
    request: { method: string; path: string },
  ) => boolean | Promise<boolean>;
}

/** One request as the API saw it. */
export interface ApiRequestRecord {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  authorized: boolean;
}

/** A running protected API. */
export interface ProtectedApi extends LoopbackServer {
  /** Every request received. */
  readonly requests: readonly ApiRequestRecord[];
  /** Forgets the recorded requests. */
  resetRequests(): void;
}

/**
 * Starts an API on 127.0.0.1 that answers every path with
 * `200 { ok: true, method, path, bodyLength }` when `authorize` accepts the request's
 * credentials, and `401` with `WWW-Authenticate: Bearer` otherwise. It records every
 * request, headers included, for assertions.
 *
 * @param options - `authorize`: the credential check; `cors`: answer browsers of other origins.
 * @returns The running API.
 */
export async function startProtectedApi(options: ProtectedApiOptions): Promise<ProtectedApi> {
  const requests: ApiRequestRecord[] = [];
  const server = await listenOnLoopback(async (req, res) => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const authorized = await options.authorize(req.headers, { method, path: url.pathname });
    requests.push({
      method,
      path: `${url.pathname}${url.search}`,
      headers: req.headers,
      body,
      authorized,
    });
    if (!authorized) {
      return sendJson(
        res,
        401,
        { error: 'invalid_token' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    }
    sendJson(res, 200, {
      ok: true,
      method: req.method,
      path: url.pathname,
      bodyLength: Buffer.byteLength(body),
    });
  }, options);
  return {
    ...server,
    requests,
    resetRequests() {
      requests.length = 0;
    },
  };
}

/**
 * An `authorize` check for {@link startProtectedApi} that accepts `Authorization: Bearer <token>`
 * when `isActive(token)` says so (e.g. a token server's `isActive`).
 *
 * @param isActive - Whether a bearer token is currently valid.
 * @returns The check.
 */
export function bearerTokenCheck(
  isActive: (token: string) => boolean,
): (headers: IncomingHttpHeaders) => boolean {
  return (headers) => {
    const match = /^Bearer (\S+)$/i.exec(headers.authorization ?? '');
    return match !== null && isActive(match[1]!);
  };
}
