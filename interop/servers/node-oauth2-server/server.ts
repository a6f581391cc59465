import OAuth2Server from '@node-oauth/oauth2-server';
import {
  type ClientAuthentication,
  clientAuthentication,
  startHarnessServer,
} from '../../src/harness.js';
import { inMemoryModel, type RegisteredClient, type RegisteredUser } from './model.js';

/** One request the token endpoint received, as the server saw it. */
export interface TokenRequestRecord {
  /** The `grant_type` parameter. */
  grantType: string | undefined;
  /** How the client authenticated: an `Authorization: Basic` header, `client_secret` in the body, or neither. */
  clientAuth: ClientAuthentication['method'];
  /** The client id as the server read it (Basic user name as sent, or `client_id`). */
  clientId: string | undefined;
  /** The `refresh_token` parameter of a refresh request. */
  refreshToken: string | undefined;
  /** The HTTP status of the answer. */
  status: number;
}

/** Options of {@link startNodeOauth2Server}. */
export interface NodeOauth2ServerOptions {
  /** The library's `alwaysIssueNewRefreshToken`: rotate refresh tokens. Default true (the library's default). */
  rotateRefreshTokens?: boolean;
  /** Access token lifetime in seconds. Default 300. */
  accessTokenLifetimeSeconds?: number;
}

/** A running `@node-oauth/oauth2-server` on 127.0.0.1. */
export interface NodeOauth2Server {
  /** The issuer of the metadata document (`http://127.0.0.1:<port>`). */
  issuer: string;
  /** The library's token endpoint. */
  tokenUrl: string;
  /** The library's authorization endpoint; add `user=<name>` to act as that logged-in user. */
  authorizationUrl: string;
  /** A protected resource answering `{ user, client }` for a bearer token, via the library's `authenticate`. */
  resourceUrl: string;
  /** Every token endpoint request, in order. */
  tokenRequests: readonly TokenRequestRecord[];
  /** How many metadata documents were served. */
  metadataRequests: () => number;
  /** Stops the server. */
  close: () => Promise<void>;
}

/** The clients every instance registers. */
export const NODE_OAUTH2_CLIENTS = {
  /** Basic, with every unreserved punctuation character in its id. */
  unreserved: { clientId: 'cc-plain_x.y~z', clientSecret: 'plain-secret_1.2~3' },
  /** Sends its secret in the body. */
  post: { clientId: 'cc-post', clientSecret: 'post-secret' },
  /** A secret with characters that Basic must percent-encode. */
  special: { clientId: 'cc-special', clientSecret: 'a:b+c% d&e=f' },
  /** Client credentials, password and refresh; alphanumeric, so every encoding is the identity. */
  app: { clientId: 'app', clientSecret: 'appsecret1' },
  /** A public client of the authorization code grant with PKCE (RFC 8252 loopback redirects). */
  cli: { clientId: 'cli' },
} as const;

/** The users every instance registers. */
export const NODE_OAUTH2_USERS = {
  alice: { username: 'alice', password: 'alice-password-1' },
} as const;

const clients: RegisteredClient[] = [
  {
    id: NODE_OAUTH2_CLIENTS.unreserved.clientId,
    secret: NODE_OAUTH2_CLIENTS.unreserved.clientSecret,
    grants: ['client_credentials'],
  },
  {
    id: NODE_OAUTH2_CLIENTS.post.clientId,
    secret: NODE_OAUTH2_CLIENTS.post.clientSecret,
    grants: ['client_credentials'],
  },
  {
    id: NODE_OAUTH2_CLIENTS.special.clientId,
    secret: NODE_OAUTH2_CLIENTS.special.clientSecret,
    grants: ['client_credentials'],
  },
  {
    id: NODE_OAUTH2_CLIENTS.app.clientId,
    secret: NODE_OAUTH2_CLIENTS.app.clientSecret,
    grants: ['client_credentials', 'password', 'refresh_token'],
  },
  {
    id: NODE_OAUTH2_CLIENTS.cli.clientId,
    grants: ['authorization_code', 'refresh_token'],
    redirectUris: ['http://127.0.0.1/callback'],
  },
];
const users: RegisteredUser[] = Object.values(NODE_OAUTH2_USERS);

/**
 * Starts `@node-oauth/oauth2-server` with an in-memory model on a plain `node:http` server on
 * 127.0.0.1 (a free port): the library's token endpoint at `/token`, its authorization
 * endpoint at `/authorize` (the user is whoever `?user=` names, through the library's
 * `authenticateHandler` option), a resource at `/me` checked by the library's `authenticate`,
 * and, since the library has none, an RFC 8414 metadata document listing those endpoints at
 * `/.well-known/oauth-authorization-server` and `/.well-known/openid-configuration`.
 *
 * @param options - Refresh token rotation and token lifetime.
 * @returns The running server.
 * @throws {Error} The server could not listen.
 * @example
 * ```ts
 * const server = await startNodeOauth2Server();
 * // … clientCredentials({ tokenUrl: server.tokenUrl, ...NODE_OAUTH2_CLIENTS.app }) …
 * await server.close();
 * ```
 */
export async function startNodeOauth2Server(
  options: NodeOauth2ServerOptions = {},
): Promise<NodeOauth2Server> {
  const model = inMemoryModel({ clients, users });
  const oauth = new OAuth2Server({
    model,
    accessTokenLifetime: options.accessTokenLifetimeSeconds ?? 300,
    alwaysIssueNewRefreshToken: options.rotateRefreshTokens ?? true,
    // A public client refreshes with its client_id alone (RFC 6749 §6: authenticate if confidential).
    requireClientAuthentication: { refresh_token: false },
    authenticateHandler: {
      handle: (request: OAuth2Server.Request) => {
        const name = request.query?.user;
        return users.find((user) => user.username === name) && { username: name };
      },
    },
  });
  const tokenRequests: TokenRequestRecord[] = [];

  const handle = async (fetchRequest: Request): Promise<Response> => {
    const url = new URL(fetchRequest.url);
    const body = Object.fromEntries(new URLSearchParams(await fetchRequest.text()));
    const request = new OAuth2Server.Request({
      headers: Object.fromEntries(fetchRequest.headers),
      method: fetchRequest.method,
      query: Object.fromEntries(url.searchParams),
      body,
    });
    const response = new OAuth2Server.Response();
    switch (url.pathname) {
      case '/token': {
        await run(() => oauth.token(request, response), response);
        const { method, clientId } = clientAuthentication(
          fetchRequest.headers.get('authorization'),
          body,
        );
        tokenRequests.push({
          grantType: body.grant_type,
          clientAuth: method,
          clientId,
          refreshToken: body.refresh_token,
          status: response.status ?? 0,
        });
        return fetchResponse(response);
      }
      case '/authorize':
        await run(() => oauth.authorize(request, response), response);
        return fetchResponse(response);
      case '/me': {
        const token = await run(() => oauth.authenticate(request, response), response);
        if (token) response.body = { user: token.user, client: token.client.id };
        return fetchResponse(response);
      }
      default:
        return Response.json({ error: 'not_found' }, { status: 404 });
    }
  };

  const server = await startHarnessServer({
    name: '@node-oauth/oauth2-server',
    metadata,
    handle,
  });
  const { issuer } = server;
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    authorizationUrl: `${issuer}/authorize`,
    resourceUrl: `${issuer}/me`,
    tokenRequests,
    metadataRequests: server.metadataRequests,
    close: server.close,
  };
}

/** RFC 8414 metadata naming only what the library implements. */
function metadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    response_types_supported: ['code'],
    grant_types_supported: [
      'authorization_code',
      'client_credentials',
      'password',
      'refresh_token',
    ],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
  };
}

/**
 * Runs a library handler. Its OAuth errors have already set the response (status, body or
 * redirect) except those thrown before it does (e.g. a GET at the token endpoint): those are
 * written here the way the library writes the others.
 */
async function run<T>(handler: () => Promise<T>, response: OAuth2Server.Response) {
  try {
    return await handler();
  } catch (error) {
    if (!(error instanceof OAuth2Server.OAuthError)) throw error;
    if (response.status === 200) {
      response.status = error.code;
      response.body = { error: error.name, error_description: error.message };
    }
    return undefined;
  }
}

/** The library's response as a fetch `Response`: a redirect as it is, anything else as JSON. */
function fetchResponse(response: OAuth2Server.Response): Response {
  const headers = { ...response.headers };
  const status = response.status ?? 200;
  if (status === 302) return new Response(null, { status, headers });
  return new Response(JSON.stringify(response.body ?? {}), {
    status,
    headers: { ...headers, 'content-type': 'application/json' },
  });
}
