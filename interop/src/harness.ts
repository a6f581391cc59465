/*
 * What the npm server harnesses share: a `node:http` server on 127.0.0.1 that hands the
 * library fetch `Request`s and writes back its `Response`s, the RFC 8414 metadata document the
 * libraries do not serve themselves, and how a token request authenticated its client.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The well-known paths one metadata document is served at: RFC 8414 §3 and OpenID Discovery. */
export const METADATA_PATHS = [
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
] as const;

/** What {@link startHarnessServer} runs. */
export interface HarnessServerOptions {
  /** The library served, e.g. `@jmondi/oauth2-server`: it starts the listen error message. */
  name: string;
  /**
   * The RFC 8414 metadata document of the issuer, served (and counted) for a `GET` at each of
   * {@link METADATA_PATHS}.
   */
  metadata: (issuer: string) => Record<string, unknown>;
  /** Answers every other request; its URL is absolute, under the issuer. */
  handle: (request: Request) => Promise<Response>;
}

/** A running {@link startHarnessServer}. */
export interface HarnessServer {
  /** `http://127.0.0.1:<port>`: the issuer of the metadata and the base of every endpoint. */
  issuer: string;
  /** How many metadata documents were served so far. */
  metadataRequests: () => number;
  /** Stops listening and drops the open (keep-alive) connections. */
  close: () => Promise<void>;
}

/**
 * Starts a `node:http` server on a free 127.0.0.1 port (port 0) that serves the metadata
 * document at both well-known paths and passes every other request, as a fetch `Request`, to
 * `handle`. A `handle` that throws answers 500 `server_error`, or, once the answer has begun,
 * drops the connection.
 *
 * @param options - The library's name, its metadata document and its request handler.
 * @returns The running server.
 * @throws {Error} It cannot listen on 127.0.0.1 (the message names the library; the listen
 *   error is the `cause`).
 * @example
 * ```ts
 * const server = await startHarnessServer({
 *   name: 'some-library',
 *   metadata: (issuer) => ({ issuer, token_endpoint: `${issuer}/token` }),
 *   handle: async () => Response.json({ error: 'invalid_request' }, { status: 400 }),
 * });
 * // … discover(server.issuer) …
 * await server.close();
 * ```
 */
export async function startHarnessServer(options: HarnessServerOptions): Promise<HarnessServer> {
  let issuer = '';
  let metadataServed = 0;
  const answer = async (req: IncomingMessage): Promise<Response> => {
    const request = await fetchRequest(req, issuer);
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && (METADATA_PATHS as readonly string[]).includes(pathname)) {
      metadataServed++;
      return Response.json(options.metadata(issuer));
    }
    return options.handle(request);
  };
  const server = createServer((req, res) => {
    answer(req)
      .then((response) => writeResponse(res, response))
      .catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'server_error', error_description: String(error) }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new Error(`${options.name}: cannot listen on 127.0.0.1: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    server.listen(0, '127.0.0.1', () => resolve());
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    metadataRequests: () => metadataServed,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** How a client authenticated at the token endpoint, as a harness records it. */
export interface ClientAuthentication {
  /** An `Authorization: Basic` header, `client_secret` in the body, or neither. */
  method: 'basic' | 'post' | 'none';
  /** The client id as the server reads it: the Basic user name as sent, else `client_id`. */
  clientId: string | undefined;
}

/**
 * Classifies a token request's client authentication (RFC 6749 §2.3.1): Basic when an
 * `Authorization: Basic` header came, else post when the body holds `client_secret`, else none.
 *
 * @param authorization - The request's `Authorization` header, if any.
 * @param form - The request's form parameters.
 * @returns The method and the client id it names.
 * @example
 * ```ts
 * clientAuthentication('Basic YXBwOnNlY3JldA==', { grant_type: 'client_credentials' });
 * // → { method: 'basic', clientId: 'app' }
 * ```
 */
export function clientAuthentication(
  authorization: string | null | undefined,
  form: Readonly<Record<string, unknown>>,
): ClientAuthentication {
  const basic = /^basic +(\S+)$/i.exec(authorization ?? '')?.[1];
  const formClientId = typeof form.client_id === 'string' ? form.client_id : undefined;
  if (basic !== undefined) {
    const [user] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return { method: 'basic', clientId: user ?? formClientId };
  }
  return { method: form.client_secret === undefined ? 'none' : 'post', clientId: formClientId };
}

/** The node request as a fetch `Request` under `base`, its body read in full. */
async function fetchRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

/** Writes a fetch `Response` to the node response. */
async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}
