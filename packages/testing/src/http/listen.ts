import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createServer as createHttpsServer,
  type ServerOptions as TlsServerOptions,
} from 'node:https';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1 on a free port. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, or `https://…` with `tls`. */
  url: string;
  /** The Node server, for anything else a test needs. */
  server: Server;
  /** Stops listening and drops every open connection (including hanging ones). */
  close(): Promise<void>;
}

/** A request handler; may be async. */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Settings of {@link listenOnLoopback}, shared by the servers built on it. */
export interface LoopbackServerOptions {
  /**
   * Lets pages of any origin call the server from a browser (CORS): every response allows
   * the request's `Origin` and exposes every header, and a preflight (`OPTIONS` with
   * `Access-Control-Request-Method`) is answered `204`, allowing the method and headers it
   * asks for, without reaching the handler. Default `false`.
   */
  cors?: boolean;
  /**
   * Serves HTTPS with these settings (`cert`, `key`, and for client certificates
   * `requestCert`, `ca`, `rejectUnauthorized`) instead of plain HTTP. Default: plain HTTP.
   */
  tls?: TlsServerOptions;
}

/**
 * Starts an HTTP (or, with `tls`, HTTPS) server on 127.0.0.1 on a free port.
 *
 * @param handler - Handles each request; a thrown error becomes a 500.
 * @param options - `cors`: answer browsers of other origins; `tls`: serve HTTPS.
 * @returns The running server.
 */
export async function listenOnLoopback(
  handler: Handler,
  options: LoopbackServerOptions = {},
): Promise<LoopbackServer> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (options.cors === true && allowCrossOrigin(req, res)) return;
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  };
  const server: Server = options.tls
    ? createHttpsServer(options.tls, listener)
    : createServer(listener);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Adds the CORS headers of `req`'s origin to `res`; answers a preflight itself.
 *
 * @returns `true` when the request was a preflight and has been answered.
 */
function allowCrossOrigin(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-expose-headers', '*');
  res.setHeader('vary', 'origin');
  const method = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || method === undefined) return false;
  res.writeHead(204, {
    'access-control-allow-methods': method,
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
    'access-control-max-age': '600',
  });
  res.end();
  return true;
}

/** Reads a request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Sends a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}
